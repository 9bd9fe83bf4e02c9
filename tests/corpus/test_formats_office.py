"""A report saved as Word or as a government web page reads as cleanly as its plain text: same
place and year, the same paragraphs, the same headline facts, and its table of main indicators as facts.

The .docx and .html files are made here from the text of real reports (a bundled one and a whole
report from eval/), with a page header and footer, a footnote and a table in the .docx, and the
site chrome of a county government's portal around the .html.
"""
from __future__ import annotations

import difflib
import html
import io
import re
from pathlib import Path

import pytest

from corpus.facts import extract_facts
from corpus.ingest import build
from corpus.read import ReadError, read_bytes
from corpus.records import Paragraph
from corpus.tables import rows_to_lines

ROOT = Path(__file__).resolve().parents[2]
REPORTS = [ROOT / "corpus/reports/houma-2024.txt", ROOT / "eval/whole/reports/hubei-tianmen-2024.txt"]
NOTE = "“1236”发展思路：指一个目标、两大定位、三项任务、六大抓手。"
HEADER, FOOTER = "侯马市人民政府文件页眉", "第1页共30页"
_TITLE = re.compile(r"工作报告")
_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、\S{2,28}$")
_HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）[^。，,；;]{2,28}$")


def lines_of(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text("utf-8").split("\n") if line.strip()]


def title_index(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines[:6]) if _TITLE.search(line) and len(line) <= 40), None)


def table_rows(reviewed: int) -> list[list[str]]:
    """A made-up table of main indicators for the year reviewed and the year before."""
    return [["指标", "单位", f"{reviewed - 1}年", f"{reviewed}年"],
            ["地区生产总值", "亿元", "171.3", "183.6"],
            ["一般公共预算收入", "亿元", "5.42", "6.08"],
            ["城镇居民人均可支配收入", "元", "41,250", "43,180"],
            ["粮食产量", "万吨", "12.6", "12.9"],
            ["城镇登记失业率", "%", "3.1", "3.0"]]


def table_facts(reviewed: int) -> set[tuple]:
    rows = table_rows(reviewed)
    years = [int(h[:4]) for h in rows[0][2:]]
    return {(r[0], y, "actual", float(v.replace(",", "")), r[1]) for r in rows[1:] for y, v in zip(years, r[2:])}


def insert_at(lines: list[str]) -> int:
    """After the first paragraph of the review section: where such a table sits in a report."""
    first = next(i for i, line in enumerate(lines) if _HEADING1.match(line))
    return first + 2


def make_docx(lines: list[str], reviewed: int) -> bytes:
    """Title and section headings as Word headings, the paragraphs, a table, a real footnote, a page header and footer."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = FOOTER
    title, at = title_index(lines), insert_at(lines)
    for i, line in enumerate(lines):
        if i == title:
            document.add_heading(line, level=0)
        elif _HEADING1.match(line):
            document.add_heading(line, level=1)
        elif _HEADING2.match(line):
            document.add_heading(line, level=2)
        else:
            paragraph = document.add_paragraph(line)
            if i == at - 1:  # a footnote mark after the paragraph the table follows
                paragraph._p.append(parse_xml(
                    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'))
        if i == at - 1:
            rows = table_rows(reviewed)
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = (f'<w:footnotes xmlns:w="{w}">'
             '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
             f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {NOTE}</w:t></w:r></w:p>'
             '</w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                notes.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_html(lines: list[str], reviewed: int) -> bytes:
    """The report inside a county portal's article page: nav, breadcrumb, tools, share, related links, footer."""
    title = title_index(lines)
    heading = lines[title] if title is not None else "政府工作报告"
    body = []
    for i, line in enumerate(lines):
        if i == title or line == "导航菜单":
            continue
        text = html.escape(line)
        if len(text) > 120:  # a saved page wraps long paragraphs in its source
            text = text[:60] + "\n      " + text[60:]
        body.append(f'<p style="text-indent:2em">&#12288;&#12288;{text}</p>')
    links = "".join(f'<li><a href="/art/{n}.html">{t}</a><span>2024-0{n}-1{n}</span></li>'
                    for n, t in enumerate(["关于印发2024年重点工作任务分工的通知", "2023年政府工作报告",
                                           "市政府常务会议研究部署一季度经济工作"], 1))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(heading)}_侯马市人民政府</title>
<meta name="ArticleTitle" content="{html.escape(heading)}"><meta name="PubDate" content="{reviewed + 1}-03-12 09:30">
<style>.top{{background:#c00}} #zoom p{{line-height:2em}}</style>
<script>var _hmt = _hmt || []; document.write("<p>今天是星期二</p>");</script></head>
<body>
<div class="top"><div class="topbar">今天是{reviewed + 1}年3月12日 星期二 <a href="/wza">无障碍浏览</a> <a href="/en">English</a></div>
<div class="logo"><img src="logo.png" alt="侯马市人民政府门户网站"></div>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/zmhd">政民互动</a></li>
<li><a href="/bsfw">办事服务</a></li><li><a href="/zjhm">走进侯马</a></li></ul></div>
<div class="main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/zfgzbg">政府工作报告</a></div>
<div class="article">
<h1 class="article-title">{html.escape(heading)}</h1>
<div class="info">发布时间：{reviewed + 1}-03-12 09:30 来源：市政府办公室 浏览次数：1024
<span class="fontsize">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span></div>
<div id="zoom" class="TRS_Editor">
{chr(10).join(body)}
</div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
<div class="bshare">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<script>shareInit("zoom");</script>
<div class="related"><h3>相关链接</h3><ul>{links}</ul></div>
</div></div>
<div class="footer"><p>版权所有：侯马市人民政府 主办单位：侯马市人民政府办公室</p>
<p>网站标识码：1410810001 晋ICP备05002457号 晋公网安备 14108102000123号</p></div>
</body></html>"""
    return page.encode("utf-8")


def squeezed(paragraphs) -> str:
    return re.sub(r"\s+", "", "".join(p.norm for p in paragraphs))


def headline(doc) -> set[tuple]:
    return {(f.indicator, f.year, f.kind, f.value, f.unit) for f in doc.facts}


@pytest.fixture(scope="module", params=REPORTS, ids=lambda p: p.stem)
def report(request):
    path = request.param
    text = build(path.read_bytes(), path.name)
    lines = lines_of(path)
    reviewed = text.reviewed_year or (text.year or 2024) - 1
    docx_doc = build(make_docx(lines, reviewed), path.stem + ".docx")
    html_doc = build(make_html(lines, reviewed), path.stem + ".html")
    return text, docx_doc, html_doc, reviewed


def test_docx_reads_as_the_text_reads(report):
    text, doc, _, reviewed = report
    assert (doc.county, doc.year, doc.province) == (text.county, text.year, text.province)
    ours = [p for p in doc.paragraphs if not p.text.startswith("表：") and NOTE not in p.norm]
    ratio = difflib.SequenceMatcher(None, squeezed(text.paragraphs), squeezed(ours), autojunk=False).ratio()
    assert ratio >= 0.98, ratio
    assert headline(text) <= headline(doc), sorted(headline(text) - headline(doc))[:5]
    raw = "\n".join(p.text for p in doc.paragraphs)
    assert HEADER not in raw and FOOTER not in raw  # the page's header and footer are not the report
    note = next(p for p in doc.paragraphs if NOTE in p.text)
    assert note.heading.startswith("名词解释")  # footnotes come last, as notes


def test_docx_headings_stay_headings(report):
    text, doc, _, _ = report
    assert {p.heading.split(" > ")[0] for p in text.paragraphs} <= {p.heading.split(" > ")[0] for p in doc.paragraphs}


def test_docx_table_of_main_indicators_becomes_facts(report):
    _, doc, _, reviewed = report
    rows = [p for p in doc.paragraphs if p.text.startswith("表：")]
    assert len(rows) == len(table_rows(reviewed)) - 1
    assert rows[0].heading.startswith("一、")  # in document order, inside the review
    from_table = {(f.indicator, f.year, f.kind, f.value, f.unit) for f in doc.facts if f.paragraph_id in {p.id for p in rows}}
    assert from_table == table_facts(reviewed)
    assert "43180元" in rows[2].norm  # the figure as written, bar its thousands separator


def test_html_page_reads_as_the_text_reads(report):
    text, _, doc, reviewed = report
    assert (doc.county, doc.year, doc.province) == (text.county, text.year, text.province)
    ratio = difflib.SequenceMatcher(None, squeezed(text.paragraphs), squeezed(doc.paragraphs), autojunk=False).ratio()
    assert ratio >= 0.98, ratio
    assert headline(text) <= headline(doc), sorted(headline(text) - headline(doc))[:5]


def test_html_site_chrome_is_gone(report):
    text, _, doc, reviewed = report
    lines = lines_of(next(p for p in REPORTS if p.name == text.source))
    raw = read_bytes(make_html(lines, reviewed), "page.html").text
    for chrome in ("首页", "政务公开", "当前位置", "字体", "打印本页", "关闭窗口", "分享到", "微博", "相关链接",
                   "重点工作任务分工", "版权所有", "ICP备", "网站标识码", "主办单位", "今天是", "shareInit", "_hmt",
                   "line-height", "无障碍"):
        assert chrome not in raw or chrome in "".join(lines), chrome  # unless the report says it too
    first = raw.split("\n")[:5]
    title = title_index(lines)
    assert first[0] == (lines[title] if title is not None else "政府工作报告")  # the article's title, not the site's
    assert any(f"{reviewed + 1}年3月12日" in line for line in first)  # the date: the page's, unless the text says it
    assert all("\n" not in p.text and not p.text.startswith(" ") for p in doc.paragraphs)


# --- tables of main indicators, row by row ------------------------------------------------------

def facts_of(lines: list[str], heading: str, year: int = 2024) -> set[tuple]:
    paragraphs = [Paragraph(f"t#p{i:03d}", "t", heading, line, line) for i, line in enumerate(lines, 1)]
    from corpus.clean import normalize

    paragraphs = [Paragraph(p.id, p.doc_id, p.heading, p.text, normalize(p.text)) for p in paragraphs]
    return {(f.indicator, f.year, f.kind, f.value, f.unit) for f in extract_facts("t", "侯马市", year, year - 1, paragraphs)}


def test_target_and_growth_columns_bind_as_targets_and_rates():
    lines = rows_to_lines([["主要指标", "单位", "2023年完成", "比上年增长（%）", "2024年预期目标"],
                           ["地区生产总值", "亿元", "189", "12.1", "205"],
                           ["社会消费品零售总额", "亿元", "78.9", "-2.5", "—"]])
    assert lines[0].startswith("表：")
    facts = facts_of(lines, "一、2023年工作回顾")
    assert facts == {("地区生产总值", 2023, "actual", 189.0, "亿元"), ("地区生产总值", 2023, "growth", 12.1, "%"),
                     ("地区生产总值", 2024, "target", 205.0, "亿元"), ("社会消费品零售总额", 2023, "actual", 78.9, "亿元"),
                     ("社会消费品零售总额", 2023, "growth", -2.5, "%")}


def test_a_two_row_header_and_a_unit_in_the_indicator_cell():
    lines = rows_to_lines([["指标", "2024年", ""], ["", "目标", "实际"], ["一般公共预算收入（亿元）", "6.5", "6.08"]])
    assert facts_of(lines, "一、2024年工作回顾", 2025) == {("一般公共预算收入", 2024, "target", 6.5, "亿元"),
                                                      ("一般公共预算收入", 2024, "actual", 6.08, "亿元")}


def test_a_table_that_is_not_of_indicators_stays_cells_per_line():
    assert rows_to_lines([["序号", "项目名称", "建设内容"], ["1", "光伏玻璃一期", "年产光伏玻璃30万吨"]]) == \
        ["表：序号；项目名称；建设内容", "表：1；光伏玻璃一期；年产光伏玻璃30万吨"]


def test_a_bad_docx_is_a_read_error_naming_it():
    with pytest.raises(ReadError, match=r"report\.docx: not a readable \.docx"):
        read_bytes(b"PK\x03\x04 cut short", "report.docx")


OLD_PORTAL = """<html><head><title>2024年政府工作报告 - 某县人民政府</title></head><body>
<table width=1000><tr><td class="nav"><a href=/>首页</a> | <a>政务公开</a> | <a>新闻中心</a></td></tr>
<tr><td>您当前的位置：<a>首页</a> &gt; <a>政务公开</a> &gt; 规划计划</td></tr>
<tr><td class="bt" align=center>某县2024年政府工作报告</td></tr>
<tr><td align=center>日期：2024年02月01日　【字体：<a>大</a> <a>中</a> <a>小</a>】【打印本页】【关闭窗口】</td></tr>
<tr><td><div class="xl_con">各位代表：<br>　　现在，我代表县人民政府，向大会报告工作。<br>
　　一、2023年工作回顾<br>　　2023年，全县地区生产总值完成<font color=red>120.5亿元</font>，同比
增长6.1%。<br>
<table border=1><tr><td>指标</td><td>2023年</td><td>增长%</td></tr><tr><td>一般公共预算收入(亿元)</td><td>8.2</td><td>5</td></tr></table>
</div></td></tr>
<tr><td><div class="xgwz">相关文章：<a>2023年政府工作报告</a><a>2022年政府工作报告</a></div></td></tr>
<tr><td class="foot">主办：某县人民政府办公室　备案号：冀ICP备12345678号</td></tr></table></body></html>"""


def test_an_old_table_laid_portal_without_named_body_reads_by_structure():
    from corpus.web import page_text

    assert page_text(OLD_PORTAL).split("\n") == [
        "某县2024年政府工作报告", "2024年2月1日", "各位代表：", "现在，我代表县人民政府，向大会报告工作。", "一、2023年工作回顾",
        "2023年，全县地区生产总值完成120.5亿元，同比增长6.1%。",  # a wrapped source line joins without a space
        "表：2023年一般公共预算收入8.2亿元，2023年一般公共预算收入比上年增长5%。"]


def test_paragraphs_each_in_a_div_are_all_kept():
    from corpus.web import page_text

    page = ("<html><body><div class='hd'><a>首页</a><a>政务公开</a></div><div class='wrap'><div class='tt'>某县政府工作报告</div>"
            + "".join(f"<div>第{i}段，全县上下团结奋进，经济社会发展取得新成效。</div>" for i in range(6))
            + "</div><div class='ft'>版权所有 某县人民政府</div></body></html>")
    assert page_text(page).split("\n") == ["某县政府工作报告"] + [f"第{i}段，全县上下团结奋进，经济社会发展取得新成效。" for i in range(6)]
