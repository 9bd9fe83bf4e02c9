"""The reports a process serves: documents on disk, the encoder, the search store and the retriever.

One Library per process; the CLI, the API and the UI all go through it. `ingest` adds or updates
reports and republishes the index; other processes pick the new version up on their next question.

Two stores (`REPORTQA_STORE`): "faiss" keeps every report in memory beside FAISS and BM25 files;
"milvus" keeps report metadata only and reads paragraphs and facts from Milvus on demand.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus.ingest import DocStore, Failure, build, build_path, bundled_reports, expand, ingest
from corpus.records import Document
from embeddings.encoder import Encoder, SentenceTransformerEncoder
from embeddings.index import BuildReport, FaissIndex, IndexError_, doc_vectors
from qa.retrieval.retrieve import EngineRetriever, Retriever
from qa.settings import Settings


@dataclass
class IngestReport:
    documents: list[Document] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    index: BuildReport | None = None


class Library:
    def __init__(self, settings: Settings, encoder: Encoder | None = None):
        self.settings = settings
        self.store = DocStore(settings.data_dir)
        self.index = FaissIndex(settings.index_dir)
        self.engine = None
        if settings.store == "milvus":
            from qa.retrieval.milvus import MilvusStore

            self.engine = MilvusStore(settings.milvus, settings.milvus_collection, settings.milvus_cache_docs,
                                      settings.milvus_token)
        self._encoder = encoder
        self._retriever: Retriever | None = None
        self._version = ""
        self._lock = threading.RLock()

    @property
    def encoder(self) -> Encoder:
        with self._lock:
            if self._encoder is None and self.settings.embed_url:
                from embeddings.remote import OpenAIEmbeddingEncoder

                self._encoder = OpenAIEmbeddingEncoder(self.settings.embed_url, self.settings.embed_model or "m3e-small",
                                                       self.settings.embed_api_key, self.settings.embed_batch)
            if self._encoder is None:
                self._encoder = SentenceTransformerEncoder(self.settings.embed_model, self.settings.embed_batch)
            return self._encoder

    def version(self) -> str:
        """The published search version; it changes whenever a report is added or the index rebuilt."""
        return self.engine.current() if self.engine is not None else self.index.current()

    def documents(self) -> list[Document]:
        """The served reports: those the current retriever holds (no disk read per call), or the
        store's when there is no index yet. With Milvus: metadata only (see `full`)."""
        if self.engine is not None:
            return self.engine.heads()
        with self._lock:
            if self._retriever is not None and self.index.current() == self._version:
                return list(self._retriever.documents)
        return self.store.load()

    def summaries(self) -> list[dict]:
        """Each report's public record (`Document.summary`)."""
        return self.engine.summaries() if self.engine is not None else [d.summary() for d in self.documents()]

    def full(self, doc_ids) -> list[Document]:
        """These reports with their paragraphs and facts (with Milvus: read on demand, cached)."""
        if self.engine is not None:
            return self.engine.full(doc_ids)
        wanted = set(doc_ids)
        return [d for d in self.documents() if d.doc_id in wanted]

    def facts(self, places=(), indicators=()) -> list:
        """Facts about these places (all when none), of these canonical indicators (all when none)."""
        if self.engine is not None:
            return self.engine.facts(places, indicators)
        from qa.indicators import select

        return select((f for d in self.documents() for f in d.facts), places, indicators)

    def ensure_ready(self, progress: bool = False) -> None:
        """Ingest the bundled reports when there are none; rebuild reports that older corpus code
        built (from their kept raw bytes); build the index when it is missing or behind.
        With Milvus an existing library is served as it is (`reportqa ingest` maintains it)."""
        if self.engine is not None:
            if self.engine.exists():
                return
            if self.store.any():
                self.reindex(progress=progress)
            else:
                self.ingest(None, progress=progress)
            return
        if not self.store.load():
            self.ingest(None, progress=progress)
            return
        stale = self.store.stale(self.settings.chunk_chars)
        rebuilt = False
        for doc in stale:
            path = self.store.raw_path(doc)
            if path is None:
                continue  # nothing to rebuild from: keep serving it as it is
            self.store.save(build_path(path, self.settings.chunk_chars), path.read_bytes())
            rebuilt = True
        if rebuilt or not self.index.exists():
            self.reindex(progress=progress)

    def ingest(self, paths: Sequence[Path] | None, index: bool = True, progress: bool = False) -> IngestReport:
        files = expand(paths) if paths else bundled_reports()
        report = IngestReport()
        bar = _progress(progress)
        with bar:
            task = bar.add_task("reading reports", total=len(files)) if progress else None
            for item in ingest(files, self.settings.chunk_chars):
                if isinstance(item, Failure):
                    report.failures.append(item)
                else:
                    source = next((f for f in files if f.name == item.source), None)
                    self.store.save(item, source.read_bytes() if source else None)
                    report.documents.append(item)
                if task is not None:
                    bar.advance(task)
        if progress:
            _summary(report)
        if index and report.documents and self.engine is not None and self.engine.exists():
            report.index = self._put(report.documents)  # a national library is not rebuilt for a few reports
        elif index and report.documents:
            report.index = self.reindex(progress=progress)
        return report

    def add(self, data: bytes, name: str, fields: dict | None = None, progress=None) -> Document:
        """Ingest one uploaded report (raises corpus.read.ReadError) and republish the index.

        The document file is written only after it was fully built, and the index only after
        the document was saved, so a failure leaves the previous state intact. `progress(done,
        total)` is called per page read (PDF).
        """
        doc = build(data, name, max_chars=self.settings.chunk_chars, fields=fields, progress=progress)
        with self._lock:
            previous = next((d for d in self.store.load() if d.doc_id == doc.doc_id), None)
            kept = self.store.raw_path(previous) if previous is not None else None
            previous_raw = kept.read_bytes() if kept is not None else None
            self.store.save(doc, data)
            try:
                if self.engine is not None and self.engine.exists():
                    self._put([doc])
                else:
                    self.reindex()
            except BaseException:
                # the index still is the previous version: put the documents back to match it
                if previous is not None:
                    self.store.save(previous, previous_raw)
                else:
                    self.store.remove(doc.doc_id)
                self._retriever = None
                raise
        return doc

    def reindex(self, progress: bool = False) -> BuildReport:
        if self.engine is not None:
            return self._publish(progress)
        with self._lock:
            docs = self.store.load()
            bar = _progress(progress)
            with bar:
                task = bar.add_task("embedding chunks", total=sum(len(d.chunks) for d in docs)) if progress else None
                report = self.index.build(
                    docs, self.encoder,
                    on_progress=(lambda done, total: bar.update(task, completed=done)) if task is not None else None,
                )
            if progress:
                print(f"index {report.version}: {report.chunks} chunks, {report.embedded} embedded now, "
                      f"{report.chunks - report.embedded} from cache, {report.seconds:.1f} s")
            self._retriever = None
            return report

    def _put(self, documents: Sequence[Document]) -> BuildReport:
        start, embedded = time.perf_counter(), 0
        with self._lock:
            for doc, vectors, fresh in doc_vectors(documents, self.encoder, self.settings.index_dir / "cache"):
                self.engine.put(doc, vectors)
                embedded += fresh
        return BuildReport(self.engine.current(), sum(len(d.chunks) for d in documents), embedded,
                           time.perf_counter() - start)

    def _publish(self, progress: bool) -> BuildReport:
        """A new Milvus version from the doc store, streamed a report at a time."""
        start, counts = time.perf_counter(), {"chunks": 0, "embedded": 0}

        def stream():
            for doc, vectors, fresh in doc_vectors(self.store.iter(), self.encoder, self.settings.index_dir / "cache"):
                counts["chunks"] += len(doc.chunks)
                counts["embedded"] += fresh
                yield doc, vectors

        with self._lock:
            version = self.engine.publish(stream(), self.encoder.dim, self.encoder.name)
            self._retriever = None
        report = BuildReport(version, counts["chunks"], counts["embedded"], time.perf_counter() - start)
        if progress:
            print(f"milvus {version}: {report.chunks} chunks, {report.embedded} embedded now, {report.seconds:.1f} s")
        return report

    def retriever(self) -> Retriever:
        """The retriever over the published index version; rebuilt when a new version appears."""
        if self.engine is not None:
            return self._engine_retriever()
        with self._lock:
            current = self.index.current()
            if self._retriever is None or current != self._version:
                self.index.load(self.encoder.name, self.encoder.dim)
                self._retriever = Retriever(
                    self.store.load(), self.encoder, self.index,
                    weights=(self.settings.dense_weight, self.settings.keyword_weight),
                    rrf_k=self.settings.rrf_k, section_boost=self.settings.section_boost,
                )
                self._version = self.index.version
            return self._retriever


    def _engine_retriever(self) -> Retriever:
        with self._lock:
            current = self.engine.current()
            if not current:
                raise IndexError_(f"no library in Milvus at {self.settings.milvus}: run `reportqa ingest`")
            if self._retriever is None or current != self._version:
                info = self.engine.info()
                if info.get("model") and info["model"] != self.encoder.name or info.get("dim", self.encoder.dim) != self.encoder.dim:
                    raise IndexError_(
                        f"the Milvus library was built with embedding model {info.get('model')!r} ({info.get('dim')}-d) "
                        f"but {self.encoder.name!r} ({self.encoder.dim}-d) is configured; rebuild it with "
                        "`reportqa ingest --rebuild` or configure the model it was built with")
                self._retriever = EngineRetriever(self.engine.heads(), self.encoder, self.engine,
                                                  rrf_k=self.settings.rrf_k, section_boost=self.settings.section_boost)
                self._version = current
            return self._retriever


def _progress(enabled: bool):
    from contextlib import nullcontext

    if not enabled:
        class _Null(nullcontext):
            def add_task(self, *a, **k):
                return None

        return _Null()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())


def _summary(report: IngestReport) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("doc_id", "county", "year", "paragraphs", "chunks", "repaired", "dropped", title="ingested")
    for d in report.documents:
        table.add_row(d.doc_id, d.county, str(d.year), str(len(d.paragraphs)), str(len(d.chunks)),
                      str(d.repaired_runs), str(d.dropped_runs))
    Console(stderr=True).print(table)
