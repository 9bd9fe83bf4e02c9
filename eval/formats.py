"""Reports in the forms they are published: the same text printed to PDF by Chromium or by
reportlab, or scanned into page images; and how close the text read back is to the source.

Used by the format tests and by `reportqa eval --unseen DIR --as pdf`. Example:
    pdf = chromium_pdf(Path("corpus/reports/houma-2024.txt").read_text())
    overlap(read_bytes(pdf, "x.pdf").text, text) -> 0.99…
"""
from __future__ import annotations

import difflib
import html
import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # fonts-wqy-zenhei (Debian), TrueType outlines


class ProducerMissing(RuntimeError):
    """The program or font a producer needs is not installed."""


def page_html(text: str, title: str = "") -> str:
    """A report as a browser shows it: a title, then one <p> per line, indented as printed reports are."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(title or lines[0][:30])}</title>"
            "<style>body{font-family:'Noto Sans CJK SC',sans-serif;font-size:16pt;line-height:1.6}"
            "p{text-indent:2em;margin:0 0 .3em 0}td,th{border:1px solid #444;padding:2px 10px}"
            "table{border-collapse:collapse;margin:.5em 0}</style></head><body>" + body + "</body></html>")


def chromium_pdf(text: str, header_footer: bool = True, timeout: float = 120) -> bytes:
    """Print the text to PDF as a user's browser does (A4, with Chromium's running header and footer:
    date, title, file URL, "x/y")."""
    return print_html(page_html(text), header_footer, timeout)


def print_html(page_source: str, header_footer: bool = True, timeout: float = 120) -> bytes:
    """A page printed to PDF by headless Chromium."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise ProducerMissing("chromium is not installed (make browser)")
    with tempfile.TemporaryDirectory() as tmp:
        page, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(page_source, encoding="utf-8")
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={out}", page.as_uri()]
        if not header_footer:
            args.insert(-1, "--no-pdf-header-footer")
        subprocess.run(args, capture_output=True, timeout=timeout, check=False)
        if not out.exists():
            raise ProducerMissing("chromium did not print the page")
        return out.read_bytes()


def reportlab_pdf(text: str) -> bytes:
    """A second producer: reportlab with WenQuanYi Zen Hei, page numbers "— n —" in the footer."""
    if not FONT.exists():
        raise ProducerMissing(f"{FONT} is missing (make browser installs fonts-wqy-zenhei)")
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    style = ParagraphStyle("body", fontName="WQY", fontSize=14, leading=22, firstLineIndent=28, wordWrap="CJK")

    def footer(canvas, doc):
        canvas.setFont("WQY", 10)
        canvas.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")

    out = io.BytesIO()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    SimpleDocTemplate(out, pagesize=A4).build([Paragraph(html.escape(line), style) for line in lines],
                                             onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def scanned_pdf(pdf: bytes, dpi: int = 150) -> bytes:
    """The pages of a PDF as images only, as a scanner makes them: no text layer at all."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    images = [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def overlap(read: str, source: str) -> float:
    """Share of the source's characters found, in order, in the text read back (whitespace and
    width ignored). Example: overlap("工作报告", "政府工作报告") -> 0.8"""
    a, b = _squash(read), _squash(source)
    if not b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return 2 * same / (len(a) + len(b))


def compare(paths: list[Path]) -> list[dict]:
    """Each report as text and as each producer's PDF: metadata equal, paragraph overlap, paragraph
    counts and the share of the text's facts found again."""
    from corpus.ingest import build

    rows = []
    for path in paths:
        text = path.read_text("utf-8")
        as_text = build(text.encode(), path.name)
        want = {(f.indicator, f.year, f.kind, f.value, f.unit) for f in as_text.facts}
        for producer in (chromium_pdf, reportlab_pdf):
            doc = build(producer(text), f"{path.stem}.pdf")
            got = {(f.indicator, f.year, f.kind, f.value, f.unit) for f in doc.facts}
            meta = ("county", "level", "province", "city", "year", "reviewed_year", "speaker", "title")
            rows.append({"report": path.stem, "producer": producer.__name__,
                         "metadata_equal": all(getattr(doc, m) == getattr(as_text, m) for m in meta),
                         "overlap": round(overlap("".join(p.norm for p in doc.paragraphs),
                                                  "".join(p.norm for p in as_text.paragraphs)), 4),
                         "paragraphs": (len(as_text.paragraphs), len(doc.paragraphs)),
                         "facts_kept": round(len(want & got) / max(1, len(want)), 3)})
    return rows


if __name__ == "__main__":  # python -m eval.formats eval/whole/reports corpus/reports
    import json
    import sys

    found = [p for folder in sys.argv[1:] or ["corpus/reports"] for p in sorted(Path(folder).glob("*.txt"))]
    table = compare(found)
    for row in table:
        print(json.dumps(row, ensure_ascii=False))
    print(json.dumps({"pdfs": len(table), "metadata_equal": sum(r["metadata_equal"] for r in table),
                      "min_overlap": min(r["overlap"] for r in table),
                      "min_facts_kept": min(r["facts_kept"] for r in table)}, ensure_ascii=False))
