"""The 指标 tab: chosen indicators of chosen places as a table (place × year, actual, growth,
target and rank side by side, every cell opening the paragraph it came from) and a chart (bars for
one year across places, lines across years when a place has several reports), with a CSV export.
"""
from __future__ import annotations

import tempfile
from collections.abc import Sequence
from html import escape

from qa import indicators as table_of
from qa.serve.service import Service

COLUMNS = (("actual", "实际"), ("growth", "增速"), ("target", "目标"), ("rank", "排名"), ("share", "占比"))


def choices(service: Service) -> tuple[list[str], list[str]]:
    """(indicators some report gives, places)"""
    named = [n["indicator"] for n in table_of.indicator_names(service.library.facts()) if n["reports"]]
    return named, service.counties()


def default(named: Sequence[str]) -> list[str]:
    """The headline indicator first: GDP when any report gives it."""
    return ["地区生产总值"] if "地区生产总值" in named else list(named[:1])


def select(service: Service, indicators: Sequence[str], counties: Sequence[str]) -> list[dict]:
    return table_of.rows(service.library.facts, service.documents(), counties=counties or (), indicators=indicators or ())


def paragraphs(service: Service, rows: Sequence[dict]) -> dict[str, tuple[str, str]]:
    """The paragraphs the table's figures come from: id -> (report title, text)."""
    wanted = {r["paragraph_id"] for r in rows}
    return {p.id: (d.title, p.text) for d in service.library.full({r["doc_id"] for r in rows})
            for p in d.paragraphs if p.id in wanted}


def cell(row: dict, paragraph: tuple[str, str] | None) -> str:
    """One figure; clicking it opens its paragraph, the sentence marked, in the citation-card style."""
    qualifier = row["qualifier"].replace("同比", "")
    lead = "".join(q for q in ("力争", "预计", "跨上", "迈上", "突破", "不低于", "不超过") if q in qualifier)
    figure = f'{lead}{row["value"]:g}{row["unit"]}{"".join(q for q in ("左右", "以上", "以内", "以下") if q in qualifier)}'
    converted = (f'<span class="muted">（{row["compare_value"]:g}{row["compare_unit"]}）</span>'
                 if row["compare_unit"] != row["unit"] else "")
    title, text = paragraph or ("", row["text"])
    body = escape(text)
    sentence = escape(row["text"])
    if sentence and sentence in body:
        body = body.replace(sentence, f"<mark>{sentence}</mark>", 1)
    return (f'<details class="cell" data-paragraph="{escape(row["paragraph_id"])}"><summary>{escape(figure)}{converted}'
            f'</summary><div class="card"><div class="card-head"><span class="title">{escape(title)}</span>'
            f'<span class="pid">{escape(row["paragraph_id"])}</span></div><div class="card-text">{body}</div>'
            f'</div></details>')


def table_html(rows: Sequence[dict], paragraphs: dict[str, tuple[str, str]]) -> str:
    if not rows:
        return '<p class="muted">没有符合条件的指标。</p>'
    grouped: dict[tuple, dict[str, list[dict]]] = {}
    for r in rows:
        grouped.setdefault((r["indicator"], r["county"], r["year"]), {}).setdefault(r["kind"], []).append(r)
    kinds = [k for k, _ in COLUMNS if any(k in g for g in grouped.values())]
    head = "".join(f"<th>{label}</th>" for k, label in COLUMNS if k in kinds)
    body = []
    for (indicator, county, year), cells in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0)):
        tds = "".join("<td>" + "".join(cell(r, paragraphs.get(r["paragraph_id"])) for r in cells.get(k, [])) + "</td>"
                      for k in kinds)
        body.append(f'<tr data-county="{escape(county)}" data-year="{year or ""}"><td>{escape(indicator)}</td>'
                    f'<td>{escape(county)}</td><td>{year or ""}</td>{tds}</tr>')
    return (f'<table class="indicators"><thead><tr><th>指标</th><th>地方</th><th>年份</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def chart_frame(rows: Sequence[dict]):
    """Actual figures of the first indicator, in one unit: x = place (bars) or year (lines)."""
    import pandas as pd

    actual = [r for r in rows if r["kind"] == "actual"] or [r for r in rows if r["kind"] == "growth"]
    if not actual:
        return pd.DataFrame({"地点": [], "数值": [], "年份": []}), "bar", ""
    first = actual[0]["indicator"]
    unit = next(r["compare_unit"] for r in actual if r["indicator"] == first)
    picked = [r for r in actual if r["indicator"] == first and r["compare_unit"] == unit]
    # one figure per place and year: the first the report gives
    seen, points = set(), []
    for r in picked:
        if (r["county"], r["year"]) not in seen:
            seen.add((r["county"], r["year"]))
            points.append({"地点": r["county"], "年份": str(r["year"] or ""), "数值": r["compare_value"]})
    several = any(sum(p["地点"] == q["地点"] for q in points) > 1 for p in points)
    return pd.DataFrame(points), "line" if several else "bar", f"{first}（{unit}）"


def csv_file(rows: Sequence[dict]) -> str:
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".csv", prefix="indicators-", delete=False,
                                     newline="") as fh:
        fh.write(table_of.to_csv(rows))
    return fh.name
