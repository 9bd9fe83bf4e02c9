"""The bundled question set: well formed, balanced, and every evidence string really is in its report."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from corpus.clean import normalize, strip_pinyin, to_simplified
from corpus.meta import short_name
from corpus.read import read_file
from eval.metrics import contains
from eval.questions import FACT_TYPES, PROBES, TARGET_TYPES, UNANSWERABLE_PROBES, load

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
    assert set(counts) == set(FACT_TYPES)
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


# the place each bundled report is about: a comparison's winner must be one of its reports' places
PLACES = {"daixian-2023": "代县", "jiangxian-2022": "绛县", "houma-2024": "侯马市", "jishan-2024": "稷山县",
          "tongwei-2024": "通渭县"}


@pytest.fixture(scope="module")
def plain_reports(raw_reports) -> dict[str, str]:
    """The reports as answers are matched: pinyin annotations gone, simplified."""
    return {d: normalize(strip_pinyin(t)) for d, t in raw_reports.items()}


def test_every_bundled_report_has_its_place(raw_reports):
    assert set(PLACES) == set(raw_reports)


def test_probe_questions_say_what_they_probe_and_how_they_are_judged(questions):
    probes = [q for q in questions if q.probe]
    assert len(probes) >= 90
    counts = Counter(q.probe for q in probes)
    assert all(counts[p] >= 5 for p in PROBES if p != "compare_years"), counts
    for q in probes:
        assert q.probe in PROBES, q.id
        # the first four kinds ask what the reports do not hold; the others are answerable
        assert (q.probe in UNANSWERABLE_PROBES) == (not q.answerable), q.id
        if not q.answerable:
            assert q.note, q.id  # why the reports cannot answer it
        if q.probe == "no_report_place":
            assert not q.docs, q.id  # no report covers the place
        if q.probe in ("superlative", "compare_places"):
            assert q.type == "comparison" and q.winner, q.id
        if q.probe == "two_part":
            assert len(q.answers_all) >= 2, q.id
        if q.probe in ("target_vs_actual", "compare_years"):
            assert q.answers_all, q.id  # one string when target and actual are the same figure (7% and 7%)


def test_a_winner_is_named_by_the_question_or_is_the_place_of_one_of_its_reports(questions):
    for q in questions:
        if not q.winner:
            continue
        assert q.answers_all, q.id
        places = {PLACES[d] for d in q.docs if d in PLACES}
        assert (q.winner in q.question or q.winner in places or short_name(q.winner) in q.question
                or any(q.winner in a for a in q.answers)), q.id
        if q.type == "comparison":
            assert q.winner in places, q.id  # the place ahead is one whose figure was compared


def test_gold_strings_are_simplified_and_found_in_the_reports_they_come_from(questions, plain_reports):
    for q in questions:
        for gold in (*q.answers, *q.answers_all, *q.wrong):
            assert to_simplified(gold) == gold, (q.id, gold)
        text = "\n".join(plain_reports[d] for d in q.docs)
        for gold in q.answers_all:
            assert contains(text, gold), (q.id, gold)
        if q.answerable:
            assert any(contains(text, a) for a in q.answers), q.id


def test_a_tempting_wrong_figure_is_one_the_library_holds_and_never_a_gold_answer(questions, plain_reports):
    library = "\n".join(plain_reports.values())
    for q in questions:
        for figure in q.wrong:
            assert contains(library, figure), (q.id, figure)  # else it tempts nobody
            assert figure not in q.answers and figure not in q.answers_all, (q.id, figure)


WHOLE = ROOT / "eval" / "whole"


def test_the_whole_report_set_is_whole_wide_and_its_evidence_verbatim():
    """eval/whole: whole reports (over 10,000 characters) of every level from many provinces, with
    consecutive years of several places, and questions whose evidence is in the saved files."""
    truth = [json.loads(line) for line in (WHOLE / "reports.jsonl").read_text("utf-8").splitlines() if line.strip()]
    texts = {Path(t["file"]).stem: read_file(WHOLE / "reports" / t["file"])[1].text for t in truth}
    assert len(truth) >= 20 and all(len(text) > 10_000 for text in texts.values())
    assert len({t["province"] for t in truth if t["province"]}) >= 8
    assert {"全国", "省", "直辖市", "自治区", "地级市", "自治州", "县级市", "区"} <= {t["level"] for t in truth}
    years = {}
    for t in truth:
        years.setdefault(t["place"], set()).add(t["year"])
    assert sum(any(y + 1 in ys for y in ys) for ys in years.values()) >= 3
    qs = load(WHOLE / "questions.jsonl")
    assert len(qs) >= 200 and {q.type for q in qs} == set(FACT_TYPES) - {"definition"}
    missing = [(q.id, e) for q in qs for i, e in enumerate(q.evidence) if not any(e in texts[d] for d in q.doc_of(i))]
    assert not missing


@pytest.mark.parametrize("name, earlier, least", [("whole-next", ("whole",), 200),
                                                   ("whole-fresh", ("whole", "whole-next"), 150),
                                                   ("whole-held", ("whole", "whole-next", "whole-fresh"), 150),
                                                   ("whole-blind", ("whole", "whole-next", "whole-fresh", "whole-held"), 150),
                                                   ("whole-wide", ("whole", "whole-next", "whole-fresh", "whole-held",
                                                                   "whole-blind"), 250)])
def test_a_held_out_whole_set_is_whole_and_its_evidence_verbatim(name, earlier, least):
    """eval/whole-next, eval/whole-fresh, eval/whole-held (held out in their stops, development sets since) and
    eval/whole-blind (held out now) and eval/whole-wide (written at the start of stop 28): whole reports no rule was written for when they were written, of places not in the sets
    before them."""
    held = ROOT / "eval" / name
    truth = [json.loads(line) for line in (held / "reports.jsonl").read_text("utf-8").splitlines() if line.strip()]
    texts = {Path(t["file"]).stem: read_file(held / "reports" / t["file"])[1].text for t in truth}
    assert len(truth) >= 9 and all(len(text) > 10_000 for text in texts.values())
    dev = {json.loads(line)["place"] for folder in earlier
           for line in (ROOT / "eval" / folder / "reports.jsonl").read_text("utf-8").splitlines() if line.strip()}
    assert not {t["place"] for t in truth} & dev  # no place of the sets before it
    qs = load(held / "questions.jsonl")
    places = {t["place"] for t in truth}
    assert len(qs) >= least and all(q.winner in places for q in qs if q.type == "comparison" and q.probe == "compare_places")
    missing = [(q.id, e) for q in qs for i, e in enumerate(q.evidence) if not any(e in texts[d] for d in q.doc_of(i))]
    assert not missing


TARGETS = ROOT / "eval" / "targets"


def test_the_target_set_is_verbatim_and_covers_every_verdict_and_question_kind():
    """eval/targets: hand-checked target-actual pairs and questions over consecutive whole reports,
    every clause copied from the saved files."""
    files = [json.loads(line)["file"] for line in (TARGETS / "reports.jsonl").read_text("utf-8").splitlines() if line.strip()]
    texts = {Path(f).stem: (TARGETS / "reports" / f).resolve().read_text("utf-8") for f in files} if (TARGETS / "reports").exists() \
        else {Path(f).stem: (WHOLE / "reports" / Path(f).name).read_text("utf-8") for f in files}
    pairs = [json.loads(line) for line in (TARGETS / "pairs.jsonl").read_text("utf-8").splitlines() if line.strip()]
    assert len(pairs) >= 60 and {"met", "missed", "not_stated", "not_comparable"} <= {p["verdict"] for p in pairs}
    assert not [p for p in pairs if p["target_text"] not in texts[p["target_doc"]]
                or p["actual_text"] and p["actual_text"] not in texts[p["actual_doc"]]]
    qs = load(TARGETS / "questions.jsonl")
    assert len(qs) >= 40 and set(TARGET_TYPES) | {"unanswerable"} == {q.type for q in qs}
    missing = [(q.id, e) for q in qs for e in q.evidence if not any(e in texts[d] for d in q.docs)]
    assert not missing
