"""Precision of target–actual pairs on a hand-checked sample (eval/targets/pairs.jsonl).

    python -m eval.targets_check     # -> {"sample": 84, "found": 61, "pairing": 0.97, "verdict": 0.95, …}

Each sample line is a target a person found in a report (place, year, indicator, value, unit),
the actual the next report gives for it (or none) and the verdict. The reports are read with the
current code and paired by `qa.targets.pairs`; a sample pair is found when a pair has its place,
year, target value and unit, and its indicator (by name, or the sample's target clause within the
pair's target sentence). Of those found: pairing is right when the actual is the
same figure (or both have none), the verdict when it agrees. Sample pairs whose target the code
does not pair at all (a goal it reads as no headline indicator) count in coverage only.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

FOLDER = Path(__file__).parent / "targets"


def load(folder: Path = FOLDER) -> tuple[list, list, list[dict]]:
    """(documents, facts, sample) with the reports of `folder`/reports.jsonl read by the current code."""
    from corpus.ingest import build

    docs = []
    for line in (folder / "reports.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            path = Path(os.path.normpath(folder / "reports" / json.loads(line)["file"]))
            docs.append(build(path.read_bytes(), path.name))
    facts = [f for d in docs for f in d.facts]
    sample = [json.loads(line) for line in (folder / "pairs.jsonl").read_text("utf-8").splitlines() if line.strip()]
    return docs, facts, sample


def same_indicator(name: str, pair) -> bool:
    from corpus.indicators import canonical

    return (canonical(name) or name) == pair.indicator


def _clause(text: str) -> str:
    from corpus.clean import normalize

    return normalize(text).replace(" ", "")


def check(documents, facts, sample: list[dict]) -> dict:
    from qa.targets import pairs

    made = pairs(facts, documents)
    found, rows = 0, []
    right_pair = right_verdict = 0
    for truth in sample:
        near = [p for p in made if p.place == truth["place"] and p.year == truth["year"]
                and truth["target_value"] is not None and abs(p.target.value - float(truth["target_value"])) < 1e-9
                and p.target.unit == truth["target_unit"]]
        # by the indicator's name first; else the sample's target clause within the pair's sentence
        match = next((p for p in near if same_indicator(truth["indicator"], p)), None) or \
            next((p for p in near if _clause(truth["target_text"]) in _clause(p.target.sentence)), None)
        if match is None:
            rows.append({"indicator": truth["indicator"], "year": truth["year"], "place": truth["place"], "found": False})
            continue
        found += 1
        want = truth.get("actual_value")
        got = match.actual.value if match.actual is not None and match.verdict != "not_comparable" else None
        paired = (want is None and got is None) or (want is not None and got is not None and abs(got - float(want)) < 1e-9)
        if truth["verdict"] == "not_comparable":
            paired = match.verdict == "not_comparable" or paired
        right_pair += paired
        right_verdict += match.verdict == truth["verdict"]
        rows.append({"indicator": truth["indicator"], "year": truth["year"], "place": truth["place"], "found": True,
                     "pairing": paired, "verdict": match.verdict, "truth": truth["verdict"],
                     "actual": got, "truth_actual": want})
    return {"sample": len(sample), "found": found, "coverage": round(found / max(1, len(sample)), 3),
            "pairing": round(right_pair / max(1, found), 3), "verdict": round(right_verdict / max(1, found), 3),
            "pairs_made": len(made), "rows": rows}


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else FOLDER
    result = check(*load(folder))
    wrong = [r for r in result["rows"] if r["found"] and (not r["pairing"] or r["verdict"] != r["truth"])]
    print(json.dumps({k: v for k, v in result.items() if k != "rows"} | {"wrong": wrong}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
