"""What was promised and what was delivered: each year's targets against the next report's actuals,
and an indicator's figures across the years the library holds.

A target for year N comes from the report delivered in N (its plan: "地区生产总值增长6%左右"), or
from an earlier report's goal for N ("到2025年…"); the actual for N from the report that reviews N
(delivered in N+1). The verdict:
  - the later report's own words about the target win: 超额完成/完成/实现/达到 -> met; 未完成/
    未达到/低于预期 -> missed;
  - else the target's qualifier: 以内/以下/不超过/控制在 -> met when actual ≤ target; 左右 -> met when
    actual ≥ target − 0.2 (percentage points for a rate, 0.2% of a level); 以上/不低于/力争/none ->
    met when actual ≥ target;
  - not_stated: the report reviewing N is held but gives no figure of that indicator and kind;
  - not_comparable: the figures are of different kinds or units (a growth target, only a level);
  - missing_report: no report in the library reviews N.

Example:
    pairs(facts, documents, place="全国", year=2021)[0]
    -> Pair(place="全国", indicator="国内生产总值", year=2021, target=<6%以上>, actual=<8.1%>, verdict="met", …)
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.records import Document, Fact
from qa.answer.facts import TOLERANCE  # 左右: within 0.2 of the target is met, here as in answers

_AT_MOST = ("以内", "以下", "不超过", "控制在", "低于")
# the later report's own verdict on a target, read in the actual's sentence
_SAYS_MISSED = re.compile(r"未(?:能)?(?:完成|实现|达到)|没有(?:完成|实现|达到)|(?<!不)低于(?:预期|目标)|未达(?:预期|目标)")
_SAYS_MET = re.compile(r"超额完成|(?:完成|实现|达到)(?:了)?(?:年度|全年|预期|既定)?(?:目标|预期)|高于(?:预期|目标)")
RATE_UNITS = ("%", "个百分点")
VERDICTS = ("met", "missed", "not_stated", "not_comparable", "missing_report")
VERDICT_ZH = {"met": "完成", "missed": "未完成", "not_stated": "未说明", "not_comparable": "无法比较",
              "missing_report": "缺少报告"}


@dataclass(frozen=True, slots=True)
class Pair:
    """One target of one place, indicator and year beside what the next report says was achieved."""
    place: str
    indicator: str
    year: int
    target: Fact
    actual: Fact | None
    verdict: str  # one of VERDICTS
    rule: str  # how the verdict was reached, for people: "以上：实际 ≥ 目标", "报告原文：超额完成"
    actual_doc: str = ""  # the report that reviews the year (when held), even if it states no figure

    def to_json(self) -> dict:
        return {"place": self.place, "indicator": self.indicator, "year": self.year, "verdict": self.verdict,
                "verdict_zh": VERDICT_ZH[self.verdict], "rule": self.rule,
                "target": _fact_json(self.target), "actual": _fact_json(self.actual) if self.actual else None,
                "actual_doc": self.actual_doc}


def _fact_json(f: Fact) -> dict:
    return {"value": f.value, "unit": f.unit, "kind": f.kind, "qualifiers": list(f.qualifiers),
            "text": f.sentence, "doc_id": f.doc_id, "paragraph_id": f.paragraph_id}


def is_rate(f: Fact) -> bool:
    return f.unit in RATE_UNITS


def _matches(target: Fact, actual: Fact) -> bool:
    """An actual of the same measure as the target: a rate for a rate goal, a level for a level."""
    if is_rate(target) != is_rate(actual):
        return False
    if is_rate(target):
        return actual.kind in ("growth", "actual", "share")
    return actual.kind == "actual"


def judge(target: Fact, actual: Fact) -> tuple[str, str]:
    """(verdict, rule) for a target and the actual of its year. Example: judge(<增长6%以上>, <增长8.1%>)
    -> ("met", "目标为“以上”，实际达到或超过目标即完成")"""
    said = actual.sentence
    if (m := _SAYS_MISSED.search(said)) and target.indicator[:2] in said:
        return "missed", f"报告原文“{m.group(0)}”"
    if (m := _SAYS_MET.search(said)) and target.indicator[:2] in said:
        return "met", f"报告原文“{m.group(0)}”"
    if target.unit != actual.unit and not (is_rate(target) and is_rate(actual)):
        return "not_comparable", f"单位不同（目标{target.unit}，实际{actual.unit}）"
    a, t = actual.value, target.value
    if any(q in target.qualifiers for q in _AT_MOST) or _caps(target):
        return ("met" if a <= t else "missed"), "目标是上限，实际不超过目标即完成"
    if "左右" in target.qualifiers:
        slack = TOLERANCE if is_rate(target) else abs(t) * TOLERANCE / 100
        return ("met" if a >= t - slack else "missed"), f"目标为“左右”，实际达到目标或差距在{_num(slack)}以内即完成"
    word = next((q for q in ("以上", "不低于", "力争", "确保") if q in target.qualifiers), "")
    return ("met" if a >= t else "missed"), f"目标为“{word}”，实际达到或超过目标即完成" if word else "实际达到或超过目标即完成"


_GOAL_LIST = re.compile(r"预期目标|主要目标|目标任务|发展目标")
_GOAL_WORDS = ("左右", "以上", "以内", "以下", "不低于", "不超过", "力争", "确保", "控制在", "争取")
_SPAN = re.compile(r"十[三四五]五|五年|今后|年均|累计|到20\d\d年底?")


def _goal_score(t: Fact, in_list: bool) -> int:
    """How surely a target fact is the year's goal: in the report's list of the year's goals (3),
    worded as a goal (1), about a span of years instead (-3: "十四五…降低13.5%", "五年…超过6000万人")."""
    said = t.sentence
    span = bool(_SPAN.search(said)) and f"{t.year}年" not in said
    return 3 * in_list + (any(w in t.qualifiers for w in _GOAL_WORDS) or "目标" in said) - 3 * span


def _caps(target: Fact) -> bool:
    """A goal that is a ceiling by its nature: unemployment, prices, energy use per unit of output."""
    return bool(re.search(r"失业率|居民消费价格|物价|能耗|赤字率|PM2\.?5", target.indicator + target.sentence[:12]))


def _num(v: float) -> str:
    return f"{v:g}"


def pairs(facts: Sequence[Fact], documents: Sequence[Document], place: str | None = None,
          year: int | None = None, indicator: str | None = None, verdict: str | None = None) -> list[Pair]:
    """Every target of the places with reports, paired with its year's actual, filtered."""
    by_doc = {d.doc_id: d for d in documents}
    reviewing: dict[tuple[str, int], Document] = {}
    for d in documents:
        if d.county and d.reviewed_year:
            reviewing.setdefault((d.county, d.reviewed_year), d)
    actuals: dict[tuple[str, str, int], list[Fact]] = {}
    for f in facts:
        if f.kind in ("actual", "growth", "share") and f.year and f.doc_id in by_doc \
                and by_doc[f.doc_id].reviewed_year == f.year:
            actuals.setdefault((f.place, f.indicator, f.year), []).append(f)
    out: list[Pair] = []
    goals = {f.paragraph_id for f in facts if f.kind == "target" and _GOAL_LIST.search(f.sentence)}
    chosen: dict[tuple, tuple[int, Fact]] = {}
    for n, t in enumerate(facts):
        if t.kind != "target" or not t.year or t.doc_id not in by_doc:
            continue
        made = by_doc[t.doc_id]
        if made.year is None or t.year < made.year or t.place != made.county:
            continue  # a target is set for the year ahead or later, by the place's own report
        if place and t.place != place or year and t.year != year or indicator and t.indicator != indicator:
            continue
        score = _goal_score(t, t.paragraph_id in goals)
        key = (t.place, t.indicator, t.year, is_rate(t))
        if score > 0 and (key not in chosen or score >= chosen[key][0]):
            chosen[key] = (score, t)  # one goal per measure: the year's goal list first; on a tie the later (the year's plan follows a five-year one)
    for _, t in chosen.values():
        later = reviewing.get((t.place, t.year))
        if later is None:
            if not t.canonical:
                continue  # a goal in the report's own words is shown only once a later report states it
            out.append(Pair(t.place, t.indicator, t.year, t, None, "missing_report",
                            f"报告库中没有{t.place}{t.year + 1}年的政府工作报告，无法核对{t.year}年目标的完成情况"))
            continue
        held = [a for a in actuals.get((t.place, t.indicator, t.year), []) if a.doc_id == later.doc_id]
        fit = [a for a in held if _matches(t, a)]
        if fit:
            v, rule = judge(t, fit[0])
            out.append(Pair(t.place, t.indicator, t.year, t, fit[0], v, rule, later.doc_id))
        elif held:
            out.append(Pair(t.place, t.indicator, t.year, t, held[0], "not_comparable",
                            f"目标是{'增速' if is_rate(t) else '总量'}，{later.title}只给出{'总量' if is_rate(t) else '增速'}",
                            later.doc_id))
        elif t.canonical:  # a goal in the report's own words ("公厕") may be reported in others: no claim
            out.append(Pair(t.place, t.indicator, t.year, t, None, "not_stated",
                            f"{later.title}没有给出{t.year}年的{t.indicator}", later.doc_id))
    if verdict:
        out = [p for p in out if p.verdict == verdict]
    return sorted(out, key=lambda p: (p.place, p.year, p.indicator, not is_rate(p.target)))


@dataclass(frozen=True, slots=True)
class Point:
    """One year of an indicator's trend: the figure and its kind (actual, growth, target)."""
    year: int
    kind: str
    fact: Fact


def trend(facts: Sequence[Fact], documents: Sequence[Document], place: str, indicator: str) -> list[Point]:
    """Every year the library holds for a place and an indicator, oldest first: the actual level and
    growth from the report that reviews the year, the target from the report that sets it."""
    by_doc = {d.doc_id: d for d in documents}
    best: dict[tuple[int, str], Fact] = {}
    for f in facts:
        if f.place != place or f.indicator != indicator or not f.year or f.doc_id not in by_doc:
            continue
        d = by_doc[f.doc_id]
        kind = "target" if f.kind == "target" else "growth" if is_rate(f) else "actual" if f.kind == "actual" else ""
        if not kind or kind == "target" and d.year != f.year or kind != "target" and d.reviewed_year != f.year:
            continue
        best.setdefault((f.year, kind), f)
    return [Point(y, k, f) for (y, k), f in sorted(best.items(), key=lambda kv: (kv[0][0], kv[0][1]))]
