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

# prefecture-level cities and the county-level places under them that we know of; text mentions
# of a city decide when a county is not listed here
PREFECTURES = {
    "山西": {
        "太原": "清徐 阳曲 娄烦 古交", "大同": "阳高 天镇 广灵 灵丘 浑源 左云",
        "阳泉": "平定 盂县", "长治": "襄垣 平顺 黎城 壶关 长子 武乡 沁县 沁源",
        "晋城": "沁水 阳城 陵川 泽州 高平", "朔州": "山阴 应县 右玉 怀仁",
        "晋中": "榆社 左权 和顺 昔阳 寿阳 祁县 平遥 灵石 介休",
        "运城": "临猗 万荣 闻喜 稷山 新绛 绛县 垣曲 夏县 平陆 芮城 永济 河津",
        "忻州": "定襄 五台 代县 繁峙 宁武 静乐 神池 五寨 岢岚 河曲 保德 偏关 原平",
        "临汾": "曲沃 翼城 襄汾 洪洞 古县 安泽 浮山 吉县 乡宁 大宁 隰县 永和 蒲县 汾西 侯马 霍州",
        "吕梁": "文水 交城 兴县 临县 柳林 石楼 岚县 方山 中阳 交口 孝义 汾阳",
    },
    "甘肃": {
        "兰州": "永登 皋兰 榆中", "白银": "靖远 会宁 景泰", "天水": "清水 秦安 甘谷 武山 张家川",
        "武威": "民勤 古浪 天祝", "张掖": "肃南 民乐 临泽 高台 山丹", "平凉": "泾川 灵台 崇信 庄浪 静宁 华亭",
        "酒泉": "金塔 瓜州 肃北 阿克塞 玉门 敦煌", "庆阳": "庆城 环县 华池 合水 正宁 宁县 镇原",
        "定西": "通渭 陇西 渭源 临洮 漳县 岷县", "陇南": "成县 文县 宕昌 康县 西和 礼县 徽县 两当",
        "临夏": "临夏县 康乐 永靖 广河 和政 东乡 积石山", "甘南": "临潭 卓尼 舟曲 迭部 玛曲 碌曲 夏河 合作",
    },
}
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


def short_name(place: str) -> str:
    """A place without its 县/市/区 suffix, as people say it. Example: short_name("侯马市") -> "侯马" """
    if len(place) > 2 and place[-1] in "县市区旗":
        return place[:-1]
    return place


def _locate(county: str) -> tuple[str, str]:
    short = short_name(county)
    for province, cities in PREFECTURES.items():
        for city, places in cities.items():
            if short in places.split() or county in places.split():
                return province + "省", city + "市"
    return "", ""


def _county(text: str) -> str:
    patterns = [
        r"在([\u4e00-\u9fff]{1,4}?[县市区旗])第[一二三四五六七八九十]+届人民代表大会",
        r"([\u4e00-\u9fff]{1,4}?[县市区旗])第[一二三四五六七八九十]+届人民代表大会",
        r"([\u4e00-\u9fff]{1,4}?[县市区旗])人民政府(?:县长|市长|区长|旗长)",
        r"(?:\d{4}年)?([\u4e00-\u9fff]{1,4}?[县市区旗])(?:人民)?政府工作报告",
    ]
    for pattern in patterns:
        found = Counter(re.findall(pattern, text[:20000]))
        if found:
            return found.most_common(1)[0][0]
    return ""


def _year_of(cn: str) -> int:
    return int("".join(str(_CN_DIGITS.get(c, c)) for c in cn))


def extract(text: str) -> Meta:
    """Metadata from a report's text (any script).

    Example: extract("——2023年2月22日在代县第十七届人民代表大会第三次会议上 …一、2022年工作回顾")
             -> Meta(county="代县", year=2023, reviewed_year=2022, date="2023-02-22", …)
    """
    norm = normalize(text)
    county = _county(norm)
    province, city = _locate(county)
    if not province:
        mentions = Counter(p for p in PROVINCES for _ in re.finditer(p, norm))
        province = mentions.most_common(1)[0][0] + "省" if mentions else ""
        cities = Counter(re.findall(r"([\u4e00-\u9fff]{2})市(?:委|政府|人大)", norm))
        city = cities.most_common(1)[0][0] + "市" if cities else ""

    date = ""
    meeting = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*在\S{0,12}?(?:人民代表大会|人大)", norm)
    if meeting:
        y, m, d = (int(g) for g in meeting.groups())
        date = f"{y:04d}-{m:02d}-{d:02d}"
    reviewed = Counter(int(y) for y in re.findall(r"(\d{4})年工作回顾", norm))
    reviewed += Counter(int(y) for y in re.findall(r"回[眸顾](\d{4})", norm))
    reviewed += Counter(int(y) for y in re.findall(r"总结了\S{0,6}?(\d{4})年工作", norm))
    reviewed_year = reviewed.most_common(1)[0][0] if reviewed else None
    year = int(date[:4]) if date else None
    if year is None:
        planned = Counter(int(y) for y in re.findall(r"(\d{4})年工作(?:安排|任务)|展望(\d{4})", norm) for y in y if y)
        planned += Counter(int(y) for y in re.findall(r"^(\d{4})年\S{0,6}政府工作报告", norm[:200]))
        year = planned.most_common(1)[0][0] if planned else (reviewed_year + 1 if reviewed_year else None)
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
    for pattern in (
        r"人民政府(?:代理)?(?:县长|市长|区长|旗长)\s*([\u4e00-\u9fff]{2,4}?)\s*(?:各位代表|\n|$| )",
        r"(?:县长|市长|区长)([\u4e00-\u9fff]{2,3}?)代表\S{0,6}人民政府",
    ):
        found = re.search(pattern, norm)
        if found:
            speaker = found.group(1)
            break
    # a report opens with its meeting line and "各位代表"; a news write-up does not
    kind = "report" if re.search(r"各位代表", norm[:3000]) else "summary"
    title = f"{county}{year}年政府工作报告" if county and year else ""
    if kind == "summary" and title:
        title += "（新闻摘要）"
    return Meta(title, province, city, county, year, reviewed_year, date, speaker, kind)


def load_sidecar(path: Path, meta: Meta) -> Meta:
    """Apply `report.meta.json` (or `report.txt.meta.json`) beside a report, if present."""
    for sidecar in (path.with_suffix(".meta.json"), path.with_name(path.name + ".meta.json")):
        if sidecar.is_file():
            data = json.loads(sidecar.read_text(encoding="utf-8"))
            known = {k: v for k, v in data.items() if k in Meta.__dataclass_fields__}
            return replace(meta, **known)
    return meta
