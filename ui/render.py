"""HTML for the chat transcript: answers with [n] links, citation cards with the supporting
sentences and figures highlighted, refusals, errors. Pure functions; every text from a report,
a question or a model is escaped here before it meets markup.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape

from qa.records import Answer, Citation
from qa.answer.verify import figures

CITE = re.compile(r"\[(\d{1,2})\]")
ORDINAL = re.compile(r"第([0-9０-９]+|[一二三四五六七八九十]+)")
CN_DIGITS = "一二三四五六七八九十"
# simplified character -> the forms a report may print it in (reports keep their own script)
VARIANTS = {"亿": "亿億", "万": "万萬", "个": "个個", "项": "项項", "场": "场場", "辆": "辆輛", "台": "台臺",
            "张": "张張", "处": "处處", "户": "户戶", "条": "条條", "间": "间間", "吨": "吨噸", "亩": "亩畝",
            "时": "时時", "点": "点點", "%": "%％", "‰": "‰", ".": ".．"}
Neighbours = Mapping[str, tuple[object | None, object | None]]  # paragraph id -> (previous, next) Paragraph


# -- highlighting --------------------------------------------------------------------------
def _chars(text: str) -> str:
    """A regex matching `text` in either script and width: "8.5亿" also finds "８．５億"."""
    out = []
    for ch in text:
        if ch.isdigit() and ch.isascii():
            out.append(f"[{ch}{chr(ord(ch) + 0xFEE0)}]")
        elif ch in VARIANTS:
            out.append(f"[{re.escape(VARIANTS[ch])}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def figure_patterns(answer_text: str) -> list[re.Pattern]:
    """The answer's figures (numbers with units, and ranks) as patterns to find in a paragraph.

    Example: figure_patterns("完成189亿元，增速全省第2[1]") finds "189亿元"/"189億元" and "第2"/"第二"
    """
    seen, pats = set(), []
    for fig in figures(answer_text):
        if fig.unit and str(fig) not in seen:
            seen.add(str(fig))
            pats.append(re.compile(rf"(?<![\d.０-９．]){_chars(fig.number)}{_chars(fig.unit)}"))
    for m in ORDINAL.finditer(answer_text):
        value = _ordinal(m.group(1))
        if value and f"第{value}" not in seen:
            seen.add(f"第{value}")
            forms = [_chars(str(value))] + ([CN_DIGITS[value - 1]] if value <= 10 else [])
            pats.append(re.compile(rf"第(?:{'|'.join(forms)})(?![\d０-９])"))
    return pats


def _ordinal(token: str) -> int | None:
    if token[0] in CN_DIGITS:
        return CN_DIGITS.index(token) + 1 if len(token) == 1 else None
    return int(token.translate({0xFF10 + i: str(i) for i in range(10)}))


def _sentences(quote: str) -> list[str]:
    return [s for s in re.findall(r"[^。！？!?；;]+[。！？!?；;]*", quote) if s.strip()]


def paint(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """Escape `text` and wrap each (start, end, kind) span; kinds "quote" and "fig" may overlap.

    Example: paint("a<b>1%", [(4, 6, "fig")]) -> 'a&lt;b&gt;<mark class="fig">1%</mark>'
    """
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        kinds = {k for s, e, k in spans if s <= a and b <= e}
        if "fig" in kinds:
            piece = f'<mark class="fig">{piece}</mark>'
        if "quote" in kinds:
            piece = f'<span class="quote">{piece}</span>'
        out.append(piece)
    return "".join(out)


def highlight(text: str, quote: str, patterns: Sequence[re.Pattern] = ()) -> str:
    """A paragraph, escaped, with its supporting sentences and the answer's figures marked."""
    spans = []
    for sentence in ([quote] if quote and quote in text else _sentences(quote)):
        start = text.find(sentence.strip())
        if sentence.strip() and start >= 0:
            spans.append((start, start + len(sentence.strip()), "quote"))
    for pat in patterns:
        spans += [(m.start(), m.end(), "fig") for m in pat.finditer(text)]
    return paint(text, spans)


def answer_body(t: int, text: str, numbers: Sequence[int]) -> str:
    """Answer text, escaped; its figures bold and each valid [n] a link to card n of turn t."""
    fig_spans = [(m.start(), m.end(), "fig") for p in figure_patterns(text) for m in p.finditer(text)]
    out, last = [], 0
    for m in CITE.finditer(text):
        out.append(paint(text[last:m.start()], [(s - last, e - last, k) for s, e, k in fig_spans
                                                 if s >= last and e <= m.start()]))
        n = int(m.group(1))
        out.append(f'<a class="cite" href="#{card_id(t, n)}" title="查看引用 {n}">[{n}]</a>' if n in numbers
                   else f'<span class="cite dead">[{n}]</span>')
        last = m.end()
    out.append(paint(text[last:], [(s - last, e - last, k) for s, e, k in fig_spans if s >= last]))
    return "".join(out).replace("\n", "<br>")


# -- blocks ----------------------------------------------------------------------------------
def card_id(t: int, n: int) -> str:
    return f"cite-{t}-{n}"


def citation_card(t: int, c: Citation, patterns: Sequence[re.Pattern], neighbours: Neighbours) -> str:
    year = f"{c.year}年报告" if c.year else "年份不详"
    heading = escape(c.heading.replace(" > ", " › ")) if c.heading else "（无标题）"
    prev, nxt = neighbours.get(c.paragraph_id, (None, None))
    context = "".join(
        f'<div class="ctx-para"><div class="ctx-label">{label}</div><p>{escape(p.text)}</p></div>'
        for label, p in (("上一段", prev), ("下一段", nxt)) if p is not None
    ) or '<p class="muted">这是报告里唯一的一段。</p>'
    return (
        f'<div class="card" id="{card_id(t, c.n)}">'
        f'<div class="card-head"><span class="num">{c.n}</span>'
        f'<span class="where"><b>{escape(c.county)}</b> · {year} · {heading}</span>'
        f'<span class="pid">{escape(c.paragraph_id)}</span></div>'
        f'<p class="para">{highlight(c.text, c.quote, patterns)}</p>'
        f'<details class="ctx"><summary>展开上下文</summary>{context}</details></div>'
    )


def cards(t: int, citations: Sequence[Citation], answer_text: str, neighbours: Neighbours | None) -> str:
    if not citations:
        return ""
    neighbours = neighbours or {}
    patterns = figure_patterns(answer_text)
    body = "".join(citation_card(t, c, patterns, neighbours) for c in citations)
    return f'<div class="cards"><div class="cards-title">引用来源</div>{body}</div>'


def question_html(question: str) -> str:
    return f'<div class="turn-q"><div class="bubble">{escape(question)}</div></div>'


def answer_html(t: int, answer: Answer, neighbours: Neighbours | None = None) -> str:
    """A finished answer: text, trust line, and its citation cards (or the refusal box, with the
    cards of what the reports do hold when the refusal offers it)."""
    if answer.refused:
        return refusal_html(answer, t, neighbours)
    numbers = [c.n for c in answer.citations]
    badge = ('<span class="badge ok">✓ 数字均已在引用原文中核对</span>' if answer.grounded
             else '<span class="badge warn">⚠ 部分数字未能在引用原文中核对，请以原文为准</span>')
    if answer.mode == "extractive":
        badge += '<span class="badge">原文摘录</span>'
    if answer.model_busy:
        badge += '<span class="badge">模型繁忙，先给出原文摘录</span>'
    if answer.mode == "facts":
        badge = ('<span class="badge ok">✓ 数字取自报告原文，地点、年份、指标均已核对</span>')
    if answer.view:
        from urllib.parse import urlencode

        picks = {k: ",".join(v) for k, v in answer.view.items() if isinstance(v, (list, tuple))}
        views = [("indicators", "在指标表中查看")] + ([("targets", "在目标与完成中查看")] if answer.view.get("targets") else [])
        for name, label in views:
            query = escape(urlencode({"view": name, **picks}))
            badge += f'<a class="badge link" href="?{query}" target="_blank" rel="noopener">{label}</a>'
    meta = [badge]
    if answer.standalone_question and answer.standalone_question != answer.question:
        meta.append(f'<span class="rewrite">理解为：{escape(answer.standalone_question)}</span>')
    if answer.timings:
        ms = (answer.timings.get("retrieve_ms") or 0) + (answer.timings.get("generate_ms") or 0)
        meta.append(f'<span class="muted">用时 {ms / 1000:.1f} 秒</span>')
    return (
        f'<div class="turn-a"><div class="answer">{answer_body(t, answer.text, numbers)}</div>'
        f'<div class="meta">{"".join(meta)}</div>{cards(t, answer.citations, answer.text, neighbours)}</div>'
    )


def pending_html(t: int, citations: Sequence[Citation], partial: str, neighbours: Neighbours | None = None,
                 stage: str = "") -> str:
    """An answer still streaming: the tokens so far, then the cards already known."""
    status = stage or ("正在生成回答…" if citations else "正在检索报告…")
    body = answer_body(t, partial, [c.n for c in citations]) if partial else ""
    return (
        f'<div class="turn-a pending"><div class="answer">{body}<span class="cursor"></span></div>'
        f'<div class="meta"><span class="spinner"></span><span class="muted">{escape(status)}</span></div>'
        f'{cards(t, citations, partial, neighbours)}</div>'
    )


def refusal_html(answer: Answer, t: int = 0, neighbours: Neighbours | None = None) -> str:
    message = re.sub(r"^报告中未提及[：:，,\s]*", "", answer.text) or answer.text
    searched = "".join(f'<span class="doc-chip">{escape(title)}</span>' for title in answer.searched)
    body = answer_body(t, message, [c.n for c in answer.citations]) if answer.citations else escape(message)
    offered = cards(t, answer.citations, answer.text, neighbours) if answer.citations else ""
    return (
        '<div class="turn-a"><div class="refusal"><div class="refusal-title">报告中未提及</div>'
        f'<p>{body}</p><div class="refusal-searched">已检索：{searched or "已收录的全部报告"}</div>'
        f'<p class="muted">可以换个问法，或在上方选择县/市和年份缩小范围。</p></div>{offered}</div>'
    )


def error_html(message: str) -> str:
    return f'<div class="turn-a"><div class="error">{escape(message)}</div></div>'


def transcript(turns: Sequence[str], empty: str = "") -> str:
    """The whole conversation; `turns` are already-rendered question/answer pairs."""
    return f'<div class="transcript">{"".join(turns) if turns else empty}</div>'


EMPTY = (
    '<div class="empty"><div class="empty-title">向政府工作报告提问</div>'
    '<p>每个回答都附有报告原文出处：点击答案中的 <span class="cite">[1]</span> 可跳到对应段落。'
    '报告里没有的内容，会明确告诉您“报告中未提及”。</p></div>'
)
