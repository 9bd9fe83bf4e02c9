"""Targets against the next report's actuals, on whole reports of consecutive years (eval/whole/)."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.ingest import build
from corpus.records import Fact
from qa.targets import judge, pairs, trend

WHOLE = Path(__file__).parents[2] / "eval" / "whole" / "reports"


def fact(value, unit="%", kind="target", qualifiers=(), indicator="地区生产总值", sentence="地区生产总值增长"):
    return Fact("d", "d#p1", "某县", 2024, "2024", indicator, True, value, unit, kind, tuple(qualifiers), sentence)


@pytest.mark.parametrize("target, actual, verdict", [
    (fact(6, qualifiers=("以上",)), fact(8.1, kind="growth"), "met"),
    (fact(6, qualifiers=("以上",)), fact(5.9, kind="growth"), "missed"),
    (fact(5, qualifiers=("左右",)), fact(4.8, kind="growth"), "met"),  # within 0.2 of a 左右 goal
    (fact(5, qualifiers=("左右",)), fact(4.7, kind="growth"), "missed"),
    (fact(5.5, qualifiers=("以内",), indicator="城镇调查失业率"), fact(5.1, kind="actual", indicator="城镇调查失业率"), "met"),
    (fact(3, qualifiers=("左右",), indicator="居民消费价格涨幅"), fact(0.9, kind="growth", indicator="居民消费价格涨幅"), "met"),
    (fact(110, "万人", qualifiers=("以上",), indicator="城镇新增就业"),
     fact(105, "万人", "actual", indicator="城镇新增就业", sentence="城镇新增就业105万人，超额完成目标任务"), "met"),
    (fact(100, "亿元"), fact(90, "万元", "actual"), "not_comparable"),
])
def test_a_verdict_follows_the_reports_words_then_the_qualifier(target, actual, verdict):
    assert judge(target, actual)[0] == verdict


@pytest.fixture(scope="module")
def library():
    names = ["national-2021", "national-2022", "guangdong-2025", "guangdong-2026", "neimenggu-hailaer-2018",
             "neimenggu-hailaer-2019"]
    docs = [build((WHOLE / f"{n}.txt").read_bytes(), f"{n}.txt") for n in names]
    return docs, [f for d in docs for f in d.facts]


def test_each_years_goal_meets_the_next_reports_outcome_with_both_reports(library):
    docs, facts = library
    gdp = next(p for p in pairs(facts, docs, place="全国", year=2021) if p.indicator == "地区生产总值")
    assert (gdp.target.value, gdp.actual.value, gdp.verdict) == (6.0, 8.1, "met")
    assert (gdp.target.doc_id, gdp.actual.doc_id) == ("national-2021", "national-2022")
    guangdong = {p.indicator: p for p in pairs(facts, docs, place="广东省", year=2025) if p.target.unit == "%"}
    assert guangdong["地区生产总值"].verdict == "missed" and guangdong["地区生产总值"].actual.value == 3.9


def test_a_five_year_goal_is_not_taken_for_the_years(library):
    docs, facts = library
    jobs = next(p for p in pairs(facts, docs, place="全国", year=2021) if p.indicator == "城镇新增就业")
    assert jobs.target.value == 1100  # not the five-year review's "超过6000万人"


def test_a_pair_the_library_cannot_form_names_the_missing_report(library):
    docs, facts = library
    held = pairs(facts, docs, place="海拉尔区", year=2019)
    assert held and all(p.verdict == "missing_report" and "海拉尔区2020年的政府工作报告" in p.rule for p in held)
    assert pairs(facts, docs, verdict="missed") and all(p.verdict == "missed" for p in pairs(facts, docs, verdict="missed"))


def test_a_trend_lists_each_year_held_oldest_first(library):
    docs, facts = library
    points = trend(facts, docs, "全国", "地区生产总值")
    years = [p.year for p in points]
    assert years == sorted(years) and {2020, 2021} <= set(years)
    assert any(p.kind == "target" and p.year == 2022 for p in points)


def test_questions_about_targets_are_answered_with_both_citations(tmp_path):
    from embeddings.encoder import HashEncoder
    from qa.answer.pipeline import AnswerPipeline
    from qa.library import Library
    from qa.settings import Settings

    lib = Library(Settings(data_dir=tmp_path), encoder=HashEncoder(256))
    lib.ingest(None)
    for n in ("guangdong-2025", "guangdong-2026", "neimenggu-hailaer-2019"):
        lib.add((WHOLE / f"{n}.txt").read_bytes(), f"{n}.txt")
    pipe = AnswerPipeline(lib, None)
    a = pipe.answer("广东2025年GDP增长目标完成了吗？")
    assert not a.refused and "未完成" in a.text and "5%" in a.text and "3.9%" in a.text
    assert {c.doc_id for c in a.citations} == {"guangdong-2025", "guangdong-2026"} and a.view.get("targets")
    missed = pipe.answer("广东去年定的目标哪些没完成？")
    assert "社会消费品零售总额" in missed.text and "地区生产总值" in missed.text
    none = pipe.answer("海拉尔区2019年地区生产总值目标完成了吗？")
    assert none.refused and "没有海拉尔区2020年的政府工作报告" in none.text
