"""Application benchmarks on the bundled reports: ingest and index, retrieval in-process and over
HTTP, the naive baseline, streamed answers with the configured generator, and process memory.

Latencies are wall-clock milliseconds of one call at a time; percentiles are numpy's (linear).
"""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from eval import metrics
from eval.questions import Question


def stats(ms: Sequence[float]) -> dict:
    """Example: stats([1, 2, 3, 4]) -> {"p50": 2.5, "p95": 3.85, "n": 4}"""
    if not ms:
        return {"p50": None, "p95": None, "n": 0}
    return {"p50": round(float(np.percentile(ms, 50)), 2), "p95": round(float(np.percentile(ms, 95)), 2), "n": len(ms)}


def memory() -> dict:
    """Current RSS and the process's peak so far (ru_maxrss is KiB on Linux), in MB."""
    import resource

    import psutil

    return {"rss_mb": round(psutil.Process().memory_info().rss / 2**20),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def ingest(settings) -> tuple[object, dict]:
    """A cold ingest into `settings.data_dir` (a fresh folder), then a second one that hits the cache."""
    import tracemalloc

    from qa.library import Library

    library = Library(settings)
    t0 = time.perf_counter()
    _ = library.encoder  # model load is reported apart from the stages
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    first = library.ingest(None)
    total_s = time.perf_counter() - t0
    build = first.index
    paragraphs = sum(len(d.paragraphs) for d in first.documents)
    chunks = sum(len(d.chunks) for d in first.documents)
    clean_s = total_s - build.seconds  # read + clean + split + chunk + save
    t0 = time.perf_counter()
    second = library.ingest(None)
    again_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    library.store.load()  # what Library.retriever() and documents() read: every report's JSON
    load_ms = (time.perf_counter() - t0) * 1000
    tracemalloc.start()
    loaded = library.store.load()
    held = tracemalloc.get_traced_memory()[0]  # bytes the loaded Documents hold
    tracemalloc.stop()
    del loaded
    store_bytes = sum(p.stat().st_size for p in library.store.dir.glob("*.json"))
    return library, {
        "documents": len(first.documents), "failures": len(first.failures), "paragraphs": paragraphs,
        "chunks": chunks, "encoder": library.encoder.name, "encoder_load_s": round(load_s, 2),
        "clean_split_s": round(clean_s, 2), "paragraphs_per_s": round(paragraphs / clean_s, 1),
        "embed_index_s": round(build.seconds, 2), "chunks_embedded": build.embedded,
        "chunks_embedded_per_s": round(build.embedded / build.seconds, 1), "total_s": round(total_s, 2),
        "cold_s": round(load_s + total_s, 2),
        "docstore_bytes_per_report": round(store_bytes / len(first.documents)),
        "docstore_load_ms_per_report": round(load_ms / len(first.documents), 2),
        "docstore_memory_per_report": round(held / len(first.documents)),
        "second": {"total_s": round(again_s, 2), "embedded": second.index.embedded,
                   "index_build_s": round(second.index.seconds, 3), "version": second.index.version},
    }


def _hit(passages: Sequence, question: Question, corpus: str) -> bool:
    evidence = [metrics.make_evidence(e, question.doc_of(i), corpus) for i, e in enumerate(question.evidence)]
    return metrics.first_rank(metrics.evidence_ranks(passages, evidence)) is not None


def _timed(fn: Callable, *args):
    """(result or None on a QueryError, ms)"""
    t0 = time.perf_counter()
    try:
        out = fn(*args)
    except ValueError:  # QueryError: a question naming an unknown place
        out = None
    return out, (time.perf_counter() - t0) * 1000


def _scored(latencies: list[float], hits: list[bool], errors: int) -> dict:
    return {"latency_ms": stats(latencies), "hit@k": round(sum(hits) / len(hits), 3) if hits else None,
            "scored": len(hits), "errors": errors}


def retrieval(settings, library, questions: Sequence[Question], k: int = 5) -> dict:
    """Per question, back to back so both see the same machine load: hybrid retrieval in-process,
    the query embedding alone, and POST /v1/search to a uvicorn server in a thread of this process."""
    from qa.serve.service import Service

    retriever = library.retriever()
    corpus = metrics.corpus_keys(list(retriever.chunks.values()))
    local = lambda q: [h.chunk for h in retriever.retrieve(q, k=k)]  # noqa: E731
    lat: dict[str, list[float]] = {"in_process": [], "embed": [], "http": []}
    hits, errors, status = [], 0, {}
    with serve(settings, Service(settings, library)) as client:
        remote = lambda q: client.post("/v1/search", json={"query": q, "k": k})  # noqa: E731
        local(questions[0].question), remote(questions[0].question)  # warm-up: jieba, first forward pass
        for q in questions:
            found, ms = _timed(local, q.question)
            lat["in_process"].append(ms)
            errors += found is None
            if q.single:
                hits.append(_hit(found or [], q, corpus))
            lat["embed"].append(_timed(library.encoder.encode, [q.question])[1])
            response, ms = _timed(remote, q.question)
            lat["http"].append(ms)
            status[response.status_code] = status.get(response.status_code, 0) + 1
    return {"k": k, "chunks": len(retriever.ids), "in_process": _scored(lat["in_process"], hits, errors),
            "query_embed_ms": stats(lat["embed"]),
            "http": {"latency_ms": stats(lat["http"]), "status": {str(c): n for c, n in sorted(status.items())}}}


def baseline(library, questions: Sequence[Question], k: int = 5) -> dict:
    """eval.baseline's naive retriever: 750-char windows, 150 overlap, dense only."""
    from corpus.ingest import bundled_reports
    from eval.baseline import OVERLAP, SIZE, NaiveRetriever

    t0 = time.perf_counter()
    naive = NaiveRetriever(bundled_reports(), library.encoder)
    build_s = time.perf_counter() - t0
    corpus = metrics.corpus_keys(naive.windows)
    naive.retrieve(questions[0].question, k=k)
    lat, hits = [], []
    for q in questions:
        found, ms = _timed(naive.retrieve, q.question, k)
        lat.append(ms)
        if q.single:
            hits.append(_hit(found, q, corpus))
    return {"k": k, "size": SIZE, "overlap": OVERLAP, "windows": len(naive.windows), "build_s": round(build_s, 2),
            **_scored(lat, hits, 0)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(settings, service):
    """An httpx client to create_app(settings, service) served by uvicorn on a free local port."""
    import httpx
    import uvicorn

    from qa.serve.api import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, service, mount_ui=False), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(10)


def pick(questions: Sequence[Question]) -> list[Question]:
    """Single-report questions, round-robin over reports so every county is asked about."""
    by_doc: dict[str, list[Question]] = {}
    for q in questions:
        if q.single:
            by_doc.setdefault(q.docs[0] if q.docs else "", []).append(q)
    out, lists = [], list(by_doc.values())
    for i in range(max((len(v) for v in lists), default=0)):
        out += [v[i] for v in lists if i < len(v)]
    return out


def answers(settings, library, questions: Sequence[Question], n: int) -> dict:
    """Stream answers until `n` were generated (refusals are skipped): TTFT, total, decode rate."""
    from qa.answer.pipeline import AnswerPipeline

    pipeline = AnswerPipeline.from_settings(settings, library)
    t0 = time.perf_counter()
    generator = pipeline.generator
    load_s = time.perf_counter() - t0
    tokenize = getattr(getattr(generator, "llm", None), "tokenize", None)
    unit = "tokens" if tokenize else "chars"
    items = []
    for q in pick(questions)[: 2 * n + 2]:
        if sum(1 for i in items if i["ttft_ms"] is not None) >= n:
            break
        start = time.perf_counter()
        first = last = None
        text, final = "", None
        for kind, payload in pipeline.stream(q.question):
            now = time.perf_counter()
            if kind == "token":
                first, last, text = first or now, now, text + payload
            elif kind == "final":
                final = payload
        total = (time.perf_counter() - start) * 1000
        count = len(tokenize(text.encode("utf-8"), add_bos=False)) if tokenize and text else len(text)
        context = getattr(getattr(generator, "llm", None), "n_tokens", None)  # prompt + generated, llama.cpp
        rate = (count - 1) / (last - first) if first and last and last > first and count > 1 else None
        items.append({"id": q.id, "question": q.question, "mode": final.mode if final else None,
                      "ttft_ms": round((first - start) * 1000, 1) if first else None, "total_ms": round(total, 1),
                      unit: count, "context_tokens": context, "decode_per_s": round(rate, 1) if rate else None,
                      "timings": final.timings if final else {}, "answer": final.text[:200] if final else ""})
    generated = [i for i in items if i["ttft_ms"] is not None]
    return {"generator": getattr(generator, "name", type(generator).__name__), "backend": settings.llm_backend,
            "load_s": round(load_s, 2), "max_tokens": settings.max_tokens, "unit": unit, "n": len(generated),
            "skipped": len(items) - len(generated),
            "ttft_ms": stats([i["ttft_ms"] for i in generated]),
            "total_ms": stats([i["total_ms"] for i in generated]),
            "decode_per_s": stats([i["decode_per_s"] for i in generated if i["decode_per_s"]]),
            "items": items}


def questions_file() -> Path:
    return Path(__file__).parent / "questions.jsonl"
