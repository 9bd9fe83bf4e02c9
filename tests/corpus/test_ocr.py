"""Scanned PDFs: a page printed by Chromium, rasterised into an image-only PDF, read back by OCR."""
from __future__ import annotations

import html
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from corpus.ocr import OcrError, _lines, load_engine, needs_ocr, ocr_page

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
# the opening of a bundled report: headings, a date with digits, a long paragraph
SOURCE = [
    "政府工作报告",
    "——2024年3月12日在侯马市第十七届人民代表大会第四次会议上",
    "各位代表:",
    "现在,我代表市人民政府向大会报告工作,请予审议,并请市政协委员和其他列席人员提出意见。",
    "2023年,是全面贯彻落实党的二十大精神的开局之年,是侯马发展进程中极不平凡的一年。地区生产总值"
    "完成189亿元,同比增长12.1%,增速全省第2,一般公共预算收入突破6亿元大关。",
]


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> tuple[Path, Path]:
    """(printed.pdf with a text layer, scanned.pdf: the same page as a 200 dpi image, no text)."""
    if not CHROMIUM.exists() or not shutil.which(str(CHROMIUM)):
        pytest.skip(f"{CHROMIUM} is missing; `make browser` installs Debian's chromium")
    import pypdfium2 as pdfium

    tmp = tmp_path_factory.mktemp("ocr")
    page = tmp / "page.html"
    page.write_text(
        "<!doctype html><meta charset='utf-8'><style>@page{size:A4;margin:2.5cm}"
        "body{font-family:'Noto Serif CJK SC',serif;font-size:12pt;line-height:1.6}</style>"
        + "".join(f"<p>{html.escape(p)}</p>" for p in SOURCE),
        encoding="utf-8",
    )
    printed, scanned = tmp / "printed.pdf", tmp / "scanned.pdf"
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={printed}", page.as_uri()], check=True, capture_output=True, timeout=120)
    image = pdfium.PdfDocument(printed)[0].render(scale=200 / 72, grayscale=True).to_pil()
    image.save(scanned, resolution=200)
    return printed, scanned


def _first_page(path: Path):
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(path)[0]
    return page, page.get_textpage().get_text_bounded()


def test_needs_ocr_only_for_the_scanned_page(pdfs):
    printed, scanned = pdfs
    assert needs_ocr(*reversed(_first_page(scanned)))
    assert not needs_ocr(*reversed(_first_page(printed)))


def test_a_blank_page_needs_no_ocr():
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument.new().new_page(595, 842)
    assert not needs_ocr("", page)


@pytest.mark.slow
def test_ocr_reads_back_the_scanned_text(pdfs):
    page, _ = _first_page(pdfs[1])
    lines = ocr_page(page)
    assert lines[0] == "政府工作报告"
    want, got = _squash("".join(SOURCE)), _squash("".join(lines))
    assert 1 - _edit_distance(want, got) / len(want) >= 0.97, lines


def test_lines_go_top_to_bottom_then_left_to_right():
    def box(x0, y0, x1, y1):
        return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]

    results = [
        [box(700, 102, 900, 140), "右栏", 0.9],
        [box(10, 200, 500, 238), "第二行", 0.9],
        [box(10, 100, 300, 138), "第一行左", 0.9],
        [box(310, 101, 590, 139), "接着", 0.9],
    ]
    # a character-wide gap joins pieces of one line; a wide gap (a column) keeps a space
    assert [line.text for line in _lines(results)] == ["第一行左接着 右栏", "第二行"]


def test_a_missing_model_is_an_ocr_error(tmp_path):
    with pytest.raises(OcrError, match="cannot load the RapidOCR models"):
        load_engine(det_model_path=str(tmp_path / "missing.onnx"))
