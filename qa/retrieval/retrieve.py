"""Hybrid retrieval: dense (FAISS) + BM25, fused by weighted reciprocal rank, restricted to the
counties and years a question names. A question naming two places gets evidence for each."""
from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal

import re

import numpy as np

from corpus.clean import normalize
from corpus.facts import section_of
from corpus.meta import short_name
from corpus.records import Chunk, Document
from embeddings.encoder import Encoder
from embeddings.index import FaissIndex
from qa.retrieval.fuse import fuse, interleave
from qa.retrieval.keyword import KeywordIndex, Tokenizer
from qa.retrieval.places import Places, aliases, docs_for, find_places
from qa.records import Hit
from qa.retrieval.synonyms import expand

Mode = Literal["hybrid", "dense", "bm25"]
_PLAN_WORDS = re.compile(r"目标|计划|规划|预期|力争|将要|打算|拟|部署|要求|争取.*?以上|今年要|明年|安排(?!了?多少人)")
_REVIEW_WORDS = re.compile(r"完成|实现|达到|去年|过去|增长了|下降了|取得|获得|获评|入选|建成|排名|排全省|第几|同比|实际")


def section(chunk: Chunk) -> str:
    """'plan' for the coming year's work, 'review' for the year reviewed, '' when neither."""
    return section_of(chunk.heading, chunk.year)


def intent(norm_query: str, years: Sequence[int], documents: Sequence[Document]) -> str:
    """Whether a question asks about plans or about the year reviewed, from its words and years."""
    if _PLAN_WORDS.search(norm_query):
        return "plan"
    if _REVIEW_WORDS.search(norm_query):
        return "review"
    if any(d.reviewed_year in years for d in documents):
        return "review"  # a year some report reviews is asked for what it achieved
    if any(d.year in years for d in documents):
        return "plan"
    return ""


def part_asked(norm_query: str, years: Sequence[int], documents: Sequence[Document]) -> str:
    """The part of the reports a question's passages are preferred from: as `intent` says, and a
    figure asked without a year is what is, not what is planned ("森林覆盖率是多少")."""
    return intent(norm_query, years, documents) or ("review" if not years and re.search(r"多少|几", norm_query) else "")


def prefer_section(ranked: list[tuple], section_of, wants: str, boost: float) -> list[tuple]:
    """Plans and the year reviewed read alike ("地区生产总值增长…"): scores of the part asked about
    are raised by `boost` (x 1.25 for 0.25) and the list re-sorted."""
    if not wants or not boost:
        return list(ranked)
    return sorted(((c, s * (1 + boost) if section_of(c) == wants else s) for c, s in ranked), key=lambda kv: -kv[1])


MAX_QUERY_CHARS = 500  # the models read ~512 tokens; longer queries are cut, not refused


class QueryError(ValueError):
    """A query or filter the user must fix (empty, unknown county…)."""


class Retriever:
    """Search over the ingested reports. `retrieve` is safe to call from many threads."""

    def __init__(
        self, documents: Sequence[Document], encoder: Encoder | None, index: FaissIndex | None,
        weights: tuple[float, float] = (1.0, 1.0), rrf_k: int = 60, tokenizer_mode: str = "words+bigrams",
        section_boost: float = 0.0,
    ):
        self.documents = list(documents)
        self.encoder, self.index = encoder, index
        self.weights, self.rrf_k, self.section_boost = weights, rrf_k, section_boost
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
        raise QueryError(f"unknown place {county!r}; the reports cover: {known}")

    def places(self, query: str) -> Places:
        return find_places(query, self.documents)

    # -- search ----------------------------------------------------------------------------
    def retrieve(
        self, query: str, k: int = 5, county: str | None = None, year: int | None = None,
        mode: Mode = "hybrid", use_places: bool = True, docs: Collection[str] | None = None,
    ) -> list[Hit]:
        """Best k chunks for a query, as Hits ranked 1..k; `docs` restricts the search to those reports."""
        if not query or not query.strip():
            raise QueryError("the query is empty")
        if k < 1:
            raise QueryError("k must be at least 1")
        query = query.strip()[:MAX_QUERY_CHARS]
        found = self.places(query) if use_places else Places()
        counties = [self.resolve_county(county)] if county else list(found.counties)
        years = [year] if year else list(found.years)
        norm = expand(normalize(query))
        vector, keyword = self._signals(norm, mode)
        within = self.documents if docs is None else [d for d in self.documents if d.doc_id in set(docs)]
        if docs is not None and not within:
            return []
        if not counties:
            allowed = None if not (year and county is None) else {d.doc_id for d in within if year in (d.year, d.reviewed_year)} or None
            if allowed is None and docs is not None:
                allowed = {d.doc_id for d in within}
            mine = within if allowed is None else [d for d in within if d.doc_id in allowed]
            return self._search(norm, vector, keyword, allowed, k, mode, intent(norm, years, mine) if use_places else "",
                                years)
        groups = []
        for c in counties:
            # a question about a year some report reviews, unless its words ask for plans, leaves out
            # the report that plans the year: that report's figures are targets or the year before's
            mine = docs_for(c, years, within, intent(norm, years, within))
            if not mine:
                continue
            allowed = {d.doc_id for d in mine}
            groups.append(self._search(norm, vector, keyword, allowed, k, mode, intent(norm, years, mine), years))
        if not groups:
            return []
        merged = interleave(groups, k) if len(groups) > 1 else groups[0]
        return [Hit(h.chunk, h.score, i, h.dense, h.keyword) for i, h in enumerate(merged, start=1)]

    def _search(self, norm: str, vector: np.ndarray | None, keyword: dict[str, float], allowed: set[str] | None,
                k: int, mode: Mode, wants: str, years: Sequence[int] = ()) -> list[Hit]:
        """The best k chunks of the `allowed` reports (all when None) for one query; `years` asked."""
        return self._rank(self._dense(vector, allowed), keyword, allowed, k, mode, wants)

    def _signals(self, norm: str, mode: Mode) -> tuple[np.ndarray | None, dict[str, float]]:
        vector = None
        if mode != "bm25" and self.encoder is not None and self.index is not None:
            vector = self.encoder.encode([norm])
        keyword: dict[str, float] = {}
        if mode != "dense":
            scores = self.keyword.scores(norm)
            keyword = {self.ids[i]: float(scores[i]) for i in np.flatnonzero(scores > 0)}
        return vector, keyword

    def _dense(self, vector: np.ndarray | None, allowed: set[str] | None, depth: int = 1000) -> dict[str, float]:
        """Cosine of the best `depth` chunks; with `allowed` reports, searched among theirs only
        (a FAISS id selector), so a county's chunks are not crowded out by a global top list."""
        if vector is None:
            return {}
        docs = None if allowed is None else sorted(allowed)
        return dict(self.index.search(vector, depth, docs=docs)[0])

    def _rank(self, dense: dict[str, float], keyword: dict[str, float], allowed: set[str] | None, k: int, mode: Mode,
              wants: str = "") -> list[Hit]:
        def ok(cid: str) -> bool:
            return allowed is None or self.chunks[cid].doc_id in allowed

        by_dense = [c for c, _ in sorted(dense.items(), key=lambda kv: -kv[1]) if ok(c)]
        by_keyword = [c for c, _ in sorted(keyword.items(), key=lambda kv: -kv[1]) if ok(c)]
        if mode == "dense":
            ranked = [(c, dense[c]) for c in by_dense]
        elif mode == "bm25":
            ranked = [(c, keyword[c]) for c in by_keyword]
        else:
            ranked = prefer_section(fuse([by_dense, by_keyword], k=self.rrf_k, weights=self.weights),
                                    lambda c: section(self.chunks[c]), wants, self.section_boost)
        return [Hit(self.chunks[c], s, i, dense.get(c, 0.0), keyword.get(c, 0.0))
                for i, (c, s) in enumerate(ranked[:k], start=1)]


class EngineRetriever(Retriever):
    """The same retrieval over an engine that ranks and fuses dense and BM25 itself (the Milvus
    store): place and year restriction become its filters; the section prior and per-place
    interleaving are applied here as for FAISS. Holds report metadata only, no chunks."""

    def __init__(self, documents: Sequence[Document], encoder: Encoder | None, engine, rrf_k: int = 60,
                 section_boost: float = 0.0, depth: int = 50):
        self.documents, self.encoder, self.index, self.engine = list(documents), encoder, None, engine
        self.weights, self.rrf_k, self.section_boost, self.depth = (1.0, 1.0), rrf_k, section_boost, depth
        self.chunks, self.ids = {}, []

    def _signals(self, norm: str, mode: Mode) -> tuple[np.ndarray | None, dict[str, float]]:
        return (self.encoder.encode([norm]) if mode != "bm25" and self.encoder is not None else None), {}

    def _search(self, norm: str, vector: np.ndarray | None, keyword: dict[str, float], allowed: set[str] | None,
                k: int, mode: Mode, wants: str, years: Sequence[int] = ()) -> list[Hit]:
        found = self.engine.search(norm, vector, None if allowed is None else sorted(allowed), max(k, self.depth),
                                   mode, self.rrf_k, years)
        if mode == "hybrid":
            found = prefer_section(found, section, wants, self.section_boost)
        return [Hit(c, s, i) for i, (c, s) in enumerate(found[:k], start=1)]
