"""The unseen-report metadata: what a reader determines from each saved report is what ingest reads."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.ingest import build_path
from eval.unseen import metadata_verdict

EVAL = Path(__file__).resolve().parents[2] / "eval"
# the unseen excerpts (two sets), and the whole reports of every level (national, provincial, city, district),
# with the set held out from the rules
SETS = (EVAL / "unseen", EVAL / "unseen-next", EVAL / "whole", EVAL / "whole-next", EVAL / "whole-fresh", EVAL / "whole-held")
TRUTH = [(folder, json.loads(line)) for folder in SETS
         for line in (folder / "reports.jsonl").read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("folder, truth", TRUTH, ids=[f"{f.name}/{t['file']}" for f, t in TRUTH])
def test_metadata_of_a_report_from_anywhere(folder, truth):
    doc = build_path(folder / "reports" / truth["file"]).summary()
    verdict = metadata_verdict(doc, truth)
    assert all(verdict.values()), {k: (doc, truth) for k, ok in verdict.items() if not ok}
    if truth["year"] is None:
        assert "year" in doc["missing"]  # unknowable, so said to be missing rather than guessed
