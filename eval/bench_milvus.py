"""The two stores on synthetic libraries: build time and insert rate, and p50/p95 of a hybrid
search restricted to one county, FAISS + bm25s beside Milvus Lite; and the memory of one API
worker with the Milvus store at 5 real and at 20,000 synthetic reports.

    stores((10_000,)) -> {"10000": {"faiss": {"build_s": …, "search_ms": {…}}, "milvus": {"insert_per_s": …}}}
    worker_memory(20_000) -> {"5": {"rss_mb": …}, "20000": {"rss_mb": …}, …}

Synthetic reports are the bundled reports' chunks, paragraphs and facts re-labelled with other
places of the national list and other years, so texts, lengths and figures are real ones.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from eval.bench_app import stats


def _places(n: int) -> list[str]:
    from corpus.places import names as national

    names = sorted(p for p in national() if len(p) >= 2 and p[-1] in "县市区旗")
    return names[:n] if n <= len(names) else names


def synthetic(n_reports: int, chunks_per: int = 86, seed: int = 0) -> Iterator:
    """`n_reports` Documents built from the bundled reports' pieces, each under a place and year."""
    from corpus.ingest import build_path, bundled_reports

    sources = [build_path(p) for p in bundled_reports()]
    rng = np.random.default_rng(seed)
    places = _places(3000)
    for i in range(n_reports):
        src = sources[i % len(sources)]
        place, year = places[i % len(places)], 2005 + (i // len(places)) % 20
        doc_id = f"syn-{i:05d}"
        start = int(rng.integers(0, max(1, len(src.chunks) - chunks_per)))
        chunks = src.chunks[start : start + chunks_per]
        wanted = {pid for c in chunks for pid in c.paragraph_ids}

        def moved(text: str) -> str:
            return text.replace(src.county, place)

        paragraphs = tuple(replace(p, id=p.id.replace(src.doc_id, doc_id), doc_id=doc_id, text=moved(p.text), norm=moved(p.norm))
                           for p in src.paragraphs if p.id in wanted)
        chunks = tuple(replace(c, id=c.id.replace(src.doc_id, doc_id), doc_id=doc_id, county=place, year=year,
                               paragraph_ids=tuple(p.replace(src.doc_id, doc_id) for p in c.paragraph_ids),
                               text=moved(c.text), norm=moved(c.norm)) for c in chunks)
        facts = tuple(replace(f, doc_id=doc_id, paragraph_id=f.paragraph_id.replace(src.doc_id, doc_id), place=place)
                      for f in src.facts if f.paragraph_id in wanted)
        yield replace(src, doc_id=doc_id, source=f"{doc_id}.txt", county=place, title=f"{place}{year}年政府工作报告",
                      year=year, reviewed_year=year - 1, paragraphs=paragraphs, chunks=chunks, facts=facts)


def stores(sizes: Sequence[int] = (10_000, 100_000), queries: int = 100, log=print) -> dict:
    """Per size (chunks): FAISS + bm25s and Milvus Lite built from the same synthetic reports and
    vectors (hash encoder, 512-d), then `queries` hybrid searches naming one county each."""
    from embeddings.encoder import HashEncoder
    from embeddings.index import FaissIndex, doc_vectors
    from qa.retrieval.milvus import MilvusStore
    from qa.retrieval.retrieve import EngineRetriever, Retriever

    encoder = HashEncoder(512)
    out = {}
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="reportqa-stores-") as tmp:
            docs = list(synthetic(max(1, n // 86)))
            chunks = sum(len(d.chunks) for d in docs)
            t0 = time.perf_counter()
            vectors = {d.doc_id: v for d, v, _ in doc_vectors(docs, encoder, Path(tmp) / "cache")}
            embed_s = time.perf_counter() - t0
            rng = np.random.default_rng(1)
            asks = []
            for d in rng.choice(docs, size=queries):
                c = d.chunks[int(rng.integers(0, len(d.chunks)))]
                asks.append((f"{d.county}{c.norm[:24]}", d.county))
            row = {"chunks": chunks, "reports": len(docs), "embed_s_hash": round(embed_s, 1)}

            t0 = time.perf_counter()
            index = FaissIndex(Path(tmp) / "faiss")
            index.build(docs, encoder)  # the vectors come from the cache written above
            faiss_ret = Retriever(docs, encoder, index, weights=(1.0, 5.0), rrf_k=10, section_boost=0.25)
            row["faiss"] = {"build_s": round(time.perf_counter() - t0, 1), "search_ms": _time(faiss_ret, asks)}
            log(f"stores {n}: faiss {row['faiss']}")

            store = MilvusStore(str(Path(tmp) / "milvus.db"))
            t0 = time.perf_counter()
            store.publish(((d, vectors[d.doc_id]) for d in docs), encoder.dim, encoder.name)
            seconds = time.perf_counter() - t0
            milvus_ret = EngineRetriever(store.heads(), encoder, store, rrf_k=10, section_boost=0.25)
            row["milvus"] = {"build_s": round(seconds, 1), "insert_per_s": round(chunks / seconds),
                             "search_ms": _time(milvus_ret, asks), "engine": "milvus-lite (embedded)"}
            log(f"stores {n}: milvus {row['milvus']}")
            store.client.close()
            out[str(n)] = row
    return out


def _time(retriever, asks) -> dict:
    retriever.retrieve(asks[0][0], k=5, county=asks[0][1])  # warm
    ms = []
    for query, county in asks:
        t0 = time.perf_counter()
        retriever.retrieve(query, k=5, county=county)
        ms.append((time.perf_counter() - t0) * 1000)
    return {k: round(v, 1) if isinstance(v, float) else v for k, v in stats(ms).items()}


# -- worker memory ----------------------------------------------------------------------------
def worker_memory(reports: int = 20_000, chunks_per: int = 4, log=print) -> dict:
    """RSS of one API worker (Milvus store, real encoder, extractive answers) after 20 questions,
    against a `milvus-lite server` holding the 5 bundled reports, then `reports` synthetic ones."""
    from embeddings.index import doc_vectors
    from qa.library import Library
    from qa.retrieval.milvus import MilvusStore
    from qa.settings import Settings

    out = {}
    with tempfile.TemporaryDirectory(prefix="reportqa-rss-") as tmp:
        server, uri = _server(Path(tmp) / "engine")
        try:
            settings = Settings(data_dir=Path(tmp) / "bundled", store="milvus", milvus_uri=uri, llm_backend="extractive")
            library = Library(settings)
            library.ingest(None)
            encoder = library.encoder
            out["5"] = _worker(uri, Path(tmp) / "w5")
            log(f"worker at 5 reports: {out['5']}")
            store = MilvusStore(uri, prefix="reportqa")
            rng = np.random.default_rng(0)
            t0 = time.perf_counter()

            def with_vectors():
                yield from ((d, v) for d, v, _ in doc_vectors(library.store.iter(), encoder, settings.index_dir / "cache"))
                for d in synthetic(reports, chunks_per):
                    v = rng.standard_normal((len(d.chunks), encoder.dim)).astype(np.float32)
                    yield d, v / np.linalg.norm(v, axis=1, keepdims=True)

            store.publish(with_vectors(), encoder.dim, encoder.name)
            out["publish_s"] = round(time.perf_counter() - t0, 1)
            out[str(reports)] = _worker(uri, Path(tmp) / "wN")
            out["engine_rss_mb"] = _rss_mb(server.pid)
            log(f"worker at {reports} reports: {out[str(reports)]}")
        finally:
            server.terminate()
            server.wait(30)
    out["note"] = (f"synthetic reports carry {chunks_per} chunks each: a worker's memory depends on the number of "
                   "reports (their metadata), not on their chunks, which stay in the engine")
    return out


def _server(data: Path) -> tuple[subprocess.Popen, str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("milvus-lite server did not start")


def _rss_mb(pid: int) -> int:
    import psutil

    return round(psutil.Process(pid).memory_info().rss / 2**20)


def _worker(uri: str, data: Path) -> dict:
    """A fresh worker process: load, answer 20 questions, report its RSS."""
    env = {**os.environ, "REPORTQA_STORE": "milvus", "REPORTQA_MILVUS_URI": uri, "REPORTQA_DATA_DIR": str(data),
           "REPORTQA_LLM_BACKEND": "extractive"}
    done = subprocess.run([sys.executable, "-m", "eval.bench_milvus"], env=env, capture_output=True, text=True,
                          timeout=1800, cwd=Path(__file__).resolve().parents[1])
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _serve_questions() -> dict:
    """Inside the worker process: what one API worker does for 20 questions."""
    import psutil

    from eval.bench_app import questions_file
    from eval.questions import load
    from qa.answer.pipeline import AnswerPipeline
    from qa.library import Library
    from qa.settings import Settings

    settings = Settings()
    library = Library(settings)
    pipeline = AnswerPipeline.from_settings(settings, library)
    t0 = time.perf_counter()
    library.retriever()
    ready_s = time.perf_counter() - t0
    answered, ms = 0, []
    for q in load(questions_file(), limit=20):
        t1 = time.perf_counter()
        answered += bool(pipeline.answer(q.question).text)
        ms.append((time.perf_counter() - t1) * 1000)
    return {"rss_mb": round(psutil.Process().memory_info().rss / 2**20), "reports": len(library.documents()),
            "ready_s": round(ready_s, 1), "answered": answered, "answer_ms_p50": round(float(np.median(ms)), 1)}


if __name__ == "__main__":
    print(json.dumps(_serve_questions()))
