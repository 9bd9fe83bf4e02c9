"""Records of the qa stage: a retrieved chunk (Hit), a citation, and an answer."""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus.records import Chunk

REFUSAL = "报告中未提及"  # what every refusal starts with


@dataclass(frozen=True, slots=True)
class Hit:
    """A chunk with its fused score and 1-based rank for one query."""

    chunk: Chunk
    score: float
    rank: int
    dense: float = 0.0  # cosine to the query
    keyword: float = 0.0  # BM25 score

    def to_json(self) -> dict:
        c = self.chunk
        return {"rank": self.rank, "chunk_id": c.id, "doc_id": c.doc_id, "county": c.county, "year": c.year,
                "heading": c.heading, "text": c.text, "score": round(self.score, 6),
                "paragraph_ids": list(c.paragraph_ids)}


@dataclass(frozen=True, slots=True)
class Citation:
    """A numbered passage shown to the model and to the user: "[n]" in the answer points here."""

    n: int
    doc_id: str
    county: str
    year: int | None
    paragraph_id: str
    heading: str
    text: str  # the cited paragraph, display form
    quote: str  # the evidence sentences fed to the model, display form
    score: float

    def to_json(self) -> dict:
        return {"n": self.n, "doc_id": self.doc_id, "county": self.county, "year": self.year,
                "paragraph_id": self.paragraph_id, "heading": self.heading, "text": self.text,
                "quote": self.quote, "score": round(self.score, 6)}


@dataclass(frozen=True, slots=True)
class Answer:
    """What the user sees: text with [n] markers, its citations, and how far it can be trusted."""

    question: str
    text: str
    refused: bool
    grounded: bool  # every figure in the text was found in a cited passage of the asked county
    citations: tuple[Citation, ...] = ()
    mode: str = "generated"  # generated | repaired | extractive | refused
    standalone_question: str = ""
    timings: dict = field(default_factory=dict)
    searched: tuple[str, ...] = ()  # titles of the reports that were searched
    context_chars: int = 0  # characters of evidence the model was given (prompt size, the latency lever)
    model_busy: bool = False  # the model's queue was full, so this is the extractive answer, given at once
    view: dict = field(default_factory=dict)  # an answer from facts: {"indicator": [...], "county": [...]} for the table

    def to_json(self) -> dict:
        return {"answer": self.text, "refused": self.refused, "grounded": self.grounded, "mode": self.mode,
                "question": self.question, "standalone_question": self.standalone_question or self.question,
                "citations": [c.to_json() for c in self.citations], "timings": self.timings,
                "searched": list(self.searched), "context_chars": self.context_chars,
                "model_busy": self.model_busy, "indicator_view": self.view}
