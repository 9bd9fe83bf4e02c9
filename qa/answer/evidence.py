"""Evidence selection: the few sentences of the retrieved chunks that bear on the question.

Prompt prefill runs ~75 tokens/s on 2 cores, so the model gets the best sentences, not whole
chunks. `coverage` (share of the question's content words a sentence holds) also decides refusal.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from corpus.chunk import sentences
from corpus.clean import normalize
from corpus.indicators import TARGET_WORDS, aliases_of, canonical, words
from qa.retrieval.keyword import STOP, _jieba
from qa.retrieval.reading import RANGE_ASKED, asks_rate
from qa.records import Hit
from qa.retrieval.synonyms import SYNONYMS

# question words that carry no content: what the user asks *about* matters, not how
GENERIC = set("亿元 万元 元 亿 万 人 天 个 家 数字代号 代号 概括 紧扣 围绕 用什么 内容 指 是指 哪 包括 包括哪些 有哪些 多少 是多少 哪些 哪个 什么 是什么 几 第几 怎么样 如何 有没有 分别 分别是 情况 主要 具体 相关 一下 介绍 告诉 "
              "提到 计划 今年 去年 明年 全年 同比 达到 完成 实现 为 约 全 县 市 区 省 年度 预计 呢 那 吗 "
              "政府工作报告 工作报告 报告 政府 说 讲 过去 一年 一年来 获得 取得 拥有 哪项 哪一项".split())


@dataclass(frozen=True, slots=True)
class Evidence:
    hit: Hit
    sentences: tuple[str, ...]  # display form, in document order
    coverage: float  # 0..1, of the question's content words


def content_terms(question: str, places: Sequence[str] = ()) -> list[tuple[str, ...]]:
    """Groups of interchangeable terms a supporting sentence should contain.

    Example: content_terms("侯马市2023年GDP增速？", ["侯马市", "侯马"]) -> [("gdp", "地区生产总值", …), ("增速", "增长")]
    (an indicator's word stands for any of its names)
    """
    norm = normalize(question).lower()
    for p in sorted(places, key=len, reverse=True):
        norm = norm.replace(p, " ")
    norm = re.sub(r"(19|20)\d{2}年?", " ", norm)
    norm = re.sub(r"(?:多少|几)[项个家人名件座所次位条户亩]?", " ", norm)  # "多少项国省荣誉": not a word "项国省"
    groups: list[tuple[str, ...]] = []
    for word in _jieba().lcut(norm, HMM=True):
        word = re.sub(r"(?<=.)了$", "", word.strip())  # "减了", "增长了": the verb, without its particle
        if not word or word in STOP or word in GENERIC or re.fullmatch(r"[\W_]+", word) or len(word) < 2 and not word.isdigit():
            continue
        group = (word, *SYNONYMS.get(word, "").split())
        if name := canonical(word):  # an indicator's word: any of its names (经济总量 ~ GDP ~ 地区生产总值)
            group += tuple(a for a in aliases_of(name) if a not in group)
        if "增速" in word or "增幅" in word:
            group += ("增长",)
        if re.match(r"每[十百千万]", word):
            group += (word[1:],)  # "每千人拥有托位" ~ "千人托位数"
        if group not in groups:
            groups.append(group)
    return groups


def coverage(text_norm: str, groups: Sequence[tuple[str, ...]]) -> float:
    """Weighted share of term groups present (longer words weigh more). 1.0 when there are none."""
    if not groups:
        return 1.0
    low = unglossed(text_norm.lower())
    total = sum(max(len(g[0]), 2) for g in groups)
    # the question's own word may be spread out ("农民收入" ~ "农村居民人均可支配收入"); its other names are exact
    hit = sum(max(len(g[0]), 2) for g in groups if _fuzzy(g[0], low) or any(t in low for t in g))
    return hit / total


_GLOSS = re.compile(r"[(（][a-z&.\s]{1,8}[)）]")


def unglossed(text: str) -> str:
    """Without an abbreviation glossed in brackets: "研发（r&d）经费支出" -> "研发经费支出"."""
    return _GLOSS.sub("", text)


def _fuzzy(term: str, text: str) -> bool:
    """A long term whose characters appear in order, close together ("农民收入" ~ "农村居民人均可支配收入")."""
    if len(term) < 4:
        return False
    return re.search(".{0,6}?".join(map(re.escape, term)), text) is not None


def select(hits: Sequence[Hit], question: str, places: Sequence[str] = (), max_chars: int = 320,
           max_passages: int = 3, prefer: Callable[[Hit], bool] | None = None) -> list[Evidence]:
    """Best sentences per chunk, best chunks first, within a character budget; `prefer` marks the
    chunks from the part of the report the question asks about (plans, or the year reviewed)."""
    groups = content_terms(question, places)
    want = expected_figure(question)
    scored: list[tuple[float, int, int, str]] = []  # (score, hit index, sentence index, sentence)
    per_hit: list[list[str]] = []
    for hi, hit in enumerate(hits):
        sents = introduced(sentences(hit.chunk.text) or [hit.chunk.text])
        per_hit.append(sents)
        for si, s in enumerate(sents):
            norm = normalize(s).lower()
            cov = coverage(norm, groups)
            fits = 0.4 if want is not None and cov > 0 and _near(norm, groups, want) else 0.0
            part = 0.3 if prefer is not None and prefer(hit) else 0.0
            scored.append((cov + fits + part + 0.15 / (1 + hi), hi, si, s))
    scored.sort(key=lambda t: -t[0])
    chosen: dict[int, set[int]] = {}
    used = 0
    for score, hi, si, s in scored:
        if hi not in chosen and len(chosen) >= max_passages:
            continue
        if used and used + len(s) > max_chars:
            continue
        chosen.setdefault(hi, set()).add(si)
        used += len(s)
    out: list[Evidence] = []
    for hi in sorted(chosen, key=lambda h: -max(t[0] for t in scored if t[1] == h)):
        picked = tuple(per_hit[hi][si] for si in sorted(chosen[hi]))
        cov = max(coverage(normalize(s), groups) for s in picked)
        out.append(Evidence(hits[hi], picked, cov))
    return out


def introduced(sents: list[str], short: int = 30) -> list[str]:
    """A short sentence without a figure that names what the next one counts goes with it:
    "继续推进棚户区改造工程。" + "全年投资90.07亿元，完成1.8万户…" is one answer."""
    out: list[str] = []
    for s in sents:
        if out and len(out[-1]) <= short and not re.search(r"\d", out[-1]) and re.search(r"\d", s):
            out[-1] += s
        else:
            out.append(s)
    return out


def merge_evidence(evidence: list[Evidence], more: Sequence[Evidence]) -> tuple[int, ...]:
    """Adds `more` to `evidence` (in place); a chunk already there gains the new sentences, in the
    chunk's order. Returns the 1-based numbers of `more` in the merged list."""
    numbers = []
    for ev in more:
        at = next((i for i, old in enumerate(evidence) if old.hit.chunk.id == ev.hit.chunk.id), None)
        if at is None:
            evidence.append(ev)
            numbers.append(len(evidence))
            continue
        old = evidence[at]
        text = old.hit.chunk.text
        both = sorted(set(old.sentences) | set(ev.sentences), key=lambda s: (text.find(s), s))
        evidence[at] = Evidence(old.hit, tuple(both), max(old.coverage, ev.coverage))
        numbers.append(at + 1)
    return tuple(numbers)


def figure_near(sentence: str, groups: Sequence[tuple[str, ...]]) -> tuple[float, str] | None:
    """The first figure after the first of the question's words a sentence holds: (value, unit).
    Example: figure_near("高新技术企业约7.7万家", [("高新技术企业",)]) -> (7.7, "万家")"""
    from corpus.facts import FIGURE

    norm = normalize(sentence).lower()
    starts = [norm.find(t) for g in groups for t in g if t in norm]
    if not starts:
        return None
    # within the clause of the words: "投入强度持续提升；社会消费品零售总额增长6%" holds no figure of the first
    stop = re.search(r"[;；。]", norm[min(starts):])
    m = FIGURE.search(norm[: min(starts) + stop.start()] if stop else norm, min(starts))
    return (float(m.group("num")), m.group("unit")) if m else None


_CN_NUM = "一二三四五六七八九十百千万两"
_COUNTED = "天人座个家户所项公里亩吨辆台套条次名"
RATE = re.compile(r"\d\s*%|百分点|\d+成")
# an amount, not a growth rate: a number that is not a percentage
AMOUNT = re.compile(rf"\d[\d,]*(?:\.\d+)?(?![\d.,])\s*(?!%|个?百分点|倍)[^\d\s,，。;；%]|[{_CN_NUM}]+[{_COUNTED}]")


def expected_figure(question: str) -> re.Pattern | None:
    """What a supporting sentence must hold for the question's kind of answer, or None.

    Example: expected_figure("侯马市2023年GDP增速排全省第几？").search("增速全省第2") -> match
    """
    q = normalize(question)
    if named := re.search(r"第\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:位|名)", q):
        # "哪项指标居全市第1位": that rank, in digits or in words
        n = named.group(1)
        digits = n if n.isdigit() else str("一二三四五六七八九十".index(n) + 1) if len(n) == 1 else n
        words = "一二三四五六七八九十"[int(digits) - 1] if digits.isdigit() and 1 <= int(digits) <= 10 else n
        return re.compile(rf"第\s*(?:{digits}|{words})\s*(?:位|名)?(?!\d)")
    if re.search(r"第几|排名|排第|位次|名列", q):
        return re.compile(rf"第\s*[\d{_CN_NUM}]|前\s*[\d{_CN_NUM}]|\d+位")
    unit = re.search(rf"多少\s*(亿元|万元|元|亿|万|[{_COUNTED}])", q)
    if unit:
        u = unit.group(1)
        if u in _COUNTED:
            u = "[名人位]" if u in "名人位" else u  # people are counted in 名, 人 or 位 alike ("多少名特聘人才" ~ "436人")
            return re.compile(rf"\d[\d.,]*\s*(万|亿)?{u}")
        return re.compile(rf"\d[\d.,]*\s*(亿|万)?{u[-1]}" if u.endswith("元") else rf"\d[\d.,]*\s*{u}")
    if "强度" in q:
        return re.compile(r"\d")  # 研发投入强度 is a share of GDP, 产出强度 an amount per mu: any figure
    if re.search(r"增速|增幅|增长|下降|递增|递减|百分之|比例|比重|占比|率|占[^，,？?]{0,12}(?:多少|几)", q) or asks_rate(q):
        return RATE
    if re.search(r"多少|几", q):
        return AMOUNT
    return None


def supported(evidence: Sequence[Evidence], question: str, places: Sequence[str] = (), threshold: float = 0.5) -> bool:
    """Some evidence sentence covers the question's content words and holds the kind of figure asked for."""
    groups = content_terms(question, places)
    want = expected_figure(question)
    for ev in evidence:
        for s in ev.sentences:
            norm = unglossed(normalize(s).lower())
            if coverage(norm, groups) >= threshold and (want is None or _near(norm, groups, want)):
                return True
    return False


def _near(norm: str, groups: Sequence[tuple[str, ...]], want: re.Pattern, reach: int = 60) -> bool:
    """The asked-for figure follows one of the question's words closely: in the same clause for an
    amount of a named unit, within the next clause for a rate or a bare count, two clauses for a rank
    ("完成189亿元,增长12.1%,增速全省第2"). An amount may also stand just before the words ("建成15个园区")."""
    rank = "第" in want.pattern
    clauses = 2 if rank else 1 if want in (RATE, AMOUNT) else 0
    amount = not rank and want is not RATE
    found = False
    for group in groups:
        for term in group:
            for m in re.finditer(re.escape(term), norm):
                found = True
                window = norm[m.start() : m.end() + reach]
                cut = [c.start() for c in re.finditer(r"[,，;；。]", window[len(term):])]
                if len(cut) > clauses:
                    window = window[: len(term) + cut[clauses]]
                if want.search(window):
                    return True
                # "完成2019年度7.89亿元政府隐性债务化解目标": the figure just before the words, same clause
                ahead = re.split(r"[,，;；。]", norm[max(0, m.start() - 12): m.start()])[-1]
                if amount and want.search(ahead):
                    return True
    return not found and bool(want.search(norm))


_RANGE_SAID = re.compile(r"(?:从|由)[^，,；;。]{0,16}?\d[^，,；;。]{0,12}?(?:到|至)[^，,；;。]{0,4}\d")
_PLANNED = re.compile(words(TARGET_WORDS))


def fits(sentence: str, groups: Sequence[tuple[str, ...]], question: str) -> int:
    """How well a sentence holds the shape of the answer asked, to choose among sentences that cover the
    question alike: the kind of figure asked next to its words, a range for "从几家增加到几家", and
    no target for a question that asks none."""
    norm, asked = normalize(sentence).lower(), normalize(question)
    want = expected_figure(question)
    score = int(want is not None and _near(norm, groups, want))
    score += int(bool(RANGE_ASKED.search(asked) and _RANGE_SAID.search(norm)))
    # a target's words mark a target in both: a plan's sentence does not answer what was achieved
    return score - int(bool(_PLANNED.search(norm)) and not _PLANNED.search(asked))
