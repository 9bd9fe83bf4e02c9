"""The retrieval gate: hybrid search with the real m3e index on the bundled question set.

Answerable single-report questions: hit@1 >= 0.80 and hit@5 >= 0.95. Comparison questions:
every evidence string (one per report) within the top 10 for >= 90% of them.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from eval.questions import load
from eval.run import evaluate_retrieval

pytestmark = pytest.mark.slow
QUESTIONS = Path(__file__).resolve().parents[2] / "eval" / "questions.jsonl"


@pytest.fixture(scope="module")
def hybrid(real_library) -> dict:
    return evaluate_retrieval(real_library, load(QUESTIONS), modes=("hybrid",), k=10)["modes"]["hybrid"]


def _explain(misses: list[dict], worse_than: int) -> str:
    lines = []
    for m in misses:
        if m["rank"] is not None and m["rank"] <= worse_than:
            continue
        top = m["top1"] or {}
        lines.append(f"  {m['id']} [{m['type']}] {m['question']} -> rank {m['rank']}; "
                     f"rank 1: {top.get('id')} {top.get('text', '')[:50]!r}")
    return "\n".join(lines)


def test_single_report_questions_find_their_evidence_first(hybrid):
    score = hybrid["single"]["hit@1"]
    assert score >= 0.80, f"hit@1 {score:.3f} < 0.80; not at rank 1:\n{_explain(hybrid['misses'], 1)}"


def test_single_report_questions_find_their_evidence_in_the_top_five(hybrid):
    score = hybrid["single"]["hit@5"]
    assert score >= 0.95, f"hit@5 {score:.3f} < 0.95; not in the top 5:\n{_explain(hybrid['misses'], 5)}"


def test_comparisons_find_evidence_for_every_report_in_the_top_ten(hybrid):
    score = hybrid["comparison"]["all@10"]
    missed = [m for m in hybrid["misses"] if m["type"] == "comparison"]
    assert score >= 0.90, f"comparison all@10 {score:.3f} < 0.90; missing:\n{_explain(missed, 10)}"
