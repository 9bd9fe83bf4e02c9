"""Reading report files of every supported kind, and failing clearly on the rest."""
from __future__ import annotations

import io

import pytest

from corpus.ingest import BUNDLED, Failure, ingest
from corpus.read import ReadError, decode, read_bytes, read_file
from corpus.records import Document

# a paragraph of each script, cut from the bundled reports
SIMPLIFIED = (
    "过去一年,是党和国家历史上具有里程碑意义的一年,是代县发展进程中极不寻常、极不平凡的一年。"
    "2022年全县地区生产总值完成90.2亿元,同比增长3.9%;固定资产投资完成32.9亿元,同比增长11.4%。"
)
TRADITIONAL = (
    "2023年是全面貫徹黨的二十大精神的開局之年。一年來,面對嚴峻的發展形勢和繁重的發展任務,"
    "縣人民政府堅持以習近平新時代中國特色社會主義思想為指導,全面貫徹黨的二十大和二十屆二中全會精神。"
)


def test_the_sample_paragraphs_are_from_the_bundled_reports():
    assert SIMPLIFIED[:40] in (BUNDLED / "daixian-2023.txt").read_text("utf-8")
    assert TRADITIONAL[:40] in (BUNDLED / "tongwei-2024.txt").read_text("utf-8")


# --- plain text in any encoding -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (SIMPLIFIED, "utf-8"),
        (TRADITIONAL, "utf-8"),
        (SIMPLIFIED, "gb18030"),
        (SIMPLIFIED, "gbk"),
        (SIMPLIFIED, "gb2312"),
        (TRADITIONAL, "gb18030"),
        (TRADITIONAL, "big5"),
    ],
)
def test_txt_is_decoded_whatever_its_encoding(text, encoding):
    raw = read_bytes(text.encode(encoding), "report.txt")
    assert raw.text == text


def test_decode_names_the_encoding_it_used():
    assert decode(SIMPLIFIED.encode("gbk")).encoding == "gb18030"
    assert decode(TRADITIONAL.encode("big5")).encoding == "big5"
    assert decode(SIMPLIFIED.encode("utf-8")).encoding == "utf-8"


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"),
        SIMPLIFIED.encode("utf-16"),  # with its BOM, in the machine's byte order
        b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le"),
        b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"),
    ],
    ids=["utf-8-bom", "utf-16", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_txt_with_a_byte_order_mark(data):
    raw = read_bytes(data, "report.txt")
    assert raw.text == SIMPLIFIED  # the BOM is not part of the text


def test_a_whole_bundled_report_reads_back_in_gbk(tmp_path):
    text = (BUNDLED / "houma-2024.txt").read_text("utf-8")
    path = tmp_path / "houma-gbk.txt"
    path.write_bytes(text.encode("gb18030"))
    data, raw = read_file(path)
    assert data == path.read_bytes()
    assert raw.text == text


# --- html, docx, pdf ------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>政府工作报告</title>
<style>.nav {{ color: red }} p {{ margin: 0 }}</style>
<script>var msg = "关闭本页"; document.write("<p>脚本写的字</p>");</script></head>
<body><nav><a href="/">首页</a> &gt; <a href="/gk">政府信息公开</a></nav>
<div class="content"><p>各位代表:</p><p>{para}</p><p>地区生产总值&nbsp;90.2亿元&amp;增长3.9%</p></div>
<footer>版权所有:代县人民政府</footer></body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_gives_visible_text_without_markup_or_scripts(charset):
    page = PAGE.format(charset=charset, para=SIMPLIFIED)
    raw = read_bytes(page.encode(charset), "report.html")
    text = raw.text
    assert SIMPLIFIED in text
    assert "各位代表:" in text
    assert "地区生产总值\u00a090.2亿元&增长3.9%" in text  # entities decoded
    for gone in ("<p>", "</div>", "var msg", "脚本写的字", "color: red", "版权所有", "政府信息公开"):
        assert gone not in text, gone


def test_a_txt_that_is_really_a_web_page_is_read_as_html():
    raw = read_bytes(PAGE.format(charset="utf-8", para=SIMPLIFIED).encode(), "saved-page.txt")
    assert SIMPLIFIED in raw.text
    assert "<p>" not in raw.text and "var msg" not in raw.text


def test_docx_paragraphs_are_read(tmp_path):
    import docx

    document = docx.Document()
    for para in ("政府工作报告", "各位代表:", SIMPLIFIED, TRADITIONAL):
        document.add_paragraph(para)
    path = tmp_path / "report.docx"
    document.save(path)
    _, raw = read_file(path)
    assert raw.text.split("\n") == ["政府工作报告", "各位代表:", SIMPLIFIED, TRADITIONAL]
    assert raw.encoding == "docx"


def test_docx_without_text_is_a_read_error(tmp_path):
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(path)
    with pytest.raises(ReadError, match=r"blank\.docx.*no text"):
        read_file(path)


def test_a_broken_docx_is_a_read_error():
    with pytest.raises(ReadError, match=r"report\.docx: not a readable \.docx"):
        read_bytes(b"PK\x03\x04 this zip is cut short", "report.docx")


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines`, CJK included.

    The font is not embedded (no CJK font is needed to write it); a ToUnicode map carries the
    characters, as in PDFs that office suites export.
    """
    chars = sorted({c for line in lines for c in line})
    cid = {c: i + 1 for i, c in enumerate(chars)}
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 760 Td"]
    ops += ["<" + "".join(f"{cid[c]:04X}" for c in line) + "> Tj T*" for line in lines]
    content = "\n".join([*ops, "ET"]).encode()
    bfchar = "\n".join(f"<{cid[c]:04X}> <{ord(c):04X}>" for c in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchar}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /CIDToGIDMap /Identity >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_layer_is_read():
    lines = ["政府工作报告", "各位代表:", SIMPLIFIED[:60]]
    raw = read_bytes(text_pdf(lines), "report.pdf")
    assert [line.strip() for line in raw.text.strip().split("\n")] == lines
    assert raw.encoding == "pdf"


def test_pdf_written_by_matplotlib_is_read(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 2))
    figure.text(0.1, 0.5, "Government Work Report 2023: GDP grew 5.2%")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    raw = read_bytes(buffer.getvalue(), "chart.pdf")
    assert "GDP grew 5.2%" in raw.text


def test_pdf_without_a_text_layer_is_a_read_error():
    import pypdfium2 as pdfium

    blank = pdfium.PdfDocument.new()
    blank.new_page(595, 842)
    buffer = io.BytesIO()
    blank.save(buffer)
    with pytest.raises(ReadError, match=r"scan\.pdf: the PDF has no text layer"):
        read_bytes(buffer.getvalue(), "scan.pdf")


@pytest.mark.parametrize("data", [b"this is not a pdf at all", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<"])
def test_garbage_pdf_is_a_read_error(data):
    with pytest.raises(ReadError, match=r"report\.pdf: not a readable PDF"):
        read_bytes(data, "report.pdf")


# --- what cannot be read --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \r\n\t\n", "empty"),
        ("empty.pdf", b"", "empty"),
        ("empty.docx", b"", "empty"),
        ("image.txt", bytes(range(256)) * 8, "binary"),
        ("zipped.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(500), "binary"),
        ("figures.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "unsupported file type .xls"),
        ("README", "各位代表".encode(), "unsupported file type (none)"),
    ],
)
def test_unreadable_input_is_a_read_error_naming_file_and_reason(name, data, reason):
    with pytest.raises(ReadError) as caught:
        read_bytes(data, name)
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert reason in message


def test_a_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match=r"gone\.txt: cannot open"):
        read_file(tmp_path / "gone.txt")


def test_a_batch_with_bad_files_still_ingests_the_good_ones(tmp_path):
    good = tmp_path / "daixian-2023.txt"
    good.write_bytes((BUNDLED / "daixian-2023.txt").read_bytes())
    gbk = tmp_path / "houma-2024.txt"
    gbk.write_bytes((BUNDLED / "houma-2024.txt").read_text("utf-8").encode("gbk", errors="ignore"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 16)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 truncated")

    results = list(ingest([empty, good, binary, broken, gbk]))
    assert [type(r) for r in results] == [Failure, Document, Failure, Failure, Document]
    failures = {r.source: r.reason for r in results if isinstance(r, Failure)}
    assert set(failures) == {"empty.txt", "photo.txt", "broken.pdf"}
    assert "empty" in failures["empty.txt"] and "binary" in failures["photo.txt"]
    docs = [r for r in results if isinstance(r, Document)]
    assert [(d.doc_id, d.county, d.year) for d in docs] == [("daixian-2023", "代县", 2023), ("houma-2024", "侯马市", 2024)]
    assert docs[1].encoding == "gb18030"
    assert all(d.chunks for d in docs)
