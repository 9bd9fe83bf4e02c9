"""Metrics as pure functions: does a passage hold the evidence, rank metrics, answer accuracy,
refusals, citations and latency percentiles. No models, no files.

Matching happens on a key: the text cleaned the way the corpus is (whitespace folded, pinyin
annotations stripped), normalized (simplified, half-width) and without any whitespace, so
"總值完成78.9億元" in a gold file matches "总值完成78.9亿元" in a chunk.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from corpus.clean import fold_whitespace, normalize, strip_pinyin
from eval.questions import SINGLE as SINGLE_TYPES

_WS = re.compile(r"\s+")
_MARKER = re.compile(r"\[\d+(?:[,，、]\s*\d+)*\]")  # "[1]", "[1,2]": citation markers in an answer
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
SEP = "\x00"  # joins passage keys so a key never matches across two passages


class Passage(Protocol):
    """What retrieval returns, for matching: a corpus Chunk, a baseline window…"""

    doc_id: str
    norm: str


# -- evidence -----------------------------------------------------------------------------------
def squash(text: str) -> str:
    """Remove every whitespace character. Example: squash("a b\\n c") -> "abc" """
    return _WS.sub("", text)


def evidence_key(text: str) -> str:
    """The matched form of an evidence string (or of any display text).

    Example: evidence_key("完成農(nóng)村改廁 4000戶") -> "完成农村改厕4000户"
    """
    return squash(normalize(strip_pinyin(fold_whitespace(text))))


def passage_key(passage: Passage) -> str:
    """A passage's `norm` is already normalized; only whitespace goes."""
    return squash(passage.norm)


def corpus_keys(passages: Iterable[Passage]) -> str:
    """All passage keys joined by SEP: `key in corpus_keys(...)` asks "is it inside one passage"."""
    return SEP.join(passage_key(p) for p in passages)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One evidence string to look for: its key, the doc(s) it must come from, and whether no
    single passage of the corpus holds it, so that half of it is accepted (see `holds`)."""

    key: str
    docs: tuple[str, ...] = ()
    fallback: bool = False


def make_evidence(text: str, docs: Sequence[str], corpus: str) -> Evidence:
    """An Evidence for `text`; `corpus` is `corpus_keys` of the passages that will be ranked."""
    key = evidence_key(text)
    return Evidence(key, tuple(docs), fallback=bool(key) and key not in corpus)


def half_held(text_key: str, key: str) -> bool:
    """True when `text_key` holds a prefix or a suffix of `key` at least half as long as it.

    For evidence that a chunk boundary cut in two: the passage with the larger part counts.
    Example: half_held("…全县地区生产总值", "地区生产总值完成90.2亿元") -> False (6 of 14)
             half_held("…全县地区生产总值完成90", "地区生产总值完成90.2亿元") -> True (9 of 14)
    """
    need = math.ceil(len(key) / 2)
    if need == 0:
        return False
    return key[:need] in text_key or key[-need:] in text_key


def holds(passage: Passage, evidence: Evidence) -> bool:
    """Does the passage hold the evidence: right doc, and the key inside (or half of it, on fallback)."""
    if evidence.docs and passage.doc_id not in evidence.docs:
        return False
    text = passage_key(passage)
    if evidence.key and evidence.key in text:
        return True
    return evidence.fallback and half_held(text, evidence.key)


def evidence_ranks(passages: Sequence[Passage], evidence: Sequence[Evidence]) -> tuple[int | None, ...]:
    """1-based rank of the first passage holding each evidence, None when none does.

    Example: evidence_ranks([chunk_a, chunk_b], [ev_in_b]) -> (2,)
    """
    out = []
    for ev in evidence:
        out.append(next((i for i, p in enumerate(passages, start=1) if holds(p, ev)), None))
    return tuple(out)


# -- retrieval metrics ------------------------------------------------------------------------------
def first_rank(ranks: Sequence[int | None]) -> int | None:
    """The best rank of any evidence (single-report questions: any one evidence suffices)."""
    found = [r for r in ranks if r is not None]
    return min(found) if found else None


def last_rank(ranks: Sequence[int | None]) -> int | None:
    """The rank by which every evidence was seen (comparison questions), None if one is missing."""
    if not ranks or any(r is None for r in ranks):
        return None
    return max(r for r in ranks if r is not None)


def hit_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None, k: int = 10) -> float:
    return 1.0 / rank if rank is not None and rank <= k else 0.0


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


@dataclass(frozen=True, slots=True)
class RankOutcome:
    """Where one question's evidence was found for one retrieval mode."""

    qid: str
    type: str
    ranks: tuple[int | None, ...]  # per evidence string


def single_scores(ranks: Sequence[int | None], k: int = 10) -> dict:
    """hit@1, hit@5, hit@k and MRR@10 over questions given their best evidence rank."""
    scores = {"n": len(ranks), "hit@1": mean(hit_at(r, 1) for r in ranks),
              "hit@5": mean(hit_at(r, 5) for r in ranks)}
    scores[f"hit@{k}"] = mean(hit_at(r, k) for r in ranks)
    scores["mrr@10"] = mean(reciprocal_rank(r, 10) for r in ranks)
    return scores


def comparison_scores(ranks: Sequence[int | None], k: int = 10) -> dict:
    """all@5 and all@k: share of questions whose every evidence is within the top 5 / k."""
    scores = {"n": len(ranks), "all@5": mean(hit_at(r, 5) for r in ranks)}
    scores[f"all@{k}"] = mean(hit_at(r, k) for r in ranks)
    return scores


def retrieval_scores(outcomes: Sequence[RankOutcome], k: int = 10) -> dict:
    """Summary for one mode: single-report questions overall and per type, and comparison.

    Example: retrieval_scores([RankOutcome("q1", "fact_number", (1,))])["single"]["hit@1"] -> 1.0
    """
    single = [o for o in outcomes if o.type in SINGLE_TYPES]
    per_type = {}
    for t in SINGLE_TYPES:
        ranks = [first_rank(o.ranks) for o in single if o.type == t]
        if ranks:
            per_type[t] = single_scores(ranks, k)
    comparison = [last_rank(o.ranks) for o in outcomes if o.type == "comparison"]
    if comparison:
        per_type["comparison"] = comparison_scores(comparison, k)
    return {
        "single": single_scores([first_rank(o.ranks) for o in single], k),
        "comparison": comparison_scores(comparison, k),
        "per_type": per_type,
    }


# -- answers --------------------------------------------------------------------------------------
def answer_key(text: str) -> str:
    """An answer in matchable form: markers and thousands separators gone, simplified, no spaces.

    Example: answer_key("完成17,793户[2]。") -> "完成17793户。"
    """
    text = _MARKER.sub("", text)
    text = normalize(text)
    text = _THOUSANDS.sub("", text)
    return squash(text).lower()


def shows_wrong(text: str, wrong: str, gold: Sequence[str]) -> bool:
    """Whether an answer shows a figure the question's writer marked wrong, other than as part of a
    right figure ("5%" inside the right "4.5%—5%", "3%" inside the right "3%左右")."""
    key, bad = answer_key(text), answer_key(wrong)
    for right in sorted((answer_key(g) for g in gold), key=len, reverse=True):
        if right and bad != right and bad in right:
            key = key.replace(right, "|")
    return contains(key, wrong)


def contains(text: str, gold: str) -> bool:
    """Whether `gold` occurs in `text` (both as answer_key) without splitting a number.

    "7%" is not inside "17%" or "7.7%", "47" not inside "147" or "47.5"; a minus sign before
    a number is allowed ("-39.4%" contains "39.4%").
    Example: contains("增长17%", "7%") -> False; contains("增长7%左右", "7%") -> True
    """
    text, gold = answer_key(text), answer_key(gold)
    if not gold:
        return False
    start = text.find(gold)
    while start >= 0:
        end = start + len(gold)
        before_ok = not gold[0].isdigit() or start == 0 or not (
            text[start - 1].isdigit() or text[start - 1] == "." and start >= 2 and text[start - 2].isdigit())
        after_ok = not gold[-1].isdigit() or end == len(text) or not (
            text[end].isdigit() or text[end] == "." and end + 1 < len(text) and text[end + 1].isdigit())
        if before_ok and after_ok:
            return True
        start = text.find(gold, start + 1)
    return False


# gold answers of these types are parts of one answer, not alternatives
HALF_OF = ("list", "definition")
ALL_OF = ("comparison",)


def correct(text: str, answers: Sequence[str], type_: str) -> bool:
    """Accuracy of one answer: list/definition need half the items, comparison all, others any.

    Example: correct("四大产业链是特色食品、特钢材料", ["特色食品", "特钢材料", "装备制造", "现代医药"], "list") -> True
    """
    if not answers:
        return False
    found = sum(contains(text, a) for a in answers)
    if type_ in ALL_OF:
        return found == len(answers)
    if type_ in HALF_OF:
        return found >= math.ceil(len(answers) / 2)
    return found > 0


_MISSED_SAID = re.compile(r"未完成|没有完成|未达到|没有达到|(?<!不)低于目标|未实现|没有实现")
_UNSTATED_SAID = re.compile(r"未说明|没有给出|无法核对|未提及|没有提到")


def decided(text: str, answers: Sequence[str], type_: str, answers_all: Sequence[str] = (), winner: str = "",
            verdict: str = "") -> bool:
    """`correct`, and when the question needs them, every one of `answers_all` and the winner named
    as ahead. Example: decided("代县90.2亿元，绛县78.9亿元，代县更高", [], "comparison",
    ["90.2亿元", "78.9亿元"], "代县") -> True"""
    if answers and not correct(text, answers, type_):
        return False
    if answers_all and not all(contains(text, a) for a in answers_all):
        return False
    if verdict == "missed" and not _MISSED_SAID.search(text):
        return False
    if verdict == "met" and (_MISSED_SAID.search(text) or not re.search(r"完成|达到|实现|达标", text)):
        return False
    if verdict == "not_stated" and not _UNSTATED_SAID.search(text):
        return False
    if winner.startswith(("目标", "实际")):
        # a target held against its outcome: the target ahead means it was missed, the outcome ahead met
        missed = bool(_MISSED_SAID.search(text))
        return missed == winner.startswith("目标") and bool(re.search(r"完成|达到|实现|低于|高于", text))
    if winner:
        plain = answer_key(text)
        near = re.search(rf"{re.escape(answer_key(winner))}[^。；]{{0,12}}(更高|更多|更大|更快|最高|最多|最大|最快|最低|最少|更低|更少|高于|多于|超过|低于|少于)"
                         rf"|(最高|最多|最大|最快|最低|最少)的是{re.escape(answer_key(winner))}", plain)
        if not near:
            return False
    return bool(answers or answers_all or winner or verdict)


# judged here on its own, not with the code under test: "排全国第3", "占全省的", "全国百强" are yardsticks
_YARDSTICK = re.compile(r"^(?:的)?(?:第|前|百强|排|平均|水平|首位|领先|同类|示范|先进|首|1/|\d+分之)")


def _names(sentence: str, place: str) -> bool:
    """Whether a sentence names a place as what it speaks of, not as a yardstick."""
    for name in {place, place[:-1]} if len(place) > 2 else {place}:
        for m in re.finditer(re.escape(name), sentence):
            if not _YARDSTICK.match(sentence[m.end():]) and sentence[m.start() - 1: m.start()] not in ("居", "列", "占", "于", "在", "排"):
                return True
    return False


def misplaced_figures(text: str, facts: Sequence, places: Sequence[str], asked_place: str | None,
                      asked_year: int | None) -> list[str]:
    """Figures shown beside a place and year whose facts do not hold them, while the facts of
    another year or place do: "代县2021年财政收入4.6亿元" when 4.6亿元 is 代县's 2022 figure.

    Each sentence is about the places and year it names, else the question's.
    """
    out = []
    for sentence in re.split(r"[。；;\n]", _MARKER.sub("", normalize(text))):
        named = [p for p in places if _names(sentence, p)]
        years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})年", sentence)]
        place = named[0] if len(named) == 1 else asked_place if not named else None
        year = years[-1] if len(set(years)) == 1 else asked_year if not years else None
        if not place or not year or re.search(r"(?:由|从)[^，,]*?(?:到|至)", sentence):
            continue  # a range "由2010年的21.6%提高到25.2%" names two periods: no one year to hold it to
        for number, unit in re.findall(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(亿元|万元|元|%|亿公斤|万公斤|万吨|万亩|人|个百分点)", sentence):
            value = float(number)
            holders = [f for f in facts if abs(abs(f.value) - value) < 1e-9 and f.unit == unit]
            if holders and not any(f.place == place and f.year == year for f in holders):
                out.append(f"{place}{year}年 {number}{unit}")
    return out


def citation_scores(cited: Sequence[Passage], evidence: Sequence[Evidence]) -> tuple[float | None, float | None]:
    """(precision, recall) of one answer's citations.

    precision: share of cited passages that hold some evidence; recall: share of the evidence
    strings held by some cited passage. None when there is nothing to divide by.
    """
    if not evidence:
        return None, None
    precision = mean(1.0 if any(holds(c, e) for e in evidence) else 0.0 for c in cited)
    recall = mean(1.0 if any(holds(c, e) for c in cited) else 0.0 for e in evidence)
    return precision, recall


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """One generated answer, judged."""

    qid: str
    type: str
    refused: bool
    correct: bool
    grounded: bool
    precision: float | None  # citation precision, None without citations
    recall: float | None
    latency_ms: float
    first_token_ms: float | None = None
    probe: str = ""
    misplaced: int = 0  # figures shown beside a year or place whose facts do not hold them


def answer_scores(outcomes: Sequence[AnswerOutcome]) -> dict:
    """Accuracy (answerable, refusals count as wrong), refusal rate on unanswerable questions,
    false-refusal rate on answerable ones, citation precision/recall (macro over answered
    answerable questions), grounded rate of answered questions, latency percentiles."""
    answerable = [o for o in outcomes if o.type != "unanswerable"]
    unanswerable = [o for o in outcomes if o.type == "unanswerable"]
    answered = [o for o in answerable if not o.refused]
    per_type = {}
    for t in sorted({o.type for o in answerable}):
        group = [o for o in answerable if o.type == t]
        per_type[t] = {"n": len(group), "accuracy": mean(float(o.correct) for o in group)}
    latencies = [o.latency_ms for o in outcomes]
    first = [o.first_token_ms for o in outcomes if o.first_token_ms is not None]
    return {
        "n": len(outcomes),
        "accuracy": mean(float(o.correct and not o.refused) for o in answerable),
        "refusal_rate_unanswerable": mean(float(o.refused) for o in unanswerable),
        "false_refusal_rate": mean(float(o.refused) for o in answerable),
        "citation_precision": mean(o.precision for o in answered if o.precision is not None),
        "citation_recall": mean(o.recall for o in answered if o.recall is not None),
        "grounded_rate": mean(float(o.grounded) for o in outcomes if not o.refused),
        "latency_ms": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)},
        "first_token_ms": {"p50": percentile(first, 50), "p95": percentile(first, 95)},
        "per_type": per_type,
        "per_probe": {p: {"n": len(g), "right": mean(float(o.correct if o.type != "unanswerable" else o.refused) for o in g)}
                      for p in sorted({o.probe for o in outcomes if o.probe})
                      for g in [[o for o in outcomes if o.probe == p]]},
        "misplaced_figures": sum(o.misplaced for o in outcomes),
        "answers_with_misplaced_figures": sum(1 for o in outcomes if o.misplaced),
    }


# -- latency --------------------------------------------------------------------------------------
def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear-interpolated percentile (numpy's default). Example: percentile([1, 2, 3, 4], 50) -> 2.5"""
    data = sorted(values)
    if not data:
        return None
    pos = (len(data) - 1) * p / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def latency(values: Sequence[float]) -> dict:
    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "n": len(values)}
