"""The service the API router and the Gradio UI both call: one Library and one AnswerPipeline
per process, models loaded once, and the job queue uploads are read in."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath, PureWindowsPath

from corpus.read import SUPPORTED, ReadError
from corpus.records import Document
from qa.jobs import Job, Jobs
from qa.library import Library
from qa.answer.pipeline import AnswerPipeline
from qa.records import Answer, Hit
from qa.retrieval.retrieve import QueryError
from qa.settings import Settings

log = logging.getLogger(__name__)
ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")


class UploadError(ValueError):
    """A rejected upload; `status` is the HTTP status that fits."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def safe_name(name: str) -> str:
    """An upload's file name, refused when it carries a path or is an archive.

    Example: safe_name("../../etc/passwd.txt") raises UploadError
    """
    if not name or name != name.strip() or "\x00" in name:
        raise UploadError("the upload needs a plain file name")
    if PurePosixPath(name).name != name or PureWindowsPath(name).name != name or name.startswith(".") or ".." in name:
        raise UploadError(f"file name {name!r} must not contain a path")
    lower = name.lower()
    if lower.endswith(ARCHIVES):
        raise UploadError(f"{name}: archives are not accepted; upload the report file itself", 415)
    if not lower.endswith(SUPPORTED):
        raise UploadError(f"{name}: unsupported file type; use one of {', '.join(SUPPORTED)}", 415)
    if not re.search(r"[\w\u3400-\u9fff]", name.rsplit(".", 1)[0]):
        raise UploadError(f"{name!r} gives no usable document id")
    return name


class Service:
    def __init__(self, settings: Settings, library: Library | None = None, pipeline: AnswerPipeline | None = None):
        self.settings = settings
        self.library = library or Library(settings)
        self.pipeline = pipeline or AnswerPipeline.from_settings(settings, self.library)
        self.jobs = Jobs(keep=100, max_pending=settings.upload_queue)  # one worker: ingests never overlap

    def warm(self) -> None:
        """Build what is missing and load the models now rather than on the first question."""
        self.library.ensure_ready()
        self.library.retriever()
        _ = self.pipeline.generator

    def _question(self, text: str, limit: int) -> str:
        if not isinstance(text, str) or not text.strip():
            raise QueryError("the question is empty")
        if len(text) > limit:
            raise QueryError(f"the question is {len(text)} characters long; the limit is {limit}")
        return text.strip()

    def search(self, query: str, k: int = 5, county: str | None = None, year: int | None = None,
               docs: Sequence[str] | None = None) -> list[Hit]:
        if not isinstance(query, str) or not query.strip():
            raise QueryError("the query is empty")
        return self.library.retriever().retrieve(query[: self.settings.max_query_chars], k=k, county=county, year=year,
                                                 docs=docs)

    def ask(self, question: str, county: str | None = None, year: int | None = None,
            history: Sequence[str] = (), top_k: int | None = None, require_model: bool = False) -> Answer:
        question = self._question(question, self.settings.max_question_chars)
        return self.pipeline.answer(question, county, year, history, top_k, require_model)

    def ask_stream(self, question: str, county: str | None = None, year: int | None = None,
                   history: Sequence[str] = (), top_k: int | None = None,
                   require_model: bool = False) -> Iterator[tuple[str, object]]:
        question = self._question(question, self.settings.max_question_chars)
        return self.pipeline.stream(question, county, year, history, top_k, require_model)

    def documents(self) -> list[Document]:
        return self.library.documents()

    def counties(self) -> list[str]:
        return sorted({d.county for d in self.documents() if d.county})

    def years(self) -> list[int]:
        return sorted({y for d in self.documents() for y in (d.year, d.reviewed_year) if y})

    def upload(self, data: bytes, name: str, county: str | None = None, year: int | None = None) -> Document:
        """Validate and ingest one report, waiting for it; nothing is written unless it is fully
        readable. `county` and `year` override what the text says (or supply what it does not)."""
        job = self.submit_upload(data, name, county, year)
        job.wait()
        if job.exc is not None:
            raise job.exc
        return job.result

    def submit_upload(self, data: bytes, name: str, county: str | None = None, year: int | None = None) -> Job:
        """Validate one upload now (raises UploadError) and queue its ingest; the job's `progress`
        hears of each page read. A job that fails holds an UploadError (422: the file cannot be
        read) or a RuntimeError (the library could not take it); the library is unchanged either way."""
        name = safe_name(name)
        if county is not None and (not county.strip() or len(county) > 20 or not re.fullmatch(r"[\u3400-\u9fff]+", county.strip())):
            raise UploadError("place must be a place name in Chinese characters, at most 20 of them")
        if year is not None and not 1949 <= year <= 2100:
            raise UploadError("year must be between 1949 and 2100")
        if len(data) > self.settings.max_upload_bytes:
            raise UploadError(f"{name} is {len(data)} bytes; the limit is {self.settings.max_upload_bytes}", 413)
        if not data:
            raise UploadError(f"{name} is empty", 422)
        if data[:4] in (b"PK\x03\x04",) and not name.lower().endswith(".docx"):
            raise UploadError(f"{name}: looks like an archive, not a report", 415)
        fields = {"county": county.strip() if county else None, "year": year}

        def ingest(job: Job) -> Document:
            try:
                return self.library.add(data, name, fields, progress=job.progress)
            except ReadError as exc:
                raise UploadError(str(exc), 422) from None
            except Exception as exc:
                log.exception("ingesting %s failed", name)
                raise RuntimeError(f"{name} could not be added ({type(exc).__name__}); "
                                   "the library is unchanged") from exc

        return self.jobs.submit(name, ingest)
