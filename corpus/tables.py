"""Tables of a report as lines of text: a table of main indicators becomes one report-style
sentence per row (so corpus/facts.py binds its figures), any other table one line per row, cells
separated by "；".

    rows_to_lines([["指标", "单位", "2023年", "2024年目标", "增长（%）"],
                   ["地区生产总值", "亿元", "189", "205", "12.1"]])
    -> ["表：2023年地区生产总值189亿元，2024年地区生产总值目标205亿元，2023年地区生产总值比上年增长12.1%。"]

The figures are kept as written (only thousands separators go: a comma ends a clause). "表：" marks
a line that came from a table. Used by corpus/docx.py and corpus/web.py, and open to the PDF reader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "表："
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
_UNIT_IN = re.compile(r"[（(]\s*([^()（）\d]{1,8}?)\s*[)）]\s*$")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?$")
_EMPTY = {"", "-", "—", "——", "/", "／", "…", "--", "无", "*"}
_INDICATOR_HEAD = re.compile(r"指标|项目|名称|内容|类别")
_INDEX_HEAD = re.compile(r"^(?:序号|编号|序|No\.?)$", re.I)
_UNIT_HEAD = re.compile(r"单位")
_GROWTH_HEAD = re.compile(r"增长|增速|增幅|增减|同比|比上年|[±]")
_TARGET_HEAD = re.compile(r"目标|预期|计划")
_ESTIMATE_HEAD = re.compile(r"预计")
_ACTUAL_HEAD = re.compile(r"实际|完成|实绩|实现")


@dataclass(frozen=True, slots=True)
class Column:
    """What one column of an indicator table holds: role is indicator, unit, value, growth or other."""
    role: str
    year: str = ""       # "2024" when the header names a year
    kind: str = ""       # "target", "estimate", "actual" or ""
    unit: str = ""       # a unit the header gives: "2024年（亿元）"
    header: str = ""


def _squeeze(cell: str) -> str:
    return re.sub(r"\s+", "", cell or "")


def _column(header: str, first: bool) -> Column:
    """Example: _column("2024年目标", False) -> Column("value", "2024", "target", "", "2024年目标")"""
    head = _squeeze(header)
    if _INDEX_HEAD.match(head):
        return Column("index", header=head)
    unit = m.group(1) if (m := _UNIT_IN.search(head)) else ""
    bare = _UNIT_IN.sub("", head)
    year = m.group(1) if (m := _YEAR.search(bare)) else ""
    kind = ("target" if _TARGET_HEAD.search(bare) else "estimate" if _ESTIMATE_HEAD.search(bare)
            else "actual" if _ACTUAL_HEAD.search(bare) else "")
    if _UNIT_HEAD.search(bare) and not year:
        return Column("unit", header=head)
    if _GROWTH_HEAD.search(bare) or unit == "%" and not year and re.search(r"增|速|幅", bare):
        return Column("growth", year, kind, unit or "%", head)
    if year or kind:
        return Column("value", year, kind or "actual", unit, head)
    if first or _INDICATOR_HEAD.search(bare):
        return Column("indicator", header=head)
    return Column("other", header=head)


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(_squeeze(cell).rstrip("%")))


def _columns(rows: list[list[str]]) -> tuple[list[Column], int] | None:
    """The columns of an indicator table and how many header rows it has, or None when it is not one.
    A second header row (2024年 over 目标 | 实际) is joined to the first."""
    width = max(len(r) for r in rows)
    header, head_rows = (rows[0] + [""] * width)[:width], 1
    if len(rows) > 2 and not any(_is_number(c) for c in rows[1][1:]) and any(_squeeze(c) for c in rows[1][1:]):
        second = (rows[1] + [""] * width)[:width]
        top = []  # a cell spanning columns (2024年 over 目标 | 实际) leaves the ones after it empty
        for i, a in enumerate(header):
            top.append(_squeeze(a) or (top[-1] if i > 1 and _squeeze(second[i]) else ""))
        header = [a if a == _squeeze(b) else a + _squeeze(b) for a, b in zip(top, second)]
        head_rows = 2
    named = any(_INDICATOR_HEAD.search(_squeeze(h)) for h in header)
    cols = [_column(h, i == 0 and not named) for i, h in enumerate(header)]
    body = rows[head_rows:]
    values = [c for c in cols if c.role in ("value", "growth")]
    if sum(c.role == "indicator" for c in cols) < 1 or not values or not body:
        return None
    numeric = sum(_is_number(r[i]) for r in body for i, c in enumerate(cols) if c.role in ("value", "growth") and i < len(r))
    return (cols, head_rows) if numeric >= max(1, len(body) // 2) else None


def _number(cell: str) -> str:
    """The figure as written, without thousands separators or spaces: "1,234.5" -> "1234.5" """
    return re.sub(r"(?<=\d),(?=\d{3})", "", _squeeze(cell)).rstrip("%")


def _row_sentence(cols: list[Column], row: list[str]) -> str | None:
    cells = [(row[i] if i < len(row) else "") for i in range(len(cols))]
    name = next((_squeeze(c) for c, col in zip(cells, cols) if col.role == "indicator" and _squeeze(c)), "")
    if not name:
        return None
    if not any(_squeeze(c) not in _EMPTY for c, col in zip(cells, cols) if col.role in ("value", "growth")):
        return PREFIX + name  # a group's name ("一、经济发展"): marked, so it is not read as the report's heading
    unit = next((_squeeze(c).strip("()（）") for c, col in zip(cells, cols) if col.role == "unit" and _squeeze(c)), "")
    if (m := _UNIT_IN.search(name)) and not unit:
        unit = m.group(1)
    name = _UNIT_IN.sub("", name)
    latest = ""  # the year of the nearest value column before a growth column with no year of its own
    clauses: list[str] = []
    for cell, col in zip(cells, cols):
        value = _number(cell)
        if col.role == "value" and col.year:
            latest = col.year if col.kind != "target" else latest
        if col.role not in ("value", "growth", "other") or _squeeze(cell) in _EMPTY:
            continue
        if col.role == "other":
            clauses.append(f"{name}{col.header}{_squeeze(cell)}")
            continue
        if not _is_number(cell):
            clauses.append(f"{name}{col.header}{_squeeze(cell)}")
            continue
        year = f"{col.year}年" if col.year else ""
        word = {"target": "目标", "estimate": "预计", "actual": ""}.get(col.kind, "")
        if col.role == "growth":
            year = year or (f"{latest}年" if latest and col.kind != "target" else "")
            clauses.append(f"{year}{name}{word}比上年增长{value}{col.unit or '%'}")
        else:
            percent = "%" if _squeeze(cell).endswith("%") else ""
            clauses.append(f"{year}{name}{word}{value}{col.unit or unit or percent}")
    return PREFIX + "，".join(clauses) + "。" if clauses else None


def rows_to_lines(rows: list[list[str]]) -> list[str]:
    """One line per row of a table (first row the header). A table of main indicators (an indicator
    column, maybe a unit column, year or 实际/目标 columns) gives report-style sentences, the rest
    "表：" and the cells separated by "；". Example: see the module docstring."""
    rows = [[(c or "").strip() for c in r] for r in rows if any((c or "").strip() for c in r)]
    if not rows:
        return []
    found = _columns(rows) if len(rows) >= 2 else None
    if found is None:
        return [_plain_row(r) for r in rows]
    cols, head_rows = found
    lines = []
    for row in rows[head_rows:]:
        sentence = _row_sentence(cols, row)
        lines.append(sentence if sentence else _plain_row(row))
    return lines


def _plain_row(cells: list[str]) -> str:
    """A row of any other table: its cells in order, marked as a table's, one clause each (a tab
    would become a space, and the paragraph splitter cuts at spaces between short pieces)."""
    return PREFIX + "；".join(c for c in cells if c)
