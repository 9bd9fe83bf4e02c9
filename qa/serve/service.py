"""The service the API router and the Gradio UI both call: one Library and one AnswerPipeline
per process, models loaded once, and the job queue uploads are read in; and the filtered
targets-against-actuals table (`target_pairs`, `target_trend`) the API, the CLI and the UI share."""
from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import PurePosixPath, PureWindowsPath

from corpus.read import SUPPORTED, ReadError
from corpus.clean import normalize
from corpus.records import Document, Fact
from qa.indicators import FilterError, _resolve_indicator
from qa.jobs import Job, Jobs
from qa.library import Library
from qa.answer.pipeline import AnswerPipeline
from qa.records import Answer, Hit
from qa.retrieval.retrieve import QueryError
from qa.settings import Settings
from qa.targets import VERDICTS, Pair, Point, pairs, trend

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


FactsOf = Callable[[Sequence[str], Sequence[str]], Sequence[Fact]]  # Library.facts(places, indicators)
PAIR_FIELDS = ("place", "year", "indicator", "verdict", "verdict_zh", "target_value", "target_unit", "target_qualifier",
               "actual_value", "actual_unit", "rule", "target_doc_id", "target_paragraph_id", "actual_doc_id",
               "actual_paragraph_id", "actual_doc", "target_text", "actual_text")


def resolve_place(name: str, documents: Sequence[Document]) -> str:
    """A place as /v1/indicators reads it: 侯马 or 侯马市, 代縣 or 代县. Raises FilterError naming the known ones."""
    places = {d.county for d in documents if d.county}
    known = {a: c for c in places for a in (c, normalize(c), c[:-1] if len(c) > 2 else c)}
    key = normalize(name.strip())
    if key not in known:
        raise FilterError(f"unknown place {name!r}; the reports cover: {'、'.join(sorted(places))}")
    return known[key]


def target_pairs(facts_of: FactsOf, documents: Sequence[Document], places: Sequence[str] = (),
                 years: Sequence[int] = (), indicators: Sequence[str] = (), verdicts: Sequence[str] = ()) -> list[Pair]:
    """qa.targets.pairs with the filters /v1/indicators takes (aliases resolved, several of each allowed).

    Example: target_pairs(library.facts, documents, ["广东"], [2025], ["GDP"])
      -> [Pair(place="广东省", indicator="地区生产总值", year=2025, verdict="missed", …)]
    """
    wanted = sorted({resolve_place(p, documents) for p in places})
    for v in verdicts:
        if v not in VERDICTS:
            raise FilterError(f"unknown verdict {v!r}; use one of {', '.join(VERDICTS)}")
    known = {f.indicator for f in facts_of(tuple(wanted), ())} if indicators else set()
    named = {i if i in known else _resolve_indicator(i, known) for i in indicators}
    facts = facts_of(tuple(wanted), tuple(sorted(named)))
    found = [p for place in (wanted or [None]) for p in pairs(facts, documents, place=place)
             if not named or p.indicator in named]
    known_years = sorted({p.year for p in found})
    for y in years:
        if y not in known_years:
            raise FilterError(f"no targets for {y}; the reports set targets for {', '.join(map(str, known_years)) or 'no year'}")
    return [p for p in found if (not years or p.year in years) and (not verdicts or p.verdict in verdicts)]


def target_trend(facts_of: FactsOf, documents: Sequence[Document], place: str, indicator: str) -> list[Point]:
    """qa.targets.trend of one place and indicator, both resolved like target_pairs' filters."""
    if not (place or "").strip() or not (indicator or "").strip():
        raise FilterError("a trend needs both place and indicator")
    place = resolve_place(place, documents)
    known = {f.indicator for f in facts_of((place,), ())}
    named = indicator if indicator in known else _resolve_indicator(indicator, known)  # as a table names it, or an alias
    return trend(facts_of((place,), (named,)), documents, place, named)


def point_json(point: Point) -> dict:
    f = point.fact
    return {"year": point.year, "kind": point.kind, "value": f.value, "unit": f.unit, "qualifiers": list(f.qualifiers),
            "text": f.sentence, "doc_id": f.doc_id, "paragraph_id": f.paragraph_id}


def pairs_csv(found: Sequence[Pair]) -> str:
    """One row per pair, CSV with a BOM like the indicators table, so Excel opens the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PAIR_FIELDS)
    writer.writeheader()
    for p in found:
        j = p.to_json()
        t, a = j["target"], j["actual"] or {}
        writer.writerow({"place": p.place, "year": p.year, "indicator": p.indicator, "verdict": p.verdict,
                         "verdict_zh": j["verdict_zh"], "target_value": t["value"], "target_unit": t["unit"],
                         "target_qualifier": "".join(t["qualifiers"]), "actual_value": a.get("value", ""),
                         "actual_unit": a.get("unit", ""), "rule": p.rule, "target_doc_id": t["doc_id"],
                         "target_paragraph_id": t["paragraph_id"], "actual_doc_id": a.get("doc_id", ""),
                         "actual_paragraph_id": a.get("paragraph_id", ""), "actual_doc": p.actual_doc,
                         "target_text": t["text"], "actual_text": a.get("text", "")})
    return "\ufeff" + buffer.getvalue()


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

    def targets(self, places: Sequence[str] = (), years: Sequence[int] = (), indicators: Sequence[str] = (),
                verdicts: Sequence[str] = ()) -> list[Pair]:
        """Each year's targets beside the next report's actuals (raises FilterError on a bad filter)."""
        return target_pairs(self.library.facts, self.documents(), places, years, indicators, verdicts)

    def trend(self, place: str, indicator: str) -> list[Point]:
        return target_trend(self.library.facts, self.documents(), place, indicator)

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
