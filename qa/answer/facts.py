"""Answers from facts (place, year, indicator, kind, value) when facts answer the question: exact,
cited, at once. A single figure, a comparison that says who is ahead, a superlative over the
library that names the winner and the reports without a figure, and refusals that say what is
missing and offer what the reports do hold.

Example: answer_facts(read("代县2021年的财政收入是多少？", …), facts, docs)
  -> FactAnswer(text="报告中没有代县2021年的一般公共预算收入；代县2023年政府工作报告中有2022年的一般公共预算收入[1]。",
                refused=True, facts=(Fact(…4.6亿元…),))
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.clean import normalize
from corpus.indicators import PLANS, UNITS, plan_end
from corpus.records import Document, Fact
from qa.retrieval.reading import RANGE_ASKED, REACHED, Part, Reading

# values compared across units of one family, in the smallest unit
SCALE = {"元": 1, "万元": 1e4, "亿元": 1e8, "千元": 1e3, "万亿元": 1e12, "亿": 1e8, "万亿斤": 5e11, "公斤": 1, "斤": 0.5, "吨": 1e3, "万吨": 1e7, "万公斤": 1e4,
         "亿公斤": 1e8, "亿斤": 5e7, "万斤": 5e3, "%": 1, "个百分点": 1, "人": 1, "万人": 1e4, "亩": 1, "万亩": 1e4}
FAMILY = {"元": "money", "万元": "money", "亿元": "money", "千元": "money", "万亿元": "money", "万亿斤": "mass", "公斤": "mass", "斤": "mass", "吨": "mass",
          "万吨": "mass", "万公斤": "mass", "亿公斤": "mass", "亿斤": "mass", "万斤": "mass", "%": "rate",
          "人": "people", "万人": "people", "亩": "area", "万亩": "area"}


@dataclass(frozen=True, slots=True)
class FactAnswer:
    text: str  # with [n] markers, n = 1-based position in `facts`
    refused: bool
    facts: tuple[Fact, ...]


MILESTONES = {"突破", "迈上", "跨上", "超"}
VERBS = ("力争", "预计", "跨上", "迈上", "突破", "超", "不低于", "不超过")


def plain(value: float) -> str:
    """A number without rounding or exponent. Example: plain(33757.93) -> "33757.93", plain(6.0) -> "6" """
    return f"{value:.6f}".rstrip("0").rstrip(".")


def written(fact: Fact) -> str:
    """The number as its sentence writes it ("6.0", "33757.93"), else plain."""
    for m in re.finditer(r"\d+(?:\.\d+)?", normalize(fact.sentence)):
        if abs(float(m.group()) - abs(fact.value)) < 1e-9:
            return m.group()
    return plain(abs(fact.value))


def show(fact: Fact) -> str:
    """A fact's figure as the report states it. Example: "6%左右", "下降39.4%", "跨上70亿元", "增速全省第2"."""
    if fact.kind == "rank":
        clause = next((c for c in re.split(r"[,，;；。]", fact.sentence) if re.search(rf"第\s*{plain(fact.value)}(?!\d)", c)), "")
        return clause.strip() or f"第{plain(fact.value)}位"
    if fact.kind in ("growth", "target") and fact.unit in ("%", "个百分点") and fact.value < 0:
        as_written = f"-{written(fact)}{fact.unit}"
        figure = as_written if as_written in normalize(fact.sentence) else f"下降{written(fact)}{fact.unit}"
    else:
        figure = f"{'-' if fact.value < 0 else ''}{written(fact)}{fact.unit}"
    before = "".join(q for q in fact.qualifiers if q in ("力争", "预计", "跨上", "迈上", "突破", "超", "近", "约", "不低于", "不超过"))
    after = "".join(q for q in fact.qualifiers if q in ("左右", "以上", "以内", "以下"))
    return f"{before}{figure}{after}"


def what(indicator: str, kind: str, unit: str = "") -> str:
    """How a figure is named. Example: what("地区生产总值", "target", "%") -> "地区生产总值增长目标" """
    rate = UNITS.get(indicator) == ()  # CPI, 失业率: the indicator is a rate itself
    if kind == "target":
        return indicator + ("目标" if rate else "增长目标" if unit in ("%", "个百分点") else "目标")
    if kind == "growth" and unit and unit not in ("%", "个百分点", "百分点"):
        return indicator + "增加额"  # "比2010年增加10525元": an increase in its own unit
    return indicator + {"growth": "" if rate else "增速", "rank": "排名", "share": "占比"}.get(kind, "")


def comparable(fact: Fact) -> float | None:
    scale = SCALE.get(fact.unit)
    return fact.value * scale if scale is not None else None


def label(fact: Fact) -> str:
    kind = {"target": "目标", "growth": "增速"}.get(fact.kind, "")
    return f"{fact.place}{fact.year}年{fact.indicator}{kind}" if fact.year else f"{fact.place}{fact.indicator}{kind}"


def matching(facts: Sequence[Fact], place: str, indicator: str, kind: str, year: int | None) -> list[Fact]:
    """Facts of one place and indicator, of the kind asked (growth questions also take growth facts),
    of the year asked if any; the newest year first."""
    # a rate that is itself the indicator (CPI, 失业率): its level and its change are one figure
    kinds = {"actual", "growth"} if kind in ("actual", "growth") and UNITS.get(indicator) == () else {kind}
    mine = [f for f in facts if f.place == place and f.indicator == indicator and f.kind in kinds]
    if year is not None:
        mine = [f for f in mine if f.year == year]
    return sorted(mine, key=lambda f: -(f.year or 0))


def _doc_title(fact: Fact, docs: dict[str, Document]) -> str:
    d = docs.get(fact.doc_id)
    return d.title if d else fact.doc_id


class Cites:
    """Numbers facts in order of first use."""

    def __init__(self):
        self.facts: list[Fact] = []

    def __call__(self, fact: Fact) -> str:
        if fact not in self.facts:
            self.facts.append(fact)
        return f"[{self.facts.index(fact) + 1}]"


def clause_of(fact: Fact) -> str:
    """The clause of a fact's sentence that holds its figure. Example: "规上工业增加值增长6.2%" """
    number = written(fact)
    for piece in re.split(r"[，,；;。]", fact.sentence):
        if number in normalize(piece):
            return piece.strip()
    return fact.sentence.strip().rstrip("。；;")[:80]


def range_of(facts: Sequence[Fact]) -> str:
    """"4.5%—5%" when two facts of one sentence are the ends of one range, "5.5%、力争6%以上" when they are
    a target and its stretch, else ""."""
    for a in facts:
        for b in facts:
            if a is not b and a.sentence == b.sentence and a.unit == b.unit:
                pattern = (rf"{re.escape(written(a))}\s*(?:{re.escape(a.unit)})?\s*(?:[—\-~～至到]+|[、，,](?:力争|争取|努力))\s*"
                           rf"{re.escape(written(b))}\s*{re.escape(b.unit)}(?:以上|左右)?")
                if m := re.search(pattern, normalize(a.sentence)):
                    return m.group(0)
    return ""


def during(span: str) -> str:
    """How an answer names a span. Example: during("十四五") -> "“十四五”期间"; during("过去五年") -> "过去五年" """
    return f"“{span}”期间" if span in PLANS else span


def one(reading: Reading, part: Part, indicator: str, facts: Sequence[Fact], cite: Cites,
        docs: dict[str, Document], others: dict | None = None) -> tuple[str, bool, Fact | None]:
    """(sentence, missing?, the fact) for one place/year/indicator/kind. A period of several years
    asked (十三五, 过去五年) takes only figures of that span, never one year's."""
    found = matching(facts, part.place, indicator, part.kind, part.year)
    # "十四五期间提高到了多少": the level at the span's end, not the range
    asked = normalize(reading.question)
    end = plan_end(reading.span) if reading.span and part.kind != "target" and REACHED.search(asked) \
        and not RANGE_ASKED.search(asked) else None
    if reading.span and part.year is None and end:
        found = [f for f in found if f.year == end or f.year is None and f.period != "起点"]
    elif reading.span and part.year is None:
        found = [f for f in found if f.year is None or "年均" in f.qualifiers]
    if "年均" in reading.question and part.kind in ("growth", "target"):
        # an average annual rate asked: only such a rate, of whatever span the report gives
        found = [f for f in matching(facts, part.place, indicator, part.kind, None) if "年均" in f.qualifiers]
    ends = [f for f in found if f.period == "起点"]
    if ends and reading.span and not end:
        # "从多少提高到多少": the clause holds both ends of the range
        f = ends[0]
        return f"{f.place}{reading.span}{what(indicator, f.kind, f.unit)}：“{clause_of(f)}”{cite(f)}", False, f
    exact = [g for g in found if not set(g.qualifiers) & MILESTONES]
    # "突破6000亿元" beside "达到6105亿元" of the same year: the mark passed is no rival of the figure
    found = [g for g in found if g in exact or not any(e.year == g.year and (FAMILY.get(e.unit) == FAMILY.get(g.unit)
                                                                              or g.unit in ("亿", "万", "万亿"))
                                                        for e in exact)]  # "突破“五百亿”": a bare magnitude
    if found:
        # a level and a rate of one kind ("增长10%，达到164.1亿元"): the one the question's words ask for
        rate = bool(re.search(r"增长|增速|增幅|百分|下降|提高", reading.question))
        found = sorted(found, key=lambda g: (-(g.year or 0), (g.unit in ("%", "个百分点")) != rate))
        f = found[0]
        rivals = [g for g in found if g.year == f.year and g.unit == f.unit and g.value != f.value]
        year = f"{f.year}年" if f.year else during(reading.span or f.period)
        if rivals and (both := range_of([f, *rivals])):
            return f"{f.place}{year}{what(indicator, f.kind, f.unit)}为{both}{cite(f)}", False, f
        if rivals:
            # two figures could be the one asked (a figure read twice, a sub-total): quote, not pick
            quoted = list(dict.fromkeys([f, *rivals]))
            clauses: dict[str, Fact] = {}
            for g in quoted:
                clauses.setdefault(clause_of(g), g)  # one quote per clause, however many figures it holds
            said = "；".join(f"“{text}”{cite(g)}" for text, g in list(clauses.items())[:2])
            if others is not None:
                others[id(f)] = quoted  # not one figure: a comparison holds only if it holds for each
            return f"{f.place}{year}{what(indicator, f.kind, f.unit)}，报告原文：{said}", False, f
        shown = show(f)
        joiner = "：" if f.kind == "rank" else "" if shown.startswith(VERBS) else "为"
        beside = next((g for g in found if f.kind == "target" and g.year == f.year and g.sentence == f.sentence
                       and g.unit in ("%", "个百分点") and f.unit not in ("%", "个百分点")), None)
        if beside is not None and not rate:
            # a target set as a level and a rate ("地区生产总值达到326.4亿元，增长7.5%"): both
            return (f"{f.place}{year}{what(indicator, f.kind, f.unit)}{joiner}{shown}{cite(f)}，"
                    f"增长{show(beside)}{cite(beside)}"), False, f
        return f"{f.place}{year}{what(indicator, f.kind, f.unit)}{joiner}{shown}{cite(f)}", False, f
    year = f"{part.year}年" if part.year else reading.span
    text = f"报告中没有{part.place}{year}的{what(indicator, part.kind)}"
    # offer what the reports do hold: other years, or other kinds, of this place and indicator
    other = (matching(facts, part.place, indicator, part.kind, None)
             or [f for f in facts if f.place == part.place and f.indicator == indicator])
    if other:
        f = sorted(other, key=lambda f: (-(f.year or 0), f.kind != "actual"))[0]
        when = f"{f.year}年" if f.year else f.period
        # named and cited, not stated: a figure of another year or kind is not shown as an answer
        text += f"；{_doc_title(f, docs)}中有{when}的{what(indicator, f.kind, f.unit)}{cite(f)}"
    return text, True, None


def answer_facts(reading: Reading, facts: Sequence[Fact], documents: Sequence[Document]) -> FactAnswer | None:
    """An answer from facts, or None when facts do not decide it (no indicator read, several
    indicators, or a question that is not about a figure)."""
    docs = {d.doc_id: d for d in documents}
    cite = Cites()
    if len(reading.indicators) > 1 and len(reading.places) == 1 and not reading.parts and not reading.over_library:
        return _several(reading, facts, cite, docs)
    if len(reading.indicators) != 1:
        return None
    indicator = reading.indicators[0]
    if reading.over_library:
        return _superlative(reading, indicator, facts, documents, cite, docs)
    parts = reading.parts or tuple(Part(p, reading.years[0] if reading.years else None, reading.kind)
                                   for p in reading.places)
    if not parts or any(not p.place for p in parts):
        return None
    sentences, found, missing = [], [], 0
    others: dict[int, list[Fact]] = {}
    for part in parts:
        if part.kind == "outcome":
            # what became of a target: its growth when the target is a rate, else its level
            aim = next((f for f in found if f.kind == "target"), None)
            rate = aim is None or aim.unit in ("%", "个百分点")
            kinds = ("growth", "actual") if rate else ("actual", "growth")
            part = next((Part(part.place, part.year, k) for k in kinds
                         if matching(facts, part.place, indicator, k, part.year)), Part(part.place, part.year, kinds[0]))
        text, miss, fact = one(reading, part, indicator, facts, cite, docs, others)
        sentences.append(text)
        missing += miss
        if fact is not None:
            found.append(fact)
    if missing == len(parts) and not any(f.indicator == indicator for f in facts if f.place in reading.places):
        return None  # the indicator is not among this place's facts at all: let retrieval look
    if missing == len(parts) and reading.span:
        return None  # a span's figure is often stated in words the facts do not bind: let retrieval look
    text = "；".join(sentences)
    against_target = reading.compare and len({p.kind == "target" for p in parts}) == 2
    if against_target and len(found) == 2 and found[0].kind == "target" and found[0].year == found[1].year:
        text += "。" + met(found[0], found[1])
    elif reading.superlative and len(found) >= 2 and len({FAMILY.get(f.unit) for f in found}) == 1 \
            and all(comparable(f) is not None for f in found):
        # "这七地中…最高的是哪里", "2015至2018年哪一年最多": the one ahead among the figures found
        top = sorted(found, key=comparable, reverse=reading.superlative != "min")[0]
        word = next((w for w in ("最高", "最多", "最大", "最快", "最低", "最少", "最小", "最慢") if w in reading.question),
                    "最低" if reading.superlative == "min" else "最高")
        who = top.place if len({f.place for f in found}) > 1 else f"{top.year}年"
        text += f"。{'报告给出的数字中' if missing else ''}{word}的是{who}（{show(top)}{cite(top)}）"
    elif len(found) == 2 and (len({(p.place, p.year) for p in parts}) == 2 or against_target):
        said = {verdict(a, b) for a in others.get(id(found[0]), [found[0]]) for b in others.get(id(found[1]), [found[1]])}
        if len(said) == 1:
            text += "。" + said.pop()
    return FactAnswer(text.rstrip("。") + "。", missing == len(parts), tuple(cite.facts))


def _several(reading: Reading, facts: Sequence[Fact], cite: Cites, docs: dict[str, Document]) -> FactAnswer | None:
    """"代县2022年GDP和财政收入分别是多少？": one figure per indicator, in the order asked."""
    part = Part(reading.places[0], reading.years[0] if reading.years else None, reading.kind)
    answered = [one(reading, part, indicator, facts, cite, docs) for indicator in reading.indicators]
    if all(missing for _, missing, _ in answered):
        return None
    text = "；".join(sentence for sentence, _, _ in answered)
    return FactAnswer(text + "。", False, tuple(cite.facts))


TOLERANCE = 0.2  # 左右: within 0.2 of the target (percentage points for a rate, 0.2% of a level) counts as met


def met(target: Fact, actual: Fact) -> str:
    """Whether an outcome met its target, by the target's qualifier: 以上/不低于/力争/no word: at
    least the target; 以内/以下/不超过: at most; 左右: within TOLERANCE (of the rate, or 0.2% of a level).

    Example: met(GDP target 5%左右, growth 3.9%) -> "未完成目标：实际3.9%，目标5%左右"
    """
    va, vt = comparable(actual), comparable(target)
    if va is None or vt is None or FAMILY.get(actual.unit) != FAMILY.get(target.unit):
        return f"目标与实际的单位不同（{target.unit}、{actual.unit}），无法判断是否完成"
    shown = f"实际{show(actual)}，目标{show(target)}"
    if any(q in target.qualifiers for q in ("以内", "以下", "不超过")):
        ok = va <= vt
    elif "左右" in target.qualifiers:
        slack = TOLERANCE if target.unit in ("%", "个百分点") else abs(vt) * TOLERANCE / 100
        ok = va >= vt - slack
    else:
        ok = va >= vt
    return ("完成目标：" if ok else "未完成目标：") + shown


def verdict(a: Fact, b: Fact) -> str:
    """Who is ahead, and whether the two figures can be compared at all.

    Example: verdict(代县2022年90.2亿元, 绛县2021年78.9亿元) -> "代县更高（两个数字年份不同：2022年、2021年）"
    """
    va, vb = comparable(a), comparable(b)
    if va is None or vb is None or FAMILY.get(a.unit) != FAMILY.get(b.unit):
        return f"两个数字单位不同（{a.unit}、{b.unit}），不能直接比较"

    def side(f: Fact) -> str:
        if a.place != b.place:
            return f.place
        return f"{f.year}年{what(f.indicator, f.kind, f.unit)}" if a.kind != b.kind else f"{f.year}年"

    caveats = []
    if a.kind != b.kind and a.place != b.place:
        caveats.append(f"{a.place}是{what('', a.kind, a.unit) or '实际数'}，{b.place}是{what('', b.kind, b.unit) or '实际数'}")
    if a.year != b.year and a.place != b.place:
        caveats.append(f"两个数字年份不同：{a.year}年、{b.year}年")
    if va == vb:
        head = f"{side(a)}与{side(b)}相同"
    else:
        hi, lo = (a, b) if va > vb else (b, a)
        head = f"{side(hi)}高于{side(lo)}" if a.kind != b.kind and a.place == b.place else f"{side(hi)}更高"
    return head + ("（" + "；".join(caveats) + "）" if caveats else "")


def _superlative(reading: Reading, indicator: str, facts: Sequence[Fact], documents: Sequence[Document],
                 cite: Cites, docs: dict[str, Document]) -> FactAnswer:
    places = list(reading.places) or sorted({d.county for d in documents if d.county})
    year = reading.years[0] if reading.years else None
    best: list[Fact] = []
    without: list[str] = []
    for place in places:
        found = matching(facts, place, indicator, reading.kind, year)
        if year is None:
            found = found[:1]  # each place's newest figure
        if found and comparable(found[0]) is not None:
            best.append(found[0])
        else:
            without.append(place)
    families = {FAMILY.get(f.unit) for f in best}
    when = f"{year}年" if year else ""
    name = what(indicator, reading.kind, "%" if reading.kind in ("growth", "target") else "")
    if not best:
        return FactAnswer(f"报告中没有{'、'.join(places)}{when}的{name}，无法比较。", True, ())
    if len(families) > 1:
        best = [f for f in best if FAMILY.get(f.unit) == FAMILY.get(best[0].unit)]
    ranked = sorted(best, key=lambda f: comparable(f), reverse=reading.superlative != "min")
    listing = "，".join(f"{f.place}{f.year}年{show(f)}{cite(f)}" for f in ranked)
    if reading.threshold:
        limit, unit = reading.threshold
        scale = SCALE.get(unit or ranked[0].unit, 1)
        over = [f for f in ranked if comparable(f) > limit * scale]
        head = (f"{name}超过{plain(limit)}{unit}的有：{'、'.join(f.place for f in over)}" if over
                else f"没有{name}超过{plain(limit)}{unit}的地方")
    else:
        word = "最低" if reading.superlative == "min" else "最高"
        head = f"{name}{word}的是{ranked[0].place}（{ranked[0].year}年{show(ranked[0])}{cite(ranked[0])}）"
    text = f"{head}。比较的数字：{listing}。"
    if len({f.year for f in ranked}) > 1:
        text += "注意：各报告的年份不同。"
    if without:
        text += f"{'、'.join(without)}的报告中没有{when}{name}的数字。"
    return FactAnswer(text, False, tuple(cite.facts))


def fact_citation(n: int, fact: Fact, documents: Sequence[Document]):
    """The citation card of a fact: its paragraph, with the sentence it came from as the quote."""
    from qa.records import Citation

    doc = next((d for d in documents if d.doc_id == fact.doc_id), None)
    paragraph = next((p for p in doc.paragraphs if p.id == fact.paragraph_id), None) if doc else None
    return Citation(n, fact.doc_id, doc.county if doc else fact.place, doc.year if doc else fact.year,
                    fact.paragraph_id, paragraph.heading if paragraph else "",
                    paragraph.text if paragraph else fact.sentence, fact.sentence, 1.0)


def years_spoken(place: str, facts: Sequence[Fact], documents: Sequence[Document]) -> set[int]:
    """Years a place's reports give figures for, or review, or plan."""
    years = {f.year for f in facts if f.place == place and isinstance(f.year, int)}
    for d in documents:
        if d.county == place:
            years |= {y for y in (d.year, d.reviewed_year) if y}
    return years
