"""The Milvus store: chunks, their dense vectors and BM25 (jieba) in one engine, with the reports'
paragraphs, facts and metadata beside them, so an API worker holds none of the corpus.

`REPORTQA_MILVUS_URI` is a `.db` path (Milvus Lite, in the process) or `http://host:19530` (a
Milvus server, a cluster, or `milvus-lite server`). Per library version two collections:

    <prefix>_v<time>_chunks    id, chunk_id, doc_id, doc_key, county, year, reviewed_year, section,
                               heading, text (jieba analyzer -> BM25 function -> sparse), grams
                               (character bigrams -> BM25 -> sparse_grams), dense, body (the chunk)
    <prefix>_v<time>_records   id, kind (doc | paragraph | fact), doc_id, doc_key, county, indicator,
                               body (JSON); Milvus wants a vector in every collection: a 2-d zero one

The alias `<prefix>` names the current chunks collection; moving it is one atomic step, so a full
rebuild is invisible until complete. One report added later is written under a new `doc_key`
(its content fingerprint) and becomes visible when its single `doc` record is switched to that key;
rows of any other key are ignored by every read and deleted afterwards.

Example: MilvusStore("var/milvus.db").search("侯马市 GDP", vector, docs=["houma-2024"], limit=20)
"""
from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace

import numpy as np

from corpus.records import Chunk, Document, Fact, Paragraph

TEXT_MAX = 8192  # characters of a chunk's indexed text (chunks are ≤ 480)
BODY_MAX = 65535  # Milvus' VARCHAR limit: a paragraph longer than this is stored cut (none in practice)
# RRF weights of dense, BM25 over jieba words and BM25 over character bigrams: measured on
# eval/questions.jsonl to match the FAISS store's (dense 1 : keyword 5), see docs/SCALING.md
WEIGHTS = (1, 2, 3)
FRESH_S = 0.5  # a worker sees another worker's upload or rebuild within this many seconds


class StoreError(RuntimeError):
    """Milvus cannot be reached, or holds no library yet; the message says what to do."""


def _quote(values: Iterable[str]) -> str:
    return "[" + ",".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def _head(doc: Document) -> Document:
    """The document without its paragraphs, chunks and facts: what a worker keeps of a report."""
    return replace(doc, paragraphs=(), chunks=(), facts=())


def analyzer() -> dict:
    """jieba, told the names that must stay whole (China's place names, official indicators),
    without the stop words the FAISS store's BM25 drops."""
    from corpus.meta import short_name
    from corpus.places import names
    from qa.retrieval.keyword import STOP
    from qa.retrieval.synonyms import SYNONYMS

    words = {n for name in names() for n in (name, short_name(name)) if len(n) >= 2}
    words |= {t for terms in SYNONYMS.values() for t in terms.split() if len(t) >= 4}
    return {"tokenizer": {"type": "jieba", "mode": "search", "dict": ["_default_", *sorted(words)]},
            "filter": [{"type": "stop", "stop_words": sorted(STOP)}]}


class MilvusStore:
    """One library in Milvus. Thread-safe; the heads of the current version are refreshed when it moves."""

    def __init__(self, uri: str, prefix: str = "reportqa", cache_docs: int = 64, token: str = ""):
        import logging

        from pymilvus import MilvusClient

        # query_iterator warns on every call that milvus-lite gives no MVCC timestamp (it needs none)
        logging.getLogger("pymilvus.milvus_client.iterators.query_iterator").setLevel(logging.ERROR)
        logging.getLogger("pymilvus").setLevel(logging.ERROR)
        self.uri, self.prefix = uri, prefix
        # pymilvus pings every 10 s; gRPC servers by default allow one ping in 5 minutes without
        # data and answer more with GOAWAY "too_many_pings" (seen with milvus-lite server)
        options = {"grpc_options": {"grpc.keepalive_time_ms": 300_000}}
        try:
            self.client = MilvusClient(uri=uri, token=token, **options) if token else MilvusClient(uri=uri, **options)
        except Exception as exc:
            raise StoreError(f"cannot open Milvus at {uri!r} ({exc.__class__.__name__}: {exc}); "
                             "set REPORTQA_MILVUS_URI to a .db path or a running server's http://host:port") from None
        self._lock = threading.RLock()
        self._cache: OrderedDict[str, Document] = OrderedDict()
        self._cache_size = cache_docs
        self._heads: dict[str, tuple[Document, str]] = {}  # doc_id -> (metadata, key of its current rows)
        self._seen = ""
        self._loaded: set[str] = set()
        self._checked: tuple[float, str] = (0.0, "")

    # -- versions --------------------------------------------------------------------------
    def current(self) -> str:
        """"<chunks collection>@<generation>": changes on a rebuild and on every report added.
        Asked of Milvus at most every FRESH_S seconds (a question calls it several times)."""
        with self._lock:
            if time.monotonic() - self._checked[0] < FRESH_S:
                return self._checked[1]
        name = self._collection()
        version = ""
        if name:
            rows = self.client.query(self._records(name), filter='id == "library"', output_fields=["body"])
            version = f"{name}@{json.loads(rows[0]['body'])['generation'] if rows else 0}"
        with self._lock:
            self._checked = (time.monotonic(), version)
        return version

    def _changed(self) -> None:
        """This process wrote: its next read asks Milvus again."""
        with self._lock:
            self._checked = (0.0, "")

    def exists(self) -> bool:
        return bool(self._collection())

    def _collection(self) -> str:
        if self.prefix not in self.client.list_aliases().get("aliases", []):
            return ""  # asked first: describe_alias logs an error for a missing alias
        name = self.client.describe_alias(self.prefix).get("collection_name", "")
        if name and name not in self._loaded:  # a reopened or restarted engine serves nothing until loaded
            for coll in (name, self._records(name)):
                self.client.load_collection(coll)
            self._loaded.add(name)
        return name

    @staticmethod
    def _records(chunks_collection: str) -> str:
        return chunks_collection.removesuffix("_chunks") + "_records"

    # -- writing ---------------------------------------------------------------------------
    def publish(self, docs: Iterable[tuple[Document, np.ndarray]], dim: int, model: str) -> str:
        """A new version with these reports (and their chunk vectors), made current when complete."""
        from pymilvus import MilvusException

        name = f"{self.prefix}_v{time.time_ns()}_chunks"
        try:
            self._create(name, dim, model)
            count = 0
            for doc, vectors in docs:
                self._write(name, doc, vectors, _key(doc))
                count += 1
            self._set_generation(name, 1, model, dim)
            self._flush(name)
            if self._collection():
                self.client.alter_alias(name, self.prefix)
            else:
                self.client.create_alias(name, self.prefix)
        except MilvusException as exc:
            self._drop(name)
            raise StoreError(f"writing the library to Milvus failed: {exc}") from None
        finally:
            self._changed()
        self._prune(keep=name)
        return name

    def put(self, doc: Document, vectors: np.ndarray) -> None:
        """Add or replace one report in the current version: invisible until its doc record switches."""
        name = self._collection()
        if not name:
            raise StoreError("no library in Milvus yet: run `reportqa ingest`")
        key = _key(doc)
        old = self._key_of(name, doc.doc_id)
        if old == key:
            return
        try:
            self._write(name, doc, vectors, key)
        except BaseException:
            self._delete(name, doc.doc_id, key)  # rows of the failed write: never served, removed now
            raise
        self._flush(name)
        # the new generation first, so other workers move to the new key before the old rows go
        info = self.client.query(self._records(name), filter='id == "library"', output_fields=["body"])
        meta = json.loads(info[0]["body"]) if info else {"generation": 0}
        self._set_generation(name, meta["generation"] + 1, meta.get("model", ""), meta.get("dim", 0))
        self._changed()
        if old:
            self._delete(name, doc.doc_id, old)

    def _flush(self, name: str) -> None:
        """Seal what was written. Milvus Lite keeps BM25 statistics per segment and rebuilds the
        unsealed part's index on every search: sealed, scores are comparable and searches fast."""
        for coll in (name, self._records(name)):
            self.client.flush(coll)

    def _delete(self, name: str, doc_id: str, key: str) -> None:
        for coll in (name, self._records(name)):
            try:
                self.client.delete(coll, filter=f"doc_id == {json.dumps(doc_id)} and doc_key == {json.dumps(key)}")
            except Exception:  # the engine is down: the rows stay unserved (wrong key) until the next write
                pass

    def _create(self, name: str, dim: int, model: str) -> None:
        from pymilvus import DataType, Function, FunctionType

        c = self.client
        s = c.create_schema(auto_id=False)
        s.add_field("id", DataType.VARCHAR, is_primary=True, max_length=256)
        for f in ("chunk_id", "doc_id", "doc_key", "county", "section"):
            s.add_field(f, DataType.VARCHAR, max_length=256)
        s.add_field("year", DataType.INT64)
        s.add_field("reviewed_year", DataType.INT64)
        s.add_field("heading", DataType.VARCHAR, max_length=2048)
        s.add_field("text", DataType.VARCHAR, max_length=TEXT_MAX, enable_analyzer=True, analyzer_params=analyzer())
        s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        s.add_field("grams", DataType.VARCHAR, max_length=TEXT_MAX * 2, enable_analyzer=True,
                    analyzer_params={"tokenizer": "standard"})
        s.add_field("sparse_grams", DataType.SPARSE_FLOAT_VECTOR)
        s.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        s.add_field("body", DataType.VARCHAR, max_length=BODY_MAX)
        s.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["text"],
                                output_field_names=["sparse"]))
        s.add_function(Function(name="bm25_grams", function_type=FunctionType.BM25, input_field_names=["grams"],
                                output_field_names=["sparse_grams"]))
        ip = c.prepare_index_params()
        ip.add_index("dense", index_type="HNSW", metric_type="IP", params={"M": 32, "efConstruction": 80})
        ip.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        ip.add_index("sparse_grams", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        for f in ("county", "doc_id", "year", "reviewed_year"):  # filters read an index, not every row
            ip.add_index(f, index_type="INVERTED")
        c.create_collection(name, schema=s, index_params=ip, consistency_level="Strong",
                            description=json.dumps({"model": model, "dim": dim}))
        r = c.create_schema(auto_id=False)
        r.add_field("id", DataType.VARCHAR, is_primary=True, max_length=256)
        for f in ("kind", "doc_id", "doc_key", "county", "indicator"):
            r.add_field(f, DataType.VARCHAR, max_length=256)
        r.add_field("body", DataType.VARCHAR, max_length=BODY_MAX)
        r.add_field("v", DataType.FLOAT_VECTOR, dim=2)
        rp = c.prepare_index_params()
        rp.add_index("v", index_type="FLAT", metric_type="L2")
        for f in ("kind", "doc_id", "county", "indicator"):
            rp.add_index(f, index_type="INVERTED")
        c.create_collection(self._records(name), schema=r, index_params=rp, consistency_level="Strong")

    def _write(self, name: str, doc: Document, vectors: np.ndarray, key: str) -> None:
        from qa.retrieval.retrieve import section

        chunks = [{
            "id": f"{c.id}@{key}", "chunk_id": c.id, "doc_id": doc.doc_id, "doc_key": key, "county": doc.county,
            "section": section(c), "year": doc.year or 0, "reviewed_year": doc.reviewed_year or 0,
            "heading": c.heading[:2048], "text": c.indexed[:TEXT_MAX], "grams": grams(c.indexed[:TEXT_MAX]), "dense": v.astype(np.float32).tolist(),
            "body": _dump(asdict(c)),
        } for c, v in zip(doc.chunks, vectors)]
        for i in range(0, len(chunks), 256):
            self.client.insert(name, chunks[i : i + 256])

        def record(id_: str, kind: str, body: dict, indicator: str = "", place: str = doc.county) -> dict:
            return {"id": id_, "kind": kind, "doc_id": doc.doc_id, "doc_key": key, "county": place,
                    "indicator": indicator, "body": _dump(body), "v": [0.0, 0.0]}

        rows = [record(f"{p.id}@{key}", "paragraph", {"n": i, **asdict(p)}) for i, p in enumerate(doc.paragraphs)]
        rows += [record(f"{doc.doc_id}#f{i}@{key}", "fact", {"n": i, **asdict(f)}, f.indicator[:256], f.place)
                 for i, f in enumerate(doc.facts)]
        head = record(f"doc:{doc.doc_id}", "doc", {"head": _head(doc).to_json(), "summary": doc.summary()})
        for i in range(0, len(rows), 512):
            self.client.insert(self._records(name), rows[i : i + 512])
        self.client.upsert(self._records(name), [head])  # the one-row switch that makes the report visible

    def _set_generation(self, name: str, generation: int, model: str, dim: int) -> None:
        body = {"generation": generation, "model": model, "dim": dim}
        self.client.upsert(self._records(name), [{"id": "library", "kind": "library", "doc_id": "", "doc_key": "",
                                                  "county": "", "indicator": "", "body": json.dumps(body), "v": [0.0, 0.0]}])

    def _key_of(self, name: str, doc_id: str) -> str:
        rows = self.client.query(self._records(name), filter=f'id == {json.dumps("doc:" + doc_id)}', output_fields=["doc_key"])
        return rows[0]["doc_key"] if rows else ""

    def _drop(self, name: str) -> None:
        for coll in (name, self._records(name)):
            try:
                self.client.drop_collection(coll)
            except Exception:
                pass

    def _prune(self, keep: str, keep_last: int = 2) -> None:
        """Drop old versions, keeping the previous one for workers still reading it."""
        mine = sorted(n for n in self.client.list_collections() if n.startswith(f"{self.prefix}_v") and n.endswith("_chunks"))
        for old in mine[:-keep_last]:
            if old != keep:
                self._drop(old)

    # -- reading ---------------------------------------------------------------------------
    def info(self) -> dict:
        """model and dim the current version was built with."""
        name = self._collection()
        rows = self.client.query(self._records(name), filter='id == "library"', output_fields=["body"]) if name else []
        return json.loads(rows[0]["body"]) if rows else {}

    def heads(self) -> list[Document]:
        """Every report's metadata (no paragraphs, chunks or facts), refreshed when the version moves."""
        with self._lock:
            version = self.current()
            if version != self._seen:
                name = version.split("@")[0]
                heads = {}
                if name:
                    it = self.client.query_iterator(self._records(name), filter='kind == "doc"',
                                                    output_fields=["doc_id", "doc_key", "body"], batch_size=1000)
                    while rows := it.next():
                        for row in rows:
                            body = json.loads(row["body"])
                            heads[row["doc_id"]] = (Document.from_json(body["head"]), row["doc_key"])
                    it.close()
                self._heads, self._seen = heads, version
                self._cache.clear()
            return [h for h, _ in self._heads.values()]

    def summaries(self) -> list[dict]:
        self.heads()
        rows = self._query('kind == "doc"', ["doc_id", "doc_key", "body"])
        return [json.loads(r["body"])["summary"] for r in rows if self._heads.get(r["doc_id"], (None, ""))[1] == r["doc_key"]]

    def full(self, doc_ids: Iterable[str]) -> list[Document]:
        """Reports with their paragraphs and facts (not chunks), from a bounded cache or Milvus
        (one query for all the reports not cached)."""
        self.heads()
        wanted = [d for d in dict.fromkeys(doc_ids) if d in self._heads]
        with self._lock:
            found = {d: self._cache[d] for d in wanted if d in self._cache}
            for d in found:
                self._cache.move_to_end(d)
        missing = [d for d in wanted if d not in found]
        if missing:
            keys = {d: self._heads[d][1] for d in missing}
            rows = self._query(f'doc_id in {_quote(missing)} and kind in ["paragraph", "fact"]', ["kind", "body", "doc_id", "doc_key"])
            for d in missing:
                paragraphs, facts = _bodies(r for r in rows if r["doc_id"] == d and r["doc_key"] == keys[d])
                found[d] = replace(self._heads[d][0], paragraphs=paragraphs, facts=facts)
            with self._lock:
                for d in missing:
                    self._cache[d] = found[d]
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return [found[d] for d in wanted]

    def facts(self, places: Sequence[str] = (), indicators: Sequence[str] = ()) -> list[Fact]:
        """Facts about these places (all when none), of these canonical indicators (all when none)."""
        self.heads()
        keys = {d: k for d, (_, k) in self._heads.items()}
        expr = 'kind == "fact"' + (f" and county in {_quote(places)}" if places else "")
        expr += f" and indicator in {_quote(indicators)}" if indicators else ""
        rows = self._query(expr, ["kind", "body", "doc_id", "doc_key"])
        return list(_bodies(r for r in rows if keys.get(r["doc_id"]) == r["doc_key"])[1])

    def _query(self, expr: str, fields: list[str], limit: int = 16_384) -> list[dict]:
        """Rows of the current records collection matching `expr`: one call when they fit in
        Milvus' page of 16,384 rows (a report's paragraphs and facts, a place's facts), else paged."""
        name = self._seen.split("@")[0]
        if not name:
            return []
        rows = self.client.query(self._records(name), filter=expr, output_fields=fields, limit=limit)
        if len(rows) < limit:
            return rows
        it = self.client.query_iterator(self._records(name), filter=expr, output_fields=fields, batch_size=2000)
        rows = []
        while batch := it.next():
            rows += batch
        it.close()
        return rows

    def where(self, docs: Sequence[str], years: Sequence[int] = ()) -> str:
        """The filter expression selecting exactly these reports: by place, by place and the years
        asked, or (when neither selects them exactly) by id.

        Example: where(["houma-2024"]) -> 'county in ["侯马市"]' when 侯马市 has that one report."""
        heads = {d: h for d, (h, _) in self._heads.items()}
        want = {d for d in docs if d in heads}
        counties = sorted({heads[d].county for d in want})
        years = sorted(set(years))
        place = f"county in {_quote(counties)}"
        when = f"(year in {years} or reviewed_year in {years})"
        for expr, holds in ((place, lambda h: h.county in counties),
                            (f"{place} and {when}", lambda h: h.county in counties and bool({h.year, h.reviewed_year} & set(years)))):
            if {d for d, h in heads.items() if holds(h)} == want:
                return expr
        return f"doc_id in {_quote(sorted(want))}"

    def search(self, text: str, vector: np.ndarray | None, docs: Sequence[str] | None, limit: int,
               mode: str = "hybrid", rrf_k: int = 60, years: Sequence[int] = ()) -> list[tuple[Chunk, float]]:
        """Best chunks for a query, fused by Milvus (RRF over dense and BM25), among `docs` when given."""
        from pymilvus import AnnSearchRequest, RRFRanker

        self.heads()
        name = self._seen.split("@")[0]
        if not name:
            return []
        keys = {d: k for d, (_, k) in self._heads.items()}
        if docs is not None and not any(d in keys for d in docs):
            return []
        expr = "" if docs is None else self.where(docs, years)
        fields = ["body", "doc_id", "doc_key"]
        dense = (AnnSearchRequest(data=[vector[0].tolist()], anns_field="dense", param={"ef": max(96, limit)},
                                  limit=limit, expr=expr) if vector is not None and mode != "bm25" else None)
        sparse = (AnnSearchRequest(data=[text], anns_field="sparse", param={}, limit=limit, expr=expr)
                  if mode != "dense" and text.strip() else None)
        grams_text = grams(text) if mode != "dense" else ""
        by_grams = (AnnSearchRequest(data=[grams_text], anns_field="sparse_grams", param={}, limit=limit, expr=expr)
                    if grams_text else None)
        # weighted RRF: a ranking listed w times counts w times (Milvus' RRFRanker has no weights)
        requests = [r for r, w in zip((dense, sparse, by_grams), WEIGHTS) if r is not None for _ in range(w)]
        if not requests:
            return []
        if len({r.anns_field for r in requests}) > 1:
            result = self.client.hybrid_search(name, requests, ranker=RRFRanker(rrf_k), limit=limit, output_fields=fields)
        else:
            r = requests[0]
            result = self.client.search(name, data=r.data, anns_field=r.anns_field, search_params={"params": r.param},
                                        limit=limit, filter=expr, output_fields=fields)
        hits = []
        for hit in result[0] if result else []:
            entity = hit["entity"]
            if keys.get(entity["doc_id"]) != entity["doc_key"]:
                continue  # a report half-written or being replaced
            c = json.loads(entity["body"])
            # milvus-lite reports a BM25 score as a negative distance; ranks are what matter
            hits.append((Chunk(**{**c, "paragraph_ids": tuple(c["paragraph_ids"])}), abs(float(hit["distance"]))))
        return hits


def grams(text: str) -> str:
    """Character bigrams of the CJK runs, each spelt as one ASCII word so any tokenizer keeps it
    whole (UAX-29 tokenizers split Chinese per character). Example: grams("地区生产") -> "g5730533a g533a751f g751f4ea7" """
    import re

    runs = re.findall(r"[\u3400-\u9fff]{2,}", text.lower())
    return " ".join(f"g{ord(r[i]):x}{ord(r[i + 1]):x}" for r in runs for i in range(len(r) - 1))


def _key(doc: Document) -> str:
    from embeddings.index import fingerprint

    return fingerprint(doc.chunks) + (doc.pipeline or "")[:6]


def _dump(body: dict) -> str:
    text = json.dumps(body, ensure_ascii=False)
    if len(text) > BODY_MAX:  # keep it valid JSON: cut the longest text field
        body = dict(body)
        for f in ("text", "norm", "sentence"):
            if f in body:
                body[f] = body[f][: BODY_MAX // 3]
        text = json.dumps(body, ensure_ascii=False)[:BODY_MAX]
    return text


def _bodies(rows: Iterable[dict]) -> tuple[tuple[Paragraph, ...], tuple[Fact, ...]]:
    paragraphs, facts = [], []
    for row in rows:
        body = json.loads(row["body"])
        n = body.pop("n", 0)
        if row["kind"] == "paragraph":
            paragraphs.append((n, Paragraph(**body)))
        elif row["kind"] == "fact":
            facts.append((n, Fact(**{**body, "qualifiers": tuple(body["qualifiers"])})))
    return tuple(p for _, p in sorted(paragraphs, key=lambda t: t[0])), tuple(f for _, f in sorted(facts, key=lambda t: t[0]))
