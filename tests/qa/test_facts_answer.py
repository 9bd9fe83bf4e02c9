"""Questions the facts decide, on the bundled reports: answered at once without the model, with
the figure of the year and place asked, or an honest refusal that offers what the reports hold."""
from __future__ import annotations

import re

import pytest

from qa.answer.pipeline import AnswerPipeline
from qa.generate.base import EchoGenerator


class Recorder(EchoGenerator):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def stream(self, messages, max_tokens=200, temperature=0.0):
        self.calls += 1
        yield from super().stream(messages, max_tokens, temperature)


@pytest.fixture
def ask(library):
    model = Recorder()
    pipeline = AnswerPipeline(library, model)

    def run(question):
        answer = pipeline.answer(question)
        assert model.calls == 0, "facts answer without the model"
        return answer

    return run


def test_a_figure_of_the_year_asked_with_its_paragraph(ask):
    answer = ask("代县2022年GDP是多少？")
    assert answer.mode == "facts" and not answer.refused and answer.grounded
    assert "90.2亿元" in answer.text and "2022" in answer.text
    assert [c.doc_id for c in answer.citations] == ["daixian-2023"]
    assert "90.2亿元" in answer.citations[0].text and answer.citations[0].paragraph_id.startswith("daixian-2023#p")


def test_a_year_the_reports_do_not_give_is_refused_and_the_held_year_offered(ask):
    answer = ask("代县2021年的财政收入是多少？")
    assert answer.refused
    assert "没有代县2021年" in answer.text
    # offered, named with its own year and cited, but its figure not shown as if it answered
    assert "有2022年的一般公共预算收入[1]" in answer.text and "4.6亿元" not in answer.text
    assert answer.citations and answer.citations[0].doc_id == "daixian-2023"


@pytest.mark.parametrize("question, place", [("繁峙县2023年地区生产总值增长目标是多少？", "繁峙县"),
                                             ("忻州市2022年GDP是多少？", "忻州市"),
                                             ("池州2024年财政收入多少", "池州市")])
def test_a_place_no_report_covers_is_never_answered_with_another_places_figures(ask, question, place):
    answer = ask(question)
    assert answer.refused and answer.citations == ()
    assert place in answer.text and "代县" in answer.text  # says which places the library has
    assert not re.search(r"\d+(\.\d+)?(亿元|%)", answer.text)


def test_a_comparison_states_both_figures_with_years_and_who_is_ahead(ask):
    answer = ask("代县和绛县的GDP谁更高？")
    assert "90.2亿元" in answer.text and "78.9亿元" in answer.text and "代县更高" in answer.text
    assert "年份不同" in answer.text
    assert {c.doc_id for c in answer.citations} == {"daixian-2023", "jiangxian-2022"}


def test_a_two_part_question_gets_both_parts(ask):
    answer = ask("代县2023年GDP增长目标是多少？和2022年实际增速比怎么样？")
    assert "6%左右" in answer.text and "3.9%" in answer.text and "高于" in answer.text


def test_a_superlative_names_the_winner_the_figures_and_the_reports_without_one(ask):
    answer = ask("哪个县2023年GDP增速最高？")
    assert "最高的是侯马市" in answer.text and "12.1%" in answer.text and "7%" in answer.text
    assert "代县" in answer.text.split("。")[-2]  # …的报告中没有2023年…的数字


def test_facts_stream_citations_then_the_final_answer(library):
    events = list(AnswerPipeline(library, EchoGenerator()).stream("侯马市2023年GDP是多少？"))
    assert [k for k, _ in events] == ["citations", "final"]
    assert events[-1][1].mode == "facts" and "189亿元" in events[-1][1].text


def test_several_indicators_of_one_place_are_each_answered(ask):
    answer = ask("通渭县2023年城乡居民人均可支配收入分别增长多少？")
    assert "7.5%" in answer.text and "9.5%" in answer.text and not answer.refused
    both = ask("代县2022年GDP和财政收入分别是多少？")
    assert "90.2亿元" in both.text and "4.6亿元" in both.text


def test_a_span_asked_for_the_level_it_reached_gets_the_end_not_the_range():
    from corpus.records import Fact
    from qa.answer.facts import answer_facts
    from qa.retrieval.reading import read

    sentence = "常住人口城镇化率由52.23%提高到58.08%"
    facts = [Fact("t", "t#p1", "甲省", None, "起点", "常住人口城镇化率", True, 52.23, "%", "actual", (), sentence),
             Fact("t", "t#p1", "甲省", 2025, "2025", "常住人口城镇化率", True, 58.08, "%", "actual", (), sentence)]

    def ask(question):
        reading = read(question, lambda text: (["甲省"], []), lambda text: ["常住人口城镇化率"])
        return answer_facts(reading, facts, []).text

    assert "58.08%" in ask("甲省常住人口城镇化率十四五期间提高到了多少？")
    assert "52.23%" not in ask("甲省常住人口城镇化率十四五期间提高到了多少？")
    assert "52.23%" in ask("甲省常住人口城镇化率十四五期间提高了多少？")  # the range, quoted
    assert "52.23%" in ask("甲省常住人口城镇化率十四五期间从多少提高到多少？")  # both ends asked
