"""Text of a .docx report: body paragraphs and tables in document order, then its notes.

    docx_text(data, "houma-2024.docx") ->
    "政府工作报告\\n各位代表：\\n一、2023年工作回顾\\n…\\n表：2023年地区生产总值189亿元，…\\n…\\n注释\\n1.六新：…"

Each paragraph (a heading too) is one line. A table of main indicators becomes one report-style
sentence per row (corpus/tables.py), any other table one tab-separated line per row. Page headers
and footers are dropped: they repeat the title or a page number, never the report. Footnotes and
endnotes are kept, appended after a "注释" line: in work reports they explain terms (六新, 链长制)
that people ask about, and corpus/split.py reads a 注释 section as one paragraph per note.
"""
from __future__ import annotations

import io

from corpus.read import ReadError
from corpus.tables import rows_to_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NOTE_PARTS = ("footnotes", "endnotes")


def _paragraph_text(p) -> str:
    """The text of one w:p: its runs, tabs and line breaks (hyperlinks and fields included);
    deleted revisions, footnote marks and text boxes left out."""
    out = []
    for node in p.iter():
        tag = node.tag
        if tag == f"{_W}t" and not _inside(node, p, (f"{_W}del", f"{_W}txbxContent")):
            out.append(node.text or "")
        elif tag == f"{_W}tab" and node.getparent().tag == f"{_W}r":
            out.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr") and node.get(f"{_W}type") in (None, "textWrapping"):
            out.append("\n")
    return "".join(out)


def _inside(node, stop, tags: tuple[str, ...]) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _table_rows(tbl) -> list[list[str]]:
    """Cells of each row, one per grid column: a merged cell's text in its first column, the others
    empty (as corpus/tables.py reads a two-row header); a nested table's text joins its cell."""
    rows = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells = []
        for tc in tr.iterchildren(f"{_W}tc"):
            own = not _vmerge_continues(tc)  # a vertical merge's text is in its first row only
            cells.append(" ".join(t for p in tc.iter(f"{_W}p") if (t := _paragraph_text(p).strip())) if own else "")
            span = tc.find(f"{_W}tcPr/{_W}gridSpan")
            cells += [""] * (int(span.get(f"{_W}val", "1")) - 1 if span is not None else 0)
        rows.append(cells)
    return rows


def _vmerge_continues(tc) -> bool:
    """A cell that continues a vertical merge holds nothing of its own."""
    pr = tc.find(f"{_W}tcPr")
    merge = pr.find(f"{_W}vMerge") if pr is not None else None
    return merge is not None and merge.get(f"{_W}val") in (None, "continue")


def _body_lines(body) -> list[str]:
    lines: list[str] = []
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            lines.append(_paragraph_text(child))
        elif child.tag == f"{_W}tbl":
            lines += rows_to_lines(_table_rows(child))
        elif child.tag == f"{_W}sdt":  # a content control (a cover page, a table of contents) wraps blocks
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                lines += _body_lines(content)
    return lines


def _notes(document) -> list[str]:
    """Footnotes and endnotes, in their parts' order; Word's separator notes left out."""
    from lxml import etree

    out = []
    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(_NOTE_PARTS):
            continue
        root = etree.fromstring(rel.target_part.blob)
        for note in root:
            if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = "".join(_paragraph_text(p) for p in note.iter(f"{_W}p")).strip()
            if text:
                out.append(text)
    return out


def docx_text(data: bytes, name: str) -> str:
    """The report text of a .docx, one paragraph or table row per line. Raises ReadError for a file
    that is not a .docx or holds no text."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for a bad zip
        raise ReadError(f"{name}: not a readable .docx ({exc.__class__.__name__})") from None
    lines = _body_lines(document.element.body)
    notes = _notes(document)
    if notes:
        lines += ["注释", *notes]
    text = "\n".join(lines)
    if not text.strip():
        raise ReadError(f"{name}: the .docx holds no text")
    return text
