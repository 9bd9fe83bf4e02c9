"""The verifier: an answer's figures must be in its cited passages, of the county it names."""
from __future__ import annotations

from qa.answer.verify import Figure, figures, verify

# three passages as the pipeline feeds them: evidence sentences, passages[0] is [1]
JISHAN = "稷山县2023年一般公共预算收入完成6.1亿元,同比增长8.2%。"
DAIXIAN = "2022年全县地区生产总值完成90.2亿元,同比增长3.9%。"
HOUMA = "地区生产总值完成189亿元,同比增长12.1%,增速全省第2。"
PLACES = {"稷山县": {"稷山县", "稷山"}, "代县": {"代县"}, "侯马市": {"侯马市", "侯马"}}


def test_invented_figure_is_dropped_and_not_grounded():
    checked = verify("稷山县地区生产总值为90.2亿元[1]。", [JISHAN])
    assert "90.2" not in checked.text
    assert not checked.grounded
    assert any("90.2亿元" in p for p in checked.problems)


def test_figure_of_another_county_does_not_ground_an_answer_about_this_one():
    # 90.2亿元 is 代县's GDP; without owners the verifier would happily re-cite it to [2]
    loose = verify("稷山县地区生产总值为90.2亿元[1]。", [JISHAN, DAIXIAN])
    assert loose.grounded and "[2]" in loose.text
    strict = verify("稷山县地区生产总值为90.2亿元[1]。", [JISHAN, DAIXIAN], owners=["稷山县", "代县"], places=PLACES)
    assert "90.2" not in strict.text
    assert not strict.grounded


def test_comparison_with_swapped_figures_is_rejected():
    swapped = "代县地区生产总值完成189亿元[2]。侯马市地区生产总值完成90.2亿元[1]。"
    checked = verify(swapped, [DAIXIAN, HOUMA], owners=["代县", "侯马市"], places=PLACES)
    assert "189" not in checked.text and "90.2" not in checked.text
    assert not checked.grounded


def test_correct_comparison_passes_unchanged():
    answer = "代县地区生产总值完成90.2亿元[1]。侯马市地区生产总值完成189亿元[2]。"
    checked = verify(answer, [DAIXIAN, HOUMA], owners=["代县", "侯马市"], places=PLACES)
    assert checked.grounded
    assert checked.text == answer
    assert checked.problems == ()


def test_citation_to_missing_passage_is_reported_and_repaired():
    checked = verify("侯马市地区生产总值完成189亿元[7]。", [DAIXIAN, HOUMA])
    assert any("does not exist" in p and "7" in p for p in checked.problems)
    assert "[7]" not in checked.text
    assert checked.text == "侯马市地区生产总值完成189亿元[2]。"
    assert checked.grounded


def test_figure_cited_to_wrong_passage_is_recited_to_the_one_holding_it():
    checked = verify("侯马市地区生产总值完成189亿元[1]。", [DAIXIAN, HOUMA])
    assert "[2]" in checked.text
    assert checked.grounded
    assert any("re-cited" in p for p in checked.problems)


def test_uncited_figure_gets_a_citation():
    checked = verify("地区生产总值完成189亿元。", [DAIXIAN, HOUMA])
    assert checked.text == "地区生产总值完成189亿元[2]。"
    assert checked.grounded


def test_answer_without_any_citation_is_not_grounded():
    checked = verify("侯马市经济发展量质齐升。", [HOUMA])
    assert checked.text == "侯马市经济发展量质齐升。"
    assert not checked.grounded


def test_rounded_figure_is_not_the_reported_one():
    # 12% is not 12.1%: a figure must be the passage's number, not a neighbour
    checked = verify("侯马市同比增长12%[1]。", [HOUMA])
    assert "12%" not in checked.text
    assert not checked.grounded


def test_number_inside_a_longer_number_does_not_count():
    checked = verify("完成89亿元[1]。", [HOUMA])  # the passage has 189亿元
    assert not checked.grounded


def test_years_from_the_question_are_not_treated_as_claims():
    answer = "2023年侯马市地区生产总值增长12.1%[1]。"
    assert verify(answer, [HOUMA], question="侯马市2023年GDP增速？").grounded
    assert not verify(answer, [HOUMA]).grounded  # the passage itself never says 2023


def test_figures_skip_citation_markers_and_keep_units():
    assert figures("完成189亿元[1]，增长12.1%。") == [Figure("189", "亿元"), Figure("12.1", "%")]
    assert figures("地區生產總值７８.９億元") == [Figure("78.9", "亿元")]  # traditional, full-width


def test_a_figure_of_another_year_is_dropped_not_shown():
    from corpus.records import Fact
    from qa.answer.verify import bind_years

    facts = [Fact("d", "d#p1", "代县", 2022, "2022", "一般公共预算收入", True, 4.6, "亿元", "actual", (), "…")]
    places = {"代县": {"代县"}, "绛县": {"绛县"}}
    wrong = bind_years("代县2021年财政收入为4.6亿元[1]。", facts, ["代县"], [2021], places)
    assert not wrong.grounded and wrong.text == "" and "2022" in wrong.problems[0]
    right = bind_years("代县2022年财政收入为4.6亿元[1]。", facts, ["代县"], [2021], places)
    assert right.text == "代县2022年财政收入为4.6亿元[1]。" and not right.changed
    unknown = bind_years("代县2021年建成5G基站220座[1]。", facts, ["代县"], [2021], places)
    assert unknown.text and not unknown.changed  # no fact holds it: nothing to bind it against


def test_a_figure_of_another_indicator_is_dropped():
    from corpus.records import Fact
    from qa.answer.verify import bind_years

    facts = [Fact("d", "d#p1", "代县", 2022, "2022", "规模以上工业增加值", True, 30.5, "亿元", "actual", (), "…")]
    places = {"代县": {"代县"}}
    wrong = bind_years("代县2022年服务业增加值完成30.5亿元[1]。", facts, ["代县"], [2022], places)
    assert not wrong.grounded and "规模以上工业增加值" in wrong.problems[0]
    right = bind_years("代县2022年规上工业增加值完成30.5亿元[1]。", facts, ["代县"], [2022], places)
    assert not right.changed


def test_a_bare_number_is_not_bound_to_a_fact():
    from corpus.records import Fact
    from qa.answer.verify import bind_years

    facts = [Fact("d", "d#p1", "代县", 2023, "2023", "一般公共预算收入", True, 5, "%", "target", (), "…")]
    kept = bind_years("代县2022年建成5G基站220座[1]。", facts, ["代县"], [2022], {"代县": {"代县"}})
    assert not kept.changed  # "5G" is not the 2023 target of 5%


def test_a_plans_target_named_by_a_phrase_is_not_the_year_reviewed():
    from corpus.records import Fact
    from qa.answer.verify import bind_years

    places = {"郴州市": {"郴州市", "郴州"}}
    facts = [Fact("d", "d#p9", "郴州市", 2024, "2024", "全社会研发经费投入强度", False, 2.41, "%", "target", (), "…"),
             Fact("d", "d#p3", "郴州市", 2023, "2023", "高新技术企业", False, 650, "家", "actual", (), "…")]
    said = "力争全社会研发经费投入强度达到2.41%[1]。"
    assert not bind_years(said, facts, ["郴州市"], [2023], places, asked_kind="actual").grounded
    assert bind_years(said, facts, ["郴州市"], [2024], places, asked_kind="target").grounded
    assert bind_years("高新技术企业达到650家[2]。", facts, ["郴州市"], [2023], places).grounded


def test_a_goal_of_a_span_named_by_a_phrase_is_not_the_year_reviewed_either():
    from corpus.records import Fact
    from qa.answer.verify import bind_years

    places = {"绍兴市": {"绍兴市", "绍兴"}}
    facts = [Fact("d", "d#p9", "绍兴市", None, "今后五年", "PM2.5年均浓度", False, 28, "微克/立方米", "target", ("以下",), "…")]
    assert not bind_years("PM2.5年均浓度控制在28微克/立方米以下[1]。", facts, ["绍兴市"], [2023], places,
                          asked_kind="actual").grounded
