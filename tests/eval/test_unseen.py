"""The unseen-report metadata: what a reader determines from each saved report is what ingest reads."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.ingest import build_path
from eval.unseen import metadata_verdict

UNSEEN = Path(__file__).resolve().parents[2] / "eval" / "unseen"
TRUTH = [json.loads(line) for line in (UNSEEN / "reports.jsonl").read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("truth", TRUTH, ids=[t["file"] for t in TRUTH])
def test_metadata_of_a_report_from_anywhere(truth):
    doc = build_path(UNSEEN / "reports" / truth["file"]).summary()
    verdict = metadata_verdict(doc, truth)
    assert all(verdict.values()), {k: (doc, truth) for k, ok in verdict.items() if not ok}
    if truth["year"] is None:
        assert "year" in doc["missing"]  # unknowable, so said to be missing rather than guessed
