"""Metadata of a report, read from its own text: place, meeting year and date, speaker, title.

A sidecar JSON file next to the report (`name.meta.json`) overrides any field.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from corpus.clean import normalize

PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 "
    "广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
).split()

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True, slots=True)
class Meta:
    title: str = ""
    province: str = ""
    city: str = ""
    county: str = ""
    year: int | None = None
    reviewed_year: int | None = None
    date: str = ""
    speaker: str = ""
    kind: str = "report"
    level: str = ""  # 县, 县级市, 区, 旗, 自治县, 地级市, 自治州 … ("" when the place is not in the national list)


def short_name(place: str) -> str:
    """A place without its 县/市/区 suffix, as people say it. Example: short_name("侯马市") -> "侯马" """
    if len(place) > 2 and place[-1] in "县市区旗":
        return place[:-1]
    return place


def _locate(county: str, text: str) -> tuple[str, str, str]:
    """(province, prefecture, level) of a place, from the national list of divisions; a name that
    repeats across provinces is settled by the province the report mentions most."""
    from corpus.places import lookup

    mentions = Counter(p for p in PROVINCES for _ in re.finditer(p, text))
    within = mentions.most_common(1)[0][0] if mentions else ""
    place = lookup(county, within=within) if county else None
    if place is None:
        return "", "", ""
    return place.province, place.city, place.level


_NAME = r"[\u4e00-\u9fff]{1,8}?[县市区旗州盟省]"
_CN_NUM = "一二三四五六七八九十"
# most exact first: the meeting line, the speaker's office, the title; a news write-up's session line
PLACE_PATTERNS = (
    rf"在({_NAME})第[{_CN_NUM}]+届\s*人民代表大会",
    rf"({_NAME})第[{_CN_NUM}]+届\s*人民代表大会",
    rf"代表({_NAME})人民政府",
    rf"({_NAME})人民政府(?:县长|市长|区长|旗长|州长|盟长)",
    rf"(?:\d{{4}}年)?({_NAME})(?:\d{{4}}年)?(?:人民)?政府工作报告",
    rf"({_NAME})[{_CN_NUM}]+届人大[{_CN_NUM}]+次会议",
)


def _county(text: str) -> str:
    """The report's place: the most frequent candidate the meeting line, the speaker's office or
    the title names, and only one the national list of divisions knows ("日在县" is not a place).
    A report that names its place nowhere but in its text ("赤峰国际陆港", "新玉林") gets the place of
    its own level it names most, when that one clearly leads."""
    from corpus.places import find, lookup

    head = re.sub(r"\s+", "", text[:20000])
    if re.search(r"代表国务院", head[:3000]) or re.search(r"全国人民代表大会", head[:3000]) and "国务院总理" in head[:3000]:
        return "全国"  # the State Council's report to the National People's Congress
    for i, pattern in enumerate(PLACE_PATTERNS):
        found = Counter(re.findall(pattern, head))
        for name, _ in found.most_common():
            for start in range(len(name) - 1):  # "日在县" -> "在县" -> …; "西宁市湟中区" -> "湟中区"
                candidate = name[start:]
                place = lookup(candidate)
                if place is not None and place.name == candidate:
                    return candidate
                if place is not None and start == 0 and candidate.endswith("州") and place.level == "自治州":
                    return place.name  # "黔东南州" is how the report names 黔东南苗族侗族自治州
            if i == 0 and len(name) >= 3:
                return name  # the meeting line names it exactly: a place newer than the national list
    own = re.search(r"代表(县|市|区|旗|州|盟|省|自治区)(?:人民)?政府|代表(行署|行政公署)", head)
    if own:
        levels = {"县": ("县", "自治县"), "区": ("区",), "旗": ("旗", "自治旗"), "州": ("自治州",), "盟": ("盟",),
                  "市": ("地级市", "县级市", "直辖市"), "省": ("省",), "自治区": ("自治区",),
                  "行署": ("盟", "地区"), "行政公署": ("盟", "地区")}[own.group(1) or own.group(2)]
        counts = Counter(p.name for p in find(head) if p.level in levels)
        ranked = counts.most_common(2)
        if ranked and (ranked[0][1] >= 2 or len(ranked) == 1) and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
    return ""


def _section_years(norm: str) -> tuple[int | None, int | None]:
    """(reviewed year, meeting year) from the numbered headings of a report that names neither in
    the usual words: "一、2023年主要工作 … 二、2024年主要目标和重点工作" -> (2023, 2024)."""
    years = [int(y) for y in re.findall(rf"(?m)^\s*[{_CN_NUM}]+、\s*(\d{{4}})年", norm)]
    if len(set(years)) == 2 and years[0] + 1 == max(years):
        return years[0], years[0] + 1
    return None, None


def _year_of(cn: str) -> int:
    return int("".join(str(_CN_DIGITS.get(c, c)) for c in cn))


def extract(text: str, raw: str = "") -> Meta:
    """Metadata from a report's text (any script).

    `raw` is the text before cleaning: a news page's publication line, which cleaning drops as page
    furniture, dates the session when nothing else does.

    Example: extract("——2023年2月22日在代县第十七届人民代表大会第三次会议上 …一、2022年工作回顾")
             -> Meta(county="代县", year=2023, reviewed_year=2022, date="2023-02-22", …)
    """
    norm = normalize(text)
    county = _county(norm)
    province, city, level = _locate(county, norm)
    if not province:
        # no place: the province only when the text names one as such (全省, 福建省…), by its full name
        from corpus.places import lookup

        named = Counter(m for m in re.findall(r"(" + "|".join(PROVINCES) + r")(?:省|自治区|市)", norm))
        top = lookup(named.most_common(1)[0][0]) if named else None
        province = top.province if top is not None else ""
        city = ""

    date = ""
    dates = re.sub(r"(\d)\s+(?=[年月日])|(?<=[年月])\s+(?=\d)", r"\1", norm)  # "2025 年 1 月 7 日"
    meeting = (re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*在[^。]{0,16}?(?:人民代表大会|人大)", dates)
               # a news write-up: "2024年02月28日 … 第二届人民代表大会第四次会议开幕"
               or re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日[^。]{0,120}?(?:人民代表大会|人大)[^。]{0,20}?会议开幕", dates))
    if meeting:
        y, m, d = (int(g) for g in meeting.groups())
        date = f"{y:04d}-{m:02d}-{d:02d}"
    reviewed = Counter(int(y) for y in re.findall(r"(\d{4})年工作回顾", norm))
    reviewed += Counter(int(y) for y in re.findall(r"回[眸顾](\d{4})", norm))
    reviewed += Counter(int(y) for y in re.findall(r"总结了\S{0,6}?(\d{4})年工作", norm))
    # a news write-up: "回首2024年", "报告指出，2022年…"
    reviewed += Counter(int(y) for y in re.findall(r"回首(\d{4})年|报告(?:指出|显示|回顾)[,，:：]?\s*(\d{4})年", norm) for y in y if y)
    reviewed_year = reviewed.most_common(1)[0][0] if reviewed else None
    year = int(date[:4]) if date else None
    if year is None:
        planned = Counter(int(y) for y in re.findall(r"(\d{4})年工作(?:安排|任务)|展望(\d{4})", norm) for y in y if y)
        planned += Counter(int(y) for y in re.findall(r"^(\d{4})年\S{0,6}政府工作报告", norm[:200]))
        year = planned.most_common(1)[0][0] if planned else (reviewed_year + 1 if reviewed_year else None)
    if year is None and reviewed_year is None:
        reviewed_year, year = _section_years(norm)
    if year is None and re.search(r"人民代表大会|人大[\u4e00-\u9fff]{1,3}次会议", norm[:3000]):
        # a news page of the session: its publication line ("发布时间: 2018-02-05") dates the meeting
        published = re.search(r"(?:发布时间|发布日期|时间)[:：]?\s*(\d{4})[-/年]\s*(\d{1,2})[-/月]\s*(\d{1,2})",
                              normalize(raw)[:1500] if raw else norm[:1500])
        if published:
            year = int(published.group(1))
            date = f"{year:04d}-{int(published.group(2)):02d}-{int(published.group(3)):02d}" \
                if re.search(rf"{int(published.group(3))}日|昨日|今天|今日", norm[:3000]) else ""
    if reviewed_year is None and year:
        reviewed_year = year - 1
    if not date and year:
        # a news summary names the session's days without the year: "2月19日至22日，…人民代表大会";
        # the day the congress opened and heard the report comes first: "2月20日，…人民代表大会…开幕"
        session = re.search(r"(\d{1,2})月(\d{1,2})日[,，][^。]{0,40}?人民代表大会[^。]{0,20}?开幕", norm)
        session = session or re.search(r"(\d{1,2})月(\d{1,2})日(?:至\d{1,2}日)?[,，]\S{0,12}?人民代表大会", norm)
        if session:
            date = f"{year:04d}-{int(session.group(1)):02d}-{int(session.group(2)):02d}"

    speaker = ""
    head = norm[:800]
    for pattern, text in (
        (r"(?:人民政府(?:代理|代)?(?:县长|市长|区长|旗长|州长|盟长|省长|主席)|国务院总理)\s*([\u4e00-\u9fff]{2,4}?)\s*(?:各位代表|[^\u4e00-\u9fff]|$)", norm),
        (r"(?:县长|市长|区长)([\u4e00-\u9fff]{2,3}?)代表\S{0,6}人民政府", norm),
        # the byline under the meeting line: "县长 陈永高", "北京市市长 殷 勇"
        (r"(?m)^\s*\S{0,8}?(?:代理|代)?(?:县长|市长|区长|旗长|州长|盟长|省长|总理|自治区主席)\s+([\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,3}"
         r"|[\u4e00-\u9fff]{1,5}[·•・．.][\u4e00-\u9fff]{1,6})\s*$", head),  # "艾尔肯·吐尼亚孜"
        # a news write-up: "区长郭健代表湟中区人民政府…", "市长潘国强在会上作政府工作报告"
        (r"(?:县长|市长|区长|旗长|州长|省长|总理)([\u4e00-\u9fff]{2,3}?)\s?(?:代表|在会上作|作政府工作报告)", norm),
    ):
        found = re.search(pattern, text)
        if found:
            speaker = re.sub(r"\s+", "", found.group(1))
            break
    if not speaker and (byline := re.search(r"(?m)^\s*([\u4e00-\u9fff]{2,3})\s*$(?=[\s\S]{0,40}各位代表)", head)):
        # a title, the speaker's name on a line of its own, then 各位代表 (the State Council's report)
        speaker = "" if re.search(r"报告|政府|工作|代表|目录", byline.group(1)) else byline.group(1)
    # a report opens with its meeting line and "各位代表"; a news write-up does not
    # 各位主任、委员: a 行署's report to the 盟's standing committee, a report all the same
    # the speech itself: its salutation, or its first person ("现在，我代表市人民政府，向大会报告工作")
    kind = "report" if re.search(r"各位代表|各位主任、委员|我代表\S{0,12}?(?:人民政府|行署)[，,]?向大会报告工作",
                                 norm[:3000]) else "summary"
    title = _title(county, year)
    if kind == "summary" and title:
        title += "（新闻摘要）"
    return Meta(title, province, city, county, year, reviewed_year, date, speaker, kind, level)


def _title(place: str, year: int | None) -> str:
    """Example: _title("代县", 2023) -> "代县2023年政府工作报告"; the nation's is the State Council's."""
    if not place or not year:
        return ""
    return f"{year}年国务院政府工作报告" if place == "全国" else f"{place}{year}年政府工作报告"


def override(meta: Meta, fields: dict) -> Meta:
    """Fields a user set (a sidecar, an upload form): a place brings its province, prefecture and
    level from the national list; a meeting year its reviewed year, unless that is set too."""
    known = {k: v for k, v in fields.items() if k in Meta.__dataclass_fields__ and v not in (None, "")}
    if "county" in known:
        from corpus.places import lookup

        place = lookup(known["county"])
        if place is not None:
            known["county"] = place.name
            known.setdefault("province", place.province)
            known.setdefault("city", place.city)
            known.setdefault("level", place.level)
    if "year" in known:
        known["year"] = int(known["year"])
        known.setdefault("reviewed_year", known["year"] - 1)
    meta = replace(meta, **known)
    if {"county", "year"} & known.keys() and meta.county and meta.year:
        meta = replace(meta, title=_title(meta.county, meta.year) + ("（新闻摘要）" if meta.kind == "summary" else ""))
    return meta


def load_sidecar(path: Path, meta: Meta) -> Meta:
    """Apply `report.meta.json` (or `report.txt.meta.json`) beside a report, if present."""
    for sidecar in (path.with_suffix(".meta.json"), path.with_name(path.name + ".meta.json")):
        if sidecar.is_file():
            return override(meta, json.loads(sidecar.read_text(encoding="utf-8")))
    return meta
