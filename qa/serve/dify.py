"""Dify's external knowledge API: which reports a request may search (knowledge_id and
metadata_condition), and a score a threshold can use.

Example condition: {"logical_operator": "and", "conditions": [
    {"name": ["county"], "comparison_operator": "in", "value": ["代县", "绛县"]},
    {"name": ["year"], "comparison_operator": "≥", "value": "2023"}]}
"""
from __future__ import annotations

from collections.abc import Sequence

from corpus.clean import normalize
from corpus.records import Document
from qa.answer.evidence import content_terms, coverage
from qa.records import Hit

LIBRARY_IDS = ("", "reports", "reportqa", "all")  # the whole library
FIELDS = ("doc_id", "county", "province", "city", "year", "reviewed_year", "kind", "title", "date")
NUMERIC = {"=": lambda a, b: a == b, "≠": lambda a, b: a != b, "!=": lambda a, b: a != b, ">": lambda a, b: a > b,
           "<": lambda a, b: a < b, "≥": lambda a, b: a >= b, ">=": lambda a, b: a >= b, "≤": lambda a, b: a <= b,
           "<=": lambda a, b: a <= b}
TEXT = {"is": lambda a, b: a == b, "is not": lambda a, b: a != b, "contains": lambda a, b: b in a,
        "not contains": lambda a, b: b not in a, "start with": lambda a, b: a.startswith(b),
        "end with": lambda a, b: a.endswith(b), "before": lambda a, b: bool(a) and a < b,
        "after": lambda a, b: bool(a) and a > b}
OPERATORS = (*NUMERIC, *TEXT, "in", "not in", "empty", "not empty")


class ConditionError(ValueError):
    """A condition naming an unknown field or operator, or a value of the wrong type."""


class UnknownKnowledge(LookupError):
    """Dify's error 2001."""


def scope(knowledge_id: str, documents: Sequence[Document]) -> list[Document]:
    """The reports a knowledge id names: the whole library, one report (its doc_id) or one place."""
    if knowledge_id.strip().lower() in LIBRARY_IDS:
        return list(documents)
    want = normalize(knowledge_id.strip())
    mine = [d for d in documents if want in (d.doc_id, d.county)]
    if not mine:
        raise UnknownKnowledge(knowledge_id)
    return mine


def _holds(doc: Document, condition: dict) -> bool:
    names = condition.get("name") or []
    names = [names] if isinstance(names, str) else list(names)
    op = condition.get("comparison_operator", "")
    value = condition.get("value")
    if op not in OPERATORS:
        raise ConditionError(f"unknown comparison_operator {op!r}; use one of {', '.join(OPERATORS)}")
    if not names or any(n not in FIELDS for n in names):
        raise ConditionError(f"unknown metadata name {names!r}; the reports have {', '.join(FIELDS)}")
    return any(_compare(getattr(doc, n), op, value) for n in names)


def _compare(have, op: str, value) -> bool:
    if op == "empty":
        return have in (None, "")
    if op == "not empty":
        return have not in (None, "")
    if op in ("in", "not in"):
        values = [value] if isinstance(value, (str, int, float)) else list(value or [])
        inside = any(_same(have, v) for v in values)
        return inside if op == "in" else not inside
    if op in NUMERIC:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ConditionError(f"{op} needs a number, got {value!r}") from None
        return have is not None and have != "" and NUMERIC[op](float(have), number)
    if isinstance(value, list):
        raise ConditionError(f"{op} needs one value, got a list")
    return TEXT[op](normalize(str(have if have is not None else "")), normalize(str(value if value is not None else "")))


def _same(have, value) -> bool:
    if isinstance(have, int) and not isinstance(have, bool):
        try:
            return have == int(str(value).strip())
        except ValueError:
            return False
    return normalize(str(have)) == normalize(str(value))


def matching(documents: Sequence[Document], condition: dict | None) -> list[Document]:
    """Reports whose metadata satisfies `metadata_condition` (and / or over its conditions)."""
    if not condition or not condition.get("conditions"):
        return list(documents)
    either = str(condition.get("logical_operator", "and")).lower() == "or"
    rule = any if either else all
    return [d for d in documents if rule(_holds(d, c) for c in condition["conditions"])]


def score(hit: Hit, query: str) -> float:
    """How much of the query's content the passage holds, 0..1 (place and year count too).

    Dense cosine with m3e-small sits at 0.70–0.82 for every passage of these look-alike reports, so
    a threshold on it separates nothing; the share of the question's words found does.
    """
    groups = content_terms(query)
    text = normalize(hit.chunk.indexed).lower()
    return round(coverage(text, groups), 4)
