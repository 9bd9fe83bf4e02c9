"""Turning report files into Documents, and keeping them in the data directory.

Layout: `<data_dir>/docs/<doc_id>.json`, one file per report, written atomically.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus.chunk import chunk
from corpus.clean import clean
from corpus.facts import extract_facts
from corpus.meta import extract, load_sidecar, override
from corpus.read import SUPPORTED, Progress, RawText, ReadError, read_bytes, read_raw
from corpus.records import Document
from corpus.split import split

BUNDLED = Path(__file__).parent / "reports"


def _pipeline_fingerprint() -> str:
    """Hash of the code that turns raw bytes into paragraphs and chunks."""
    h = hashlib.sha256()
    for name in ("read", "pdf", "layout", "ocr", "docx", "web", "tables", "clean", "meta", "split", "chunk", "records",
                 "facts", "indicators", "places"):
        h.update((Path(__file__).parent / f"{name}.py").read_bytes())
    return h.hexdigest()[:12]


PIPELINE = _pipeline_fingerprint()


def bundled_reports() -> list[Path]:
    """The five reports that ship with reportqa."""
    return sorted(BUNDLED.glob("*.txt"))


def doc_id_for(name: str) -> str:
    """A stable id from a file name. Example: doc_id_for("Houma 2024.txt") -> "houma-2024" """
    stem = Path(name).name.rsplit(".", 1)[0] if "." in Path(name).name else Path(name).name
    slug = re.sub(r"[^\w\-]+", "-", stem.lower()).strip("-_")
    if not slug:
        raise ReadError(f"{name!r}: the file name gives no usable document id")
    return slug[:80]


def build(data: bytes, name: str, max_chars: int = 300, sidecar: Path | None = None,
          fields: dict | None = None, progress: Progress | None = None) -> Document:
    """Raw bytes of one report -> a Document with metadata, paragraphs and chunks.

    `sidecar` is the report's path when it came from disk: a `name.meta.json` beside it overrides
    metadata fields; `fields` (an upload form's county and year) override what was read;
    `progress(done, total)` hears of each page read.
    """
    raw: RawText = read_bytes(data, name, progress)
    doc_id = doc_id_for(name)
    cleaned = clean(raw.text)
    meta = extract(cleaned.text, raw.text)
    if sidecar is not None:
        meta = load_sidecar(sidecar, meta)
    if fields:
        meta = override(meta, fields)
    paragraphs = split(cleaned.text, doc_id)
    if not paragraphs:
        raise ReadError(f"{name}: no text left after cleaning")
    chunks = chunk(paragraphs, meta.county or doc_id, meta.year, max_chars=max_chars)
    # a report whose place is unknown keeps its figures to itself: they are filed under its doc id
    facts = extract_facts(doc_id, meta.county or doc_id, meta.year, meta.reviewed_year, paragraphs, meta.province)
    return Document(
        doc_id=doc_id,
        source=Path(name).name,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=raw.encoding,
        title=meta.title or Path(name).stem,
        province=meta.province,
        city=meta.city,
        county=meta.county,
        year=meta.year,
        reviewed_year=meta.reviewed_year,
        date=meta.date,
        speaker=meta.speaker,
        kind=meta.kind,
        level=meta.level,
        repaired_runs=cleaned.repaired,
        dropped_runs=cleaned.dropped,
        pipeline=f"{PIPELINE}-{max_chars}",
        paragraphs=tuple(paragraphs),
        chunks=tuple(chunks),
        facts=tuple(facts),
    )


def build_path(path: Path, max_chars: int = 300) -> Document:
    """Read, clean and structure one report file; a sidecar `name.meta.json` overrides metadata."""
    return build(read_raw(path), path.name, max_chars, sidecar=path)


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the supported files inside folders named."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED and p.is_file())
        else:
            out.append(path)
    return out


@dataclass(frozen=True, slots=True)
class Failure:
    source: str
    reason: str


def ingest(paths: Iterable[Path], max_chars: int = 300) -> Iterator[Document | Failure]:
    """Build each file; a file that fails is yielded as a Failure and the rest go on."""
    for path in paths:
        try:
            yield build_path(path, max_chars)
        except ReadError as exc:
            yield Failure(path.name, str(exc))


class DocStore:
    """Documents on disk under `<data_dir>/docs/`, one JSON file each, written atomically, and the
    raw bytes they came from under `<data_dir>/raw/<doc_id>/<source>`, so a newer cleaning pipeline
    can rebuild them."""

    def __init__(self, data_dir: Path):
        self.dir = Path(data_dir) / "docs"
        self.raw_dir = Path(data_dir) / "raw"

    def save(self, doc: Document, raw: bytes | None = None) -> None:
        if raw is not None:
            write_atomic(self.raw_dir / doc.doc_id / doc.source, raw)
        self.dir.mkdir(parents=True, exist_ok=True)
        write_atomic(self.dir / f"{doc.doc_id}.json", json.dumps(doc.to_json(), ensure_ascii=False).encode())

    def raw_path(self, doc: Document) -> Path | None:
        """Where the raw report is kept; the bundled copy for bundled reports ingested without one."""
        kept = self.raw_dir / doc.doc_id / doc.source
        if kept.is_file():
            return kept
        bundled = BUNDLED / doc.source
        return bundled if bundled.is_file() else None

    def stale(self, max_chars: int) -> list[Document]:
        """Documents built by other corpus code (or chunk size) than this one."""
        return [d for d in self.load() if d.pipeline != f"{PIPELINE}-{max_chars}"]

    def load(self) -> list[Document]:
        return list(self.iter())

    def iter(self) -> Iterator[Document]:
        """One document at a time, in doc_id order: a library larger than memory can be streamed."""
        if not self.dir.is_dir():
            return
        for p in sorted(self.dir.glob("*.json")):
            yield Document.from_json(json.loads(p.read_text("utf-8")))

    def any(self) -> bool:
        return self.dir.is_dir() and next(self.dir.glob("*.json"), None) is not None

    def remove(self, doc_id: str) -> bool:
        path = self.dir / f"{doc_id_for(doc_id)}.json"
        shutil.rmtree(self.raw_dir / doc_id_for(doc_id), ignore_errors=True)
        if path.is_file():
            path.unlink()
            return True
        return False


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
