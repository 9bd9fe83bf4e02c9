"""The HTTP API's request and response models (pydantic): what /docs shows and schemathesis checks."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qa.records import Citation


class Strict(BaseModel):
    # strict: "stream": 0 or "k": "5" are refused as the schema says, not coerced
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def _whole_numbers(cls, value):
        # JSON Schema counts 5.0 as an integer (JavaScript clients send it); strict pydantic would not
        return int(value) if isinstance(value, float) and value.is_integer() else value


class Placed:
    @property
    def where(self) -> str | None:
        """The place filter, under either name."""
        return self.place or self.county


class AskRequest(Placed, Strict):
    question: str = Field(..., min_length=1, description="问题，简体或繁体", examples=["侯马市2023年GDP增速排全省第几？"])
    place: str | None = Field(None, max_length=20, description="只在这个地方的报告里找：全国、省、市、县、区、旗")
    county: str | None = Field(None, max_length=20, description="place 的旧名，仍然接受")
    year: int | None = Field(None, ge=1949, le=2100)
    top_k: int | None = Field(None, ge=1, le=20)
    history: list[str] = Field(default_factory=list, max_length=20, description="earlier user questions, oldest first")
    stream: bool = False
    require_model: bool = Field(False, description=(
        "false (default): when the model's queue is full, answer at once with the verified extractive "
        "answer (mode `extractive`, `model_busy: true`). true: answer 503 with Retry-After instead."))


class AskResponse(BaseModel):
    answer: str
    refused: bool
    grounded: bool
    mode: str
    question: str
    standalone_question: str
    citations: list[Citation]  # the record itself: one definition for the API schema and the pipeline
    timings: dict[str, float | None]
    searched: list[str]
    context_chars: int = 0
    model_busy: bool = False
    indicator_view: dict[str, list[str] | bool] = Field(default_factory=dict, description=(
        "an answer from facts: the GET /v1/indicators filters that show its figures in the table; "
        "`targets: true` when it compares targets with actuals (GET /v1/targets)"))


class SearchRequest(Placed, Strict):
    query: str = Field(..., min_length=1)
    k: int = Field(5, ge=1, le=100)
    place: str | None = Field(None, max_length=20)
    county: str | None = Field(None, max_length=20, description="place 的旧名，仍然接受")
    year: int | None = Field(None, ge=1949, le=2100)


class HitOut(BaseModel):
    rank: int
    chunk_id: str
    doc_id: str
    county: str
    year: int | None
    heading: str
    text: str
    score: float
    paragraph_ids: list[str]


class SearchResponse(BaseModel):
    hits: list[HitOut]


class ContentPart(Strict):
    type: str
    text: str | None = None


class ChatMessage(Strict):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[ContentPart] | None = ""  # some clients send a list of parts

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class ChatRequest(Strict):
    model: str = "reportqa"
    messages: list[ChatMessage] = Field(..., min_length=1, max_length=50)
    stream: bool = False
    temperature: float | None = Field(None, ge=0, le=2)
    max_tokens: int | None = Field(None, ge=1, le=4096)


class RetrievalSetting(Strict):
    top_k: int = Field(5, ge=1, le=50)
    score_threshold: float = Field(0.0, ge=0, le=1)


class DifyCondition(Strict):
    name: list[str] | str = Field(..., description="metadata names: doc_id, county, province, city, year, reviewed_year, kind, title, date")
    comparison_operator: str = Field(..., max_length=20, examples=["is", "in", "≥", "contains"])
    value: str | int | float | list[str] | None = None


class DifyMetadataCondition(Strict):
    logical_operator: Literal["and", "or"] = "and"
    conditions: list[DifyCondition] = Field(default_factory=list, max_length=50)


class DifyRequest(Strict):
    knowledge_id: str = Field("", max_length=200, description="reports (the whole library), a doc_id, or a place")
    query: str = Field(..., min_length=1)
    retrieval_setting: RetrievalSetting = RetrievalSetting()
    metadata_condition: DifyMetadataCondition | None = None


class DifyError(BaseModel):
    error_code: int
    error_msg: str


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    province: str
    city: str
    county: str = Field(description="the report's place at any level (全国, 河北省, 保定市, 高碑店市…)")
    place: str = ""
    prefecture: str = ""
    year: int | None
    reviewed_year: int | None
    date: str
    speaker: str
    kind: str
    source: str
    sha256: str
    encoding: str
    paragraphs: int
    chunks: int
    repaired_runs: int
    dropped_runs: int
    level: str = ""
    facts: int = 0
    missing: list[str] = Field(default_factory=list, description="fields not found in the text; set them with the form fields county and year, or a sidecar file")


class JobOut(BaseModel):
    id: str
    name: str = Field(description="the uploaded file's name")
    state: Literal["queued", "running", "done", "failed"]
    done_pages: int = Field(description="pages read so far (PDF); 0 for formats without pages")
    total_pages: int | None = Field(description="pages in the file, once the reader knows; null for .txt")
    percent: float | None = Field(description="done_pages / total_pages × 100, or null while unknown")
    error: str = Field("", description="why a failed job failed; the library is unchanged")
    document_id: str | None = None
    document: DocumentOut | None = Field(None, description="the ingested report, once done")
    created: str = Field(description="ISO 8601, UTC")
    started: str | None = None
    finished: str | None = None


class JobAccepted(BaseModel):
    job: JobOut
    status_url: str = Field(examples=["/v1/jobs/3f2a9c0d1e4b5a67"])


class IndicatorRow(BaseModel):
    county: str
    year: int | None
    indicator: str
    value: float
    unit: str
    kind: Literal["actual", "target", "growth", "rank", "share"]
    qualifier: str
    compare_value: float = Field(description="value in compare_unit (亿元 for money, 万吨 for mass …)")
    compare_unit: str
    doc_id: str
    paragraph_id: str
    text: str = Field(description="the sentence the figure came from")


class IndicatorName(BaseModel):
    indicator: str
    reports: int
    aliases: list[str]


class TargetFact(BaseModel):
    value: float
    unit: str
    kind: str
    qualifiers: list[str] = Field(description="左右, 以上, 力争 …")
    text: str = Field(description="the sentence the figure came from")
    doc_id: str
    paragraph_id: str


class TargetPair(BaseModel):
    place: str
    indicator: str
    year: int = Field(description="the year the target is for")
    verdict: Literal["met", "missed", "not_stated", "not_comparable", "missing_report"]
    verdict_zh: str = Field(examples=["未完成"])
    rule: str = Field(description="how the verdict was reached, for people")
    target: TargetFact
    actual: TargetFact | None = Field(description="the figure of the report reviewing the year; null when none")
    actual_doc: str = Field(description="the report that reviews the year, when held, even if it states no figure")


class TrendPoint(BaseModel):
    year: int
    kind: Literal["actual", "growth", "target"]
    value: float
    unit: str
    qualifiers: list[str] = Field(default_factory=list)
    text: str
    doc_id: str
    paragraph_id: str


class Error(BaseModel):
    detail: str


ERRORS = {400: {"model": Error}, 413: {"model": Error}, 415: {"model": Error}, 422: {"model": Error},
          503: {"model": Error}}
