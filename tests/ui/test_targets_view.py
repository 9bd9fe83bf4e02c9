"""The 目标与完成 tab's rendering: verdict badges, figures that open their paragraphs, the chart's
series, and the chat's link to the tab."""
from __future__ import annotations

from dataclasses import replace

from corpus.records import Fact
from qa.records import Answer
from qa.targets import Pair, Point
from ui import render
from ui import targets as goals

TARGET = Fact("gd-2025", "gd-2025#p040", "广东省", 2025, "2025", "地区生产总值", True, 5.0, "%", "target", ("左右",),
              "地区生产总值增长5%左右")
ACTUAL = Fact("gd-2026", "gd-2026#p004", "广东省", 2025, "2025", "地区生产总值", True, 3.9, "%", "growth", (),
              "全省地区生产总值增长3.9%")
LEVEL = Fact("gd-2026", "gd-2026#p004", "广东省", 2025, "2025", "地区生产总值", True, 14.58, "万亿元", "actual", (),
             "全省地区生产总值14.58万亿元")
GRAIN = Fact("gd-2025", "gd-2025#p041", "广东省", 2025, "2025", "粮食产量", True, 1285.0, "万吨", "target", (),
             "粮食产量1285万吨")
PAIRS = [Pair("广东省", "地区生产总值", 2025, TARGET, ACTUAL, "missed", "目标为“左右”，实际比目标低不超过0.2即完成", "gd-2026"),
         Pair("广东省", "粮食产量", 2025, GRAIN, None, "not_stated", "广东省2026年政府工作报告没有给出2025年的粮食产量", "gd-2026")]
PARAGRAPHS = {"gd-2025#p040": ("广东省2025年政府工作报告", "主要预期目标是：地区生产总值增长5%左右；"),
              "gd-2026#p004": ("广东省2026年政府工作报告", "过去一年，全省地区生产总值增长3.9%。")}


def test_table_shows_verdict_badges_and_figures_that_open_their_paragraphs():
    html = goals.table_html(PAIRS, PARAGRAPHS)
    gdp, grain = html.split("<tr data-indicator=")[1:]
    assert 'data-verdict="missed"' in gdp and '<span class="badge verdict miss"' in gdp and "未完成" in gdp
    assert '<details class="cell" data-paragraph="gd-2025#p040">' in gdp and "<summary>5%左右</summary>" in gdp
    assert '<details class="cell" data-paragraph="gd-2026#p004">' in gdp and "<summary>3.9%</summary>" in gdp
    assert "过去一年，<mark>全省地区生产总值增长3.9%</mark>。" in gdp and "广东省2026年政府工作报告" in gdp
    assert "<mark>地区生产总值增长5%左右</mark>" in gdp and "广东省2025年政府工作报告" in gdp
    assert "实际比目标低不超过0.2即完成" in gdp
    assert "未说明" in grain and "—" in grain and grain.count("<details") == 1


def test_met_is_green_and_an_empty_place_says_so():
    met = goals.table_html([Pair("广东省", "地区生产总值", 2025, TARGET, ACTUAL, "met", "报告原文“超额完成”", "gd-2026")], {})
    assert '<span class="badge verdict ok" data-verdict="met"' in met and ">完成</span>" in met
    assert "没有可核对的年度目标" in goals.table_html([], {})


def test_chart_draws_the_growth_target_beside_the_actual_growth_not_the_level():
    points = [Point(2025, "actual", LEVEL), Point(2025, "growth", ACTUAL), Point(2025, "target", TARGET)]
    frame, title = goals.chart_frame(points, "地区生产总值")
    assert sorted(zip(frame["年份"], frame["系列"], frame["数值"])) == [("2025", "实际", 3.9), ("2025", "目标", 5.0)]
    assert title == "地区生产总值（增速 %）"


def test_the_chart_marks_every_year_of_both_series():
    points = [Point(2025, "growth", ACTUAL), Point(2025, "target", TARGET),
              Point(2026, "target", replace(TARGET, year=2026, period="2026", value=4.5))]
    fig = goals.chart(points, "地区生产总值")
    lines = {line.get_label(): list(line.get_xdata()) for line in fig.axes[0].get_lines()}
    assert lines == {"实际": [2025], "目标": [2025, 2026]}
    assert all(line.get_marker() not in (None, "None", "") for line in fig.axes[0].get_lines())


def test_indicators_to_chart_put_gdp_first():
    assert goals.indicators_of(list(reversed(PAIRS))) == ["地区生产总值", "粮食产量"]


def test_an_answer_about_targets_links_to_the_tab_with_its_place_and_indicator():
    answer = Answer("广东省2025年GDP目标完成了吗？", "未完成。", False, True, (), "facts",
                    view={"indicator": ["地区生产总值"], "county": ["广东省"], "targets": True})
    html = render.answer_html(0, answer)
    assert "在目标与完成中查看" in html and "在指标表中查看" in html
    assert "view=targets&amp;indicator=%E5%9C%B0%E5%8C%BA%E7%94%9F%E4%BA%A7%E6%80%BB%E5%80%BC&amp;county=" in html
    plain = render.answer_html(0, Answer("q", "a", False, True, (), "facts", view={"indicator": ["地区生产总值"]}))
    assert "在目标与完成中查看" not in plain and "在指标表中查看" in plain
