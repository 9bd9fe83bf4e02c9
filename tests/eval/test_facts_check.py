"""The hand-checked sample of facts: the extractor keeps the precision it was measured at."""
from __future__ import annotations

from eval.facts_check import check, judge


def test_headline_facts_meet_the_precision_targets():
    scores = check()["canonical"]
    assert scores["n"] >= 60
    assert scores["value+unit"] >= 0.95 and scores["year"] >= 0.95, scores
    assert scores["indicator"] >= 0.90 and scores["kind"] >= 0.90 and scores["place"] >= 0.95, scores


def test_a_figure_no_longer_found_is_wrong_in_every_field():
    assert not any(judge(None, {}).values())


def test_headline_facts_of_whole_reports_of_every_level_meet_the_targets():
    """175 facts of the 25 whole reports in eval/whole (national to district), checked by hand."""
    from pathlib import Path

    whole = Path(__file__).resolve().parents[2] / "eval" / "whole"
    scores = check(whole / "facts_sample.jsonl", whole / "reports")["canonical"]
    assert scores["n"] >= 150
    assert all(scores[f] >= 0.95 for f in ("place", "year", "indicator", "value+unit", "kind")), scores
