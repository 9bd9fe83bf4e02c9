"""Reading a question the way facts are read from a report: which places (covered by a report or
not), which years, which indicators, and what kind of figure it asks for.

Example: read("代县2023年GDP增长目标是多少？和2022年实际增速比怎么样？", library_places, names)
  -> Reading(places=("代县",), years=(2023, 2022), indicators=("地区生产总值",), kind="target",
             parts=(Part("代县", 2023, "target"), Part("代县", 2022, "growth")), …)
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from corpus.clean import normalize
from corpus.indicators import ESTIMATE_WORDS, PLAN_END, PLANS, RELATIVE_YEARS, SPAN, TARGET_WORDS, without_names, words

YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年(?!以来)|(?=[^\d年]))")  # "自2017年以来": a span's start, not the year asked
# the report's words for a target mark a target here too; 预计 is the year's estimated actual, never a target
_TARGET = re.compile(rf"{words(TARGET_WORDS)}|要(?:达到|保持|增长|完成|实现)|保持在|要[^，,。？?]{{0,6}}(?:多少|几)|安排|部署|下达|任务")
_ESTIMATE = re.compile(words(ESTIMATE_WORDS))
_GROWTH = re.compile(r"增速|增幅|增长率|增长了?多少|增长了?几|涨了?多少|下降了?多少|降了?多少|增长(?:情况)?[？?]|同比|"
                     r"(?:增长|增加|上涨|下降)了?百分之|百分之(?:多少|几)|(?:增长|增速|发展)得?(?:更|最|较)?快|快慢|年均增长|递增|递减|"
                     r"(?:增长|增加|上升|上涨)还是(?:下降|减少|回落)|涨幅|降幅|幅度|增长(?:率)?(?:谁|哪个|哪一?[个座]?|哪里)?[^，,。？?]{0,3}?(?:更|最|较)?(?:高|低|快|慢)")
_RANK = re.compile(r"第几|排名|排第|位次|排在|名次|位居")
# a span asked for the level it reached ("十四五期间提高到了多少"), not for what it added
REACHED = re.compile(r"(?:增加|提高|提升|增长|上升|扩大)?(?:到|至)了?多少|达到了?多少|末|年底")
RANGE_ASKED = re.compile(r"(?:从|由)[^，,。？?]{0,8}(?:多少|几)[^，,。？?]{0,6}(?:到|至)")  # "从多少提高到多少": both ends
# "多了多少钱", "增加了多少天": the increase, in the figure's own unit (a growth, not a rate)
_INCREASE = re.compile(r"(?:增加|提高|减少|多)了?(?:多少|几)")
_SHARE = re.compile(r"占比|比重|占.{0,6}(?:比例|百分之)")
_MAX = re.compile(r"最高|最多|最大|最快|最好|最强|第一")
_MIN = re.compile(r"最低|最少|最小|最慢|最差|垫底")
_WHICH = re.compile(r"哪个|哪些|哪一?个?[县市区年里]|谁|几个[县市区]")
# "2015至2018年间哪一年…": every year of the range is asked
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})年?\s*(?:至|到|—|-|~|～)\s*((?:19|20)\d{2})年(?:间|期间|中|里|这几年)?")
_MORE = re.compile(r"(?:超过|高于|多于|大于|不低于|以上)\s*(\d+(?:\.\d+)?)\s*(亿元|万元|元|%|亿|万)?")
# a 县 renamed 区 keeps its stem (湟中县 → 湟中区); a city is never its namesake district (黄山市, 黄山区)
_ABOVE_COUNTY = ("省", "自治区", "直辖市", "地级市", "自治州", "地区", "盟")
_EACH = re.compile(r"(?:它们|两者|二者|两地|两个)?(?:各|分别|各自)(?:是|为|有)?(?:多少|几)[，,。]?")
_AMOUNT = re.compile(r"完成|是多少|多少(?:亿|万|元|人|吨|钱)|总额|总量|规模|达到")
_YEAR_ON_YEAR = re.compile(r"[比较](?:上年|去年|上一年)(?:同期)?(?=增长|下降|增加|减少|提高|降低|回落|多|少)")
_BOTH_ASKED = re.compile(r"各|分别|两年|还是|哪")  # "2018年比2017年多了还是少了？两年各是多少？" asks both years
_BASE_YEAR = re.compile(r"(?:比|较)(?:19|20)\d{2}年(?:同期)?(?=[^，,？?]{0,3}(?:增长|下降|增加|减少|提高|降低|多|少))")
# "总量和增速", "是多少，比上年增长多少": a level and its growth asked together
_RATE_ASKED = re.compile(r"(?:增速|增幅|增长率)(?:是|为|有)?(?:多少|几)?|(?:比上年|同比)?增长(?:了)?(?:百分之(?:多少|几)|多少|几)|同比")
_AND_RATE = re.compile(r"[\u4e00-\u9fff](?:及|和|与|以及|、)(?:其)?(?:增速|增幅|增长率)")  # "地区生产总值及增速是多少"
# what is left once the rate asked is taken out: "收入多少、增长多少" asks the level too
_LEVEL_ASKED = re.compile(r"总量|总额|规模(?!以上)|多少")
# a target held against its outcome: "目标完成了吗", "原定增长多少，实际完成了多少"
_AGAINST = re.compile(r"(?:目标|原定|预期|计划|年初|任务).{0,16}(?:实际|完成|达到|实现)|(?:实际|完成|实现).{0,16}(?:目标|预期|计划)|"
                      r"完成了吗|完成没有|达到.{0,4}目标|实现了吗|完成情况|达标")
_VERSUS = re.compile(r"比较|对比|相比|比一比|比怎么样|谁(?:更|的)?(?:高|多|大|快|低|少)|哪个(?:更)?(?:高|多|大|快|低|少)|高还是低|差多少")


@dataclass(frozen=True, slots=True)
class Part:
    """One thing asked: a figure of a place and year, of a kind ("" = whatever the report gives)."""

    place: str
    year: int | None
    kind: str


@dataclass(frozen=True, slots=True)
class Reading:
    question: str
    places: tuple[str, ...] = ()  # covered: the library's names, in order of mention
    missing: tuple[str, ...] = ()  # named but covered by no report ("繁峙县")
    years: tuple[int, ...] = ()
    indicators: tuple[str, ...] = ()  # canonical names
    kind: str = "actual"  # actual | target | growth | rank | share
    superlative: str = ""  # "max" | "min" when 哪个…最高/最低 over the library
    threshold: tuple[float, str] | None = None  # 哪些…超过 8%
    compare: bool = False  # two figures asked to be set side by side
    parts: tuple[Part, ...] = field(default=())
    span: str = ""  # a period of several years asked about: "十三五", "过去五年" (its figures have no one year)

    @property
    def over_library(self) -> bool:
        return bool(self.superlative or self.threshold) and len(self.places) != 1


def asks_rate(text: str) -> bool:
    """The question asks a rate or a share ("涨了多少", "研发投入强度"), not a level."""
    return bool(_GROWTH.search(text) or _SHARE.search(text))


def kind_of(text: str) -> str:
    """What kind of figure a (part of a) question asks for. Example: kind_of("增长目标是多少") -> "target" """
    text = re.sub(r"争取到了?", "获得", text)  # "争取到项目资金多少": what was won, not a goal
    if "实际" in text and not _TARGET.search(text.split("实际")[1][:4]) or _ESTIMATE.search(text):
        return "growth" if _GROWTH.search(text) or "增" in text else "actual"
    if _TARGET.search(text):
        return "target"
    if _RANK.search(text):
        return "rank"
    if _SHARE.search(text):
        return "share"
    if _GROWTH.search(text) or _INCREASE.search(text) and not re.search(r"相比|对比|比较|各是|分别是", text):
        return "growth"  # (two figures compared, "增加了多少" is their difference: their levels are asked)
    return "actual"


def clauses(text: str) -> list[str]:
    """A two-part question's parts. Example: clauses("目标是多少？和去年比怎么样？") -> ["目标是多少", "和去年比怎么样"]"""
    return [c for c in re.split(r"[？?；;。!！]+", text) if c.strip()]


def read(question: str, find_places: Callable[[str], tuple[Sequence[str], Sequence[str]]],
         find_indicators: Callable[[str], Sequence[str]], this_year: int | None = None) -> Reading:
    """`find_places(text)` -> (covered places, uncovered places) in order of mention;
    `find_indicators(text)` -> canonical indicator names in order of mention; `this_year` is what
    今年 means (the meeting year of the place's latest report): 去年 is the year before it."""
    norm = normalize(question)
    # "2017年旅游收入比上年增长了多少" asks 2017's year-on-year growth, not 2016
    norm = _YEAR_ON_YEAR.sub("同比", norm)
    based = len(YEAR.findall(norm)) > 1 and not _BOTH_ASKED.search(norm) and bool(_BASE_YEAR.search(norm))
    if based:
        norm = _BASE_YEAR.sub("比基年", norm)  # "2015年…比2010年增加了多少": 2010 is the base, not a year asked
    if this_year:
        for word, shift in sorted(RELATIVE_YEARS.items(), key=lambda kv: -len(kv[0])):
            norm = norm.replace(word, f"{this_year + shift}年")
    norm = PLAN_END.sub(lambda m: f"{PLANS[m.group(1)][1]}年", norm)  # "十四五末" is 2025
    if re.search(r"哪一?年", norm):
        norm = _YEAR_RANGE.sub(lambda m: "、".join(f"{y}年" for y in range(int(m.group(1)), int(m.group(2)) + 1))
                               if 0 < int(m.group(2)) - int(m.group(1)) <= 10 else m.group(0), norm)
    span = m.group(0) if (m := SPAN.search(norm)) else ""
    covered, missing = find_places(norm)
    years = tuple(dict.fromkeys(int(y) for y in YEAR.findall(norm)))
    indicators = tuple(find_indicators(norm))
    kind = kind_of(norm)
    if based and re.search(r"(?:增加|减少|多|少)了?多少", norm):
        kind = "growth"  # the increase over the base year
    if kind == "share" and "占" in norm:
        # "工业增加值占地区生产总值比重": the share of something else, not the indicator after 占
        indicators = tuple(i for i in indicators if i not in find_indicators(norm[norm.index("占"):]))
    superlative = "max" if _MAX.search(norm) and _WHICH.search(norm) else "min" if _MIN.search(norm) and _WHICH.search(norm) else ""
    threshold = None
    if (m := _MORE.search(norm)) and _WHICH.search(norm):
        threshold = (float(m.group(1)), m.group(2) or "")
    parts: list[Part] = []
    places = list(covered) or [""]
    pieces = clauses(norm)
    if len(pieces) > 1 or len(years) > 1 or len(places) > 1:
        # one part per clause (two-part questions) or per place and year (comparisons)
        last_place, last_year = places[0], years[0] if years else None
        for piece in pieces:
            got_places, _ = find_places(piece)
            marks = list(YEAR.finditer(piece))
            if parts and not got_places and not marks and _EACH.fullmatch(piece.strip()):
                continue  # "…哪个更高？各是多少？": the follow-up asks the same figures again
            # each year with the words that follow it: "2024年目标多少，2023年实际呢" asks two kinds
            spans = [(int(m.group(1)), piece[m.start(): marks[i + 1].start() if i + 1 < len(marks) else len(piece)])
                     for i, m in enumerate(marks)] or [(last_year, piece)]
            got_years = [y for y, _ in spans]
            # "化德县2024年和代县2022年…": each place with the year named after it, not every pairing
            paired = len(got_places) == len(spans) > 1 and all(
                piece.find(place[:2]) < piece.find(f"{year}") for place, (year, _) in zip(got_places, spans))
            for n, place in enumerate(list(got_places) or [last_place]):
                for year, words in ([spans[n]] if paired else spans):
                    kind = kind_of(words) if len(spans) > 1 else kind_of(piece)
                    if kind == "actual" and len(spans) > 1 and not re.search(r"实际|完成|实现|达到", words):
                        # "GDP增速2022年和2023年…", "2022年和2023年GDP增速…": the clause's words
                        kind = kind_of(piece[: marks[0].start()]) if marks[0].start() else "actual"
                        if kind == "actual" and re.fullmatch(r"\d{4}年?[和与、及跟同比较,，]*", words):
                            kind = kind_of(piece[len(words):])  # a bare year shares the next one's words
                    if kind == "actual" and "实际" in words and not _AMOUNT.search(words):
                        kind = "actual?"  # "2022年实际呢" beside a growth target: the actual growth, settled below
                    if kind == "actual" and parts and not _AMOUNT.search(words) and not find_indicators(words):
                        kind = parts[-1].kind  # "2018年的GDP增速比2017年高还是低": the later year is asked alike
                    part = Part(place, year, kind)
                    if part not in parts:
                        parts.append(part)
            last_place = (list(got_places) or [last_place])[-1]
            last_year = got_years[-1]
    if len(places) == 1 and len(years) <= 1 and _AGAINST.search(norm):
        # the year's target and what was achieved; "outcome" is a growth rate or a level, as the target is
        year = years[0] if years else None
        parts = [Part(places[0], year, "target"), Part(places[0], year, "outcome")]
    if not parts and len(places) == 1 and len(years) <= 1 and kind != "target" and _RATE_ASKED.search(norm) \
            and (_LEVEL_ASKED.search(without_names(_RATE_ASKED.sub("", norm))) or _AND_RATE.search(norm)):
        # "GDP总量和增速各是多少": both the level and its growth, of one place and year
        year = years[0] if years else None
        parts = [Part(places[0], year, "actual"), Part(places[0], year, "growth")]
    beside_target = any(p.kind == "target" for p in parts)
    parts = [Part(p.place, p.year, ("growth" if beside_target else "actual") if p.kind == "actual?" else p.kind)
             for p in parts]
    compare = bool(_VERSUS.search(norm) or _AGAINST.search(norm)) or len({(p.place, p.year) for p in parts}) > 1
    return Reading(question, tuple(covered), tuple(missing), years, indicators, kind, superlative, threshold,
                   compare, tuple(parts), span)


def read_question(text: str, retriever, county: str | None = None) -> Reading:
    """Read a question against a library: its places are the reports' places (from the retriever)
    and, for any other place in China the question names, the national list of divisions."""
    from corpus import indicators
    from corpus.meta import short_name
    from corpus.places import find as national, lookup, scope, short_forms
    from qa.retrieval.places import yardstick

    covered_names = {d.county for d in retriever.documents if d.county}

    def places(piece: str) -> tuple[list[str], list[str]]:
        covered = list(retriever.places(piece).counties)
        found_first = set(covered)
        context = set()
        for name in covered:
            place = lookup(name)
            if place is not None:
                context |= {place.province, place.city}
        stems = {short_name(c) for c in covered_names}  # 湟中县 in the list is the library's 湟中区
        named_places = national(piece)
        missing = list(dict.fromkeys(p.name for p in named_places
                                     if p.name not in covered_names and p.name not in context
                                     and not (short_name(p.name) in stems and p.level not in _ABOVE_COUNTY)
                                     and not any(p.name.startswith(c) or c.startswith(p.name) for c in covered)))
        for m in re.finditer(r"全国|我国|全省|全市|全区|全州|全盟|本省", piece):
            if yardstick(piece, m.start(), m.end()):
                continue  # "排全省第几": the level is a yardstick
            named_after = re.match(r"^(?:\d{4}年)?的?", piece[m.end():]).end() + m.end()
            if covered and not indicators.starts(piece[named_after:]) and not re.search(r"报告|根据|据", piece):
                continue  # "稷山县被确定为全省…试点县": a place's own question, 全省 only its setting
            home = lookup(covered[0]) if covered else None
            level = scope(m.group(0), home)
            if not level or level in covered:
                continue
            # another level than the place named: "侯马市的报告中全省GDP增长多少" asks 山西省's figure
            if covered and level != covered[0] and (m.group(0) != "全国" or re.search(r"报告|根据|据|提到|说", piece)):
                covered = [c for c in covered if c != covered[0]]
            if level in covered_names:
                covered.insert(0, level)
            elif level not in missing:
                missing.insert(0, level)
        source = re.search(r"(?:根据|据|按照|按)(\S{2,12}?)(?:的|政府工作)?报告|(\S{2,12}?)(?:的|政府工作)?报告(?:中|里|提到|说)", piece)
        if source and len(covered) + len(missing) + len(named_places) >= 2:
            # "据广东省政府工作报告，全国…", "根据内江市的报告，四川省…": the named report is the source, not the place asked about
            named = source.group(1) or source.group(2)
            sources = [c for c in covered if c in named or any(n in named for n in {short_name(c), *short_forms(c)})]
            # the source's own province or prefecture named beside it is then the place asked about
            parents = [p.name for p in named_places if p.name in context and p.name not in found_first
                       and p.name not in named and p.name not in missing]
            missing += parents
            if sources and (len(covered) > len(sources) or missing):
                covered = [c for c in covered if c not in sources]
        return covered, missing

    named = [county] if county else list(retriever.places(text).counties)
    latest = max((d.year for d in retriever.documents if d.county in named and d.year), default=None)
    reading = read(text, places, indicators.find, latest if len(named) == 1 else None)
    if county:
        return placed(reading, county)
    if len(named) == 1 and not reading.places and not reading.missing:
        # the place is known from the years alone ("2021年GDP增长目标是多少？" of a one-place library year)
        return placed(reading, named[0])
    return reading


def placed(reading: Reading, place: str) -> Reading:
    """The reading with its place settled: every part that named none gets it."""
    from dataclasses import replace

    return replace(reading, places=(place,), missing=(),
                   parts=tuple(p if p.place else replace(p, place=place) for p in reading.parts))
