"""Combining rankings."""
from __future__ import annotations

from collections.abc import Sequence


def fuse(rankings: Sequence[Sequence[str]], k: int = 60, weights: Sequence[float] | None = None) -> list[tuple[str, float]]:
    """Weighted reciprocal-rank fusion, best first.

    Example: [i for i, _ in fuse([["a", "b"], ["b", "c"]])] -> ["b", "a", "c"]
    """
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, w in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def interleave(groups: Sequence[Sequence], limit: int) -> list:
    """Round-robin over groups, so each place a question names gets evidence near the top.

    Example: interleave([[1, 2, 3], [9]], 3) -> [1, 9, 2]
    """
    out, seen = [], set()
    for i in range(max((len(g) for g in groups), default=0)):
        for g in groups:
            if i < len(g) and id(g[i]) not in seen:
                out.append(g[i])
                seen.add(id(g[i]))
                if len(out) == limit:
                    return out
    return out
