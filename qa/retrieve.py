"""Hybrid retrieval: dense (FAISS) + BM25, fused by weighted reciprocal rank, restricted to the
counties and years a question names. A question naming two places gets evidence for each."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from corpus.clean import normalize
from corpus.meta import short_name
from corpus.records import Chunk, Document
from embeddings.encoder import Encoder
from embeddings.index import FaissIndex
from qa.fuse import fuse, interleave
from qa.keyword import KeywordIndex, Tokenizer
from qa.places import Places, aliases, docs_for, find_places
from qa.records import Hit
from qa.synonyms import expand

Mode = Literal["hybrid", "dense", "bm25"]
MAX_QUERY_CHARS = 500  # the models read ~512 tokens; longer queries are cut, not refused


class QueryError(ValueError):
    """A query or filter the user must fix (empty, unknown county…)."""


class Retriever:
    """Search over the ingested reports. `retrieve` is safe to call from many threads."""

    def __init__(
        self, documents: Sequence[Document], encoder: Encoder | None, index: FaissIndex | None,
        weights: tuple[float, float] = (1.0, 1.0), rrf_k: int = 60, tokenizer_mode: str = "words+bigrams",
    ):
        self.documents = list(documents)
        self.encoder, self.index = encoder, index
        self.weights, self.rrf_k = weights, rrf_k
        self.chunks: dict[str, Chunk] = {c.id: c for d in self.documents for c in d.chunks}
        self.ids = list(self.chunks)
        places = {a for d in self.documents for a in aliases(d)}
        self.keyword = KeywordIndex(self.ids, [c.indexed for c in self.chunks.values()], Tokenizer(places, tokenizer_mode))

    # -- filters ---------------------------------------------------------------------------
    def resolve_county(self, county: str) -> str:
        """A user's county filter ("侯马", "代縣", "通渭县") -> the metadata name, or QueryError."""
        want = normalize(county.strip())
        for d in self.documents:
            if want and want in {d.county, short_name(d.county)} | aliases(d):
                return d.county
        known = "、".join(sorted({d.county for d in self.documents}))
        raise QueryError(f"unknown county {county!r}; the reports cover: {known}")

    def places(self, query: str) -> Places:
        return find_places(query, self.documents)

    # -- search ----------------------------------------------------------------------------
    def retrieve(
        self, query: str, k: int = 5, county: str | None = None, year: int | None = None,
        mode: Mode = "hybrid", use_places: bool = True,
    ) -> list[Hit]:
        """Best k chunks for a query, as Hits ranked 1..k."""
        if not query or not query.strip():
            raise QueryError("the query is empty")
        if k < 1:
            raise QueryError("k must be at least 1")
        query = query.strip()[:MAX_QUERY_CHARS]
        found = self.places(query) if use_places else Places()
        counties = [self.resolve_county(county)] if county else list(found.counties)
        years = [year] if year else list(found.years)
        norm = expand(normalize(query))
        dense, keyword = self._signals(norm, mode)
        if not counties:
            allowed = None if not (year and county is None) else {d.doc_id for d in self.documents if year in (d.year, d.reviewed_year)} or None
            return self._rank(dense, keyword, allowed, k, mode)
        groups = []
        for c in counties:
            allowed = {d.doc_id for d in docs_for(c, years, self.documents)}
            groups.append(self._rank(dense, keyword, allowed, k, mode))
        merged = interleave(groups, k) if len(groups) > 1 else groups[0]
        return [Hit(h.chunk, h.score, i, h.dense, h.keyword) for i, h in enumerate(merged, start=1)]

    def _signals(self, norm: str, mode: Mode) -> tuple[dict[str, float], dict[str, float]]:
        dense: dict[str, float] = {}
        if mode != "bm25" and self.encoder is not None and self.index is not None:
            vector = self.encoder.encode([norm])
            dense = dict(self.index.search(vector, min(len(self.ids), 1000))[0])
        keyword: dict[str, float] = {}
        if mode != "dense":
            scores = self.keyword.scores(norm)
            keyword = {self.ids[i]: float(scores[i]) for i in np.flatnonzero(scores > 0)}
        return dense, keyword

    def _rank(self, dense: dict[str, float], keyword: dict[str, float], allowed: set[str] | None, k: int, mode: Mode) -> list[Hit]:
        def ok(cid: str) -> bool:
            return allowed is None or self.chunks[cid].doc_id in allowed

        by_dense = [c for c, _ in sorted(dense.items(), key=lambda kv: -kv[1]) if ok(c)]
        by_keyword = [c for c, _ in sorted(keyword.items(), key=lambda kv: -kv[1]) if ok(c)]
        if mode == "dense":
            ranked = [(c, dense[c]) for c in by_dense]
        elif mode == "bm25":
            ranked = [(c, keyword[c]) for c in by_keyword]
        else:
            ranked = fuse([by_dense, by_keyword], k=self.rrf_k, weights=self.weights)
        return [Hit(self.chunks[c], s, i, dense.get(c, 0.0), keyword.get(c, 0.0))
                for i, (c, s) in enumerate(ranked[:k], start=1)]
