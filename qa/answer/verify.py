"""Grounding checks on a generated answer: citations exist, and every figure is in a cited
passage of the county the question asks about. Unsupported sentences are re-cited or dropped."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.clean import normalize
from corpus.facts import UNITS  # one list of units: a figure the facts read is a figure here
from corpus.indicators import find as find_indicators

CITE = re.compile(r"\[(\d{1,2})\]")
FIGURE = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*({UNITS})?")


@dataclass(frozen=True, slots=True)
class Figure:
    number: str
    unit: str

    def __str__(self) -> str:
        return self.number + self.unit


def figures(text: str, ignore: Sequence[str] = ()) -> list[Figure]:
    """Numbers with their units, minus citation markers and numbers the question itself gave.

    Example: figures("完成189亿元[1]，增长12.1%。") -> [Figure("189", "亿元"), Figure("12.1", "%")]
    """
    text = CITE.sub(" ", normalize(text))
    out = []
    for m in FIGURE.finditer(text):
        number, unit = m.group(1), m.group(2) or ""
        if number in ignore and not unit.strip("年"):
            continue
        out.append(Figure(number, unit))
    return out


def supports(passage_norm: str, fig: Figure) -> bool:
    """The passage holds the number as a whole number (not inside 1189), with the unit if given."""
    text = re.sub(r"\s+", "", passage_norm)
    for m in re.finditer(rf"(?<![\d.]){re.escape(fig.number)}(?![\d])", text):
        if not fig.unit or text.startswith(fig.unit, m.end()) or text[m.end() : m.end() + 1] == fig.unit[:1]:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Checked:
    text: str
    grounded: bool
    changed: bool
    problems: tuple[str, ...]


def _split_sentences(text: str) -> list[str]:
    parts = re.findall(r"[^。！？!?；;\n]+(?:[。！？!?；;]|\[\d{1,2}\])*[。！？!?；;]?", text)
    return [p for p in parts if p.strip()]


def verify(answer: str, passages: Sequence[str], question: str = "", owners: Sequence[str] = (),
           places: dict[str, set[str]] | None = None) -> Checked:
    """Check and repair an answer against numbered passages (passages[0] is [1]).

    Each sentence keeps only valid markers; a figure missing from the sentence's cited passages is
    re-cited to a passage that holds it, and a sentence with a figure no passage holds is dropped.
    With `owners` (the county of each passage) and `places` (county -> names), a sentence that
    names a county is only supported by that county's passages: 代县's GDP cannot come from 绛县.
    """
    norms = [re.sub(r"\s+", "", normalize(p)) for p in passages]
    all_norms = norms
    asked = [m.group(1) for m in FIGURE.finditer(normalize(question))]
    problems: list[str] = []
    kept: list[str] = []
    for sentence in _split_sentences(answer):
        norms = _restricted(all_norms, sentence, owners, places)
        cited = [int(n) for n in CITE.findall(sentence)]
        valid = [n for n in cited if 1 <= n <= len(norms)]
        if len(valid) != len(cited):
            problems.append(f"citation to a passage that does not exist: {sorted(set(cited) - set(valid))}")
        figs = figures(sentence, ignore=asked)
        unsupported = [f for f in figs if not any(supports(norms[n - 1], f) for n in valid)]
        body = CITE.sub("", sentence).rstrip("。；;，, ")
        if not figs and not valid:
            if body.strip():
                kept.append((body, valid))
            continue
        if unsupported:
            holders = [i + 1 for i, p in enumerate(norms) if all(supports(p, f) for f in unsupported)]
            if holders:
                problems.append(f"re-cited {', '.join(map(str, unsupported))} to [{holders[0]}]")
                valid = sorted(set(valid) | {holders[0]})
            else:
                problems.append(f"dropped a sentence with unsupported figure(s) {', '.join(map(str, unsupported))}")
                continue
        if figs and valid:
            # keep only the markers whose passage holds one of the sentence's figures
            valid = [n for n in valid if any(supports(norms[n - 1], f) for f in figs)] or valid
        if not valid and figs:
            holders = [i + 1 for i, p in enumerate(norms) if all(supports(p, f) for f in figs)]
            valid = holders[:1]
        kept.append((body, valid))
    text = "".join(f"{body}{''.join(f'[{n}]' for n in valid)}。" for body, valid in kept if body)
    grounded = all(
        all(any(supports(_restricted(all_norms, s, owners, places)[n - 1], f) for n in cited_numbers(s))
            for f in figures(s, ignore=asked))
        for s in _split_sentences(text)
    ) and bool(CITE.search(text))
    return Checked(text, grounded, text != answer or bool(problems), tuple(problems))


def cited_numbers(sentence: str) -> list[int]:
    return [int(n) for n in CITE.findall(sentence)]


def _restricted(norms: list[str], sentence: str, owners: Sequence[str], places: dict[str, set[str]] | None) -> list[str]:
    """Passages of other counties than the ones a sentence names are blanked out."""
    if not owners or not places:
        return norms
    text = normalize(sentence)
    named = {county for county, names in places.items() if any(n in text for n in names)}
    if not named:
        return norms
    return [p if owner in named else "" for p, owner in zip(norms, owners)]


def bind_years(answer: str, facts: Sequence, asked_places: Sequence[str], asked_years: Sequence[int],
               places: dict[str, set[str]] | None = None, asked_indicators: Sequence[str] = (),
               asked_kind: str = "", asked_span: bool = False, span_end: int | None = None) -> Checked:
    """Drop each sentence that shows a figure of another year than the one it states (or the
    question asks), or of another indicator than the one it names: the figure must be held by a
    fact of that place, year and indicator, when the reports hold it as a fact at all.

    Example: asked 代县 2021, "代县2021年财政收入4.6亿元[1]。" with 4.6亿元 a 2022 fact -> dropped.
    `span_end`: a span asked for the level it reached ("十四五期间…增加到多少"): its last year's figure stands.
    """
    kept, problems = [], []
    for sentence in _split_sentences(answer):
        text = normalize(sentence)
        named = [c for c, names in (places or {}).items() if any(n in text for n in names)]
        where = named or list(asked_places)
        years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})年", text)] or list(asked_years)
        wrong = []
        said = find_indicators(text)
        if len(where) == 1 and len(set(years)) <= 1:
            for fig in figures(sentence, ignore=[str(y) for y in years]):
                if not fig.unit:
                    continue  # a bare number ("5G") is no figure to bind
                # headline facts only: a phrase-named figure's year is read less surely than to drop on it
                holders = [f for f in facts if f.canonical and f.place == where[0] and _same_figure(f, fig)]
                # a plan's target is read surely even when a phrase names it ("力争…投入强度达到2.41%")
                phrased = [f for f in facts if not f.canonical and f.place == where[0] and _same_figure(f, fig)]
                if years and holders and not any(f.year == years[0] for f in holders):
                    wrong.append(f"{fig} is {where[0]}'s figure of {sorted({f.year for f in holders})}, not {years[0]}")
                elif years and not holders and phrased and asked_kind != "target" \
                        and all(f.kind == "target" and f.year != years[0] for f in phrased):
                    wrong.append(f"{fig} is {where[0]}'s target for {sorted({f.year for f in phrased})}, not {years[0]}")
                elif len(said) == 1 and holders and not any(f.indicator == said[0] for f in holders):
                    # "服务业增加值完成30.5亿元" when 30.5亿元 is 规模以上工业增加值
                    wrong.append(f"{fig} is {where[0]}'s {holders[0].indicator}, not {said[0]}")
                elif len(asked_indicators) == 1 and holders and not any(f.indicator == asked_indicators[0] for f in holders):
                    # 人均GDP asked, "地区生产总值完成90.2亿元" quoted: the total is not the per-capita figure
                    wrong.append(f"{fig} is {where[0]}'s {holders[0].indicator}, not the {asked_indicators[0]} asked")
                elif asked_span and holders and all(f.year is not None and f.year != span_end and "年均" not in f.qualifiers
                                                    for f in holders):
                    # 十四五期间 asked, one year's figure shown (a level the span reached is its last year's)
                    wrong.append(f"{fig} is {where[0]}'s figure of {sorted({f.year for f in holders})}, not of the span asked")
                elif asked_kind in ("target", "actual") and holders and all(
                        (f.kind == "target") != (asked_kind == "target") for f in holders):
                    # a target asked and an actual shown, or the other way round
                    wrong.append(f"{fig} is {where[0]}'s {holders[0].kind}, not the {asked_kind} asked")
        if wrong:
            problems += wrong
            continue
        kept.append(sentence)
    text = "".join(kept)
    return Checked(text, bool(text), text != answer, tuple(problems))


def _same_figure(fact, fig: Figure) -> bool:
    try:
        value = float(fig.number)
    except ValueError:
        return False
    return abs(abs(fact.value) - value) < 1e-9 and (not fig.unit or fact.unit.startswith(fig.unit) or fig.unit.startswith(fact.unit))
