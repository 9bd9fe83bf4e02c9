"""The FAISS index on disk: versioned, published atomically, with a manifest, built incrementally.

Layout under `<data_dir>/index/`:
    CURRENT                      name of the published version (replaced atomically)
    v<time>/index.faiss          the vectors
    v<time>/manifest.json        model, dim, metric, chunk count, fingerprint, index type, params
    v<time>/ids.json             chunk id of each row
    cache/<model>/<doc>.<fp>.npy per-report vectors, so unchanged reports are not embedded again
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.ingest import write_atomic
from corpus.records import Chunk, Document
from embeddings.encoder import Encoder

EXACT_LIMIT = 100_000  # below this many vectors exact search is fast enough (see docs/BENCHMARKS.md)


class IndexError_(RuntimeError):
    """The index is missing, corrupt, or was built with another model; the message says what to do."""


def fingerprint(chunks: Sequence[Chunk]) -> str:
    """Content hash of what would be embedded for these chunks."""
    h = hashlib.sha256()
    for c in chunks:
        h.update(c.id.encode())
        h.update(c.indexed.encode())
    return h.hexdigest()[:16]


def make_index(vectors: np.ndarray, kind: str = "auto"):
    """Exact inner product below EXACT_LIMIT vectors, HNSW above. Vectors must be unit-norm."""
    import faiss

    n, dim = vectors.shape
    if kind == "auto":
        kind = "flat" if n < EXACT_LIMIT else "hnsw"
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
        params = {}
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 96
        params = {"M": 32, "efConstruction": 80, "efSearch": 96}
    else:
        raise ValueError(f"unknown index kind {kind!r}")
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index, kind, params


def doc_vectors(documents: Iterable[Document], encoder: Encoder, cache_root: Path) -> Iterator[tuple[Document, np.ndarray, int]]:
    """(report, its chunk vectors, how many were embedded now) per report; vectors of unchanged
    reports come from `<cache_root>/<model>/<doc>.<fingerprint>.npy`, new ones are written there."""
    cache = cache_root / re.sub(r"[^\w.-]+", "_", encoder.name)
    cache.mkdir(parents=True, exist_ok=True)
    for doc in documents:
        path = cache / f"{doc.doc_id}.{fingerprint(doc.chunks)}.npy"
        vectors = None
        if path.is_file():
            try:
                vectors = np.load(path)
                if vectors.shape != (len(doc.chunks), encoder.dim):
                    vectors = None
            except (ValueError, OSError):
                vectors = None
        if vectors is not None:
            yield doc, vectors, 0
            continue
        vectors = encoder.encode([c.indexed for c in doc.chunks]) if doc.chunks else np.zeros((0, encoder.dim), np.float32)
        for old in cache.glob(f"{doc.doc_id}.*.npy"):
            old.unlink(missing_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        os.replace(tmp, path)
        yield doc, vectors, len(doc.chunks)


@dataclass
class BuildReport:
    version: str
    chunks: int
    embedded: int  # chunks encoded in this build (the rest came from the cache)
    seconds: float


class FaissIndex:
    """Search over the published index version; `build` publishes a new one."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.version = ""
        self.manifest: dict = {}
        self.ids: list[str] = []
        self.index = None
        self._rows_cache: tuple[str, dict] | None = None

    # -- reading ---------------------------------------------------------------------------
    def current(self) -> str:
        try:
            return (self.root / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return ""

    def exists(self) -> bool:
        return bool(self.current()) and (self.root / self.current() / "manifest.json").is_file()

    def load(self, model: str | None = None, dim: int | None = None) -> FaissIndex:
        """Load the published version; `model` (and `dim`) must match the one it was built with."""
        import faiss

        version = self.current()
        folder = self.root / version
        if not version or not (folder / "manifest.json").is_file():
            raise IndexError_(f"no search index in {self.root}: run `reportqa ingest`")
        try:
            manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
            ids = json.loads((folder / "ids.json").read_text("utf-8"))
            index = faiss.read_index(str(folder / "index.faiss"))
        except Exception as exc:  # faiss raises RuntimeError, json ValueError: both mean corrupt
            raise IndexError_(
                f"the search index {folder} is damaged ({exc.__class__.__name__}); "
                "rebuild it with `reportqa ingest --rebuild` (reports are kept)"
            ) from None
        if model is not None and manifest.get("model") != model:
            raise IndexError_(
                f"the index was built with embedding model {manifest.get('model')!r} but {model!r} is "
                "configured; rebuild it with `reportqa ingest --rebuild` or set REPORTQA_EMBED_MODEL back"
            )
        if dim is not None and manifest.get("dim") != dim:
            raise IndexError_(
                f"the index holds {manifest.get('dim')}-dimensional vectors but the embedding model {model!r} gives "
                f"{dim}; rebuild it with `reportqa ingest --rebuild` or configure the model it was built with"
            )
        if index.ntotal != len(ids) or index.ntotal != manifest.get("chunks"):
            raise IndexError_(f"the search index {folder} is inconsistent; rebuild with `reportqa ingest --rebuild`")
        self.version, self.manifest, self.ids, self.index = version, manifest, ids, index
        return self

    def search(self, vectors: np.ndarray, k: int, docs: list[str] | None = None) -> list[list[tuple[str, float]]]:
        """Top-k (chunk_id, cosine) per query row; with `docs`, only among those reports' chunks."""
        import faiss

        if self.index is None or not self.ids:
            return [[] for _ in range(len(vectors))]
        params, limit = None, len(self.ids)
        if docs is not None:
            rows = np.concatenate([self._rows_by_doc().get(d, np.zeros(0, np.int64)) for d in docs] or [np.zeros(0, np.int64)])
            if not len(rows):
                return [[] for _ in range(len(vectors))]
            selector = faiss.IDSelectorBatch(rows)
            hnsw = isinstance(self.index, faiss.IndexHNSW)
            params = (faiss.SearchParametersHNSW(sel=selector, efSearch=max(96, min(k, len(rows))))
                      if hnsw else faiss.SearchParameters(sel=selector))
            limit = len(rows)
        scores, rows = self.index.search(np.ascontiguousarray(vectors, dtype=np.float32), min(k, limit), params=params)
        return [[(self.ids[r], float(s)) for r, s in zip(rr, ss) if r >= 0] for rr, ss in zip(rows, scores)]

    def _rows_by_doc(self) -> dict[str, np.ndarray]:
        """Index rows of each report's chunks (chunk ids are "<doc_id>#c001")."""
        if getattr(self, "_rows_cache", None) is None or self._rows_cache[0] != self.version:
            by_doc: dict[str, list[int]] = {}
            for row, cid in enumerate(self.ids):
                by_doc.setdefault(cid.split("#", 1)[0], []).append(row)
            self._rows_cache = (self.version, {d: np.asarray(r, dtype=np.int64) for d, r in by_doc.items()})
        return self._rows_cache[1]

    # -- writing ---------------------------------------------------------------------------
    def build(
        self, documents: Sequence[Document], encoder: Encoder, kind: str = "auto",
        on_progress: Callable[[int, int], None] | None = None,
    ) -> BuildReport:
        """Embed what changed, reuse cached vectors for the rest, publish a new version atomically.

        A crash at any point leaves CURRENT naming the previous, complete version.
        """
        start = time.perf_counter()
        ids, blocks, embedded, docs_fp = [], [], 0, {}
        total = sum(len(d.chunks) for d in documents)
        done = 0
        for doc, vectors, fresh in doc_vectors(sorted(documents, key=lambda d: d.doc_id), encoder, self.root / "cache"):
            docs_fp[doc.doc_id] = fingerprint(doc.chunks)
            embedded += fresh
            ids += [c.id for c in doc.chunks]
            blocks.append(vectors)
            done += len(doc.chunks)
            if on_progress:
                on_progress(done, total)
        matrix = np.vstack(blocks) if blocks else np.zeros((0, encoder.dim), np.float32)
        index, kind, params = make_index(matrix, kind)
        version = self._publish(index, ids, {
            "model": encoder.name, "dim": encoder.dim, "metric": "inner_product (cosine, unit vectors)",
            "chunks": len(ids), "fingerprint": hashlib.sha256(json.dumps(docs_fp, sort_keys=True).encode()).hexdigest()[:16],
            "index_type": kind, "params": params, "docs": docs_fp,
        })
        self.load(encoder.name)
        return BuildReport(version, len(ids), embedded, time.perf_counter() - start)

    def _publish(self, index, ids: list[str], manifest: dict) -> str:
        import faiss

        version = f"v{time.time_ns()}"
        staging = self.root / f".{version}.tmp"
        staging.mkdir(parents=True)
        faiss.write_index(index, str(staging / "index.faiss"))
        (staging / "ids.json").write_text(json.dumps(ids), "utf-8")
        manifest = {**manifest, "version": version, "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
        (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        for f in staging.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(staging, self.root / version)
        write_atomic(self.root / "CURRENT", version.encode())
        self._prune(keep=version)
        return version

    def _prune(self, keep: str, keep_last: int = 2) -> None:
        """Remove old versions (readers of the previous one keep it for a while) and stale temp dirs."""
        versions = sorted(p for p in self.root.glob("v*") if p.is_dir())
        for old in versions[:-keep_last]:
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)
        for tmp in self.root.glob(".v*.tmp"):
            if time.time() - tmp.stat().st_mtime > 3600:
                shutil.rmtree(tmp, ignore_errors=True)
