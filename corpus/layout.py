"""Text laid out on pages back into the report's paragraphs.

A PDF holds lines at positions, not paragraphs: lines are broken at the page width in mid-word
("…第四次会" / "议上"), each page repeats a running header and footer (the browser's date and
title, a file URL, "4/18", "— 3 —"), and fonts map some characters to radical code points
(⼯ U+2F2F for 工, ⺠ U+2EA0 for 民). This module folds those code points back, drops the page
furniture and rejoins broken lines into paragraphs.

Example:
    pages = [[Line("一、2023年工作回顾", 72, 300, 700, 712), Line("过去一年，全市地区生产总值增长", 96, 520, 680, 692),
              Line("6.5%。", 72, 130, 660, 672)]]
    paragraphs(pages) -> ["一、2023年工作回顾", "过去一年，全市地区生产总值增长6.5%。"]
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from corpus.tables import rows_to_lines

EQUIVALENTS = Path(__file__).parent / "data" / "EquivalentUnifiedIdeograph.txt"  # Unicode's own data
_RADICAL = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text on a page, with its box in points (y grows upwards, as in PDF)."""
    text: str
    left: float
    right: float
    bottom: float
    top: float


@cache
def _radicals() -> dict[str, str]:
    """CJK Radicals Supplement and Kangxi Radicals -> unified ideographs, from Unicode's
    EquivalentUnifiedIdeograph.txt (NFKC folds the Kangxi block only)."""
    table: dict[str, str] = {}
    for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        cps, target = (f.strip() for f in data.split(";"))
        lo, _, hi = cps.partition("..")
        for cp in range(int(lo, 16), int(hi or lo, 16) + 1):
            table[chr(cp)] = chr(int(target, 16))
    return table


def fold_radicals(text: str) -> str:
    """Radical code points that stand in for ordinary characters, folded. Example:
    fold_radicals("⼯作⼈⺠区⻓") -> "工作人民区长" """
    if not _RADICAL.search(text):
        return text
    table = _radicals()
    return _RADICAL.sub(lambda m: table.get(m.group(0)) or unicodedata.normalize("NFKC", m.group(0)), text)


# page furniture: numbers alone or dashed ("— 3 —", "-3-", "第3页", "第 3 页 共 18 页", "3/18"),
# print dates and times, file paths and URLs
_PAGE_NUMBER = re.compile(r"^[\s—–\-－·•]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／共]\s*\d{1,4}\s*页?)?[\s—–\-－·•]*$")
_PRINTED = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}[,，]?\s*\d{1,2}:\d{2}(\s*[AP]M)?|file:/{2,}|https?://|www\.", re.I)
_SENTENCE_END = re.compile(r"[。！？!?；;：:][”’」』）)]?$")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+[部分章节]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]"
                      r"|\d{1,2}[.．、](?!\d)|——|附件|附表|名词解释|注[:：释])")


def is_furniture(text: str) -> bool:
    """A page number, a print date or a file path/URL: never report text."""
    t = text.strip()
    return not t or bool(_PAGE_NUMBER.match(t) or _PRINTED.search(t))


def _repeated(pages: Sequence[Sequence[Line]], edge: int = 2) -> set[tuple[str, int]]:
    """Running headers and footers: the top and bottom lines whose text (digits aside) recurs at the
    same height on at least half the pages."""
    if len(pages) < 3:
        return set()
    seen: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        seen.update({_key(line) for line in (*lines[:edge], *lines[-edge:])})
    return {shape for shape, n in seen.items() if n >= max(3, len(pages) / 2)}


def _key(line: Line) -> tuple[str, int]:
    """A line's text with its digits masked, and its height on the page: a running header sits at
    the same place on every page (the report's own title on page 1 does not)."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text)), round(line.top / 6)


def body_lines(pages: Sequence[Sequence[Line]]) -> list[list[Line]]:
    """Each page's lines without its furniture (repeated headers and footers, page numbers,
    print dates, paths), in reading order; the text with radicals folded."""
    repeated = _repeated(pages)
    out = []
    for lines in pages:
        kept = []
        for n, line in enumerate(lines):
            edge = n < 2 or n >= len(lines) - 2
            # at a page's top or foot only: a number alone elsewhere is a table's cell
            if edge and (is_furniture(line.text) or _key(line) in repeated):
                continue
            kept.append(Line(fold_radicals(line.text.strip()), line.left, line.right, line.bottom, line.top))
        out.append(kept)
    return out


def paragraphs(pages: Sequence[Sequence[Line]]) -> list[str]:
    """Rejoin lines broken by the layout. A line continues the one before unless that one stopped
    short of the right margin, or this one is indented, or starts a heading or list mark. The text
    column is read from the lines themselves."""
    pages = body_lines(pages)
    lines = [line for page in pages for line in page]
    if not lines:
        return []
    rows = _rows(lines)
    tables = _tables(rows)
    cells = {id(line) for table in tables.values() for row in table for line in row}
    lines = [line for row in rows for line in (row if id(row[0]) in cells else [_joined(row)])]
    # the text column: the common left edge and the right edge full lines reach
    lefts = Counter(round(line.left) for line in lines)
    margin = min(x for x, n in lefts.items() if n >= max(2, lefts.most_common(1)[0][1] * 0.2)) \
        if len(lines) > 3 else min(lefts)
    rights = sorted(line.right for line in lines)
    column = rights[int(len(rights) * 0.9)]
    em = _em(lines)
    out: list[str] = []
    prev: Line | None = None
    for line in lines:
        if id(line) in cells:
            if id(line) in tables:  # a table: one line per row, as corpus.tables writes it
                out.extend(rows_to_lines([[cell.text for cell in row] for row in tables[id(line)]]))
            prev = None
            continue
        # a line the layout broke reaches the column's right edge; one that stops well short of it
        # (a title, a heading, a paragraph's last line) ends its paragraph
        ended = prev is not None and (prev.right < column - em * 2.5 or _SENTENCE_END.search(prev.text) is not None
                                      and (prev.right < column - em * 1.5 or _HEADING.match(prev.text) is not None))
        starts = prev is None or ended or line.left > margin + em * 0.8 or bool(_HEADING.match(line.text))
        if starts or not out:
            out.append(line.text)
        else:
            out[-1] += _joiner(out[-1], line.text) + line.text
        prev = line
    return [p for p in out if p.strip()]


def _rows(lines: Sequence[Line]) -> list[list[Line]]:
    """Pieces of text side by side on one row (the reader splits a row at wide gaps)."""
    rows: list[list[Line]] = []
    for line in lines:
        last = rows[-1][-1] if rows else None
        # the same row: vertical spans that overlap by most of the shorter (digits and Chinese come
        # from different fonts, with different ascents), and to the right of the row's last piece
        if last is not None and line.left > last.right and \
                min(last.top, line.top) - max(last.bottom, line.bottom) > 0.5 * min(last.top - last.bottom, line.top - line.bottom):
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _tables(rows: Sequence[Sequence[Line]], min_cells: int = 3, min_rows: int = 2) -> dict[int, list[list[Line]]]:
    """Tables of figures: runs of at least `min_rows` rows that each hold `min_cells` pieces.
    Keyed by the id of the table's first piece."""
    found: dict[int, list[list[Line]]] = {}
    run: list[list[Line]] = []
    for row in [*rows, []]:
        if len(row) >= min_cells:
            run.append(list(row))
            continue
        if len(run) >= min_rows:
            found[id(run[0][0])] = run
        run = []
    return found


def _joined(row: Sequence[Line]) -> Line:
    """A row that is not a table's, as one line: "广东省省长   孟凡利" -> "广东省省长 孟凡利"."""
    if len(row) == 1:
        return row[0]
    return Line(" ".join(piece.text for piece in row), row[0].left, row[-1].right,
                min(p.bottom for p in row), max(p.top for p in row))


def _em(lines: Sequence[Line]) -> float:
    """The body text's character size: the most common line height."""
    heights = Counter(round(line.top - line.bottom) for line in lines if line.top > line.bottom)
    return float(heights.most_common(1)[0][0]) if heights else 12.0


def _joiner(before: str, after: str) -> str:
    """Latin words broken across lines keep a space; Chinese text joins directly."""
    return " " if before[-1:].isascii() and before[-1:].isalpha() and after[:1].isascii() and after[:1].isalpha() else ""
