"""The analyst's view: every headline indicator of every report as rows, filtered by place, year,
indicator and kind, with values converted to one unit per family so places and years compare.

Example: rows(library.facts, library.documents(), indicators=["GDP"], kinds=["actual"])
  -> [{"county": "代县", "year": 2022, "indicator": "地区生产总值", "value": 90.2, "unit": "亿元",
       "kind": "actual", "qualifier": "", "compare_value": 90.2, "compare_unit": "亿元", …}, …]
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from corpus import indicators as names
from corpus.clean import normalize
from corpus.records import Document, Fact

KINDS = ("actual", "target", "growth", "rank", "share")
# one display unit per family: 亿元 for money, 万吨 for mass …; the original stays in value/unit
COMPARE = {"元": ("亿元", 1e-8), "万元": ("亿元", 1e-4), "亿元": ("亿元", 1), "万亿元": ("亿元", 1e4),
           "万亿斤": ("万吨", 5e4), "公斤": ("万吨", 1e-7),
           "万公斤": ("万吨", 1e-3), "亿公斤": ("万吨", 10), "吨": ("万吨", 1e-4), "万吨": ("万吨", 1),
           "斤": ("万吨", 5e-8), "万斤": ("万吨", 5e-4), "亿斤": ("万吨", 5), "人": ("人", 1), "万人": ("人", 1e4),
           "亩": ("万亩", 1e-4), "万亩": ("万亩", 1)}
FIELDS = ("county", "year", "indicator", "value", "unit", "kind", "qualifier", "compare_value", "compare_unit",
          "doc_id", "paragraph_id", "text")


class FilterError(ValueError):
    """A filter value no report has; the message names the known ones."""


def row(fact: Fact) -> dict:
    unit, factor = COMPARE.get(fact.unit, (fact.unit, 1))
    return {"county": fact.place, "year": fact.year, "indicator": fact.indicator, "value": fact.value,
            "unit": fact.unit, "kind": fact.kind, "qualifier": "".join(fact.qualifiers),
            "compare_value": round(fact.value * factor, 6), "compare_unit": unit, "doc_id": fact.doc_id,
            "paragraph_id": fact.paragraph_id, "text": fact.sentence}


def _resolve_indicator(name: str, known: set[str]) -> str:
    found = names.canonical(name) or (normalize(name) if normalize(name) in known else None)
    if not found:
        raise FilterError(f"unknown indicator {name!r}; known: {'、'.join(sorted(known))}")
    return found


def rows(facts_of: Callable[[Sequence[str], Sequence[str]], Sequence[Fact]], documents: Sequence[Document],
         counties: Sequence[str] = (), years: Sequence[int] = (), indicators: Sequence[str] = (),
         kinds: Sequence[str] = ()) -> list[dict]:
    """Rows of the canonical facts, one per (report, indicator, kind, year, value), in report order.
    `facts_of(places, indicators)` gives the facts about those places and indicators (all when empty),
    so a library in Milvus is asked for what the table shows only."""
    places = {d.county: d for d in documents if d.county}
    known_places = {a: c for c in places for a in (c, normalize(c), c[:-1] if len(c) > 2 else c)}
    wanted_places = set()
    for c in counties:
        key = normalize(c.strip())
        if key not in known_places:
            raise FilterError(f"unknown place {c!r}; the reports cover: {'、'.join(sorted(places))}")
        wanted_places.add(known_places[key])
    for k in kinds:
        if k not in KINDS:
            raise FilterError(f"unknown kind {k!r}; use one of {', '.join(KINDS)}")
    wanted_indicators = {names.canonical(i) or _resolve_indicator(i, {f.indicator for f in facts_of(tuple(wanted_places), ())})
                         for i in indicators}
    facts = [f for f in facts_of(tuple(sorted(wanted_places)), tuple(sorted(wanted_indicators))) if f.canonical]
    known_years = sorted({f.year for f in facts if f.year})
    for y in years:
        if y not in known_years:
            raise FilterError(f"no figures for {y}; the reports give figures for {', '.join(map(str, known_years))}")
    out, seen = [], set()
    for f in facts:
        if (wanted_places and f.place not in wanted_places or years and f.year not in years
                or wanted_indicators and f.indicator not in wanted_indicators or kinds and f.kind not in kinds):
            continue
        key = (f.doc_id, f.indicator, f.kind, f.year, f.value, f.unit)
        if key not in seen:
            seen.add(key)
            out.append(row(f))
    return out


def select(facts: Iterable[Fact], places: Sequence[str] = (), indicators: Sequence[str] = ()) -> list[Fact]:
    """Facts about these places (all when none), of these indicators (all when none)."""
    return [f for f in facts if (not places or f.place in places) and (not indicators or f.indicator in indicators)]


def indicator_names(facts: Sequence[Fact]) -> list[dict]:
    """The canonical indicators with how many reports give each, most given first."""
    counts = {n: {f.doc_id for f in facts if f.canonical and f.indicator == n} for n in names.names()}
    return sorted(({"indicator": n, "reports": len(ids), "aliases": list(names.ALIASES[n])} for n, ids in counts.items()),
                  key=lambda r: (-r["reports"], names.names().index(r["indicator"])))


def to_csv(table: Sequence[dict]) -> str:
    """CSV with a BOM, so Excel opens the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(table)
    return "\ufeff" + buffer.getvalue()
