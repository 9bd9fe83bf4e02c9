"""Paragraphs with heading paths, from cleaned report text, even when the report is one line.

Headings come from the report's own numbering (一、 （一） 1.) and from short unpunctuated
lines; glossary sections (名词解释, 有关用语说明) become one paragraph per term.
"""
from __future__ import annotations

import re

from corpus.chunk import pack
from corpus.clean import normalize, to_simplified
from corpus.records import Paragraph

_CN = "一二三四五六七八九十"
_L1 = re.compile(rf"^[{_CN}]+、")
_L2 = re.compile(rf"^[（(][{_CN}]+[）)]")
_L3 = re.compile(r"^\d{1,2}[.．、](?!\d)")
_SENTENCE_END = "。！？!?；;"
_GLOSSARY = re.compile(r"^(名词解释|名词解析|有关用语说明|有关名词解释|名词注释|注释|附注|附件[:：]?名词解释)[:：]?$")
MAX_PARAGRAPH = 800  # characters; longer pieces are split at numbering, then at sentence ends


def pieces(text: str) -> list[str]:
    """Lines, and within a line the runs that whitespace separates (Chinese prose has no spaces).

    Example: pieces("2023年工作回顾 2023年是开局之年。") -> ["2023年工作回顾", "2023年是开局之年。"]
    """
    out: list[str] = []
    for line in text.split("\n"):
        if re.fullmatch(r"(?:[\u3400-\u9fff] ?){2,8}", line):
            line = line.replace(" ", "")  # a spaced-out heading: "名 词 解 释"
        # a space before a figure ("达到 287.9亿元") is inside a sentence, not between pieces
        figure = r"(?!\d[\d.]*\s*(?:[亿万千百]|元|%|个|人|吨|户|家|项|倍|公里|亩|平方))"
        parts = [p for p in re.split(rf"(?<![A-Za-z0-9.,%)]) +{figure}|(?<=[\u3400-\u9fff。！？!?:：”」）)]) +{figure}", line) if p]
        for part in parts:
            # a short name or fragment belongs to the piece before it ("县长 温安娜")
            if (
                out
                and parts.index(part) > 0
                and len(part) <= 4
                and len(out[-1]) <= 30
                and not re.search(r"[。！？!?:：,，]", part + out[-1][-1:])
                and not _is_numbered(part)
            ):
                out[-1] = f"{out[-1]} {part}"
            else:
                out.append(part)
    return [p.strip() for p in out if p.strip()]


def _is_numbered(piece: str) -> bool:
    return bool(_L1.match(piece) or _L2.match(piece) or _L3.match(piece))


def _is_short_heading(piece: str) -> bool:
    return (
        len(piece) <= 30
        and not re.search(r"[。！？!?；;,，:：]", piece)
        and not piece.startswith(("——", "各位代表"))
    )


def _lead(piece: str) -> str:
    """The numbered lead clause of a paragraph: "一、乡村振兴全面推进。坚持…" -> "一、乡村振兴全面推进" """
    m = re.match(r"^(.{4,60}?)[。！？!?:：]", piece)
    return m.group(1) if m else piece[:30]


def _split_long(piece: str) -> list[str]:
    if len(piece) <= MAX_PARAGRAPH:
        return [piece]
    marks = rf"(?<=[{_SENTENCE_END}])\s*(?=[{_CN}]+、|[（(][{_CN}]+[）)]|\d{{1,2}}[.．、](?!\d)|[{_CN}]是)"
    parts = [p for p in re.split(marks, piece) if p.strip()]
    out: list[str] = []
    for part in parts:
        if len(part) <= MAX_PARAGRAPH:
            out.append(part)
            continue
        out += pack(re.findall(rf"[^{_SENTENCE_END}]+[{_SENTENCE_END}]*[”」）)]?", part), MAX_PARAGRAPH // 2)
    return out


def _glossary_entries(piece: str) -> list[str]:
    return [p for p in re.split(r"(?<=[。;；”)）])\s*(?=\d{1,2}[.．、]\D)", piece) if p.strip()]


def split(text: str, doc_id: str) -> list[Paragraph]:
    """Cleaned text -> paragraphs with ids "<doc_id>#p001…" and heading paths.

    Example: split("一、2023年工作回顾\\n一年来，我们…", "x") ->
             [Paragraph(id="x#p001", heading="一、2023年工作回顾", text="一年来，我们…", …)]
    """
    paragraphs: list[Paragraph] = []
    path: list[str] = []  # [level1, level2, level3]
    glossary = False
    front = True  # title, meeting line and speaker before "各位代表"

    def emit(body: str, heading: str) -> None:
        for part in _split_long(body):
            pid = f"{doc_id}#p{len(paragraphs) + 1:03d}"
            paragraphs.append(Paragraph(pid, doc_id, heading, part, normalize(part)))

    def set_level(level: int, title: str) -> None:
        del path[level - 1 :]
        while len(path) < level - 1:
            path.append("")
        path.append(to_simplified(title))

    for piece in pieces(text):
        squeezed = re.sub(r"\s+", "", normalize(piece))
        if _GLOSSARY.match(squeezed) or _GLOSSARY.match(squeezed.split(":")[0] + ":"):
            glossary, front = True, False
            set_level(1, "名词解释")
            # the entries may follow the label on its line, after a half- or full-width colon
            rest = re.split("[:：]", piece, maxsplit=1)[1] if not _GLOSSARY.match(squeezed) else ""
            for entry in _glossary_entries(rest):
                _emit_term(entry, emit)
            continue
        if glossary:
            for entry in _glossary_entries(piece):
                _emit_term(entry, emit)
            continue
        if front and (piece.startswith("各位代表") or len(piece) > 120):
            front = False
        if front:
            emit(piece, "报告封面")
            continue
        if _is_short_heading(piece):
            if _L2.match(piece):
                set_level(2, piece)
            elif _L3.match(piece):
                set_level(3, piece)
            else:
                set_level(1, piece)
            continue
        if _L1.match(piece) or _L2.match(piece):
            set_level(2, _lead(piece))
        elif _L3.match(piece) and len(path) >= 1:
            set_level(3, _lead(piece))
        emit(piece, " > ".join(p for p in path if p))
    return paragraphs


def _emit_term(entry: str, emit) -> None:
    term = re.match(r"^\d{1,2}[.．、]\s*(.{1,40}?)[:：]", entry)
    name = to_simplified(term.group(1)) if term else to_simplified(entry[:12])
    emit(entry.strip(), f"名词解释 > {name}")
