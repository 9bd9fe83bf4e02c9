"""The bundled question set: well formed, balanced, and every evidence string really is in its report."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from corpus.read import read_file
from eval.questions import TYPES, load

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "eval" / "questions.jsonl"
REPORTS = ROOT / "corpus" / "reports"


@pytest.fixture(scope="module")
def questions():
    return load(QUESTIONS)


@pytest.fixture(scope="module")
def raw_reports() -> dict[str, str]:
    return {p.stem: read_file(p)[1].text for p in sorted(REPORTS.glob("*.txt"))}


def test_every_line_is_a_question_with_a_unique_id(questions):
    lines = [line for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(questions) == len(lines)
    assert all(json.loads(line) for line in lines)
    ids = [q.id for q in questions]
    assert len(set(ids)) == len(ids)


def test_the_set_is_large_and_covers_every_type(questions):
    counts = Counter(q.type for q in questions)
    assert len(questions) >= 150
    assert set(counts) == set(TYPES)
    assert counts["comparison"] >= 15
    assert counts["unanswerable"] >= 15


def test_every_bundled_report_is_asked_about(questions, raw_reports):
    asked = {d for q in questions for d in q.docs}
    assert asked == set(raw_reports)
    single = Counter(q.docs[0] for q in questions if q.single)
    assert all(single[d] >= 10 for d in raw_reports), single


def test_every_evidence_occurs_verbatim_in_its_raw_report(questions, raw_reports):
    missing = []
    for q in questions:
        for i, evidence in enumerate(q.evidence):
            if not any(evidence in raw_reports[d] for d in q.doc_of(i)):
                missing.append((q.id, evidence))
    assert not missing


def test_answerable_questions_have_answers_and_evidence_and_unanswerable_have_neither(questions):
    for q in questions:
        if q.answerable:
            assert q.answers and q.evidence and q.docs, q.id
        else:
            assert not q.answers and not q.evidence, q.id
        if q.type == "comparison":
            assert len(q.docs) >= 2 and len(q.evidence) == len(q.docs) and len(q.answers) >= 2, q.id
        else:
            assert len(q.docs) == 1 or not q.answerable and not q.docs, q.id  # a place no report covers has none


PROBES = {"wrong_year", "no_report_place", "target_not_actual", "wrong_indicator", "two_part", "superlative",
          "compare_places", "target_vs_actual", "paraphrase"}


def test_probe_questions_say_what_they_probe_and_how_they_are_judged(questions):
    probes = [q for q in questions if q.probe]
    assert len(probes) >= 40
    for q in probes:
        assert q.probe in PROBES, q.id
        if not q.answerable:
            assert q.note, q.id  # why the reports cannot answer it
        if q.winner:
            assert q.answers_all and (q.winner in q.question or q.winner.endswith("年") or q.type == "comparison"), q.id
