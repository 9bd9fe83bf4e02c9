"""The report in a web page saved from a government site: its title, date and article body, one
paragraph per line, without the site around it.

    page_text('<html><div class="nav">首页 > 政务公开</div><h1>2024年政府工作报告</h1>'
              '<div class="TRS_Editor"><p>各位代表：</p><p>现在，我代表…</p></div>'
              '<div class="footer">版权所有：侯马市人民政府</div></html>')
    -> "2024年政府工作报告\\n各位代表：\\n现在，我代表…"

The body is found by structure: a block whose id or class names it (TRS_Editor, zoom, article,
content…) when it holds half the page's prose (Chinese text outside links) or more, else the block
holding the most prose as its own paragraphs. Inside it, blocks made mostly of links (related articles) and
blocks whose class names site chrome (share, breadcrumb, print) are dropped; a few phrases catch
the buttons that carry no such class. Tables become lines through corpus/tables.py.
"""
from __future__ import annotations

import re

from corpus.tables import rows_to_lines

_JUNK_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "form",
              "select", "button", "input", "textarea", "nav", "footer", "aside")
# ids and classes of the article body on Chinese government sites (TRS, Hanweb, Dayu CMSs) and elsewhere
_BODY_NAME = re.compile(r"TRS_Editor|TRS_UEDITOR|Custom_UnionStyle|UCAP-CONTENT|zoom|fontzoom|article|content|"
                        r"detail|main[-_]?text|con[-_]?text|txt|wzcon|view|pages?_content|news_cont|ewb", re.I)
_CHROME_NAME = re.compile(r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|crumbs?|position|location|weizhi|dqwz|share|bshare|"
                          r"fenxiang|print|dayin|fontsize|font-size|zihao|related|relate|xglj|xgwz|link|links|footer|foot|"
                          r"bottom|copyright|banquan|header|top|topbar|toolbar|tools|sidebar|side|comment|pager|"
                          r"prev|next|qr|qrcode|ewm|search|login)(?:$|[-_\s\d])", re.I)
# buttons and labels that sit inside a body block on some sites
_CHROME_LINE = re.compile(r"^\s*(?:首页\s*[>＞›»]|当前位置|您当前的位置|【?\s*字体\s*[:：]|【?\s*字号\s*[:：]|分享到|打印本页|"
                          r"【\s*打印\s*】|关闭窗口|【\s*关闭\s*】|相关链接|相关文章|相关阅读|上一篇|下一篇|扫一扫|"
                          r"版权所有|网站标识码|主办单位|承办单位|[^\s]{0,20}ICP备|[^\s]{0,12}公网安备|网站地图|联系我们)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
          "blockquote", "pre", "center", "dd", "dt", "dl", "figure", "figcaption", "address", "hr", "body", "td", "th"}
_WRAP = re.compile(r"[ \t\r\n\f]*\n[ \t\r\n\f]*")  # a source line break; "\s" would eat &nbsp;


def _cjk(text: str) -> int:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


def _prose(el) -> int:
    """Chinese characters of an element that are not link text."""
    links = sum(_cjk(a.get_text()) for a in el.find_all("a"))
    return _cjk(el.get_text()) - links


def _names(el) -> str:
    return " ".join([el.get("id") or "", *(el.get("class") or [])])


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or el.has_attr("hidden")


def _strip(soup) -> None:
    from bs4 import Comment

    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in soup.find_all(_JUNK_TAGS):
        tag.decompose()
    for tag in soup.find_all("header"):
        if tag.find(["h1", "h2"]) is None or tag.find(["nav", "ul"]) is not None:
            tag.decompose()  # a site header; an article's <header> holds its <h1>
    for tag in soup.find_all(True):
        if tag.attrs is not None and _hidden(tag):
            tag.decompose()


_INLINE = {"p", "span", "font", "strong", "b", "em", "i", "u", "br", "center", "section", "blockquote"}


def _own(el) -> int:
    """Chinese characters an element holds as its own paragraphs: its text and its <p>/inline
    children's, links left out. The article body holds the report this way; a wrapper holds it in
    a child block."""
    from bs4 import NavigableString

    own = 0
    for child in el.children:
        if isinstance(child, NavigableString):
            own += _cjk(str(child))
        elif child.name in _INLINE or child.name == "div" and child.find(["div", "table", "ul", "ol", "p"]) is None:
            own += _prose(child)  # some sites put each paragraph in a <div> of its own
    return own


def _body(soup):
    """The element holding the article: a named block (TRS_Editor, zoom…) with half the page's prose
    or more, else the block holding the most prose as its own paragraphs."""
    root = soup.body or soup
    total = max(1, _prose(root))
    named = [el for el in root.find_all(["div", "td", "section", "article", "span"])
             if _BODY_NAME.search(_names(el)) and not _CHROME_NAME.search(_names(el))]
    named = [el for el in named if _prose(el) >= 0.5 * total]
    if named:
        return min(named, key=lambda el: _prose(el))  # the innermost of the named wrappers that still holds it
    blocks = [root, *root.find_all(["div", "td", "section", "article", "main"])]
    return max(blocks, key=_own)


def _linky(el) -> bool:
    """A block made mostly of links: a list of related articles, a menu."""
    text = _cjk(el.get_text())
    return text > 0 and sum(_cjk(a.get_text()) for a in el.find_all("a")) > 0.6 * text


def _lines(el, out: list[str]) -> None:
    """Append the text of `el` to `out`, a new line at each block; tables through rows_to_lines."""
    from bs4 import NavigableString, Tag

    for child in el.children:
        if isinstance(child, NavigableString):
            text = _WRAP.sub(_unwrap, str(child))
            if out and not out[-1].endswith("\n"):
                out[-1] += text
            else:
                out.append(text)
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name != "a" and (_CHROME_NAME.search(_names(child)) or name in ("ul", "ol", "div") and _linky(child)):
            continue
        if name == "br":
            out.append("\n")
            continue
        if name == "table":
            rows = [[_cell(td) for td in tr.find_all(["td", "th"], recursive=False)] for tr in child.find_all("tr")]
            if sum(len(r) for r in rows) > len(rows):  # a layout table of one column is prose
                out.append("\n")
                out.extend(f"{line}\n" for line in rows_to_lines(rows))
                continue
        block = name in _BLOCK
        if block:
            out.append("\n")
        _lines(child, out)
        if block:
            out.append("\n")


def _unwrap(m: re.Match) -> str:
    """A source line break inside a paragraph: a space between two Latin words ("GDP per capita"),
    else nothing (Chinese has no spaces, and a figure wrapped in the source stays one figure)."""
    before, after = m.string[m.start() - 1: m.start()], m.string[m.end(): m.end() + 1]
    latin = re.compile(r"[A-Za-z,;:!?)]")
    return " " if latin.match(before) and re.match(r"[A-Za-z(]", after) else ""


def _cell(td) -> str:
    parts: list[str] = []
    _lines(td, parts)
    return " ".join(p.strip() for p in "".join(parts).split("\n") if p.strip())


def _title(soup, body) -> str:
    """The article's title: the last heading or title-classed block before the body, else the first
    after it, else the page <title>."""
    order = {id(el): i for i, el in enumerate(soup.find_all(True))}
    found = []
    for el in soup.find_all(["h1", "h2", "h3", "div", "p", "td", "span"]):
        if el is body or _CHROME_NAME.search(_names(el)) or el.find(["div", "p", "table"]) is not None:
            continue
        if el.name in ("h1", "h2", "h3") or re.search(r"(?:^|[-_\s])(?:article[-_]?)?title|biaoti|bt(?:$|[-_\s])",
                                                     _names(el), re.I):
            text = el.get_text(" ", strip=True)
            if 4 <= len(text) <= 80 and _cjk(text):
                found.append((order[id(el)] < order.get(id(body), 0), order[id(el)], text))
    before = [f for f in found if f[0]]
    if before or found:
        return (before[-1] if before else found[0])[2]
    meta = soup.find("meta", attrs={"name": re.compile("ArticleTitle", re.I)})
    if meta and meta.get("content"):
        return meta["content"].strip()
    if soup.title and soup.title.string:
        return re.split(r"\s*[_|—–-]\s*", soup.title.string.strip())[0]
    return ""


def _date(soup, body) -> str:
    """The publication date shown near the title ("发布时间：2024-03-12"), as 2024年3月12日, or ""."""
    meta = soup.find("meta", attrs={"name": re.compile(r"PubDate|publishdate", re.I)})
    shown = [str(s) for s in soup.find_all(string=_DATE) if not any(p is body for p in s.parents)]
    labelled = [s for s in shown if re.search(r"发布|时间|日期", s)]
    for text in ([meta.get("content", "")] if meta else []) + labelled + shown:
        if m := _DATE.search(text):
            return f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日"
    return ""


def page_text(html: str) -> str:
    """The title, date and article body of a saved page, one paragraph per line. Example: see the module."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    _strip(soup)
    body = _body(soup)
    parts: list[str] = []
    _lines(body, parts)
    lines = [line.strip(" \t\r\f\u3000\u00a0") for line in "".join(parts).split("\n")]
    lines = [line for line in lines if line.strip() and not _CHROME_LINE.match(line)]
    title, date = _title(soup, body), _date(soup, body)
    head = [title] if title and not any(title in line for line in lines[:5]) else []
    head += [date] if date and not any(date in line for line in lines[:5]) else []
    return "\n".join(head + lines)
