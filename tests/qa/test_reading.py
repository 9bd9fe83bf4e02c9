"""Reading a question: places (covered or not), years, indicator, kind, comparisons, superlatives."""
from __future__ import annotations

import pytest

from qa.retrieval.reading import Part, kind_of, read

COVERED = ("代县", "绛县", "侯马市")
OTHER = ("繁峙县", "忻州市", "池州市")
INDICATORS = {"gdp": "地区生产总值", "地区生产总值": "地区生产总值", "财政收入": "一般公共预算收入",
              "农村居民人均可支配收入": "农村居民人均可支配收入"}


def places(text):
    found = [(text.find(p[:-1]), p) for p in COVERED if p[:-1] in text]
    missing = [(text.find(p[:-1]), p) for p in OTHER if p[:-1] in text]
    return [p for _, p in sorted(found)], [p for _, p in sorted(missing)]


def indicators(text):
    low = text.lower()
    return list(dict.fromkeys(v for k, v in INDICATORS.items() if k in low))


def r(question):
    return read(question, places, indicators)


@pytest.mark.parametrize("text, kind", [
    ("2023年GDP增长目标是多少", "target"), ("GDP增速排全省第几", "rank"), ("规上工业增加值增长多少", "growth"),
    ("地区生产总值是多少", "actual"), ("第三产业占比多少", "share"), ("财政收入同比下降了多少", "growth"),
    ("固定资产投资是增长还是下降？幅度多大？", "growth"),
])
def test_the_kind_of_figure_asked_for(text, kind):
    assert kind_of(text) == kind


def test_a_place_no_report_covers_is_read_as_missing_not_ignored():
    reading = r("繁峙县2023年地区生产总值增长目标是多少？")
    assert reading.places == () and reading.missing == ("繁峙县",)
    assert reading.years == (2023,) and reading.indicators == ("地区生产总值",) and reading.kind == "target"


def test_a_two_part_question_has_a_part_per_clause():
    reading = r("代县2023年GDP增长目标是多少？和2022年实际增速比怎么样？")
    assert reading.parts == (Part("代县", 2023, "target"), Part("代县", 2022, "growth"))
    assert reading.compare


def test_a_comparison_of_two_places():
    reading = r("代县和绛县的GDP谁更高？")
    assert reading.places == ("代县", "绛县") and reading.compare
    assert [p.place for p in reading.parts] == ["代县", "绛县"]


def test_a_superlative_over_the_library():
    reading = r("哪个县2023年GDP增速最高？")
    assert reading.superlative == "max" and reading.over_library and reading.kind == "growth"
    assert r("五个县里哪个县的农村居民人均可支配收入最低？").superlative == "min"
    assert r("哪些县的GDP超过80亿元？").threshold == (80.0, "亿元")
    assert not r("代县GDP是多少？").over_library


@pytest.mark.parametrize("text, kind", [
    ("2023年地区生产总值增長了百分之多少", "growth"),  # a rate asked: never a level
    ("GDP预计增长多少", "growth"),                      # 预计: the year's estimated actual, not a target
    ("哪个县GDP增长更快", "growth"),
    ("2024年GDP预期目标是多少", "target"),
])
def test_the_words_that_mark_a_kind_in_reports_mark_it_in_questions(text, kind):
    assert kind_of(text) == kind


def test_two_years_compared_by_their_growth_rates():
    reading = r("代县2022年和2023年地区生产总值增速哪一年高？")
    assert [p.kind for p in reading.parts] == ["growth", "growth"]


def test_places_at_every_level_are_read_from_questions():
    from qa.retrieval.places import find_places
    from tests.qa.conftest import report

    nation, province = report("全国", 2023), report("河北省", 2024)
    docs = [_with_level(nation, "全国"), _with_level(province, "省"), report("代县", 2023)]
    assert find_places("我国2022年国内生产总值增长多少？", docs).counties == ("全国",)
    assert find_places("河北2023年GDP是多少？", docs).counties == ("河北省",)
    # a yardstick, not the place asked about
    assert find_places("代县GDP增速排全国第几？", docs).counties == ("代县",)


def _with_level(doc, level):
    from dataclasses import replace

    return replace(doc, level=level)


def test_each_place_is_paired_with_the_year_named_after_it():
    reading = r("代县2022年和绛县2021年的地区生产总值，哪个多？")
    assert [(p.place, p.year) for p in reading.parts] == [("代县", 2022), ("绛县", 2021)]


def test_the_year_compared_against_is_asked_the_same_kind():
    reading = r("代县2023年的GDP增速比2022年高还是低？")
    assert [(p.year, p.kind) for p in reading.parts] == [(2023, "growth"), (2022, "growth")]


def test_a_rate_asked_is_not_also_a_level():
    assert r("2023年代县GDP增速是多少？").parts == ()
    assert [p.kind for p in r("代县2023年GDP总量和增速各是多少？").parts] == ["actual", "growth"]


def test_a_follow_up_asking_each_figure_is_no_part_of_its_own():
    reading = r("2023年代县和绛县哪个GDP增速更高？各是多少？")
    assert [(p.place, p.kind) for p in reading.parts] == [("代县", "growth"), ("绛县", "growth")]


def test_last_year_in_words_is_the_year_before_the_latest_report():
    assert read("过去一年代县GDP增长多少？", places, indicators, this_year=2024).years == (2023,)


def test_a_base_year_is_not_a_year_asked():
    reading = r("2015年代县农村居民人均可支配收入比2010年增加了多少？")
    assert reading.years == (2015,) and reading.kind == "growth" and reading.parts == ()


def test_two_years_asked_each_are_both_asked_even_with_a_base_word():
    reading = r("代县地区生产总值2023年比2022年多了还是少了？两年各是多少？")
    assert {p.year for p in reading.parts} == {2022, 2023} and {p.kind for p in reading.parts} == {"actual"}



def test_an_indicators_own_total_word_does_not_ask_a_level_beside_the_rate():
    # 社会消费品零售总额 names the indicator: its 总额 asks no level, so both rates are asked
    assert r("2023年代县固定资产投资和社会消费品零售总额分别增长多少？").parts == ()
    assert [p.kind for p in r("代县2023年社会消费品零售总额是多少，增长多少？").parts] == ["actual", "growth"]


@pytest.mark.parametrize("text, kind", [
    ("农民去年人均收入多了多少钱", "growth"),  # the increase, in yuan
    ("优良天数增加了多少天", "growth"),
    ("2011年和2015年的地区生产总值相比，增加了多少？各是多少", "actual"),  # the difference of two levels
    ("城乡居民人均可支配收入分别涨了多少", "growth"),
    ("今年研发投入强度要达到多少", "target"),
])
def test_an_increase_asked_is_a_growth(text, kind):
    assert kind_of(text) == kind


def test_rates_asked_in_everyday_words_want_a_rate_in_the_evidence():
    from qa.answer.evidence import RATE, expected_figure

    assert expected_figure("永州城乡居民去年人均可支配收入分别涨了多少？") is RATE
    assert expected_figure("永州研发投入强度是多少？").search("研发投入强度达到1.9%")
    assert expected_figure("侯马开发区2023年的产出强度达到多少？").search("亩均产出强度达到501万元")
    assert expected_figure("农民人均收入多了多少钱？") is not RATE


def test_indicator_names_survive_time_words_glued_inside_and_conditions_before():
    from corpus.indicators import find

    assert find("吉林农民去年人均收入多了多少钱") == ["农村居民人均可支配收入"]
    assert find("海拉尔2016年社零总额是多少") == ["社会消费品零售总额"]  # read with its year, as before
    assert set(find("城乡居民去年人均可支配收入分别涨了多少")) == {"城镇居民人均可支配收入", "农村居民人均可支配收入"}
    assert find("正常年景下粮食产量达到900亿斤以上") == ["粮食产量"]
    assert find("2023年抚州和济宁，哪个GDP增速更快") == ["地区生产总值"]
    assert find("全社会研发投入占GDP比重提高至3.76%") != ["地区生产总值"]  # a ratio to GDP is not GDP


def test_a_report_named_by_its_short_form_is_the_source_not_the_place_asked():
    from types import SimpleNamespace

    from qa.retrieval.reading import read_question

    doc = SimpleNamespace(county="黔南布依族苗族自治州", year=2024)
    retriever = SimpleNamespace(documents=[doc], places=lambda text: SimpleNamespace(
        counties=("黔南布依族苗族自治州",) if "黔南" in text else ()))
    reading = read_question("根据黔南州政府工作报告，都匀市2023年GDP是多少？", retriever)
    assert reading.places == () and reading.missing == ("都匀市",)


def test_funds_won_are_an_outcome_not_a_goal():
    assert kind_of("抚州2023年争取到各类项目资金多少亿元") == "actual"
    assert kind_of("今年争取项目资金多少") == "target"


def test_a_period_word_before_an_indicator_does_not_hide_it():
    from corpus.indicators import find

    assert find("海南“十五五”时期生产总值年均增长目标是多少") == ["地区生产总值"]
    assert find("十四五期间生产总值年均增长多少") == ["地区生产总值"]


def test_a_growth_compared_as_higher_asks_the_rate_and_a_span_start_is_no_year_asked():
    assert kind_of("三亚和乐山2023年地区生产总值增长哪个高") == "growth"
    assert r("代县自2017年以来累计投入了多少钱？").years == ()


def test_a_city_named_as_the_source_is_not_also_the_place_asked():
    """'阳泉报告里全国…': 阳泉市 is its own prefecture, yet the question asks the nation's figure."""
    from types import SimpleNamespace

    from qa.retrieval.reading import read_question

    retriever = SimpleNamespace(documents=[SimpleNamespace(county="阳泉市", year=2024)], places=lambda text: SimpleNamespace(
        counties=("阳泉市",) if "阳泉" in text else ()))
    reading = read_question("阳泉报告里全国2023年GDP增长多少？", retriever)
    assert reading.places == () and reading.missing == ("全国",)


def test_a_target_growth_asked_is_one_part_not_a_level_and_a_rate():
    reading = r("代县今年地区生产总值目标增长多少？")
    assert reading.kind == "target" and reading.parts == ()
