"""Precision of fact extraction per field on a hand-checked sample of the bundled reports' facts.

    python -m eval.facts_check            # eval/facts_sample.jsonl against the current extractor
    python -m eval.facts_check eval/whole/facts_sample.jsonl eval/whole/reports   # whole reports of every level
    precision(pairs) -> {"place": 0.98, "year": 1.0, "indicator": 0.94, "value+unit": 1.0, "kind": 1.0, "n": 62}

Each sample line holds a sentence, the figure's value and unit, and the right place, year,
indicator and kind as a person judged them. The current extractor is run on the report, the fact
of that sentence with that value and unit is found, and each field is compared with the truth;
a figure the extractor no longer finds counts as wrong in every field.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

SAMPLE = Path(__file__).parent / "facts_sample.jsonl"
FIELDS = ("place", "year", "indicator", "value+unit", "kind")


def judge(fact: dict | None, truth: dict) -> dict[str, bool]:
    """Field -> right? for one extracted fact (None: not extracted)."""
    if fact is None:
        return {f: False for f in FIELDS}
    from corpus.indicators import canonical

    # a figure that is no headline indicator is judged right when it is not filed as one: the
    # checker names it in words of their own ("高校毕业生就业创业人数"), the extractor in the report's
    headline = canonical(truth["indicator"]) == truth["indicator"]
    indicator = (fact["indicator"] == truth["indicator"] if headline
                 else canonical(fact["indicator"]) != fact["indicator"])
    return {"place": fact["place"] == truth["place"], "year": fact["year"] == truth["year"],
            "indicator": indicator,
            "value+unit": abs(fact["value"] - truth["value"]) < 1e-9 and fact["unit"] == truth["unit"],
            "kind": fact["kind"] == truth["kind"]}


def precision(verdicts: Sequence[dict[str, bool]]) -> dict:
    n = len(verdicts)
    return {**{f: round(sum(v[f] for v in verdicts) / n, 3) if n else None for f in FIELDS}, "n": n}


def check(sample: Path = SAMPLE, reports: Path | None = None) -> dict:
    """Precision per field; `reports` is the folder of the sampled reports (the bundled ones by default)."""
    from corpus.ingest import build_path, bundled_reports

    facts: dict[tuple, list[dict]] = {}
    for path in (sorted(reports.glob("*.txt")) if reports else bundled_reports()):
        for f in build_path(path).facts:
            # by report and sentence, not paragraph number: a better split renumbers paragraphs
            facts.setdefault((f.doc_id, f.sentence, f.value, f.unit), []).append(f.to_json())
    rows = [json.loads(line) for line in sample.read_text("utf-8").splitlines() if line.strip()]
    canonical, other = [], []
    for row in rows:
        t = row["truth"]
        # the figure the sample names: as extracted then, or as the checker read it (a unit or sign read better since)
        doc = row["paragraph_id"].split("#")[0]
        same = (facts.get((doc, row["sentence"], row["extracted"]["value"], row["extracted"]["unit"]), [])
                or facts.get((doc, row["sentence"], t["value"], t["unit"]), []))
        # a sentence may state one value twice ("…增长10%，财政总收入增长10%"): the fact sampled is the one
        # that was extracted under the sampled indicator, else the first
        fact = next((f for f in same if f["indicator"] == row["extracted"]["indicator"]), same[0] if same else None)
        (canonical if row["extracted"]["canonical"] else other).append(judge(fact, t))
    return {"canonical": precision(canonical), "other": precision(other), "all": precision(canonical + other)}


if __name__ == "__main__":  # pragma: no cover
    json.dump(check(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE, Path(sys.argv[2]) if len(sys.argv) > 2 else None),
              sys.stdout, ensure_ascii=False, indent=1)
    print()
