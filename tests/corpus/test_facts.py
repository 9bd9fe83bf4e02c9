"""Facts read from the bundled reports: the figures a user would check, bound to place, year,
indicator and kind."""
from __future__ import annotations

import pytest

from corpus.facts import extract_facts
from corpus.records import Paragraph


def one(docs, doc_id, indicator, kind, year=None, unit=None):
    found = [f for f in docs[doc_id].facts if f.indicator == indicator and f.kind == kind
             and (year is None or f.year == year) and (unit is None or f.unit == unit)]
    assert found, f"no {indicator} {kind} {year} in {doc_id}"
    return found[0]


@pytest.mark.parametrize("doc_id, indicator, kind, year, value, unit", [
    ("daixian-2023", "地区生产总值", "actual", 2022, 90.2, "亿元"),
    ("daixian-2023", "地区生产总值", "growth", 2022, 3.9, "%"),
    ("daixian-2023", "一般公共预算收入", "actual", 2022, 4.6, "亿元"),
    ("daixian-2023", "一般公共预算收入", "growth", 2022, -39.4, "%"),
    ("daixian-2023", "农村居民人均可支配收入", "actual", 2022, 8849, "元"),
    ("daixian-2023", "城镇居民人均可支配收入", "actual", 2022, 33680, "元"),
    ("daixian-2023", "农村居民人均可支配收入", "growth", 2022, 7.1, "%"),
    ("daixian-2023", "粮食产量", "actual", 2022, 1.15, "亿公斤"),
    ("daixian-2023", "地区生产总值", "target", 2023, 6, "%"),
    ("houma-2024", "地区生产总值", "actual", 2023, 189, "亿元"),
    ("houma-2024", "地区生产总值", "growth", 2023, 12.1, "%"),
    ("houma-2024", "地区生产总值", "rank", 2023, 2, "位"),
    ("houma-2024", "规模以上工业增加值", "target", 2024, 22, "%"),
    ("jiangxian-2022", "地区生产总值", "actual", 2021, 78.9, "亿元"),
    ("jiangxian-2022", "一般公共预算收入", "actual", 2021, 19179, "万元"),
    ("tongwei-2024", "一般公共预算收入", "actual", 2023, 2.92, "亿元"),
    ("tongwei-2024", "农村居民人均可支配收入", "growth", 2023, 9.5, "%"),
])
def test_headline_figures_of_the_bundled_reports(bundled_docs, doc_id, indicator, kind, year, value, unit):
    fact = one(bundled_docs, doc_id, indicator, kind, year, unit)
    assert fact.value == pytest.approx(value) and fact.place == bundled_docs[doc_id].county
    assert fact.canonical and fact.paragraph_id.startswith(doc_id + "#p")
    paragraph = next(p for p in bundled_docs[doc_id].paragraphs if p.id == fact.paragraph_id)
    assert fact.sentence in paragraph.text  # the card shows the sentence inside its paragraph


def test_targets_carry_their_qualifiers_and_the_plan_year(bundled_docs):
    houma = one(bundled_docs, "houma-2024", "地区生产总值", "target", 2024)
    assert houma.value == 10 and "以上" in houma.qualifiers
    daixian = one(bundled_docs, "daixian-2023", "地区生产总值", "target", 2023)
    assert "左右" in daixian.qualifiers


def test_a_plan_figure_is_never_dated_to_the_year_reviewed(bundled_docs):
    for doc in bundled_docs.values():
        for fact in doc.facts:
            if fact.kind == "target" and fact.canonical and fact.year is not None:
                assert fact.year >= doc.year, fact


def para(text, heading="一、2023年工作回顾", pid="t#p001"):
    return Paragraph(pid, "t", heading, text, text)


def test_chinese_numerals_and_declines_are_read():
    facts = extract_facts("t", "某县", 2024, 2023, [para("全县粮食总产达到九十点二万吨，地区生产总值增速全省第二位，财政收入下降百分之五。")])
    by = {(f.indicator, f.kind): f for f in facts}
    assert by[("粮食产量", "actual")].value == pytest.approx(90.2) and by[("粮食产量", "actual")].unit == "万吨"
    assert by[("地区生产总值", "rank")].value == 2
    assert by[("一般公共预算收入", "growth")].value == -5


def test_years_come_from_the_sentence_then_the_section():
    facts = extract_facts("t", "某县", 2024, 2023, [
        para("2021年地区生产总值完成50亿元。地区生产总值完成60亿元。"),
        para("主要预期目标是：地区生产总值增长6%左右。", heading="二、2024年工作安排", pid="t#p002"),
        para("到2025年，地区生产总值达到80亿元。", heading="二、2024年工作安排", pid="t#p003")])
    seen = [(f.year, f.value, f.kind) for f in facts if f.indicator == "地区生产总值"]
    assert seen == [(2021, 50, "actual"), (2023, 60, "actual"), (2024, 6, "target"), (2025, 80, "target")]


def test_no_fact_from_a_sentence_without_a_figure():
    assert extract_facts("t", "某县", 2024, 2023, [para("我们坚持稳中求进工作总基调。")]) == []


def _by(facts, indicator):
    return [(f.place, f.year, f.period, f.value, f.unit, f.kind) for f in facts if f.indicator == indicator]


def test_a_range_binds_its_start_to_the_start_year():
    facts = extract_facts("t", "代县", 2021, 2020, [
        para("地区生产总值由“十二五”末的60亿元增长到90亿元。", heading="一、“十三五”时期工作回顾")])
    assert _by(facts, "地区生产总值") == [("代县", 2015, "2015", 60, "亿元", "actual"),
                                       ("代县", 2020, "2020", 90, "亿元", "actual")]


def test_a_range_without_a_start_year_gives_the_start_no_year():
    facts = extract_facts("t", "代县", 2024, 2023, [para("过去五年，财政收入由3.2亿元增加到4.6亿元。",
                                                     heading="一、过去五年工作回顾")])
    years = [(f.year, f.value) for f in facts if f.indicator == "一般公共预算收入"]
    assert years == [(None, 3.2), (2023, 4.6)]


def test_five_year_figures_are_not_the_years():
    facts = extract_facts("t", "代县", 2023, 2022, [
        para("五年来，地区生产总值年均增长6.5%，累计完成固定资产投资300亿元。", heading="一、过去五年工作回顾"),
        para("到“十四五”末，森林覆盖率达到25%以上。", heading="二、今后五年的目标任务", pid="t#p002")])
    gdp = next(f for f in facts if f.indicator == "地区生产总值")
    assert (gdp.year, gdp.kind) == (None, "growth") and "年均" in gdp.qualifiers
    assert all(f.year != 2022 for f in facts if f.indicator == "固定资产投资")
    forest = next(f for f in facts if "森林覆盖率" in f.indicator)
    assert (forest.year, forest.kind) == (2025, "target")


def test_estimates_of_the_year_reviewed_are_actuals_and_plans_are_targets():
    facts = extract_facts("t", "代县", 2024, 2023, [
        para("预计全年地区生产总值增长5.2%。"),
        para("全年接待游客突破300万人次以上。", heading="二、2024年工作安排", pid="t#p002")])
    gdp = next(f for f in facts if f.indicator == "地区生产总值")
    assert (gdp.year, gdp.kind, gdp.qualifiers) == (2023, "growth", ("预计",))
    tourists = next(f for f in facts if f.unit.endswith("人次"))
    assert (tourists.year, tourists.kind) == (2024, "target")


def test_a_county_sentence_about_the_province_or_the_nation_is_theirs():
    facts = extract_facts("t", "代县", 2023, 2022, [para(
        "全省地区生产总值增长4.4%，全国国内生产总值增长3%，全县地区生产总值增长3.9%，增速居全省第2位，占全市的12%。")],
        province="山西省")
    places = [(f.place, f.value, f.kind) for f in facts if f.indicator == "地区生产总值"]
    assert places == [("山西省", 4.4, "growth"), ("全国", 3, "growth"), ("代县", 3.9, "growth"), ("代县", 2, "rank"),
                      ("代县", 12, "share")]


def test_per_capita_is_not_the_total_and_towns_are_not_the_county():
    facts = extract_facts("t", "代县", 2023, 2022, [para(
        "全县人均地区生产总值达到4.5万元。城关镇实现地区生产总值20亿元。去年，全县地区生产总值完成90.2亿元。")])
    assert ("代县", 2022, "2022", 4.5, "万元", "actual") in _by(facts, "人均地区生产总值")
    assert [(p, y, v) for p, y, _, v, _, _ in _by(facts, "地区生产总值")] == [("代县城关镇", 2022, 20), ("代县", 2022, 90.2)]


def test_a_table_row_under_the_plan_keeps_the_kinds_its_columns_name():
    from corpus.tables import rows_to_lines

    rows = [["指标", "单位", "2023年", "2024年目标"], ["地区生产总值", "亿元", "189", "205"]]
    facts = extract_facts("t", "某县", 2024, 2023, [para(line, heading="二、2024年工作安排") for line in rows_to_lines(rows)])
    got = {(f.year, f.kind, f.value) for f in facts if f.indicator == "地区生产总值"}
    assert got == {(2023, "actual", 189.0), (2024, "target", 205.0)}


def test_a_bare_measure_is_of_the_subject_named_before_it():
    facts = extract_facts("t", "某省", 2026, 2025, [para(
        "规模以上工业企业达7.6万家、增加值增长3%。粮食播种面积1584.6万亩、总产量132.4亿斤，实现十连丰。"
        "全年地区生产总值增长7.5%，突破500亿元大关。")])
    assert ("某省", 2025, "2025", 3, "%", "growth") in _by(facts, "规模以上工业增加值")
    assert ("某省", 2025, "2025", 132.4, "亿斤", "actual") in _by(facts, "粮食产量")
    assert ("某省", 2025, "2025", 500, "亿元", "actual") in _by(facts, "地区生产总值")


def test_a_sentence_over_the_span_keeps_its_flows_off_the_year():
    facts = extract_facts("t", "某省", 2026, 2025, [para(
        "人均可支配收入年均增长6%，城镇新增就业超690万人。"
        "每年城镇新增就业60万人以上、省外务工劳动力稳定在600万人左右。"
        "五年共实施重点工业项目141个，完成规模以上工业总产值745亿元。")])
    jobs = _by(facts, "城镇新增就业")
    assert all(year is None for _, year, _, _, _, _ in jobs) and {v for *_, v, _, _ in jobs} == {690, 60}
    output = next(f for f in facts if f.indicator == "规模以上工业总产值")
    assert output.year is None and "以上" not in output.qualifiers  # "规模以上" is no qualifier of 745


def test_urban_and_rural_figures_listed_with_he_are_one_each():
    facts = extract_facts("t", "某市", 2018, 2017, [para(
        "城乡居民人均可支配收入为66081元和33393元，分别增长8.7%和9.3%。"
        "城乡常住居民人均可支配收入分别达到37462元和17597元、增长7%和10%。")])
    urban = [(v, k) for _, _, _, v, _, k in _by(facts, "城镇居民人均可支配收入")]
    rural = [(v, k) for _, _, _, v, _, k in _by(facts, "农村居民人均可支配收入")]
    assert urban == [(66081, "actual"), (8.7, "growth"), (37462, "actual"), (7, "growth")]
    assert rural == [(33393, "actual"), (9.3, "growth"), (17597, "actual"), (10, "growth")]


def test_the_paragraphs_after_this_wu_nian_are_the_spans_until_the_year_opens():
    head = "一、2025年及“十四五”时期工作回顾"
    facts = extract_facts("t", "某省", 2026, 2025, [
        para("各位代表！2025年是“十四五”收官之年。五年来，我们砥砺奋进。", heading=head),
        para("——民生实现新跃升。城镇新增就业603.7万人，高铁里程由2110公里增至3055公里。", heading=head, pid="t#p002"),
        para("这五年，我们持续扩大开放。一般公共预算收入累计完成3.7万亿元。", heading=head, pid="t#p003"),
        para("各位代表！刚刚过去的2025年很不平凡。城镇新增就业121.7万人。", heading=head, pid="t#p004")])
    jobs = {(f.year, f.value) for f in facts if f.indicator == "城镇新增就业"}
    assert jobs == {(None, 603.7), (2025, 121.7)}
    assert [f.year for f in facts if f.indicator == "一般公共预算收入"] == [None]
    rail = [(f.year, f.value) for f in facts if f.value in (2110, 3055)]
    assert rail == [(None, 2110), (2025, 3055)]  # a level the span reached is its last year's


def test_under_a_five_year_heading_the_paragraphs_after_the_year_opens_are_the_years():
    head = "一、“十四五”时期工作回顾"
    facts = extract_facts("t", "某省", 2026, 2025, [
        para("五年来，城镇新增就业累计240万人。", heading=head),
        para("刚刚过去的2025年，全省上下奋力拼搏。全年GDP增长4%。", heading=head, pid="t#p002"),
        para("用心用情用力，为民排忧解难。城镇新增就业47.3万人。", heading=head, pid="t#p003"),
        para("2021年以来，累计建成高速公路800公里。", heading=head, pid="t#p004"),
        para("过去五年成绩的取得，根本在于党的领导。城镇新增就业累计240万人。", heading=head, pid="t#p005")])
    jobs = sorted((f.year or 0, f.value) for f in facts if f.indicator == "城镇新增就业")
    assert jobs == [(0, 240), (0, 240), (2025, 47.3)]
    assert [f.year for f in facts if f.unit == "公里"] == [None]  # "2021年以来" opens the span, not the year


def test_an_amount_right_after_a_rise_is_the_increase_not_the_level():
    facts = extract_facts("t", "某省", 2026, 2025, [para(
        "农民人均收入增加1207元，城镇居民人均可支配收入达到45000元。新能源装机同比增加1829万千瓦、达到9048万千瓦。"
        "财政收入增加到50亿元。", heading="一、2025年工作回顾")])
    kinds = {f.value: f.kind for f in facts}
    assert kinds[1207] == "growth" and kinds[45000] == "actual"
    assert kinds[1829] == "growth" and kinds[9048] == "actual"
    assert kinds[50] == "actual"  # 增加到: the level reached


def test_a_list_joined_by_he_before_fenbie_gives_each_name_its_figure():
    facts = extract_facts("t", "某省", 2026, 2025, [para(
        "接待游客数量和游客总花费分别增长10.3%、16.5%，生产安全事故起数和死亡人数分别下降15.1%、17%。"
        "工业技改投资增长33.6%、居全国第3位。", heading="一、2025年工作回顾")])
    got = {(f.indicator, f.value, f.kind) for f in facts}
    assert {("接待游客数量", 10.3, "growth"), ("游客总花费", 16.5, "growth"), ("生产安全事故起数", -15.1, "growth"),
            ("死亡人数", -17, "growth"), ("工业技改投资", 3, "rank")} <= got


def test_this_years_targets_under_a_heading_naming_the_next_plan_are_the_years():
    head = "三、一鼓作气勇争先，全力推动“十五五”开好局、起好步"
    facts = extract_facts("t", "某省", 2026, 2025, [
        para("今年经济社会发展的主要预期目标是：地区生产总值增长5%左右；城镇新增就业50万人；粮食产量513万吨以上。",
             heading=head),
        para("（一）“十五五”发展目标。主要目标包括：常住人口城镇化率达到69%，制造业增加值占比25%左右。",
             heading="四、“十五五”时期主要目标任务 > （一）“十五五”发展目标", pid="t#p002"),
        para("这五年，我们砥砺奋进。公园总数达到1136个。", heading="二、“十四五”时期发展成就和“十五五”时期主要目标任务",
             pid="t#p003")])
    by = {f.value: f for f in facts}
    assert (by[50].year, by[50].kind) == (2026, "target") and (by[513].year, by[513].kind) == (2026, "target")
    assert by[69].year is None and by[69].period == "今后五年" and by[25].year is None  # the plan's span
    assert by[1136].kind == "actual"  # a look back, though the heading names the plan too


def test_a_ratio_to_gdp_a_zones_total_and_a_mark_passed_are_not_the_places_figures():
    facts = extract_facts("t", "某州", 2024, 2023, [para(
        "社会物流总费用与GDP的比率降低1.1个百分点。牧区经济总量达178.6亿元、增长4.9%。"
        "农村居民人均可支配收入首次突破2万元、达到20793元。")])
    gdp = [(f.place, f.value) for f in facts if f.indicator == "地区生产总值"]
    assert gdp == [("某州牧区", 178.6), ("某州牧区", 4.9)]
    rural = {f.value: f.qualifiers for f in facts if f.indicator == "农村居民人均可支配收入"}
    assert "突破" in rural[2] and "突破" not in rural[20793]


def test_a_floor_held_for_years_a_contribution_and_a_clause_with_its_own_subject():
    facts = extract_facts("t", "某市", 2024, 2023, [para(
        "粮食总产量连续9年稳定在1300亿斤以上，粮食产量1350.97亿斤。"
        "非烟非能工业增加值增长8.1%、对规模以上工业增长贡献率达72.9%。"
        "GDP、规模工业增加值分别增长4.6%、5%，一般公共预算地方收入迈上200亿元台阶。")])
    grain = {(f.year, f.value) for f in facts if f.indicator == "粮食产量"}
    assert grain == {(None, 1300), (2023, 1350.97)}
    assert not [f for f in facts if f.indicator == "规模以上工业增加值" and f.value == 72.9]
    assert {f.value for f in facts if f.indicator == "地区生产总值"} == {4.6}


def test_a_rank_in_chinese_numerals_after_the_level_is_read():
    facts = extract_facts("t", "某市", 2025, 2024, [para(
        "一般公共预算收入达到638.7亿元，保持全省第三。全省第一批试点县达到12个。")])
    assert [(f.indicator, f.value) for f in facts if f.kind == "rank"] == [("一般公共预算收入", 3)]


def test_a_slight_fall_is_a_decline_and_a_bare_level_in_the_five_year_review_is_the_spans_end():
    facts = extract_facts("t", "某省", 2026, 2025, [
        para("CPI微降0.1%。"),
        para("这五年，我们砥砺前行。生产总值6.66万亿元，城镇新增就业603.7万人。", heading="一、“十四五”时期和2025年工作回顾", pid="t#p002")])
    assert [(f.kind, f.value) for f in facts if f.indicator == "居民消费价格涨幅"] == [("growth", -0.1)]
    assert [f.year for f in facts if f.indicator == "地区生产总值"] == [2025]
    assert [f.year for f in facts if f.indicator == "城镇新增就业"] == [None]


def test_an_increase_over_a_base_year_is_no_level_and_an_average_yearly_rise_is_the_spans():
    facts = extract_facts("t", "某区", 2016, 2015, [para(
        "2015年城镇常住居民人均可支配收入完成30788元，比2010年增加13480元，年均递增12.2%。",
        heading="一、“十二五”时期工作回顾")])
    seen = {(f.value, f.kind, f.year) for f in facts if f.indicator == "城镇居民人均可支配收入"}
    assert seen == {(30788, "actual", 2015), (13480, "growth", 2015), (12.2, "growth", None)}


def test_a_heading_of_the_year_reviewed_is_the_review_whatever_its_words():
    from corpus.facts import section_of

    assert section_of("一、2025年工作总结和“十四五”发展成就", 2026) == "review"
    assert section_of("三、2026年重点工作", 2026) == "plan"
    assert section_of("一、2023年工作回顾 > （二）2024年工作安排", 2024) == "plan"
    facts = extract_facts("t", "某区", 2026, 2025, [para("全年实现地区生产总值5696亿元，增长5.3%。",
                                                     heading="一、2025年工作总结和“十四五”发展成就")])
    assert {(f.year, f.kind) for f in facts} == {(2025, "actual"), (2025, "growth")}


def test_a_figure_after_an_about_word_or_in_dollars_is_still_the_indicators():
    facts = extract_facts("t", "某市", 2024, 2023, [
        para("实现进出口总额超185亿美元、增长35%。全年实现进出口总值444.3亿元。"),
        para("力争对非贸易进出口总值100亿元，全社会研发经费投入强度达到2.41%。粮食播种面积不低于315万亩，产量不低于86万吨。",
             heading="二、2024年工作安排", pid="t#p002")])
    trade = {(f.year, f.value, f.unit, f.kind) for f in facts if f.indicator == "进出口总额"}
    assert trade == {(2023, 185, "亿美元", "actual"), (2023, 35, "%", "growth"), (2023, 444.3, "亿元", "actual")}
    assert [(f.year, f.value, f.kind) for f in facts if f.indicator == "粮食产量"] == [(2024, 86, "target")]
    assert "全社会研发经费投入强度" in {f.indicator for f in facts}


def test_a_share_of_value_added_is_a_share_and_respectively_names_go_in_order():
    facts = extract_facts("t", "某市", 2024, 2023, [para(
        "战略性新兴产业增加值占规模以上工业增加值46.6%，高技术产业产值、文旅创意产业营业收入分别增长32.5%和10%。")])
    assert not [f for f in facts if f.indicator == "规模以上工业增加值"]
    assert {f.value: f.kind for f in facts}[46.6] == "share"
    named = {f.value: f.indicator for f in facts}
    assert named[32.5] == "高技术产业产值" and named[10] == "文旅创意产业营业收入"


def test_a_rate_raised_to_a_level_is_the_level_and_a_range_names_its_indicator():
    facts = extract_facts("t", "某省", 2026, 2025, [
        para("五年来，常住人口城镇化率由52.23%提高到58.08%，高速公路由7473公里增至9310公里。"
             "有机质增长6.1%，社会消费品零售总额增长3.9%、增幅高于全国0.2个百分点。", heading="一、“十四五”时期工作回顾")])
    by = {f.value: f for f in facts}
    assert by[58.08].indicator == "常住人口城镇化率" and by[58.08].kind == "actual" and by[58.08].year == 2025
    assert by[52.23].indicator == "常住人口城镇化率" and by[52.23].year is None
    assert by[7473].indicator == "高速公路" and by[9310].indicator == "高速公路"
    assert by[6.1].year is None and by[6.1].kind == "growth"  # a rate of the span reviewed


def test_a_change_over_last_year_in_a_clause_of_its_own_is_the_last_figures_in_that_unit():
    facts = extract_facts("t", "某县", 2023, 2022, [para("全年优良天数313天,比例达86%,比上年度增加12天。", heading="一、2022年工作回顾")])
    assert [(f.indicator, f.kind) for f in facts if f.value == 12] == [("空气质量优良天数", "growth")]


def test_an_increase_over_a_named_base_year_in_a_five_year_review_is_the_year_reviewed():
    facts = extract_facts("t", "某区", 2016, 2015, [para(
        "农村常住居民人均可支配收入完成22250元，比2010年增加10525元，年均递增13.7%。", heading="一、“十二五”工作回顾")])
    assert [(f.year, f.kind) for f in facts if f.value == 10525] == [(2015, "growth")]
    assert [f.year for f in facts if f.value == 13.7] == [None]


def test_figures_listed_before_a_respectively_list_keep_their_own_names():
    facts = extract_facts("t", "乌鲁木齐市", 2024, 2023, [para(
        "固定资产投资增长12.6%、进出口总额增长36.5%、城乡居民人均可支配收入分别增长6.0%、8.3%。", heading="2023年工作回顾")])
    assert [(f.indicator, f.value) for f in facts] == [
        ("固定资产投资", 12.6), ("进出口总额", 36.5), ("城镇居民人均可支配收入", 6.0), ("农村居民人均可支配收入", 8.3)]


def test_names_before_respectively_share_the_measure_the_last_one_ends_in():
    facts = extract_facts("t", "林芝市", 2024, 2023, [para(
        "粮食、蔬菜、肉蛋奶产量分别达到9.4万吨、8万吨、5.03万吨。第一、第三产业增加值分别增长3.1%、5.2%。",
        heading="一、2023年工作回顾")])
    assert [f.indicator for f in facts] == ["粮食产量", "蔬菜产量", "肉蛋奶产量", "第一产业增加值", "第三产业增加值"]


def test_the_whole_year_after_a_dated_event_is_the_year_reviewed_and_a_conjunction_keeps_the_indicator():
    facts = extract_facts("t", "三亚市", 2024, 2023, [para(
        "固定资产投资累计同比增速2023年8月实现由负转正，结束自2022年8月以来的负增长局面，全年固定资产投资完成663.7亿元。"
        "一般公共预算收入增长18.2%，并首次突破300亿元。", heading="一、2023年工作回顾")])
    assert [(f.indicator, f.year) for f in facts if f.value in (663.7, 300)] == [("固定资产投资", 2023), ("一般公共预算收入", 2023)]


def test_urban_and_rural_incomes_joined_by_he_are_paired_in_order():
    facts = extract_facts("t", "绍兴市", 2024, 2023, [para("城镇和农村居民人均可支配收入80392元、48825元。", heading="一、2023年主要工作")])
    assert [(f.indicator, f.value) for f in facts] == [("城镇居民人均可支配收入", 80392), ("农村居民人均可支配收入", 48825)]


def test_a_yearly_mean_of_a_level_is_the_years_figure_not_a_span_average():
    facts = extract_facts("t", "绍兴市", 2024, 2023, [
        para("PM2.5年均浓度降至26微克/立方米，年均增长6%。", heading="一、2023年主要工作"),
        para("PM2.5年均浓度控制在28微克/立方米以下。", heading="二、2024年主要目标和重点工作", pid="t#p002")])
    assert [(f.value, f.year, f.kind) for f in facts if f.unit == "微克/立方米"] == [(26, 2023, "actual"), (28, 2024, "target")]
