"""Per-question costs that grow with the corpus, outside FAISS: BM25 over every chunk
(qa/retrieval/keyword.py and the ranking in qa/retrieval/retrieve.py) and the place lookup over every report
(qa/retrieval/places.py). The bundled reports are replicated to reach the sizes measured.
"""
from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from eval.bench_app import stats


class _Cached:
    """The retriever's tokenizer with memory: replicated texts are tokenized once."""

    def __init__(self, tokenizer):
        self.tokenize = functools.lru_cache(maxsize=None)(tokenizer.tokenize)


def lexical(library, questions: Sequence, factors: Sequence[int] = (10, 100),
            place_docs: Sequence[int] = (5_600, 56_000), queries: int = 20) -> dict:
    from corpus.clean import normalize
    from qa.retrieval.keyword import KeywordIndex
    from qa.retrieval.places import find_places
    from qa.retrieval.synonyms import expand

    retriever = library.retriever()
    chunks, docs = list(retriever.chunks.values()), retriever.documents
    tokenizer = retriever.keyword.tokenizer
    texts = [c.indexed for c in chunks]
    t0 = time.perf_counter()
    for t in texts:
        tokenizer.tokenize(t)
    rate = len(texts) / (time.perf_counter() - t0)  # every worker pays this per chunk when it loads an index
    asked = [q.question for q in questions[:queries]]
    keyword = []
    for f in factors:
        ids = [str(i) for i in range(len(texts) * f)]
        t0 = time.perf_counter()
        index = KeywordIndex(ids, texts * f, _Cached(tokenizer))
        build_s = time.perf_counter() - t0
        score_ms, rank_ms, nonzero = [], [], []
        for q in asked:
            norm = expand(normalize(q))  # as Retriever.retrieve prepares it
            t0 = time.perf_counter()
            scores = index.scores(norm)
            t1 = time.perf_counter()
            # what Retriever._signals and _rank then do with them: a dict of every non-zero, sorted
            found = {ids[i]: float(scores[i]) for i in np.flatnonzero(scores > 0)}
            sorted(found.items(), key=lambda kv: -kv[1])
            score_ms.append((t1 - t0) * 1000)
            rank_ms.append((time.perf_counter() - t0) * 1000)
            nonzero.append(len(found))
        arrays = getattr(index.bm25, "scores", {}) or {}
        size = sum(getattr(v, "nbytes", 0) for v in arrays.values())
        keyword.append({"chunks": len(ids), "bm25_index_s": round(build_s, 2), "scores_ms": stats(score_ms),
                        "scores_and_rank_ms": stats(rank_ms), "nonzero_share": round(float(np.mean(nonzero)) / len(ids), 3),
                        "bm25_bytes_per_chunk": round(size / len(ids)) if size else None})
        del index
    places = []
    for n in place_docs:
        many = [replace(d, doc_id=f"{d.doc_id}~{i}") for i in range(n // len(docs) + 1) for d in docs][:n]
        ms = []
        for q in asked:
            t0 = time.perf_counter()
            find_places(q, many)
            ms.append((time.perf_counter() - t0) * 1000)
        places.append({"documents": n, "find_places_ms": stats(ms)})
    big = keyword[-1]
    per_chunk_ms = big["scores_and_rank_ms"]["p50"] / big["chunks"]
    return {"tokenize_chunks_per_s": round(rate, 1), "keyword": keyword, "places": places,
            "extrapolated_3m_chunks": {  # linear in chunks, from the largest measured size
                "tokenize_hours_per_worker": round(3e6 / rate / 3600, 2),
                "scores_and_rank_ms": round(per_chunk_ms * 3e6), "from_chunks": big["chunks"]}}
