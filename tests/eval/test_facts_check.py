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
