"""The question set: one JSON object per line, read into frozen `Question` records.

Example line:
  {"id": "q001", "question": "代县2022年GDP是多少？", "answers": ["90.2亿元"],
   "evidence": "2022年全县地区生产总值完成90.2亿元", "type": "fact_number", "doc": "daixian-2023"}

Optional fields of a probe question (all absent on the older lines):
  probe        what it probes, one of PROBES
  note         why the reports cannot answer it, or which years/reports a comparison draws on
  winner       the place (or year, "2022年") a comparison or superlative must name as ahead
  answers_all  every one of these must appear (both figures of a comparison, both parts of a question)
  wrong        tempting figures of another year or place; an answer that shows one is wrong
  verdict      a target_check: met, missed or not_stated, as the answer must say
  {"id": "q178", "question": "绛县2020年固定资产投资完成了多少？", "answers": [], "evidence": null,
   "type": "unanswerable", "doc": "jiangxian-2022", "probe": "wrong_year",
   "note": "only 2021: 27.5亿元", "wrong": ["27.5亿元"]}
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

FACT_TYPES = ("fact_number", "fact_entity", "list", "definition", "plan_target", "comparison", "unanswerable")
# eval/targets/: a target held against the next report's outcome, the misses of a year, a trend
TARGET_TYPES = ("target_check", "target_list", "trend", "target_library")
TYPES = FACT_TYPES + TARGET_TYPES
# one report answers these; the retrieval gate is measured on them
SINGLE = ("fact_number", "fact_entity", "list", "definition", "plan_target")
# kinds of probe question; the first four are unanswerable by construction
PROBES = ("wrong_year", "no_report_place", "target_not_actual", "wrong_indicator",
          "two_part", "superlative", "compare_places", "target_vs_actual", "compare_years", "paraphrase")
UNANSWERABLE_PROBES = PROBES[:4]


class QuestionError(ValueError):
    """A question file that cannot be used; str() names the line."""


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    question: str
    answers: tuple[str, ...]  # simplified gold strings; any one (or several, by type) must appear
    evidence: tuple[str, ...]  # verbatim substrings of the raw report, original script; () when unanswerable
    type: str
    docs: tuple[str, ...]  # doc ids; for comparison aligned with `evidence` when the lengths agree
    probe: str = ""  # what the question probes: wrong_year, no_report_place, superlative, two_part …
    winner: str = ""  # a comparison or superlative: the place (or year) that must be named as ahead
    answers_all: tuple[str, ...] = ()  # every one of these must appear (both figures of a comparison)
    wrong: tuple[str, ...] = ()  # tempting figures of another year or place; showing one is an error
    note: str = ""
    verdict: str = ""  # a target_check: met, missed or not_stated, as the answer must say

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    @property
    def single(self) -> bool:
        """Answered by one report (the retrieval gate's population)."""
        return self.type in SINGLE

    def doc_of(self, i: int) -> tuple[str, ...]:
        """The doc(s) evidence i must come from."""
        if len(self.docs) == len(self.evidence) and len(self.docs) > 1:
            return (self.docs[i],)
        return self.docs


def _tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def parse(obj: dict) -> Question:
    kind = obj.get("type")
    if kind not in TYPES:
        raise QuestionError(f"{obj.get('id')}: unknown type {kind!r}")
    return Question(
        id=str(obj["id"]), question=str(obj["question"]), answers=_tuple(obj.get("answers")),
        evidence=_tuple(obj.get("evidence")), type=kind, docs=_tuple(obj.get("doc")),
        probe=str(obj.get("probe", "")), winner=str(obj.get("winner", "")), answers_all=_tuple(obj.get("answers_all")),
        wrong=_tuple(obj.get("wrong")), note=str(obj.get("note", "")), verdict=str(obj.get("verdict", "")),
    )


def load(path: Path, limit: int | None = None) -> list[Question]:
    """Questions of a JSONL file, in file order; blank lines skipped."""
    out: list[Question] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(parse(json.loads(line)))
        except (json.JSONDecodeError, KeyError, QuestionError) as exc:
            raise QuestionError(f"{path}:{n}: {exc}") from None
        if limit is not None and len(out) >= limit:
            break
    return out
