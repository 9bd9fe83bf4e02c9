"""Whole reports as people hold them (eval/whole/reports: a district's four consecutive years, a
city's, a province's two): questions whose answer needs the whole report read right."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.answer.pipeline import AnswerPipeline

WHOLE = Path(__file__).resolve().parents[2] / "eval" / "whole" / "reports"
NEXT = WHOLE.parents[1] / "whole-next" / "reports"  # a development set since eval/whole-fresh is held out
NEXT_FILES = ("shandong-2026", "hunan-2026", "yunnan-2026", "shandong-linyi-2024", "xinjiang-2026", "anhui-huangshanqu-2024")
FILES = ("neimenggu-hailaer-2012", "neimenggu-hailaer-2016", "neimenggu-hailaer-2017", "neimenggu-hailaer-2018",
         "neimenggu-hailaer-2019", "hubei-yichang-2024", "hubei-enshishi-2024", "guangdong-2025", "guangdong-2026")


@pytest.fixture(scope="module")
def ask(tmp_path_factory):
    from embeddings.encoder import HashEncoder
    from qa.library import Library
    from qa.settings import Settings

    lib = Library(Settings(data_dir=tmp_path_factory.mktemp("whole")), encoder=HashEncoder(256))
    lib.ingest(None)
    for path in [WHOLE / f"{name}.txt" for name in FILES] + [NEXT / f"{name}.txt" for name in NEXT_FILES]:
        lib.add(path.read_bytes(), path.name)
    pipeline = AnswerPipeline(lib, None)  # extractive: what the evidence and the facts say
    return pipeline.answer


def test_a_superlative_over_a_range_of_years_reads_every_year(ask):
    answer = ask("2015至2018年间，海拉尔区哪一年城镇新增就业人数最多？")
    assert "最多的是2016年" in answer.text and "6790人" in answer.text
    assert {c.doc_id for c in answer.citations} >= {"neimenggu-hailaer-2017", "neimenggu-hailaer-2018"}


def test_a_target_set_as_a_level_and_a_rate_gives_both(ask):
    answer = ask("2012年海拉尔区地区生产总值目标是多少？")
    assert "240亿元" in answer.text and "21%" in answer.text and not answer.refused


def test_two_questions_in_one_are_each_answered_from_their_part_of_the_report(ask):
    answer = ask("宜昌2023年游客接待量是多少？2024年力争达到多少？")
    assert "1亿人次" in answer.text and "1.15亿人次" in answer.text
    assert len(answer.citations) == 2


def test_a_five_year_total_is_not_a_years_figure_in_a_comparison(ask):
    answer = ask("海拉尔区规上工业总产值2015年和2016年分别是多少？")
    assert "188亿元" in answer.text and "198.1亿元" in answer.text and "2016年更高" in answer.text
    assert "745亿元" not in answer.text  # the 十二五 five years' output


def test_a_bare_value_added_is_of_the_firms_named_before_it(ask):
    answer = ask("广东规上工业增加值增速，2024年和2025年哪一年更高？")
    assert "4.2%" in answer.text and "3%" in answer.text and "2024年更高" in answer.text


def test_a_province_named_before_an_industry_is_the_place_asked(ask):
    answer = ask("2024年广东先进制造业、高技术制造业增加值占规模以上工业的比重分别是多少？")
    assert "56.7%" in answer.text and {c.doc_id for c in answer.citations} == {"guangdong-2025"}


def test_a_report_named_by_its_year_is_the_only_one_searched(ask):
    answer = ask("2025年广东省政府工作报告中，2024年广东人均地区生产总值是多少？")
    assert answer.refused  # that report gives the total only; the 2026 report's per-capita figure is 2025's
    answer = ask("2025年广东省政府工作报告中，2024年广东先进制造业增加值占规模以上工业比重是多少？")
    assert "56.7%" in answer.text and {c.doc_id for c in answer.citations} == {"guangdong-2025"}


def test_years_of_one_place_compared_in_words_the_facts_do_not_bind(ask):
    answer = ask("广东的高新技术企业数量，2024年底和2025年底相比哪个更多？")
    assert "7.7万家" in answer.text and "7.4万家" in answer.text and "2024年更多" in answer.text
    assert {c.doc_id for c in answer.citations} == {"guangdong-2025", "guangdong-2026"}
    answer = ask("海拉尔区2016年和2017年旅游收入各是多少？哪年更高？")
    assert "82.8亿元" in answer.text and "94.8亿元" in answer.text and "2017年更高" in answer.text


@pytest.mark.parametrize("question, not_shown", [
    ("恩施土家族苗族自治州2023年地区生产总值是多少？", "500亿元"),  # the library holds 恩施市's report, not the 州's
    ("2018年海拉尔区全区改扩建奶牛养殖圈舍面积是多少？", "17000平方米"),  # one town's figure
    ("宜昌“十四五”期间地区生产总值年均增长多少？", "7.1%"),  # one year's rate is no average annual rate
])
def test_a_figure_of_another_place_level_or_measure_is_not_an_answer(ask, question, not_shown):
    answer = ask(question)
    assert answer.refused and not_shown not in answer.text


def test_a_five_year_figure_is_found_in_the_paragraphs_about_the_span(ask):
    total = ask("十四五这五年山东一般公共预算收入累计完成了多少？")
    assert "3.7万亿元" in total.text and "十四五" in total.text and not total.refused
    reached = ask("十四五期间山东高铁里程增加到了多少公里？")
    assert "3055公里" in reached.text and not reached.refused
    year = ask("2025年山东城镇新增就业多少人？")
    assert "124.9万人" in year.text and "603.7" not in year.text


def test_a_comparison_of_two_places_says_who_is_ahead_also_when_quoting(ask):
    answer = ask("“十四五”期间湖南和云南的全社会研发投入年均增速哪个更快？各是多少？")
    assert "11.6%" in answer.text and "10.5%" in answer.text and "湖南省更快" in answer.text


def test_a_follow_up_asking_each_figure_adds_no_figure_of_another_kind(ask):
    answer = ask("2025年山东省和云南省，哪个省的地区生产总值增速更高？各是多少？")
    assert "5.5%" in answer.text and "4.1%" in answer.text and "山东省更高" in answer.text
    assert "万亿元" not in answer.text and "亿元" not in answer.text


def test_a_target_with_its_stretch_is_given_whole(ask):
    answer = ask("临沂2024年地区生产总值增长目标是多少？")
    assert "5.5%、力争6%以上" in answer.text and not answer.refused


def test_a_city_is_not_its_namesake_district(ask):
    answer = ask("黄山市2023年地区生产总值是多少？")
    assert answer.refused and "黄山市" in answer.text and "亿元" not in answer.text
    assert "140.4亿元" in ask("黄山区2023年地区生产总值是多少？").text


def test_a_figure_of_another_kind_or_of_the_plan_is_no_answer(ask):
    assert ask("新疆2025年末常住人口有多少？").refused  # only the urbanisation rate is given
    assert ask("湖南2025年固定资产投资增长了多少？").refused  # only the 2026 target (实现正增长)


def test_who_delivered_a_report_of_a_year_and_with_no_year_the_latest(ask):
    assert "杜联合" in ask("2016年海拉尔区政府工作报告是谁作的？").text
    latest = ask("海拉尔区的区长是谁？")  # no year: the latest report's speaker
    assert "萨国文" in latest.text and not latest.refused
