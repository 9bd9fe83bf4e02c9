"""Metric functions on small fakes: evidence matching, rank metrics, answer judging, percentiles."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from eval import metrics
from eval.baseline import windows
from eval.metrics import Evidence, RankOutcome


@dataclass(frozen=True)
class P:
    doc_id: str
    norm: str


def ev(text: str, docs=("a",), passages=None) -> Evidence:
    corpus = metrics.corpus_keys(passages) if passages is not None else metrics.evidence_key(text)
    return metrics.make_evidence(text, docs, corpus)


# -- evidence ---------------------------------------------------------------------------------------
def test_evidence_key_folds_script_width_whitespace_and_pinyin():
    assert metrics.evidence_key("完成農(nóng)村改廁 4000戶") == "完成农村改厕4000户"
    assert metrics.evidence_key("總值完成７８.９億元，\u3000同比") == "总值完成78.9亿元,同比"


def test_traditional_evidence_is_held_by_a_simplified_chunk_of_the_right_doc_only():
    e = ev("總值完成78.9億元", docs=("jiangxian",))
    assert metrics.holds(P("jiangxian", "全县地区生产总值完成78.9亿元, 同比增长9.3%"), e)
    assert not metrics.holds(P("daixian", "全县地区生产总值完成78.9亿元"), e)
    assert not metrics.holds(P("jiangxian", "全县地区生产总值完成90.2亿元"), e)


def test_whitespace_inside_a_chunk_does_not_break_a_match():
    assert metrics.holds(P("a", "代县人民政府县长\n温安娜"), ev("代县人民政府县长 温安娜"))


def test_evidence_in_some_passage_needs_no_fallback_and_half_is_not_enough():
    passages = [P("a", "xx地区生产总值完成90.2亿元"), P("a", "地区生产总值完成")]
    e = ev("地区生产总值完成90.2亿元", passages=passages)
    assert not e.fallback
    assert metrics.evidence_ranks(passages, [e]) == (1,)
    assert not metrics.holds(passages[1], e)


def test_evidence_cut_by_a_chunk_boundary_falls_back_to_the_larger_half():
    passages = [P("a", "……2022年全县地区生产总值完成90"), P("a", ".2亿元,同比增长3.9%"), P("b", "地区生产总值完成90.2")]
    e = ev("地区生产总值完成90.2亿元", passages=passages)
    assert e.fallback
    assert metrics.holds(passages[0], e)  # 10 of 14 characters, the prefix
    assert not metrics.holds(passages[1], e)  # 4 of 14
    assert not metrics.holds(passages[2], e)  # wrong report
    assert metrics.evidence_ranks(list(reversed(passages)), [e]) == (3,)


def test_half_held_checks_prefix_and_suffix():
    assert metrics.half_held("同比增长2.6%", "工业增加值同比增长2.6%")
    assert metrics.half_held("规模以上工业增加值完成", "工业增加值同比增长2.6%") is False
    assert metrics.half_held("工业增加值同比", "工业增加值同比增长2.6%")
    assert not metrics.half_held("anything", "")


def test_comparison_ranks_need_every_evidence_and_pair_evidence_with_its_doc():
    passages = [P("houma", "同比增长12.1%"), P("tongwei", "预计地区生产总值增长7%"), P("tongwei", "同比增长12.1%")]
    evidence = [ev("同比增长12.1%", ("houma",)), ev("預計地區生產總值增長7%", ("tongwei",))]
    ranks = metrics.evidence_ranks(passages, evidence)
    assert ranks == (1, 2)
    assert metrics.last_rank(ranks) == 2 and metrics.first_rank(ranks) == 1
    assert metrics.last_rank((1, None)) is None
    assert metrics.first_rank((None, 4)) == 4 and metrics.first_rank((None,)) is None


# -- rank metrics -----------------------------------------------------------------------------------
def test_hit_and_reciprocal_rank():
    assert metrics.hit_at(1, 1) == 1.0 and metrics.hit_at(2, 1) == 0.0 and metrics.hit_at(None, 5) == 0.0
    assert metrics.reciprocal_rank(4) == 0.25
    assert metrics.reciprocal_rank(11, k=10) == 0.0 and metrics.reciprocal_rank(None) == 0.0


def test_retrieval_scores_split_single_report_types_from_comparison_and_skip_unanswerable():
    outcomes = [
        RankOutcome("q1", "fact_number", (1,)),
        RankOutcome("q2", "fact_number", (3,)),
        RankOutcome("q3", "list", (None,)),
        RankOutcome("q4", "definition", (None, 2)),  # any evidence counts
        RankOutcome("c1", "comparison", (1, 7)),
        RankOutcome("c2", "comparison", (1, None)),
    ]
    s = metrics.retrieval_scores(outcomes, k=10)
    assert s["single"]["n"] == 4
    assert s["single"]["hit@1"] == pytest.approx(0.25)
    assert s["single"]["hit@5"] == pytest.approx(0.75)
    assert s["single"]["mrr@10"] == pytest.approx((1 + 1 / 3 + 0 + 1 / 2) / 4)
    assert s["per_type"]["fact_number"]["hit@1"] == 0.5
    assert s["per_type"]["list"]["hit@5"] == 0.0
    assert s["comparison"] == {"n": 2, "all@5": 0.0, "all@10": 0.5}
    assert s["per_type"]["comparison"]["all@10"] == 0.5
    assert "unanswerable" not in s["per_type"]


def test_scores_of_an_empty_group_are_none_not_zero():
    s = metrics.retrieval_scores([RankOutcome("q1", "fact_number", (1,))])
    assert s["comparison"]["all@10"] is None


# -- answers ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "gold", "expected"), [
    ("代县2022年GDP为90.2亿元[1]。", "90.2亿元", True),
    ("增长17%", "7%", False),
    ("增长7.7%", "7%", False),
    ("增长7%左右", "7%", True),
    ("排名147", "47", False),
    ("排名47.5", "47", False),
    ("排名47,总量提升8个位次", "47", True),
    ("同比增长-39.4%", "39.4%", True),
    ("市场主体达到17,793户", "17793户", True),
    ("地區生產總值完成７８.９億元", "78.9亿元", True),
    ("达到21.15亿公斤", "1.15亿公斤", False),
    ("由县长温安娜作报告", "温安娜", True),
    ("紧扣“1186”工作部署", "1186", True),
    ("紧扣“11860”工作部署", "1186", False),
    ("增长7%,而侯马增长17%", "17%", True),
])
def test_contains_respects_number_boundaries(text, gold, expected):
    assert metrics.contains(text, gold) is expected


def test_correct_by_type():
    items = ["特色食品", "特钢材料", "装备制造", "现代医药"]
    assert metrics.correct("打造特色食品、特钢材料两条链", items, "list")
    assert not metrics.correct("打造特色食品产业链", items, "list")
    assert metrics.correct("保底线、促发展", ["保底线", "促发展", "惠民生", "强作风"], "definition")
    assert metrics.correct("代县为90.2亿元,绛县为78.9亿元", ["90.2亿元", "78.9亿元"], "comparison")
    assert not metrics.correct("代县为90.2亿元", ["90.2亿元", "78.9亿元"], "comparison")
    assert metrics.correct("是雁门关。", ["雁门关景区", "雁门关"], "fact_entity")  # alternatives
    assert not metrics.correct("无", [], "unanswerable")


def test_citation_precision_and_recall():
    evidence = [ev("同比增长12.1%", ("houma",)), ev("增长7%", ("tongwei",))]
    cited = [P("houma", "地区生产总值同比增长12.1%"), P("houma", "无关段落")]
    precision, recall = metrics.citation_scores(cited, evidence)
    assert precision == 0.5 and recall == 0.5
    assert metrics.citation_scores([], evidence) == (None, 0.0)
    assert metrics.citation_scores(cited, []) == (None, None)


def _outcome(qid, type_, refused=False, correct=True, grounded=True, precision=1.0, recall=1.0, ms=100.0):
    return metrics.AnswerOutcome(qid, type_, refused, correct, grounded, precision, recall, ms)


def test_answer_scores_separate_refusals_from_false_refusals():
    outcomes = [
        _outcome("a1", "fact_number", ms=100),
        _outcome("a2", "fact_number", correct=False, grounded=False, precision=0.0, recall=0.0, ms=200),
        _outcome("a3", "list", refused=True, correct=False, grounded=False, precision=None, recall=None, ms=300),
        _outcome("u1", "unanswerable", refused=True, correct=False, precision=None, recall=None, ms=400),
        _outcome("u2", "unanswerable", refused=False, correct=False, grounded=False, precision=None, recall=None, ms=500),
    ]
    s = metrics.answer_scores(outcomes)
    assert s["accuracy"] == pytest.approx(1 / 3)
    assert s["false_refusal_rate"] == pytest.approx(1 / 3)
    assert s["refusal_rate_unanswerable"] == 0.5
    assert s["citation_precision"] == 0.5 and s["citation_recall"] == 0.5
    assert s["grounded_rate"] == pytest.approx(1 / 3)  # of the three answers that were not refusals
    assert s["latency_ms"]["p50"] == 300
    assert s["per_type"]["list"] == {"n": 1, "accuracy": 0.0}


# -- latency and the baseline's windows ------------------------------------------------------------------
def test_percentile_interpolates_like_numpy():
    assert metrics.percentile([4, 1, 3, 2], 50) == 2.5
    assert metrics.percentile([10], 95) == 10
    assert metrics.percentile([], 50) is None
    assert metrics.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_baseline_windows_overlap_and_reach_the_end():
    text = "".join(chr(0x4E00 + i % 500) for i in range(1950))
    ws = windows(text, "d")
    assert [w.start for w in ws] == [0, 600, 1200]
    assert all(len(w.text) == 750 for w in ws[:-1])
    assert ws[-1].text.endswith(text[-10:])
    assert ws[0].text[-150:] == ws[1].text[:150]
    assert [w.start for w in windows(text + "尾", "d")] == [0, 600, 1200, 1800]
    assert [w.start for w in windows("短文", "d")] == [0]


def test_baseline_window_norm_matches_evidence_across_pinyin_and_script():
    (w,) = windows("完成農(nóng)村改廁4000戶", "jiangxian")
    assert metrics.holds(w, ev("完成農(nóng)村改廁4000戶", ("jiangxian",)))


def test_a_comparison_counts_only_with_both_figures_and_the_winner():
    from eval.metrics import decided

    both = ["90.2亿元", "78.9亿元"]
    assert decided("代县2022年90.2亿元[1]；绛县2021年78.9亿元[2]。代县更高。", [], "comparison", both, "代县")
    assert not decided("代县2022年90.2亿元[1]；绛县2021年78.9亿元[2]。", [], "comparison", both, "代县")
    assert not decided("代县90.2亿元，代县更高。", [], "comparison", both, "代县")
    assert decided("最高的是侯马市（12.1%）", [], "comparison", ["12.1%"], "侯马市")


def test_a_figure_beside_the_wrong_year_or_place_is_counted():
    from corpus.records import Fact
    from eval.metrics import misplaced_figures

    facts = [Fact("d", "d#p1", "代县", 2022, "2022", "一般公共预算收入", True, 4.6, "亿元", "actual", (), "…")]
    places = ["代县", "绛县"]
    assert misplaced_figures("代县2021年财政收入4.6亿元[1]。", facts, places, "代县", 2021) == ["代县2021年 4.6亿元"]
    assert misplaced_figures("财政收入4.6亿元[1]。", facts, places, "代县", 2021) == ["代县2021年 4.6亿元"]
    assert misplaced_figures("报告中有2022年的数据：4.6亿元[1]。", facts, places, "代县", 2021) == []
    assert misplaced_figures("绛县2022年财政收入4.6亿元。", facts, places, "代县", 2022) == ["绛县2022年 4.6亿元"]


def test_a_target_against_its_outcome_is_right_only_with_the_right_verdict():
    from eval.metrics import decided

    said = "海拉尔区2016年地区生产总值目标为309亿元[1]；实际303.6亿元[2]。未完成目标：实际303.6亿元，目标309亿元。"
    assert decided(said, [], "comparison", ["309亿元", "303.6亿元"], "目标（309亿元）")
    assert not decided(said, [], "comparison", ["309亿元", "303.6亿元"], "实际（303.6亿元）")
    assert not decided("目标309亿元，实际303.6亿元。", [], "comparison", ["309亿元", "303.6亿元"], "目标（309亿元）")


def test_a_wrong_figure_inside_the_right_one_is_not_shown():
    assert not metrics.shows_wrong("山西省2026年地区生产总值增长目标为4.5%—5%[1]。", "5%", ["4.5%—5%"])
    assert not metrics.shows_wrong("固定资产投资增长目标为3%左右[1]。", "3%", ["3%左右"])
    assert metrics.shows_wrong("全年增长5%，今年目标4.5%—5%[1]。", "5%", ["4.5%—5%"])
    assert metrics.shows_wrong("技术合同成交额增长48%，高技术制造业增加值增长17.5%[1]。", "48%", ["17.5%"])
