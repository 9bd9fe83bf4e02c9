"""Records produced by the corpus stage: a document's metadata, its paragraphs and chunks."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One cleaned paragraph of one report.

    Example: Paragraph(id="houma-2024#p012", doc_id="houma-2024",
             heading="一、2023年工作回顾", text="一年来，…", norm="一年来,…")
    """

    id: str
    doc_id: str
    heading: str  # heading path, " > " joined, in simplified script
    text: str  # as shown to people (original script)
    norm: str  # simplified, half-width: what we index and match on


@dataclass(frozen=True, slots=True)
class Chunk:
    """What is embedded and keyword-indexed: one or more consecutive paragraphs, or part of one."""

    id: str  # "houma-2024#c007"
    doc_id: str
    paragraph_ids: tuple[str, ...]
    heading: str
    text: str  # display form, original script
    norm: str  # normalized body
    county: str
    year: int | None

    @property
    def indexed(self) -> str:
        """The form that is embedded and keyword-indexed: place and year first, so counties differ."""
        year = f"{self.year}年" if self.year else ""
        return f"{self.county}{year}政府工作报告 {self.heading}\n{self.norm}"


@dataclass(frozen=True, slots=True)
class Document:
    """One report: where it came from, what it is about, and what cleaning did to it."""

    doc_id: str
    source: str  # file name it was read from
    sha256: str  # of the raw bytes
    encoding: str
    title: str
    province: str
    city: str
    county: str
    year: int | None  # year of the people's congress meeting
    reviewed_year: int | None  # the year the report reviews
    date: str  # meeting date, ISO, "" when unknown
    speaker: str
    kind: str = "report"  # "report" or "summary" (a news write-up of a report)
    repaired_runs: int = 0
    dropped_runs: int = 0
    pipeline: str = ""  # fingerprint of the corpus code that built it; a change means rebuild from raw
    paragraphs: tuple[Paragraph, ...] = field(default=(), repr=False)
    chunks: tuple[Chunk, ...] = field(default=(), repr=False)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Document:
        data = dict(data)
        data["paragraphs"] = tuple(Paragraph(**p) for p in data.get("paragraphs", ()))
        data["chunks"] = tuple(
            Chunk(**{**c, "paragraph_ids": tuple(c["paragraph_ids"])}) for c in data.get("chunks", ())
        )
        return cls(**data)

    def summary(self) -> dict:
        """The public record: `reportqa docs --json` prints one of these per document."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "province": self.province,
            "city": self.city,
            "county": self.county,
            "year": self.year,
            "reviewed_year": self.reviewed_year,
            "date": self.date,
            "speaker": self.speaker,
            "kind": self.kind,
            "source": self.source,
            "sha256": self.sha256,
            "encoding": self.encoding,
            "paragraphs": len(self.paragraphs),
            "chunks": len(self.chunks),
            "repaired_runs": self.repaired_runs,
            "dropped_runs": self.dropped_runs,
        }
