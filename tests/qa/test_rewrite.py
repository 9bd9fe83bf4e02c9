"""Follow-up questions are made to stand alone before retrieval."""
from __future__ import annotations

import pytest

from qa.retrieval.places import find_places
from qa.retrieval.rewrite import standalone

FIRST = "侯马市2023年GDP增速排全省第几？"


@pytest.fixture
def find(catalog):
    return lambda q: find_places(q, catalog)


def test_place_only_follow_up_asks_the_previous_question_about_the_new_place(find):
    alone = standalone("那绛县呢？", [FIRST], find)
    assert "绛县" in alone and "侯马" not in alone
    assert "GDP增速" in alone and "第几" in alone


def test_follow_up_with_place_and_year_replaces_both(find):
    alone = standalone("那代县2022年呢？", [FIRST], find)
    assert alone.startswith("代县2022年") and "侯马" not in alone and "2023" not in alone


def test_short_name_in_history_is_replaced_too(find):
    alone = standalone("那稷山呢？", ["侯马2023年GDP增速排全省第几？"], find)
    assert "稷山" in alone and "侯马" not in alone


def test_topic_only_follow_up_keeps_the_previous_place(find):
    assert standalone("财政收入呢？", [FIRST], find) == "侯马市财政收入呢？"


def test_place_comes_from_the_last_question_that_named_one(find):
    alone = standalone("那绛县呢？", [FIRST, "谢谢"], find)
    assert "绛县" in alone and "GDP" in alone


def test_complete_questions_are_left_alone(find):
    assert standalone("绛县的财政收入是多少？", [FIRST], find) == "绛县的财政收入是多少？"
    assert standalone(FIRST, [], find) == FIRST


def test_year_only_follow_up_keeps_the_question(find):
    alone = standalone("那2022年呢？", [FIRST], find)
    assert "2022" in alone and "GDP" in alone


def test_two_questions_in_one_each_stand_alone():
    from qa.retrieval.rewrite import sub_questions

    assert sub_questions("宜昌2023年游客接待量是多少？2024年力争达到多少？") == [
        "宜昌2023年游客接待量是多少", "宜昌游客接待量2024年力争达到多少"]
    assert sub_questions("海拉尔区2017年棚户区改造投资多少？完成多少户？")[1].startswith("海拉尔区2017年棚户区改造")
    assert sub_questions("侯马市2023年GDP是多少？") == []
    assert sub_questions("2020年和2021年相比，哪一年GDP增速更高？各是多少？") == []  # a comparison, answered whole


def test_a_comparison_of_years_becomes_one_question_per_year():
    from qa.retrieval.rewrite import report_year, year_questions

    assert year_questions("广东研发投入2024年和2025年哪年更多？") == ["2024年广东研发投入", "2025年广东研发投入"]
    assert year_questions("侯马市2023年GDP是多少？") == []
    assert report_year("2025年广东省政府工作报告中，2024年广东GDP是多少？") == (2025, "广东省政府工作报告中，2024年广东GDP是多少？")
    assert report_year("2021年和2022年政府工作报告安排的赤字率，哪年更高？") == (None, "2021年和2022年政府工作报告安排的赤字率，哪年更高？")


def test_domestic_product_without_a_place_asks_about_the_nation(find):
    from qa.retrieval.rewrite import national

    assert national("“十三五”时期国内生产总值年均增长多少？", find) == "全国“十三五”时期国内生产总值年均增长多少？"
    assert national("侯马市2023年国内生产总值是多少？", find) == "侯马市2023年国内生产总值是多少？"
    assert national("2023年地区生产总值是多少？", find) == "2023年地区生产总值是多少？"
