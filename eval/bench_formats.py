"""Ingest of reports as published: text, PDF printed by Chromium and by reportlab, and scans read
by OCR, as medians of seconds per report and pages per minute from one run, with how much of the
text comes back (`eval.formats.overlap`). Also the PDF libraries side by side on the same files
(those installed: pypdfium2 always, pypdf, pdfplumber, PyMuPDF if present).

    reportqa bench --only formats
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from eval.formats import chromium_pdf, overlap, reportlab_pdf, scanned_pdf

WHOLE = Path(__file__).parent / "whole" / "reports"


def _pages(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def _norm(doc) -> str:
    return "".join(p.norm for p in doc.paragraphs)


def formats(sources: list[Path], scan_pages: int = 4, log=print) -> dict:
    """Per form: median seconds per report, pages per minute, overlap with the text's paragraphs and
    the share of the text's facts found again; the ratio of each form's time to the text's."""
    from corpus.ingest import build

    rows: dict[str, dict[str, list[float]]] = {}

    def note(form: str, seconds: float, pages: int, same: float, facts: float) -> None:
        got = rows.setdefault(form, {"s": [], "pages_per_min": [], "overlap": [], "facts": []})
        got["s"].append(seconds)
        got["pages_per_min"].append(pages / seconds * 60 if seconds else 0.0)
        got["overlap"].append(same)
        got["facts"].append(facts)

    def facts_of(doc) -> set:
        return {(f.indicator, f.year, f.kind, f.value, f.unit) for f in doc.facts}

    build(sources[0].read_bytes(), sources[0].name)  # warm: jieba's dictionary and the place list load once
    for path in sources:
        text = path.read_text("utf-8")
        t0 = time.perf_counter()
        as_text = build(text.encode(), path.name)
        note("text", time.perf_counter() - t0, 0, 1.0, 1.0)
        want = facts_of(as_text)
        for form, make in (("pdf (chromium)", chromium_pdf), ("pdf (reportlab)", reportlab_pdf)):
            pdf = make(text)
            t0 = time.perf_counter()
            doc = build(pdf, f"{path.stem}.pdf")
            seconds = time.perf_counter() - t0
            note(form, seconds, _pages(pdf), overlap(_norm(doc), _norm(as_text)),
                 len(want & facts_of(doc)) / max(1, len(want)))
        log(f"  {path.stem}: text and PDFs read")
    # scans: the opening pages of the first source (OCR runs ~8 CPU-seconds a page)
    first = sources[0].read_text("utf-8")
    head, lines = "", iter(first.splitlines())
    while len(head) < scan_pages * 700:  # about a printed page's worth of characters each
        head += next(lines, "\n" * 1000) + "\n"
    head = head.strip()
    printed = chromium_pdf(head)
    scan = scanned_pdf(printed)
    as_text = build(head.encode(), "head.txt")
    t0 = time.perf_counter()
    doc = build(scan, "scan.pdf")
    seconds = time.perf_counter() - t0
    note("scan (OCR)", seconds, _pages(scan), overlap(_norm(doc), _norm(as_text)),
         len(facts_of(as_text) & facts_of(doc)) / max(1, len(facts_of(as_text))))
    log(f"  scan of {_pages(scan)} pages read in {seconds:.1f} s")
    text_s = statistics.median(rows["text"]["s"])
    out = {form: {"reports": len(v["s"]), "median_s": round(statistics.median(v["s"]), 3),
                  "pages_per_min": round(statistics.median(v["pages_per_min"]), 1) if form != "text" else None,
                  "overlap": round(min(v["overlap"]), 4), "facts_kept": round(min(v["facts"]), 3),
                  "x_text": round(statistics.median(v["s"]) / text_s, 1) if text_s else None}
           for form, v in rows.items()}
    return {"forms": out, "libraries": libraries(sources[:3], log)}


def libraries(sources: list[Path], log=print) -> dict:
    """Each installed PDF library on the Chromium prints: median seconds per report for its text,
    and the overlap of that raw text with the source (before any layout repair)."""
    pdfs = [(p.read_text("utf-8"), chromium_pdf(p.read_text("utf-8"))) for p in sources]
    readers = {"pypdfium2": _pdfium, "pypdf": _pypdf, "pdfplumber": _pdfplumber, "pymupdf": _pymupdf}
    out = {}
    for name, read in readers.items():
        try:
            times, same = [], []
            for text, pdf in pdfs:
                t0 = time.perf_counter()
                raw = read(pdf)
                times.append(time.perf_counter() - t0)
                same.append(overlap(raw, text))
            out[name] = {"median_s": round(statistics.median(times), 3), "raw_overlap": round(min(same), 4)}
        except ImportError:
            out[name] = {"installed": False}
    log(f"  libraries: {out}")
    return out


def _pdfium(pdf: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def _pypdf(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _pdfplumber(pdf: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _pymupdf(pdf: bytes) -> str:
    import pymupdf

    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)


def sources(quick: bool) -> list[Path]:
    """The bundled reports, and in a full run three whole reports of three levels."""
    from corpus.ingest import bundled_reports

    picked = bundled_reports()[:2] if quick else bundled_reports()
    if not quick:
        picked += [WHOLE / f for f in ("national-2022.txt", "guangdong-2026.txt", "hubei-tianmen-2024.txt")
                   if (WHOLE / f).exists()]
    return picked
