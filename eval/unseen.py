"""Reports the code has never seen: uploaded through the same path a user takes (Service.upload) on
top of the five bundled reports, then asked about. Scored per report: metadata against
`eval/unseen/reports.jsonl`, retrieval hit@5, answer accuracy and refusals.

    reportqa eval --unseen eval/unseen --out var/eval-unseen
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from eval import metrics
from eval.questions import Question, load
from eval.run import evaluate_answers, evaluate_retrieval

FIELDS = ("place", "province", "prefecture", "level", "year", "reviewed_year", "kind", "speaker")


def metadata_verdict(doc: dict, truth: dict) -> dict[str, bool]:
    """Field -> detected right? `doc` is a Document summary; an unknown field must be reported
    missing, never guessed (truth None/"" is right only when the summary leaves it empty)."""
    got = {"place": doc["county"], "province": doc["province"], "prefecture": doc["city"], "level": doc["level"],
           "year": doc["year"], "reviewed_year": doc["reviewed_year"], "kind": doc["kind"], "speaker": doc["speaker"]}
    want = {"place": truth["place"], "province": truth["province"], "prefecture": truth["prefecture"],
            "level": truth["level"], "year": truth["year"], "reviewed_year": truth["reviewed_year"], "kind": truth["kind"],
            "speaker": truth.get("speaker", "")}
    return {f: (got[f] or None) == (want[f] or None) for f in FIELDS}


def publish(path: Path, published: str) -> tuple[bytes, str]:
    """A report's bytes and file name as published: the text itself, printed to PDF, or scanned."""
    if published == "text":
        return path.read_bytes(), path.name
    from eval.formats import chromium_pdf, scanned_pdf

    pdf = chromium_pdf(path.read_text("utf-8"))
    return (scanned_pdf(pdf) if published == "scan" else pdf), f"{path.stem}.pdf"


def run(settings, folder: Path, out: Path | None = None, as_json: bool = False, retrieval_only: bool = False,
        published: str = "text") -> int:
    """`published` "pdf" prints each report to PDF with Chromium first, "scan" makes that PDF page
    images only (OCR): the same questions over the reports as they are published."""
    from qa.answer.pipeline import AnswerPipeline
    from qa.library import Library
    from qa.serve.service import Service

    truth = [json.loads(line) for line in (folder / "reports.jsonl").read_text("utf-8").splitlines() if line.strip()]
    questions = load(folder / "questions.jsonl")
    with tempfile.TemporaryDirectory(prefix="reportqa-unseen-") as tmp:
        data = Path(tmp) / "data"
        base = Library(settings)
        base.ensure_ready(progress=False)
        shutil.copytree(settings.data_dir / "docs", data / "docs")
        shutil.copytree(settings.index_dir, data / "index", ignore=shutil.ignore_patterns("models"))
        local = settings.model_copy(update={"data_dir": data, "milvus_uri": ""})  # Milvus: a fresh Lite file
        library = Library(local, encoder=base.encoder)
        service = Service(local, library=library, pipeline=AnswerPipeline.from_settings(settings, library))
        reports = {}
        for t in truth:
            # a file may live in another set's folder ("../../whole/reports/x.txt"): resolved by name
            path = Path(os.path.normpath(folder / "reports" / t["file"]))
            try:
                data, name = publish(path, published)
                doc = service.upload(data, name).summary()
            except Exception as exc:  # a report the upload refuses is a result, not a crash
                reports[path.stem] = {"error": f"{exc.__class__.__name__}: {exc}"}
                continue
            verdict = metadata_verdict(doc, t)
            reports[path.stem] = {"detected": {k: doc[k] for k in ("county", "province", "city", "level", "year",
                                                                   "reviewed_year", "kind", "speaker", "missing")},
                                  "metadata": verdict, "metadata_right": all(verdict.values()), "facts": doc["facts"]}
        retrieval = evaluate_retrieval(library, [q for q in questions if q.answerable], ("hybrid",), k=10)
        answers = None if retrieval_only else evaluate_answers(service.pipeline, library, questions)
    result = {"reports": reports, "metadata_right": sum(r.get("metadata_right", False) for r in reports.values()),
              "n_reports": len(reports), "retrieval": per_report(questions, retrieval, answers)}
    hybrid = retrieval["modes"]["hybrid"]
    result["overall"] = {"hit@5 single": hybrid["single"].get("hit@5"), "all@5 comparison": hybrid["comparison"].get("all@5"),
                         **({k: v for k, v in answers["scores"].items() if not isinstance(v, dict)} if answers else {})}
    if answers:
        result["per_type"] = answers["scores"]["per_type"]
        result["per_probe"] = answers["scores"]["per_probe"]
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        rows = answers["rows"] if answers else []
        (out / "results.json").write_text(json.dumps({**result, "answer_rows": rows}, ensure_ascii=False, indent=1,
                                                     default=str), "utf-8")
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=None if as_json else 1, default=str) + "\n")
    return 0


def per_report(questions: Sequence[Question], retrieval: dict, answers: dict | None) -> dict:
    """hit@5, accuracy, refusal of the unanswerable: per report (a question's first doc)."""
    hits = {r.qid: r.ranks for r in retrieval["records"]}
    rows = {r["id"]: r for r in (answers["rows"] if answers else [])}
    out: dict[str, dict] = {}
    for q in questions:
        doc = q.docs[0] if q.docs else ""
        entry = out.setdefault(doc, {"n": 0, "hit@5": [], "correct": [], "refused_unanswerable": []})
        entry["n"] += 1
        if q.answerable and q.id in hits:
            entry["hit@5"].append(metrics.hit_at(metrics.last_rank(hits[q.id]) if q.type == "comparison"
                                                 else metrics.first_rank(hits[q.id]), 5))
        row = rows.get(q.id)
        if row and q.answerable:
            entry["correct"].append(float(bool(row.get("correct"))))
        elif row:
            entry["refused_unanswerable"].append(float(bool(row.get("refused"))))
    return {doc: {"n": e["n"], "hit@5": metrics.mean(e["hit@5"]), "accuracy": metrics.mean(e["correct"]),
                  "refusal": metrics.mean(e["refused_unanswerable"])} for doc, e in out.items()}
