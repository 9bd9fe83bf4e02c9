"""Reports as published in PDF: text equal to the text's, metadata and headline facts the same.

Fixtures are made here from the bundled reports and eval/whole/: printed by Chromium (its running
header and footer on) and by reportlab (page numbers "— n —"), and scanned into page images."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus.ingest import build, bundled_reports
from corpus.layout import Line, fold_radicals, is_furniture, paragraphs
from corpus.read import ReadError, read_bytes
from eval.formats import FONT, chromium_pdf, overlap, reportlab_pdf, scanned_pdf

WHOLE = Path(__file__).parents[2] / "eval" / "whole" / "reports"
# a bundled report in traditional characters and one in simplified; whole reports of three levels
SOURCES = [p for p in bundled_reports() if p.stem in ("houma-2024", "daixian-2023")] + \
          [WHOLE / f for f in ("national-2022.txt", "guangdong-2026.txt", "hubei-tianmen-2024.txt")]
PRODUCERS = {"chromium": chromium_pdf, "reportlab": reportlab_pdf}


def headline(doc) -> set[tuple]:
    return {(f.place, f.indicator, f.year, f.kind, f.value, f.unit) for f in doc.facts}


def _producer(name):
    if name == "chromium" and not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pytest.skip("chromium is not installed (make browser)")
    if name == "reportlab" and not FONT.exists():
        pytest.skip("fonts-wqy-zenhei is not installed (make browser)")
    return PRODUCERS[name]


# --- the layout, on lines placed by hand ---------------------------------------------------------

def test_radical_code_points_fold_to_the_characters_they_stand_for():
    assert fold_radicals("⼯作⼈⺠区⻓⽇") == "工作人民区长日"
    # every Kangxi radical folds to a unified ideograph
    kangxi = "".join(chr(cp) for cp in range(0x2F00, 0x2FD6))
    assert all("\u4e00" <= c <= "\u9fff" for c in fold_radicals(kangxi))


def test_page_numbers_dates_and_paths_are_furniture_and_report_lines_are_not():
    for line in ("— 3 —", "- 12 -", "第3页", "第 3 页 共 18 页", "4/18", "12/1/26, 6:34 PM", "file:///tmp/a.html",
                 "https://www.gov.cn/zhengce/2024-03/12/content.htm"):
        assert is_furniture(line), line
    for line in ("2023年地区生产总值增长5%。", "一、2023年工作回顾", "（三）坚持改革开放", "3.5万亩"):
        assert not is_furniture(line), line


def _page(texts, header="政府工作报告", n=1, total=3):
    """A page: a running header, body lines (indented ones start with two spaces), a page number."""
    lines = [Line(header, 250, 350, 780, 790)]
    y = 740
    for t in texts:
        indent = t.startswith("  ")
        t = t.strip()
        # a line the page width broke is full; a paragraph's last line or a heading stops short
        full = not t.endswith(("。", "！", "：")) and not t.startswith("一、")
        right = 540 if full else 90 + len(t) * 14 + (28 if indent else 0)
        lines.append(Line(t, 118 if indent else 90, right, y, y + 14))
        y -= 24
    lines.append(Line(f"— {n} —", 280, 320, 30, 40))
    return lines


def test_lines_broken_by_the_page_width_are_rejoined_and_furniture_dropped():
    pages = [
        _page(["一、2023年工作回顾", "  过去一年，全市地区生产总值完成189亿元，同比", "增长12.1%，增速全省第2。"], n=1),
        _page(["  一般公共预算收入突破6亿元大关，城乡居民人均可支配收", "入分别增长5.1%、7.5%。"], n=2),
        _page(["  各位代表！成绩来之不易。"], n=3),
    ]
    assert paragraphs(pages) == ["一、2023年工作回顾", "过去一年，全市地区生产总值完成189亿元，同比增长12.1%，增速全省第2。",
                                 "一般公共预算收入突破6亿元大关，城乡居民人均可支配收入分别增长5.1%、7.5%。", "各位代表！成绩来之不易。"]


def test_a_paragraph_continues_across_a_page_break():
    pages = [_page(["  地区生产总值完成189亿元，同比增长12.1%，一般公共", "预算收入突破6亿元大关，增长百分之"], n=1),
             _page(["八点五，人均收入稳步提高，居民生活持续改善，各项事业", "全面进步。"], n=2),
             _page(["  各位代表！"], n=3)]
    got = paragraphs(pages)
    assert got[0].endswith("增长百分之八点五，人均收入稳步提高，居民生活持续改善，各项事业全面进步。") and len(got) == 2


# --- whole files, printed the ordinary ways -------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("producer", sorted(PRODUCERS))
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_a_printed_report_reads_as_its_text(source, producer):
    text = source.read_text("utf-8")
    pdf = _producer(producer)(text)
    as_text, as_pdf = build(text.encode(), source.name), build(pdf, f"{source.stem}.pdf")
    assert (as_pdf.county, as_pdf.level, as_pdf.province, as_pdf.year, as_pdf.reviewed_year, as_pdf.title) == \
           (as_text.county, as_text.level, as_text.province, as_text.year, as_text.reviewed_year, as_text.title)
    same = overlap("".join(p.norm for p in as_pdf.paragraphs), "".join(p.norm for p in as_text.paragraphs))
    assert same >= 0.98
    # the paragraphs are the text's paragraphs, not the page's lines
    assert abs(len(as_pdf.paragraphs) - len(as_text.paragraphs)) <= max(3, len(as_text.paragraphs) * 0.1)
    want, got = headline(as_text), headline(as_pdf)
    assert len(want & got) >= 0.97 * len(want)
    raw = read_bytes(pdf, "x.pdf").text
    assert "file://" not in raw and not any(is_furniture(line) for line in raw.splitlines())


@pytest.mark.browser
def test_radicals_in_a_pdf_text_layer_are_read_as_the_characters():
    """Fonts that map 工, 人, 民, 长 to radical code points (as the issue's Chromium PDFs did)."""
    _producer("reportlab")
    text = bundled_reports()[0].read_text("utf-8")
    stand_ins = str.maketrans({"工": "⼯", "人": "⼈", "民": "⺠", "长": "⻓", "日": "⽇", "门": "⻔"})
    pdf = reportlab_pdf("\n".join(text.splitlines()[:30]).translate(stand_ins))
    got = read_bytes(pdf, "r.pdf").text
    assert not any("\u2e80" <= c <= "\u2fdf" for c in got)
    assert "人民政府" in got and "工作" in got


@pytest.mark.browser
@pytest.mark.slow
def test_a_scanned_report_is_read_by_ocr_with_its_metadata():
    _producer("chromium")
    source = next(p for p in bundled_reports() if p.stem == "houma-2024")
    text = "\n".join(source.read_text("utf-8").splitlines()[:14])
    scan = scanned_pdf(chromium_pdf(text))
    pages = []
    doc = build(scan, "houma-scan.pdf", progress=lambda done, total: pages.append((done, total)))
    as_text = build(text.encode(), "houma.txt")
    assert pages and pages[-1][0] == pages[-1][1] >= 1  # progress per page
    assert (doc.county, doc.year) == (as_text.county, as_text.year) == ("侯马市", 2024)
    assert overlap("".join(p.norm for p in doc.paragraphs), "".join(p.norm for p in as_text.paragraphs)) >= 0.98


def test_a_pdf_that_is_not_one_is_a_clear_error():
    with pytest.raises(ReadError, match=r"x\.pdf: not a readable PDF"):
        read_bytes(b"%PDF-1.7\n" + b"\x00" * 50, "x.pdf")


@pytest.mark.browser
def test_a_table_of_main_indicators_in_a_pdf_gives_facts_of_its_rows():
    _producer("chromium")
    from eval.formats import page_html, print_html

    source = next(p for p in bundled_reports() if p.stem == "houma-2024")
    text = "\n".join(source.read_text("utf-8").splitlines()[:12])
    rows = [["指标", "单位", "2022年", "2023年"], ["地区生产总值", "亿元", "171.3", "189"],
            ["一般公共预算收入", "亿元", "5.62", "6.05"], ["城镇居民人均可支配收入", "元", "38512", "40602"]]
    table = "<p>附表：主要经济指标</p><table>" + "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows) + "</table>"
    pdf = print_html(page_html(text).replace("</body>", table + "</body>"))
    doc = build(pdf, "houma-table.pdf")
    facts = {(f.indicator, f.year, f.value, f.unit) for f in doc.facts}  # 2023: also in the text
    assert {("地区生产总值", 2022, 171.3, "亿元"), ("地区生产总值", 2023, 189.0, "亿元"),
            ("一般公共预算收入", 2023, 6.05, "亿元"), ("城镇居民人均可支配收入", 2022, 38512.0, "元")} <= facts


def test_the_reports_own_title_survives_a_running_header_of_the_same_words():
    pages = [_page(["政府工作报告", "  各位代表：", "  现在，我代表县人民政府向大会报告工作，请予审", "议。"], n=1),
             _page(["  过去一年，全县经济运行稳中有进，地区生产总值增", "长5%。"], n=2),
             _page(["  各位代表！"], n=3)]
    got = paragraphs(pages)
    assert got[:2] == ["政府工作报告", "各位代表："] and got.count("政府工作报告") == 1
