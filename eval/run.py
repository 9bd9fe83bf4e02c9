"""`reportqa eval`: run a question set through retrieval (every mode with --compare, and the naive
baseline) and, unless --retrieval-only, through the answer pipeline; print and write the scores.

In-process use (the retrieval gate test does this):
    result = evaluate_retrieval(library, load(Path("eval/questions.jsonl")), modes=("hybrid",))
    result["modes"]["hybrid"]["single"]["hit@1"]  # -> 0.9…
"""
from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus.clean import fold_whitespace, normalize, strip_pinyin
from eval import metrics
from eval.questions import Question, QuestionError, load

MODES = ("hybrid", "dense", "bm25", "hybrid-no-places", "baseline")
DEPTH = 10  # hits fetched per question: MRR@10 and all@10 need ten


@dataclass(frozen=True, slots=True)
class Record:
    """One question through one retrieval mode."""

    qid: str
    type: str
    mode: str
    question: str
    ranks: tuple[int | None, ...]  # per evidence string; () for unanswerable questions
    latency_ms: float
    top: tuple[dict, ...]  # the first hits: id, doc_id, text (cut)
    error: str = ""


def _top(passages, n: int = 3) -> tuple[dict, ...]:
    return tuple({"id": p.id, "doc_id": p.doc_id, "text": p.text[:120]} for p in passages[:n])


def retrievers(library, modes: Sequence[str]) -> dict[str, tuple[Callable[[str, int], list], list]]:
    """mode -> (search(question, k) -> passages, every passage that mode ranks)."""
    from corpus.ingest import bundled_reports, doc_id_for

    retriever = library.retriever()
    # an engine store (Milvus) keeps no chunks in the worker: read them from the doc store
    chunks = list(retriever.chunks.values()) or [c for d in library.store.iter() for c in d.chunks]
    out: dict[str, tuple[Callable[[str, int], list], list]] = {}

    def library_mode(mode: str, use_places: bool = True):
        return lambda q, k: [h.chunk for h in retriever.retrieve(q, k=k, mode=mode, use_places=use_places)]

    for mode in modes:
        if mode in ("hybrid", "dense", "bm25"):
            out[mode] = (library_mode(mode), chunks)
        elif mode == "hybrid-no-places":
            out[mode] = (library_mode("hybrid", use_places=False), chunks)
        elif mode == "baseline":
            from eval.baseline import NaiveRetriever

            ingested = {d.doc_id for d in library.documents()}
            files = [p for p in bundled_reports() if doc_id_for(p.name) in ingested]
            naive = NaiveRetriever(files, library.encoder)
            out[mode] = (naive.retrieve, naive.windows)
        else:
            raise ValueError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    return out


def evaluate_retrieval(library, questions: Sequence[Question], modes: Sequence[str] = ("hybrid",),
                       k: int = 10, progress: bool = False) -> dict:
    """Run every question through every mode; scores per mode and one Record per question and mode."""
    from qa.retrieval.retrieve import QueryError

    depth = max(k, DEPTH)
    systems = retrievers(library, modes)
    evidence: dict[str, dict[str, list[metrics.Evidence]]] = {}
    for mode, (search, passages) in systems.items():
        corpus = metrics.corpus_keys(passages)
        evidence[mode] = {q.id: [metrics.make_evidence(e, q.doc_of(i), corpus) for i, e in enumerate(q.evidence)]
                          for q in questions}
        search(questions[0].question if questions else "warm up", depth)  # the first call loads jieba, warms the model
    per_mode: dict[str, list[Record]] = {mode: [] for mode in systems}
    chars: dict[str, list[int]] = {mode: [] for mode in systems}  # text of the top 5, as handed on
    bar = _bar(progress)
    with bar:
        task = bar.add_task(f"retrieval · {', '.join(systems)}", total=len(questions) * len(systems))
        # modes take turns on each question, so a busy machine slows them all alike
        for q in questions:
            for mode, (search, _) in systems.items():
                error = ""
                start = time.perf_counter()
                try:
                    hits = search(q.question, depth)
                except QueryError as exc:
                    hits, error = [], str(exc)
                elapsed = (time.perf_counter() - start) * 1000
                ranks = metrics.evidence_ranks(hits, evidence[mode][q.id])
                chars[mode].append(sum(len(getattr(h, "text", "")) for h in hits[:5]))
                per_mode[mode].append(Record(q.id, q.type, mode, q.question, ranks, elapsed, _top(hits), error))
                bar.advance(task)
    summary: dict[str, dict] = {}
    for mode, mode_records in per_mode.items():
        outcomes = [metrics.RankOutcome(r.qid, r.type, r.ranks) for r in mode_records if r.ranks]
        summary[mode] = {
            **metrics.retrieval_scores(outcomes, k),
            "latency_ms": metrics.latency([r.latency_ms for r in mode_records]),
            "top5_chars_mean": round(sum(chars[mode]) / len(chars[mode]), 1) if chars[mode] else None,
            "evidence_fallback": sum(e.fallback for evs in evidence[mode].values() for e in evs),
            "fallback_ids": sorted(qid for qid, evs in evidence[mode].items() if any(e.fallback for e in evs)),
            "misses": misses(mode_records),
        }
    records = [r for mode_records in per_mode.values() for r in mode_records]
    return {"k": k, "modes": summary, "records": records}


def misses(records: Sequence[Record]) -> list[dict]:
    """Single-report questions not at rank 1, and comparisons missing an evidence in the top DEPTH."""
    out = []
    for r in records:
        if r.type in metrics.SINGLE_TYPES:
            rank = metrics.first_rank(r.ranks)
            if rank == 1:
                continue
        elif r.type == "comparison":
            rank = metrics.last_rank(r.ranks)
            if rank is not None:
                continue
        else:
            continue
        out.append({"id": r.qid, "type": r.type, "question": r.question, "rank": rank,
                    "ranks": list(r.ranks), "top1": r.top[0] if r.top else None})
    return out


# -- answers ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Cited:
    doc_id: str
    norm: str


def evaluate_answers(pipeline, library, questions: Sequence[Question], progress: bool = False) -> dict:
    """Every question through `pipeline.answer(question) -> qa.records.Answer`, judged against the
    gold answers and evidence; citations are matched against the library's paragraphs."""
    documents = library.full(d.doc_id for d in library.documents())  # with Milvus: read from the engine
    corpus = metrics.corpus_keys(_Cited(p.doc_id, p.norm) for d in documents for p in d.paragraphs)
    facts = [f for d in documents for f in d.facts]
    places = sorted({d.county for d in documents if d.county}, key=lambda p: (-len(p), p))  # a fixed order: ties by name
    outcomes: list[metrics.AnswerOutcome] = []
    rows: list[dict] = []
    errors = 0
    bar = _bar(progress)
    with bar:
        task = bar.add_task("answers", total=len(questions))
        for q in questions:
            evidence = [metrics.make_evidence(e, q.doc_of(i), corpus) for i, e in enumerate(q.evidence)]
            start = time.perf_counter()
            try:
                ans = pipeline.answer(q.question)
            except Exception as exc:  # one failing question must not lose the other answers
                errors += 1
                print(f"{q.id}: the pipeline raised {exc.__class__.__name__}: {exc}", file=sys.stderr)
                outcomes.append(metrics.AnswerOutcome(q.id, q.type, False, False, False, None, None,
                                                      (time.perf_counter() - start) * 1000))
                rows.append({"id": q.id, "error": f"{exc.__class__.__name__}: {exc}"})
                bar.advance(task)
                continue
            elapsed = (time.perf_counter() - start) * 1000
            cited = [_Cited(c.doc_id, normalize(strip_pinyin(fold_whitespace(c.text)))) for c in ans.citations]
            precision, recall = metrics.citation_scores(cited, evidence) if q.answerable and not ans.refused else (None, None)
            # asked whether a target was met when the next report says nothing of it, "not stated" is the answer
            refused = bool(ans.refused) and q.verdict != "not_stated"
            ok = q.answerable and not refused and metrics.decided(ans.text, q.answers, q.type, q.answers_all, q.winner, q.verdict)
            asked_place = next((p for p in places if p in normalize(q.question) or p[:-1] in normalize(q.question)), None)
            asked_year = next((int(y) for y in re.findall(r"((?:19|20)\d{2})年", q.question)), None)
            misplaced = metrics.misplaced_figures(ans.text, facts, places, asked_place, asked_year)
            misplaced += [w for w in q.wrong if not ans.refused and w not in misplaced
                          and metrics.shows_wrong(ans.text, w, [*q.answers, *(q.answers_all or [])])]
            timings = dict(ans.timings or {})
            outcomes.append(metrics.AnswerOutcome(
                q.id, q.type, refused, ok, bool(ans.grounded), precision, recall, elapsed,
                timings.get("first_token_ms"), q.probe, len(misplaced)))
            rows.append({"id": q.id, "type": q.type, "question": q.question, "answer": ans.text,
                         "refused": ans.refused, "grounded": ans.grounded, "correct": ok, "mode": ans.mode,
                         "citations": [f"{c.doc_id} {c.paragraph_id}" for c in ans.citations],
                         "precision": precision, "recall": recall, "latency_ms": elapsed, "timings": timings,
                         "context_chars": getattr(ans, "context_chars", 0), "probe": q.probe,
                         "misplaced": misplaced})
            bar.advance(task)
    scores = metrics.answer_scores(outcomes)
    scores["errors"] = errors
    given = [r["context_chars"] for r in rows if r.get("context_chars")]
    scores["context_chars_mean"] = round(sum(given) / len(given), 1) if given else None
    for key in ("retrieve_ms", "generate_ms"):
        values = [r["timings"][key] for r in rows if isinstance(r.get("timings", {}).get(key), (int, float))]
        scores[key] = metrics.latency(values)
    return {"scores": scores, "rows": rows}


# -- the command ----------------------------------------------------------------------------------
def run(settings, questions: Path, retrieval_only: bool, k: int, compare: bool, out: Path | None,
        as_json: bool, limit: int | None) -> int:
    """Exit code: 0 done, 1 the answer pipeline failed to load, 2 unusable question file or index."""
    try:
        qs = load(questions, limit)
    except (OSError, QuestionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not qs:
        print(f"error: {questions} holds no questions", file=sys.stderr)
        return 2
    from embeddings.index import IndexError_
    from qa.library import Library

    library = Library(settings)
    try:
        library.ensure_ready(progress=not as_json)
        library.retriever()
    except (IndexError_, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    missing = sorted({d for q in qs for d in q.docs} - {d.doc_id for d in library.documents()})
    if missing:
        print(f"warning: questions name reports that are not ingested: {', '.join(missing)}", file=sys.stderr)

    modes = MODES if compare else ("hybrid",)
    retrieval = evaluate_retrieval(library, qs, modes, k=k, progress=True)
    answers = None
    if not retrieval_only:
        try:
            from qa.answer.pipeline import AnswerPipeline

            pipeline = AnswerPipeline.from_settings(settings, library)
        except ImportError as exc:
            print(f"error: the answer pipeline (qa.answer.pipeline.AnswerPipeline) is not available ({exc}); "
                  "run with --retrieval-only to measure retrieval alone", file=sys.stderr)
            return 1
        except RuntimeError as exc:  # a generator model that cannot be loaded
            print(f"error: the answer pipeline cannot start: {exc}", file=sys.stderr)
            return 1
        answers = evaluate_answers(pipeline, library, qs, progress=True)
    result = summarize(qs, questions, retrieval, answers)
    if out is not None:
        from eval.report import write

        write(out, result, retrieval["records"], answers["rows"] if answers else None)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        print_tables(result)
        if out is not None:
            print(f"wrote {out / 'results.json'}, {out / 'report.md'} and charts", file=sys.stderr)
    return 0


def summarize(qs: Sequence[Question], path: Path, retrieval: dict, answers: dict | None) -> dict:
    """The one JSON object `--json` prints: hybrid's scores first, then every mode."""
    modes = retrieval["modes"]
    main = modes.get("hybrid") or next(iter(modes.values()))
    return {
        "questions": str(path),
        "k": retrieval["k"],
        "counts": {
            "questions": len(qs),
            "by_type": dict(Counter(q.type for q in qs)),
            "single_report": sum(q.single for q in qs),
            "evidence": sum(len(q.evidence) for q in qs),
        },
        "overall": {"single": main["single"], "comparison": main["comparison"]},
        "per_type": main["per_type"],
        "latency_ms": main["latency_ms"],
        "evidence_fallback": main["evidence_fallback"],
        "modes": modes,
        "answers": answers["scores"] if answers else None,
    }


def print_tables(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    k = result["k"]
    console = Console()

    def fmt(x) -> str:
        return "–" if x is None else f"{x:.3f}"

    table = Table("mode", "hit@1", "hit@5", "MRR@10", f"comparison all@{k}", "p50 ms", "p95 ms", "fallback",
                  title=f"retrieval · {result['counts']['single_report']} single-report questions, "
                        f"{result['counts']['by_type'].get('comparison', 0)} comparisons")
    for mode, s in result["modes"].items():
        table.add_row(mode, fmt(s["single"]["hit@1"]), fmt(s["single"]["hit@5"]), fmt(s["single"]["mrr@10"]),
                      fmt(s["comparison"][f"all@{k}"]), f"{s['latency_ms']['p50']:.1f}",
                      f"{s['latency_ms']['p95']:.1f}", str(s["evidence_fallback"]))
    console.print(table)

    types = list(next(iter(result["modes"].values()))["per_type"])
    per_type = Table("type", "n", *result["modes"], title="hit@1 / hit@5 per type (comparison: all@5 / all@k)")
    for t in types:
        cells = []
        for s in result["modes"].values():
            v = s["per_type"].get(t, {})
            a, b = (v.get("all@5"), v.get(f"all@{k}")) if t == "comparison" else (v.get("hit@1"), v.get("hit@5"))
            cells.append(f"{fmt(a)} / {fmt(b)}")
        n = next(iter(result["modes"].values()))["per_type"][t]["n"]
        per_type.add_row(t, str(n), *cells)
    console.print(per_type)

    missed = result["modes"].get("hybrid", {}).get("misses", [])
    if missed:
        table = Table("id", "type", "rank", "question", "rank-1 passage", title="hybrid: not at rank 1")
        for m in missed:
            top = m["top1"] or {}
            table.add_row(m["id"], m["type"], str(m["rank"] or "–"), m["question"],
                          f"{top.get('id', '')} {top.get('text', '')[:40]}")
        console.print(table)

    a = result.get("answers")
    if a:
        table = Table("accuracy", "refused (unanswerable)", "false refusals", "citation P", "citation R",
                      "grounded", "p50 ms", "p95 ms", "errors", title=f"answers · {a['n']} questions")
        table.add_row(fmt(a["accuracy"]), fmt(a["refusal_rate_unanswerable"]), fmt(a["false_refusal_rate"]),
                      fmt(a["citation_precision"]), fmt(a["citation_recall"]), fmt(a["grounded_rate"]),
                      fmt(a["latency_ms"]["p50"]), fmt(a["latency_ms"]["p95"]), str(a["errors"]))
        console.print(table)


def _bar(enabled: bool):
    """A rich progress bar on stderr, or a stand-in that does nothing."""
    if not enabled:
        class _Null:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def add_task(self, *a, **k):
                return None

            def advance(self, *a, **k):
                return None

        return _Null()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)
