"""The eval runner end to end on the bundled reports with the hash encoder: every mode runs, the
baseline ranks raw windows, and --out writes results.json, report.md and the charts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.questions import load
from eval.report import write
from eval.run import MODES, evaluate_retrieval, summarize

QUESTIONS = Path(__file__).resolve().parents[2] / "eval" / "questions.jsonl"


def test_every_mode_is_scored_and_written(fake_library, tmp_path):
    questions = [q for q in load(QUESTIONS) if q.type in ("fact_number", "comparison", "unanswerable")][::6]
    retrieval = evaluate_retrieval(fake_library, questions, modes=MODES, k=10)
    assert set(retrieval["modes"]) == set(MODES)
    for mode, s in retrieval["modes"].items():
        assert 0.0 <= s["single"]["hit@5"] <= 1.0, mode
        assert s["single"]["hit@1"] <= s["single"]["hit@5"] <= s["single"]["hit@10"]
        assert s["latency_ms"]["n"] == len(questions)
    assert retrieval["modes"]["baseline"]["evidence_fallback"] == 0  # 150 overlap > any evidence string
    assert retrieval["modes"]["bm25"]["single"]["hit@5"] > 0.5  # real keyword search on the real corpus
    assert {r.top[0]["id"].split("#")[1][0] for r in retrieval["records"] if r.mode == "baseline"} == {"w"}

    result = summarize(questions, QUESTIONS, retrieval, None)
    json.dumps(result, ensure_ascii=False)  # --json prints exactly this
    write(tmp_path, result, retrieval["records"], None)
    saved = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert len(saved["records"]) == len(questions) * len(MODES)
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| baseline |" in report and "scores_by_type.png" in report
    for chart in ("scores_by_type.png", "retrieval_latency.png"):
        assert (tmp_path / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


class _ScriptedPipeline:
    """Answers from a script: right with a good citation, wrong, refusal, or an exception."""

    def __init__(self, library, script: dict):
        self.script = script
        self.paragraphs = {p.id: p for d in library.documents() for p in d.paragraphs}

    def answer(self, question: str):
        from qa.records import Answer, Citation

        kind, arg = self.script[question]
        if kind == "raise":
            raise RuntimeError("generator crashed")
        if kind == "refuse":
            return Answer(question, "报告中没有找到相关信息。", refused=True, grounded=False, mode="refused")
        cited = [p for p in self.paragraphs.values() if arg in p.norm][:1]
        citations = tuple(Citation(1, p.doc_id, "", None, p.id, p.heading, p.text, p.text, 1.0) for p in cited)
        return Answer(question, f"{arg}[1]", refused=False, grounded=True, citations=citations,
                      timings={"retrieve_ms": 5.0, "generate_ms": 50.0, "first_token_ms": 20.0})


def test_answers_are_judged_for_accuracy_refusals_and_citations(fake_library):
    from eval.run import evaluate_answers

    by_id = {q.id: q for q in load(QUESTIONS)}
    questions = [by_id[i] for i in ("q001", "q002", "q003", "q158", "q159")]
    script = {
        by_id["q001"].question: ("answer", "2022年全县地区生产总值完成90.2亿元"),  # right, cites the evidence
        by_id["q002"].question: ("answer", "同比增长12.6%"),  # wrong figure ("2.6%" inside "12.6%")
        by_id["q003"].question: ("refuse", None),  # a false refusal
        by_id["q158"].question: ("refuse", None),  # a right refusal
        by_id["q159"].question: ("raise", None),  # counted, not fatal
    }
    result = evaluate_answers(_ScriptedPipeline(fake_library, script), fake_library, questions)
    s = result["scores"]
    assert s["accuracy"] == pytest.approx(1 / 3)
    assert s["false_refusal_rate"] == pytest.approx(1 / 3)
    assert s["refusal_rate_unanswerable"] == 0.5
    # q001 cites its evidence paragraph; q002 cites nothing, so it lowers recall and leaves precision alone
    assert s["citation_precision"] == 1.0 and s["citation_recall"] == 0.5
    assert s["errors"] == 1
    assert s["first_token_ms"]["p50"] == 20.0
    assert [r["id"] for r in result["rows"]] == ["q001", "q002", "q003", "q158", "q159"]
