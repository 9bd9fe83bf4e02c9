"""Reading a PDF report: its text layer with each line's position (PDFium, through pypdfium2),
scanned pages by OCR, then the layout undone (`corpus.layout`).

pypdfium2 over pypdf, pdfplumber and PyMuPDF: on Chromium- and reportlab-printed reports it gives
every character with its box at 10x pypdf's speed (`python -m eval.pdf_libraries`, README), and
PDFium is the engine that printed most of these files. Example:
    pdf_text(Path("report.pdf").read_bytes(), "report.pdf") -> "各位代表：\\n现在，我代表…"
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from corpus.layout import Line, paragraphs
from corpus.ocr import needs_ocr

_LOCK = threading.Lock()  # PDFium is not thread-safe: one document at a time per process


class PdfError(ValueError):
    """A file that is not a readable PDF."""


def page_lines(textpage) -> list[Line]:
    """The characters of one page grouped into lines by their baselines, top to bottom, left to
    right; a wide gap within a line (a header's date, title and page number) splits it."""
    chars = []
    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        if not ch or ch in "\r\n":
            continue
        if ch.isspace():
            # a space of the text layer ("广东省省长 孟凡利"): kept with the character before it, as
            # its box is no guide (empty, or out of place); gaps are not (glyph boxes vary by font)
            if chars:
                chars[-1] = (*chars[-1][:5], True)
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)  # the advance, not the ink
        chars.append((ch, left, bottom, right, top, False))
    if not chars:
        return []
    # rows from the full-height characters; punctuation (small boxes near the baseline) joins the
    # row whose band holds its middle
    heights = sorted(c[4] - c[2] for c in chars)
    tall = heights[len(heights) // 2] * 0.6
    bands: list[list] = []  # [bottom, top, chars]
    for c in sorted(chars, key=lambda c: -c[4]):
        if c[4] - c[2] < tall:
            continue
        mid = (c[2] + c[4]) / 2
        band = next((b for b in bands if b[0] <= mid <= b[1]), None)
        if band is None:
            bands.append([c[2], c[4], [c]])
        else:
            band[2].append(c)
    for c in chars:
        if c[4] - c[2] >= tall:
            continue
        mid = (c[2] + c[4]) / 2
        near = min(bands, key=lambda b: 0 if b[0] - 2 <= mid <= b[1] + 2 else min(abs(mid - b[0]), abs(mid - b[1])),
                   default=None)
        if near is not None and (near[0] - tall <= mid <= near[1] + tall):
            near[2].append(c)
        else:
            bands.append([c[2], c[4], [c]])
    rows = [b[2] for b in sorted(bands, key=lambda b: -b[1])]
    lines = []
    for row in rows:
        row.sort(key=lambda c: c[1])
        size = max(max(c[4] - c[2] for c in row), 1.0)
        piece = [row[0]]
        for c in row[1:]:
            if c[1] - piece[-1][3] > size * 0.9:  # a character-wide gap: another cell of the line
                lines.append(_line(piece))
                piece = []
            piece.append(c)
        lines.append(_line(piece))
    return [line for line in lines if line.text.strip()]


def _line(chars: list[tuple]) -> Line:
    """Characters of one piece as a line, with the spaces the text layer holds between them."""
    text = "".join(c[0] + (" " if c[5] else "") for c in chars).rstrip()
    return Line(text, min(c[1] for c in chars), max(c[3] for c in chars), min(c[2] for c in chars),
                max(c[4] for c in chars))


def pdf_text(data: bytes, name: str, progress: Callable[[int, int], None] | None = None) -> str:
    """The report text of a PDF, one paragraph per line. Pages without a text layer are read by
    OCR (`corpus.ocr`). `progress(done, total)` is called after each page."""
    import pypdfium2 as pdfium

    pages: list[list[Line]] = []
    with _LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except Exception as exc:  # PdfiumError and friends on damaged or encrypted files
            raise PdfError(f"{name}: not a readable PDF ({exc})") from None
        try:
            total = len(document)
            if total == 0:
                raise PdfError(f"{name}: the PDF has no pages")
            for n in range(total):
                page = document[n]
                textpage = page.get_textpage()
                lines = page_lines(textpage)
                if needs_ocr("".join(line.text for line in lines), page):
                    lines = _ocr(page, name)
                pages.append(lines)
                textpage.close()
                page.close()
                if progress is not None:
                    progress(n + 1, total)
        finally:
            document.close()
    text = "\n".join(paragraphs(pages))
    if not text.strip():
        raise PdfError(f"{name}: the PDF has no text layer, and OCR found no text on its pages")
    return text


def _ocr(page, name: str) -> list[Line]:
    from corpus.ocr import OcrError, page_lines as read_scan

    try:
        return read_scan(page)
    except OcrError as exc:
        raise PdfError(f"{name}: a page is scanned and OCR is not available ({exc})") from None
