"""Which counties and years a question names, in either script, with or without 县/市.

Example: find_places("侯马2023年GDP增速？", catalog) -> Places(counties=("侯马市",), years=(2023,))
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.clean import normalize
from corpus.meta import short_name
from corpus.records import Document

# "现代县域" must not be read as 代县: characters that glue a place name into a longer word
_GLUE_BEFORE = "现时古近当世朝"
# "排全国第3", "居全省前列", "全国百强县": the nation or a province as a yardstick, not as the place asked about
_YARDSTICK_AFTER = re.compile(r"^(?:的)?(?:第|前|百强|千强|排|平均|水平|首位)")
# "全国先进", "全省示范": a yardstick only after 全国/全省 ("广东先进制造业" is 广东's)
_SOFT_YARDSTICK = re.compile(r"^(?:的)?(?:领先|同类|各地|范围|先进|示范|重点)")
_YARDSTICK_BEFORE = ("居", "列", "排", "占", "在", "入", "进", "于", "获", "评")


@dataclass(frozen=True, slots=True)
class Places:
    counties: tuple[str, ...] = ()
    years: tuple[int, ...] = ()


def aliases(doc: Document) -> set[str]:
    """Names people use for a report's place. Example: {"侯马市", "侯马"}; {"河北省", "河北"};
    the State Council's report: {"全国", "我国", "中国"}."""
    from corpus.places import NATION_NAMES, short_forms

    if doc.county == "全国":
        return set(NATION_NAMES) - {"全中国"} | {"国务院"}
    names = {doc.county, short_name(doc.county)} if doc.county else set()
    if doc.level and doc.county and doc.level not in ("区",):
        names |= short_forms(doc.county)
    return {n for n in names if len(n) >= 2}


def yardstick(norm: str, start: int, end: int) -> bool:
    """Whether the name at norm[start:end] is a yardstick ("排全国第3") rather than the place asked about."""
    before = norm[start - 1: start]
    return (bool(_YARDSTICK_AFTER.match(norm[end:]))
            or before in _YARDSTICK_BEFORE and not (before == "在" and norm[start:start + 1] != "全")  # 在广东省…会议上
            or norm[start:start + 1] == "全" and bool(_SOFT_YARDSTICK.match(norm[end:])))


def _inside_longer(norm: str, start: int, end: int, county: str) -> bool:
    """Whether the name at norm[start:end] begins a longer name of another place ("恩施" in "恩施州")."""
    from corpus.places import _index

    names = _index()
    for stop in range(min(len(norm), end + 8), end, -1):
        places = names.get(norm[start:stop], ())
        if places and all(p.name != county for p in places):
            return True
    return False


def find_places(question: str, documents: Sequence[Document]) -> Places:
    """Counties (as in the metadata) in order of mention, and four-digit years."""
    norm = normalize(question)
    found: list[tuple[int, str]] = []
    for doc in documents:
        for alias in sorted(aliases(doc), key=len, reverse=True):
            for m in re.finditer(re.escape(alias), norm):
                before = norm[max(0, m.start() - 2) : m.start()]
                if before[-1:] and before[-1] in _GLUE_BEFORE or before in ("十年", "〇年", "零年"):
                    continue  # 现代县域, 八十年代县里: the name is part of a longer word
                if doc.level in ("全国", "省", "自治区", "直辖市") and yardstick(norm, m.start(), m.end()):
                    continue
                if _inside_longer(norm, m.start(), m.end(), doc.county):
                    continue  # "恩施土家族苗族自治州" is not 恩施市
                found.append((m.start(), doc.county))
                break
    counties: list[str] = []
    for _, county in sorted(found):
        if county not in counties:
            counties.append(county)
    years = tuple(dict.fromkeys(int(y) for y in re.findall(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)", norm)))
    if not counties and years:
        # no place named, but only one place's reports speak of the years asked: that place
        # ("2021年GDP增长目标是多少？" when the 2021 report is the State Council's); never when the
        # question names a place the library has no report of
        from corpus.places import find

        from qa.retrieval.reading import kind_of

        # a target of a year is in that year's report; an outcome in the report that reviews it
        target = kind_of(norm) == "target" or "报告" in norm  # "2022年的政府工作报告…": the report of that year
        by_year = {d.county for d in documents if d.county and set(years) & {d.year if target else d.reviewed_year}}
        if len(by_year) == 1 and not find(norm):
            counties = [by_year.pop()]
    return Places(tuple(counties), years)


def docs_for(county: str, years: Sequence[int], documents: Sequence[Document], wants: str = "") -> list[Document]:
    """Reports of a county; with years, those whose meeting or reviewed year matches, if any do.
    Asked what a year achieved (`wants` "review"), the report delivered in that year only plans it:
    it is left out when a report reviewing the year is there (2017's actuals are in the 2018 report;
    the 2017 report's figures are 2016's); asked its plans ("plan"), the report delivered that year."""
    mine = [d for d in documents if d.county == county]
    if years:
        dated = [d for d in mine if d.year in years or d.reviewed_year in years]
        if wants == "review" and any(d.reviewed_year in years for d in dated):
            dated = [d for d in dated if d.reviewed_year in years or d.year not in years]
        elif wants == "plan" and any(d.year in years for d in dated):
            # a year's targets are in the report delivered that year, not in the next one's review
            dated = [d for d in dated if d.year in years]
        if dated:
            return dated
    return mine
