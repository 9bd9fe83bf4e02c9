"""Rank fusion and per-place interleaving."""
from __future__ import annotations

from qa.retrieval.fuse import fuse, interleave


def test_item_ranked_by_both_signals_wins():
    assert [i for i, _ in fuse([["a", "b"], ["b", "c"]])] == ["b", "a", "c"]


def test_weights_decide_between_signals():
    dense, keyword = ["d1", "d2"], ["k1", "k2"]
    assert [i for i, _ in fuse([dense, keyword], weights=[2.0, 1.0])][:2] == ["d1", "d2"]
    assert [i for i, _ in fuse([dense, keyword], weights=[1.0, 2.0])][:2] == ["k1", "k2"]


def test_scores_are_reciprocal_rank_sums():
    (item, score), = fuse([["a"], ["a"]], k=60)
    assert item == "a" and abs(score - 2 / 61) < 1e-12


def test_each_place_gets_evidence_near_the_top():
    assert interleave([[1, 2, 3], [9]], 3) == [1, 9, 2]
    assert interleave([["a1", "a2"], ["b1", "b2"], []], 10) == ["a1", "b1", "a2", "b2"]
