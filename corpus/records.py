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
class Fact:
    """One figure a report states, bound to place, year and indicator.

    Example: Fact(doc_id="daixian-2023", paragraph_id="daixian-2023#p007", place="代县", year=2022,
                  period="2022", indicator="地区生产总值", canonical=True, value=90.2, unit="亿元",
                  kind="actual", qualifiers=(), sentence="2022年全县地区生产总值完成90.2亿元")
    """

    doc_id: str
    paragraph_id: str
    place: str
    year: int | None  # the year the figure is about; None for a span
    period: str  # "2022", or a span: "过去五年", "十四五", "2019-2023"
    indicator: str  # canonical name ("地区生产总值"), else the phrase the report uses ("5G基站")
    canonical: bool
    value: float  # a decline is negative: 下降3.2% -> -3.2
    unit: str  # as written: 亿元, %, 个百分点, 万吨, 位 …
    kind: str  # actual | target | growth | rank | share
    qualifiers: tuple[str, ...]  # 左右, 以上, 力争, 预计, 同比 …
    sentence: str  # display form, original script

    def to_json(self) -> dict:
        return asdict(self)


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
    level: str = ""  # 县, 县级市, 区, 旗, 自治县, 地级市 … from the national list; "" when unknown
    repaired_runs: int = 0
    dropped_runs: int = 0
    pipeline: str = ""  # fingerprint of the corpus code that built it; a change means rebuild from raw
    paragraphs: tuple[Paragraph, ...] = field(default=(), repr=False)
    chunks: tuple[Chunk, ...] = field(default=(), repr=False)
    facts: tuple[Fact, ...] = field(default=(), repr=False)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Document:
        data = dict(data)
        data["paragraphs"] = tuple(Paragraph(**p) for p in data.get("paragraphs", ()))
        data["chunks"] = tuple(
            Chunk(**{**c, "paragraph_ids": tuple(c["paragraph_ids"])}) for c in data.get("chunks", ())
        )
        data["facts"] = tuple(Fact(**{**f, "qualifiers": tuple(f["qualifiers"])}) for f in data.get("facts", ()))
        return cls(**data)

    def summary(self) -> dict:
        """The public record: `reportqa docs --json` prints one of these per document."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "province": self.province,
            "city": self.city,
            "county": self.county,  # the report's place at any level (kept under its first name)
            "place": self.county,
            "prefecture": self.city,
            "year": self.year,
            "reviewed_year": self.reviewed_year,
            "date": self.date,
            "speaker": self.speaker,
            "kind": self.kind,
            "level": self.level,
            "source": self.source,
            "sha256": self.sha256,
            "encoding": self.encoding,
            "paragraphs": len(self.paragraphs),
            "chunks": len(self.chunks),
            "facts": len(self.facts),
            "repaired_runs": self.repaired_runs,
            "dropped_runs": self.dropped_runs,
            # what could not be read from the text: set it with the upload form or a sidecar file
            "missing": [name for name in ("county", "province", "year", "reviewed_year", "date", "speaker")
                        if getattr(self, name) in (None, "") and not (name == "province" and self.level == "全国")],
        }
