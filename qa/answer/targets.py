"""Questions about targets and their outcomes, answered from target–actual pairs (`qa.targets`)
with both citations, and trends across years.

    "广东2025年GDP增长目标完成了吗？" -> "广东省2025年地区生产总值目标：增长5%左右[1]；实际：增长3.9%[2]。
                                       未完成（左右：实际3.9%，目标5%…）。"
    "海拉尔区2017年哪些目标没完成？"   -> the missed pairs, each with its two citations
    "海拉尔区近几年地区生产总值增速怎么变化？" -> every year held, oldest first
    "哪些地方2021年的…目标没有完成？"  -> the missed pairs over the library
When no pair can be formed, the answer names the report that is missing.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.clean import normalize
from corpus.records import Document, Fact
from qa.answer.facts import written
from qa.records import REFUSAL
from qa.retrieval.reading import Reading
from qa.targets import VERDICT_ZH, Pair, is_rate, pairs, trend

_CHECK = re.compile(r"(?:目标|预期|任务).{0,10}(?:完成|实现|达到|达标|兑现|落实)|(?:完成|实现|达到|达标|兑现)(?:了)?(?:目标|预期)?"
                    r"(?:吗|没有|了没|与否|情况|没)|是否(?:完成|实现|达到|达标|兑现)|超额完成|达标")
_MISSED = re.compile(r"(?:没|未)(?:有|能)?(?:完成|实现|达到|达标|兑现)|落空|低于(?:目标|预期)")
_WHICH = re.compile(r"哪些|哪几|哪个|哪项|有什么|有没有|有哪")
_TREND = re.compile(r"近几年|这几年|近年|历年|逐年|每年|各年|怎么变化|如何变化|变化(?:情况|趋势)?|走势|趋势")


@dataclass(frozen=True, slots=True)
class TargetAnswer:
    text: str
    refused: bool
    facts: tuple[Fact, ...]  # cited in order: [1] is facts[0]


_GOAL = re.compile(r"目标|预期|任务")
_HELD = re.compile(r"完成|实现|达到|达标|兑现|落实|超过|控制在|了吗|了没有|没有|与否")


def asks_targets(question: str) -> str:
    """"check", "trend" or "" for a question's words. Example: asks_targets("去年的目标完成了吗") -> "check" """
    q = normalize(question)
    figure = re.search(r"多少|几[个项家人天]|百分之几|是什么|多还是少|相比|对比|比较", q)
    verdict = re.search(r"(?:完成|实现|达到|达标|兑现|超过|控制在)\S{0,12}?(?:吗|没有|没)|是否|与否|有没有|哪些", q)
    if figure and not verdict:
        return "trend" if _TREND.search(q) else ""  # "2023年完成多少，2024年目标多少": the figures are asked
    if _CHECK.search(q) or _GOAL.search(q) and _HELD.search(q) or re.search(r"控制在\S{0,12}了吗", q):
        return "check"
    if _TREND.search(q):
        return "trend"
    return ""


def answer_targets(reading: Reading, question: str, facts: Sequence[Fact],
                   documents: Sequence[Document]) -> TargetAnswer | None:
    """The answer from pairs or trends, or None when the question is not about them."""
    asked = asks_targets(question)
    if not asked:
        return None
    q = normalize(question)
    indicator = reading.indicators[0] if len(reading.indicators) == 1 else None
    if asked == "trend":
        if len(reading.places) != 1 or indicator is None:
            return None
        return _trend(reading.places[0], indicator, reading, facts, documents)
    years = reading.years
    named = None
    if indicator is None and len(reading.places) == 1:
        # a goal in the report's own words ("旅游收入"), paired when the next report says it alike
        own = [p for p in pairs(facts, documents, place=reading.places[0]) if len(p.indicator) >= 2 and p.indicator in q
               and (not years or p.year in years)]
        named = max((p.indicator for p in own), key=len, default=None)
    if named is not None:
        indicator = named
    elif indicator is None and not _WHICH.search(q) and not re.search(r"都|全部|各项|主要(?:预期)?目标", q):
        return None  # a goal the facts do not name ("水冲式公厕"): the passages answer it
    if not reading.places:
        if not _WHICH.search(q):
            return None
        found = [p for p in pairs(facts, documents, indicator=indicator) if not years or p.year in years]
        return _over_library(found, years, indicator, missed=bool(_MISSED.search(q)))
    if len(reading.places) != 1:
        return None
    place = reading.places[0]
    mine = [d for d in documents if d.county == place]
    if not years:
        formed = sorted({p.year for p in pairs(facts, documents, place=place) if p.verdict != "missing_report"})
        years = (formed[-1],) if formed else tuple(sorted({d.year for d in mine if d.year})[-1:])
    found = [p for y in years for p in pairs(facts, documents, place=place, year=y, indicator=indicator)]
    if indicator is not None and reading.kind in ("growth",) or "增速" in q or "增长" in q and "目标" in q:
        rated = [p for p in found if is_rate(p.target)]
        found = rated or found
    if not found:
        return _missing(place, years, indicator, mine)
    if indicator is None and _WHICH.search(q):
        return _listing(found, missed=bool(_MISSED.search(q)))
    return _checked(found)


def _missing(place: str, years: Sequence[int], indicator: str | None, mine: Sequence[Document]) -> TargetAnswer:
    """Which report the pair needs: the one that sets year N's targets, or the one that reviews N."""
    notes = []
    for y in years:
        if not any(d.year == y for d in mine):
            notes.append(f"报告库中没有{place}{y}年的政府工作报告，无法给出{y}年的目标")
        elif not any(d.reviewed_year == y for d in mine):
            notes.append(f"报告库中没有{place}{y + 1}年的政府工作报告，无法核对{y}年目标的完成情况")
        else:
            notes.append(f"{place}{y}年的政府工作报告没有给出{indicator or ''}的量化目标")
    return TargetAnswer(f"{REFUSAL}：" + "；".join(notes) + "。", True, ())


def _show(f: Fact) -> str:
    qualifier = next((q for q in f.qualifiers if q in ("左右", "以上", "以内", "以下")), "")
    said = normalize(f.sentence)
    number = written(f)  # as the report writes it: "6.0%", not "6%"
    if is_rate(f) and re.search(rf"(?:增长|增速|增幅|提高|上涨|下降|降低|回落)[^,，;；。]{{0,8}}?{re.escape(number)}", said):
        # a rate of change; a rate that is itself the measure (失业率5.1%) is shown as it is
        return f"{'增长' if f.value >= 0 else '下降'}{number}{f.unit}{qualifier}"
    return f"{'-' if f.value < 0 else ''}{number}{f.unit}{qualifier}"


def _pair_text(p: Pair, cites: list[Fact], label: bool = True) -> str:
    def cite(f: Fact) -> str:
        if f not in cites:
            cites.append(f)
        return f"[{cites.index(f) + 1}]"

    name = shown_name(p)
    head = f"{p.place}{p.year}年{name}" if label else name
    if p.verdict == "missing_report":
        return f"{head}目标{_show(p.target)}{cite(p.target)}；{p.rule}"
    if p.actual is None:
        return f"{head}目标{_show(p.target)}{cite(p.target)}；{p.rule}，无法核对"
    return (f"{head}目标{_show(p.target)}{cite(p.target)}，实际{_show(p.actual)}{cite(p.actual)}："
            f"{VERDICT_ZH[p.verdict]}（依据：{p.rule}）")


def shown_name(p: Pair) -> str:
    """The indicator as the report says it: the nation's 地区生产总值 is 国内生产总值."""
    return "国内生产总值" if p.place == "全国" and p.indicator == "地区生产总值" else p.indicator


def _checked(found: Sequence[Pair]) -> TargetAnswer:
    cites: list[Fact] = []
    text = "；".join(_pair_text(p, cites) for p in found) + "。"
    # nothing held says how it turned out: that is not an answer to "完成了吗"
    refused = all(p.verdict in ("missing_report", "not_stated") for p in found)
    return TargetAnswer((f"{REFUSAL}：" if refused else "") + text, refused, tuple(cites))


def _listing(found: Sequence[Pair], missed: bool) -> TargetAnswer:
    want = "missed" if missed else "met"
    hit = [p for p in found if p.verdict == want]
    rest = [p for p in found if p.verdict in ("not_stated", "not_comparable")]
    cites: list[Fact] = []
    place, year = found[0].place, found[0].year
    if all(p.verdict == "missing_report" for p in found):
        return _checked(found)
    if hit:
        text = f"{place}{year}年{'未完成' if missed else '完成'}的目标：" + "；".join(_pair_text(p, cites, False) for p in hit) + "。"
    else:
        text = f"{place}{year}年定的可核对目标中没有{'未完成' if missed else '完成'}的。"
    if rest:
        text += "无法核对：" + "、".join(f"{shown_name(p)}（{VERDICT_ZH[p.verdict]}）" for p in rest) + "。"
    return TargetAnswer(text, False, tuple(cites))


def _over_library(found: Sequence[Pair], years: Sequence[int], indicator: str | None, missed: bool) -> TargetAnswer:
    formed = [p for p in found if p.verdict in ("met", "missed")]
    if not formed:
        return TargetAnswer(f"{REFUSAL}：报告库中没有能核对{'、'.join(f'{y}年' for y in years)}"
                            f"{indicator or ''}目标完成情况的相邻年份报告。", True, ())
    hit = [p for p in formed if p.verdict == ("missed" if missed else "met")]
    cites: list[Fact] = []
    places = "、".join(dict.fromkeys(p.place for p in hit)) or "没有"
    text = f"{places}{'未完成' if missed else '完成了'}目标：" + "；".join(_pair_text(p, cites) for p in hit) + "。" if hit \
        else f"可核对的{len({p.place for p in formed})}个地方都{'完成了' if missed else '没有完成'}该目标。"
    return TargetAnswer(text, False, tuple(cites))


def _trend(place: str, indicator: str, reading: Reading, facts: Sequence[Fact],
           documents: Sequence[Document]) -> TargetAnswer | None:
    points = trend(facts, documents, place, indicator)
    if not points:
        return None
    rate = reading.kind == "growth"
    kinds = ("growth", "target") if rate else ("actual", "growth", "target")
    chosen = [p for p in points if p.kind in kinds and (not rate or is_rate(p.fact))]
    if len(reading.years) >= 2:  # "2015到2018年": the years between
        chosen = [p for p in chosen if min(reading.years) <= p.year <= max(reading.years)]
    if len({p.year for p in chosen if p.kind != "target"}) < 2:
        return None  # one year only: not a trend, the ordinary answer says what is held
    cites: list[Fact] = []
    parts = []
    for year in sorted({p.year for p in chosen}):
        here = [p for p in chosen if p.year == year]
        shown = []
        for p in here:
            cites.append(p.fact)
            name = {"target": "目标", "growth": "增长" if p.fact.value >= 0 else "", "actual": ""}[p.kind]
            shown.append(f"{name}{_show(p.fact) if p.kind != 'growth' else written(p.fact) + p.fact.unit}"
                         f"{'（下降）' if p.kind == 'growth' and p.fact.value < 0 else ''}[{len(cites)}]")
        parts.append(f"{year}年" + "，".join(shown))
    name = "国内生产总值" if place == "全国" and indicator == "地区生产总值" else indicator
    return TargetAnswer(f"{place}{name}逐年：" + "；".join(parts) + "。", False, tuple(cites))
