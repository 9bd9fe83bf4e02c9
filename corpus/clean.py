"""Cleaning: page chrome, pinyin annotations, misaligned GBK runs, whitespace and width.

Each step is a small function from text to text. `normalize` derives the form we index and
match on (simplified script, half-width); the display form keeps the report's own script.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

_SPACES = "\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff\t\r\f\v"
_PINYIN_LETTERS = "a-zü" + "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# a tone mark is required: "(a)" and "(ok)" are prose, "(fā)" is an annotation
_PINYIN = re.compile(rf"(?<=\S)\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ])[{_PINYIN_LETTERS}]{{1,6}}\)")
_CHROME = re.compile(
    "|".join(
        [
            r"关闭本页", r"打印本页", r"关闭窗口", r"【\s*打印\s*】", r"【\s*关闭\s*】",
            r"字体\s*[:：]?\s*【?\s*大\s*中\s*小", r"当前位置\s*[:：]", r"首页\s*[>＞]",
            r"^导航菜单$", r"本文地址\s*[:：]", r"留言与评论", r"^验证码", r"验证码\s*[:：]", r"发布日期\s*[:：]",
            r"发布时间\s*[:：]", r"^时间\s*[:：]\s*\d{4}", r"来源\s*[:：]\s*[^\s,，。;；]{0,20}?(人民政府|网|报)(\s|$)",
            r"浏览次数", r"^分享到", r"分享到\s*[:：]", r"^(微信)?扫一扫", r"扫一扫在手机", r"本文仅代表作者观点", r"不代表本站立场",
            r"未经许可[,，]?不得转载", r"版权所有", r"ICP备", r"^[|｜/\\>\-—_·•\s]*$",
            r"^中国政府网", r"上一篇\s*[:：]", r"下一篇\s*[:：]", r"责任编辑\s*[:：]", r"^打印$",
            r"^返回顶部$", r"^(网站)?首页$",
        ]
    )
)
_PHOTO_CREDIT = re.compile(r"\s*(特约)?(摄影|攝影)\s*\S{2,4}\s*(摄|攝)\s*$")


def fold_whitespace(text: str) -> str:
    """Map odd spaces to ' ', collapse runs within a line, strip each line.

    Example: fold_whitespace("\u3000\u3000各位代表:\u00a0 ") -> "各位代表:"
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # before "\r" becomes a space
    text = text.translate({ord(c): " " for c in _SPACES})
    return "\n".join(re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))


def fold_width(text: str, everything: bool = False) -> str:
    """Full-width digits and letters to ASCII; with everything=True, all of U+FF01..FF5E.

    Example: fold_width("２０２３年ＧＤＰ") -> "2023年GDP"
    """
    out = []
    for ch in text:
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:
            half = chr(o - 0xFEE0)
            if everything or half.isalnum() or half in "%.":
                ch = half
        out.append(ch)
    return "".join(out)


def strip_pinyin(text: str) -> str:
    """Remove pinyin annotations after characters. Example: strip_pinyin("發(fā)展") -> "發展" """
    return _PINYIN.sub("", text)


def is_chrome(line: str) -> bool:
    """True for navigation, print/close buttons, disclaimers and comment boxes of a web page."""
    norm = normalize(line)
    if len(norm) > 200 and "本文仅代表作者观点" not in norm:
        return False
    return bool(_CHROME.search(norm))


def drop_chrome(text: str) -> str:
    """Remove chrome lines and trailing photo credits. Keeps every other line as it was."""
    kept = [_PHOTO_CREDIT.sub("", line) for line in text.split("\n") if not is_chrome(line)]
    return "\n".join(kept)


@functools.lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """GB2312 level-1 characters (the 3,755 most used) and the CJK punctuation rows."""
    chars = set()
    for lead in list(range(0xB0, 0xD8)) + [0xA1, 0xA3]:
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


# symbols of GB2312's first row that report prose does not use; a misaligned run is full of them
_ODD_SYMBOLS = frozenset("ˇ¨〃々‖∧∨∑∏∪∩∈∷⊥∥∠⌒⊙∫∮≡≌∽∝≮≯∵∴♂♀¤￠〓")


def _char_score(ch: str) -> float:
    if ch in _ODD_SYMBOLS:
        return -1.5
    if ch.isascii():
        return 0.5 if ch.isdigit() or ch in ".%" else (0.0 if ch.isalpha() else -0.5)
    simple = _t2s(ch)
    if simple in _common_chars():
        return 1.0
    if "\u4e00" <= ch <= "\u9fff":
        return -0.5
    return -1.5  # bopomofo, box drawing, private use: never in a report's prose


@functools.lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    """Words of two or more characters from jieba's dictionary (simplified)."""
    import jieba

    path = jieba.get_dict_file()
    with path as fh:
        return frozenset(w for line in fh if len(w := line.decode("utf-8").split(" ", 1)[0]) >= 2)


def _score(text: str) -> float:
    """How much a string looks like report prose: characters inside dictionary words count most."""
    simple = _t2s(text)
    words, covered, i = _words(), 0, 0
    while i < len(simple):
        for size in (4, 3, 2):
            if simple[i : i + size] in words:
                covered += size
                i += size
                break
        else:
            i += 1
    return covered + 0.3 * sum(_char_score(c) for c in text)


# the characters a misaligned run is made of: CJK, GBK symbols, and ASCII that full-width folding produced
_RUN = re.compile(r"\?(?=([^\s“”\"'《》]{1,60}))")
# ASCII below 0x40 cannot be a GBK trail byte, so in a run it is folded full-width punctuation;
# from 0x40 up ("h", "{", "|") it may be the genuine second byte of a character
_UNFOLD = {c: chr(ord(c) + 0xFEE0) for c in "!\"#$&'()*+,-/:;<=>?"}
# an annotation whose "(" a broken run swallowed: "?lián)" -> "?"
_ORPHAN_PINYIN = re.compile(r"\?[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")


def _shifted(run: str) -> str | None:
    """Re-read a run one byte later: its GBK bytes minus the first, decoded as GBK."""
    if run[:1].isascii() and run[:1] not in _UNFOLD:
        return None  # a one-byte lead: dropping it shifts nothing
    try:
        raw = "".join(_UNFOLD.get(c, c) for c in run).encode("gbk")
    except UnicodeEncodeError:
        return None
    # a lead byte that cannot pair also takes its ASCII-range trail ("\xa3^" was one character)
    return re.sub("\ufffd[\x40-\x7e]?", "", raw[1:].decode("gbk", errors="replace"))


@dataclass(frozen=True, slots=True)
class Repair:
    text: str
    repaired: int
    dropped: int


def repair_gbk_runs(text: str) -> Repair:
    """Repair runs of GBK text that were decoded one byte out of step; drop what cannot be.

    A run starts with '?' (the byte pair that fell apart). Re-reading it one byte later gives the
    original text. For each '?' we weigh readings of the text after it (keep it; repair the
    first n characters; drop the first n when they are not prose) and take the one that reads
    most like prose. A '?' followed by ordinary prose is left alone, unless it sits right where
    a run just ended: then it is the rest of that run's broken pair.
    Example: repair_gbk_runs("?。ㄒ唬┮荒陙恚").text -> "（一）一年來"
    """
    text = _ORPHAN_PINYIN.sub("?", text)
    repaired = dropped = 0
    out, pos, fixed_until = [], 0, -1
    for m in _RUN.finditer(text):
        if m.start() < pos:
            continue
        window = m.group(1)
        # a '?' right where a re-read or dropped run ended is the rest of that run's broken pair
        glued = m.start() == fixed_until
        # a '?' glued to junk ("??h", "?;A", "?。ㄒ") is broken for sure; before prose it may be a real '?'
        suspect = (
            window[0] in "?;!,:。，、"
            or _char_score(window[0]) < 0 and window[0] not in "()"  # "(?)", "?(一)" are prose
            or window[0].isascii() and window[0].isalpha()
            or any(_char_score(c) <= -1.5 for c in window[:3])  # bopomofo, box drawing: never prose
        )
        best = ("keep", 0, _score(window) + (-1.0 if suspect else 1.5))
        for end in range(1, len(window) + 1):
            head = window[:end]
            if end > 1 and head[-1] == "?":
                break  # the next broken pair starts its own run
            fix = _shifted(head)
            if fix is not None and _score(fix) > _score(head):
                score = _score(fix + window[end:])
                if score > best[2]:
                    best = ("repair", end, score)
            if _score(head) <= 0:  # only what is not prose may be dropped
                score = _score(window[end:])
                if score > best[2]:
                    best = ("drop", end, score)
        action, end, _ = best
        out.append(text[pos : m.start()])
        if action == "repair":
            out.append(_shifted(window[:end]) or "")
            repaired += 1
        elif action == "drop":
            dropped += 1
        else:
            out.append("" if glued else "?")
            end = 0
        pos = m.start() + 1 + end
        fixed_until = pos if action != "keep" or glued else -1
    out.append(text[pos:])
    return Repair("".join(out), repaired, dropped)


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def _t2s(text: str) -> str:
    return _converter().convert(text)


def to_simplified(text: str) -> str:
    """Traditional to simplified through OpenCC. Example: to_simplified("發展") -> "发展" """
    return _converter().convert(text) if text else text


def normalize(text: str) -> str:
    """The indexed and matched form: simplified, half-width, NFKC-free of odd spaces.

    Example: normalize("地區生產總值７８.９億元，") -> "地区生产总值78.9亿元,"
    """
    text = fold_width(to_simplified(text), everything=True)
    text = text.translate({ord(c): " " for c in _SPACES})
    return unicodedata.normalize("NFC", text)


_LINE_END = re.compile(r"[。！？!?；;：:”’」』）)]$")
_LINE_OPENS = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、]|第[一二三四五六七八九十]+|——|各位代表)")


_LINE_MARK = re.compile(r"(?<=[\u4e00-\u9fff。！？!?：:；;）)])([A-Za-z]{2,4})$", re.M)


def drop_line_marks(text: str) -> str:
    """A Latin token that ends line after line ("…提出意见。vfO"): a paragraph mark garbled in copying, not text."""
    counts: dict[str, int] = {}
    for m in _LINE_MARK.finditer(text):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    for mark, n in counts.items():
        if n >= 3 and mark.upper() not in ("GDP", "CPI", "PPI", "PM", "AI", "APP"):
            text = re.sub(rf"(?<=[\u4e00-\u9fff。！？!?：:；;）)]){mark}$", "", text, flags=re.M)
    return text


def unwrap(text: str) -> str:
    """Text cut into lines of one width (copied out of a PDF or a fixed-width page) joined back into its
    paragraphs: a line as long as the width that ends inside a sentence runs on into the next. Text whose
    lines are its paragraphs is left alone. Example: "…城乡常住居民人均可支配收入分别达到\n37462元…" -> one line."""
    lines = text.split("\n")
    long = sorted(len(line) for line in lines if len(line) >= 16)
    if len(long) < 6:
        return text
    # the width: the line length that most long lines come within 2 characters of
    width = max(set(long), key=lambda n: sum(abs(m - n) <= 2 for m in long))
    wrapped = [line for line in lines if abs(len(line) - width) <= 2 and not _LINE_END.search(line)]
    if len(wrapped) < max(4, 0.4 * len(long)):
        return text  # ragged lines, or lines that end their sentences: the lines are paragraphs
    out: list[str] = []
    runs_on = False
    for line in lines:
        if runs_on and line and not _LINE_OPENS.match(line):
            out[-1] += line
        else:
            out.append(line)
        runs_on = len(line) >= width - 2 and not _LINE_END.search(line)
    return "\n".join(out)


def clean(text: str) -> Repair:
    """The whole cleaning chain on a report's text, in the order that works."""
    text = fold_whitespace(text)
    text = strip_pinyin(text)
    fixed = repair_gbk_runs(text)
    text = strip_pinyin(fixed.text)  # annotations that a broken run had separated from their character
    text = drop_chrome(text)
    text = fold_whitespace(fold_width(text))  # a dropped run may leave a space at a line's end
    return Repair(unwrap(drop_line_marks(text)), fixed.repaired, fixed.dropped)
