"""Canonical names of the headline indicators work reports give, with the everyday names people
(and reports) use for them.

Example: canonical("GDP") -> "地区生产总值"; find("农民收入和财政收入") -> ["农村居民人均可支配收入", "一般公共预算收入"]
"""
from __future__ import annotations

import functools
import re

from corpus.clean import normalize

# canonical name -> other names; a name belongs to one indicator only
ALIASES: dict[str, tuple[str, ...]] = {
    "地区生产总值": ("GDP", "gdp", "生产总值", "经济总量", "国内生产总值", "经济增速", "经济增长"),
    # a per-capita figure is its own indicator, never its total
    "人均地区生产总值": ("人均GDP", "人均gdp", "人均生产总值", "人均国内生产总值"),
    "规模以上工业总产值": ("规上工业总产值", "规模工业总产值"),
    "一般公共预算收入": ("财政收入", "一般预算收入", "公共财政预算收入", "地方财政收入", "财政一般预算收入",
                 "一般公共财政预算收入", "地方一般公共预算收入"),
    "财政总收入": ("财政总收入",),
    "一般公共预算支出": ("财政支出", "一般预算支出", "公共财政预算支出"),
    "税收收入": ("税收",),
    "规模以上工业增加值": ("规上工业增加值", "规上工业", "规模以上工业", "规模工业增加值"),
    "固定资产投资": ("固投", "全社会固定资产投资"),
    "社会消费品零售总额": ("社消零", "社零", "社会消费品零售额", "消费品零售总额", "社会消费品零售"),
    "城镇居民人均可支配收入": ("城镇常住居民人均可支配收入", "城镇居民收入", "城镇居民人均收入", "城镇人均可支配收入", "城镇居民可支配收入"),
    "农村居民人均可支配收入": ("农村常住居民人均可支配收入", "农村牧区常住居民人均可支配收入", "农牧民人均可支配收入",
                     "农村牧区居民人均可支配收入", "农牧民收入", "农民人均可支配收入", "农民收入", "农民人均收入", "农村居民收入", "农村人均可支配收入",
                     "农村居民人均收入", "农民可支配收入", "农村居民可支配收入"),
    "居民人均可支配收入": ("人均可支配收入", "居民收入"),
    "粮食产量": ("粮食总产", "粮食总产量", "粮食生产"),
    "进出口总额": ("进出口总值", "外贸进出口", "进出口", "外贸"),
    "实际利用外资": ("利用外资",),
    "城镇新增就业": ("新增就业", "城镇新增就业人数", "新增城镇就业"),
    "城镇登记失业率": ("失业率", "城镇调查失业率", "调查失业率"),
    "居民消费价格涨幅": ("CPI", "cpi", "居民消费价格", "物价涨幅", "物价"),
    "第一产业增加值": ("一产增加值",),
    "第二产业增加值": ("二产增加值",),
    "第三产业增加值": ("三产增加值", "服务业增加值"),
    "单位地区生产总值能耗": ("单位GDP能耗", "单位生产总值能耗", "单位国内生产总值能耗", "能耗强度", "万元GDP能耗", "万元地区生产总值能耗",
                   "万元生产总值能耗"),
    "空气质量优良天数": ("优良天数", "空气优良天数"),
    "空气质量优良天数比例": ("空气质量优良率", "空气优良率", "优良天数比例", "空气质量优良天数比率", "空气优良天数比例"),
    "招商引资": ("招商引资到位资金", "引资"),
    "常住人口城镇化率": ("城镇化率", "城镇化水平"),
}


# the units a canonical indicator's own amount comes in; growth, targets, shares and ranks come in
# %, 个百分点 and 位 besides. A figure in another unit ("6项 主要经济指标") is not that indicator.
MONEY = ("元", "万元", "亿元", "千元", "亿", "万", "万亿元", "美元", "万美元", "亿美元")
UNITS: dict[str, tuple[str, ...]] = {
    **{name: MONEY for name in ("地区生产总值", "人均地区生产总值", "规模以上工业总产值", "一般公共预算收入", "财政总收入", "一般公共预算支出", "税收收入",
                                "规模以上工业增加值", "固定资产投资", "社会消费品零售总额", "城镇居民人均可支配收入",
                                "农村居民人均可支配收入", "居民人均可支配收入", "进出口总额", "实际利用外资",
                                "第一产业增加值", "第二产业增加值", "第三产业增加值", "招商引资")},
    "粮食产量": ("公斤", "万公斤", "亿公斤", "吨", "万吨", "斤", "万斤", "亿斤", "万亿斤"),
    "城镇新增就业": ("人", "万人", "名"),
    "空气质量优良天数": ("天",),
    "城镇登记失业率": (), "居民消费价格涨幅": (), "单位地区生产总值能耗": (), "空气质量优良天数比例": (), "常住人口城镇化率": (),
}
RATES = ("%", "个百分点", "百分点", "‰", "位", "前")


# The words that mark what kind of figure a number is, and for which period: one vocabulary for
# the extractor (corpus/facts.py) reading a report and the reader (qa/retrieval/reading.py)
# reading a question, so a word that marks a target or a rate in one marks it in the other.
TARGET_WORDS = ("预期目标", "主要目标", "目标", "力争", "确保", "预期", "计划", "争取", "打算", "拟")
ESTIMATE_WORDS = ("预计",)  # the year reviewed's estimated actual, never a target
# five-year plans: the years each covers; "…末" is its last year
PLANS = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
         "十五五": (2026, 2030)}
SPAN_WORDS = ("过去五年", "五年来", "近五年", "过去的五年", "这五年", "本届政府", "五年间")
# relative years, by the report's (or the question's) own year: 今年 is the meeting year
RELATIVE_YEARS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "上一年": -1, "过去一年": -1, "过去的一年": -1, "明年": 1,
                  "前年": -2}


def words(vocabulary: tuple[str, ...]) -> str:
    """A regex alternation of vocabulary words, longest first. Example: words(("目标", "预期目标")) -> "预期目标|目标" """
    return "|".join(sorted(map(re.escape, vocabulary), key=len, reverse=True))


# "“十三五”末" (the plan's last year), and the spans a figure can be about (过去五年, 十四五期间)
PLAN_END = re.compile(rf"({words(tuple(PLANS))})[”\"’']?(?:末|期末)")
SPAN = re.compile(rf"{words(SPAN_WORDS)}|(?:{words(tuple(PLANS))})(?![”\"’']?(?:末|期末))")


# the words of a question that name its span; its figures are found by the span their paragraph speaks
# of ("这五年，…城镇新增就业603.7万人"), not by these words in their sentence
_SPAN_NAMES = re.compile(rf"[“\"'‘]?(?:{words(tuple(PLANS))})[”\"'’]?(?:期间|时期|以来)?|{words(SPAN_WORDS)}|累计|期间|时期")


def without_span(text: str) -> str:
    """Example: without_span("十四五期间河南城镇累计新增就业多少人？") -> "河南城镇新增就业多少人？" """
    return _SPAN_NAMES.sub("", text) if SPAN.search(text) else text


def plan_end(text: str) -> int | None:
    """The last year of the five-year plan a text names. Example: plan_end("“十三五”末") -> 2020"""
    found = re.search("|".join(PLANS), text)
    return PLANS[found.group(0)][1] if found else None


def fits(name: str, unit: str) -> bool:
    """Whether a figure in `unit` can be the canonical indicator `name`. Example: fits("社会消费品零售总额", "项") -> False"""
    return unit in RATES or unit in UNITS.get(name, (unit,))


@functools.cache
def _table() -> dict[str, str]:
    table = {}
    for name, others in ALIASES.items():
        for alias in (name, *others):
            table[normalize(alias).lower()] = name
    return table


def canonical(name: str) -> str | None:
    """The canonical indicator a name means, or None."""
    return _table().get(normalize(name.strip()).lower())


def aliases_of(name: str) -> tuple[str, ...]:
    """Every name of a canonical indicator, normalized: aliases_of("地区生产总值") -> ("地区生产总值", "gdp", …)"""
    return tuple(alias for alias, of in _table().items() if of == name)


def names() -> list[str]:
    return list(ALIASES)


@functools.cache
def _any_name() -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(_table(), key=len, reverse=True))))


def without_names(text: str) -> str:
    """The text with every indicator's name taken out, so a name's own 总额 or 增加值 is not read as
    a word of the question: without_names("社会消费品零售总额增长多少") -> "增长多少" """
    return _any_name().sub("", text.lower())


# a short name is read as the indicator only when it is not the tail of a longer noun: "工业经济总量"
# is not 经济总量 (GDP), "一产固投" not 固投; a scope or a year may precede it
_OPEN_BEFORE = set("年的县市区旗州盟省国全和及与是为将到即中其、共计下期间")  # 一共、累计 too; "正常年景下粮食产量"


# "规模以上工业企业", "工业增加值占比…": a name followed by these counts firms or another measure
_NARROWER_AFTER = re.compile(r"^(?:企业|总产值|产值|营业收入|营收|利润|用电|项目|单位|主体|出口|进口)")  # 外贸出口: exports only


# "信息技术服务业增加值", "工业固定资产投资", "服务进出口总额": a narrower measure than the indicator
_NARROWER_BEFORE = ("工业", "民间", "制造业", "技术", "房地产", "基础设施", "生产性", "金融", "服务", "数字", "项目",
                    "新增", "外资", "农业", "商品房", "贸易")


def _narrower(text: str, at: int, size: int) -> bool:
    """The name at `at` is part of a narrower measure's: 企业/产值 after it, 工业/服务 before it."""
    return bool(_NARROWER_AFTER.match(text[at + size:])) or \
        any(text.endswith(w, 0, at) for w in _NARROWER_BEFORE) and not text.startswith("规", at)


def _free(text: str, at: int, size: int = 0) -> bool:
    """A short name (固投, 经济总量) glued to the character before it names something narrower;
    a name glued to 企业/产值 after it names firms or another measure."""
    before = text[at - 1] if at > 0 else ""
    if size and _narrower(text, at, size):
        return False
    # "哪个GDP增速更快": a Latin name after a measure word is free ("占GDP比重", "单位GDP能耗" are not)
    return (size > 4 or text[at: at + size].isascii() and before == "个" or not ("\u4e00" <= before <= "\u9fff")
            or before in _OPEN_BEFORE or _after_place(text, at))


def _after_place(text: str, at: int) -> bool:
    """"广东进出口", "宜昌规上工业": a place's name right before opens the indicator's name too."""
    from corpus.places import _index

    names = _index()
    return any(text[at - n: at] in names for n in (2, 3, 4, 5) if at >= n)


def find(text: str) -> list[str]:
    """Canonical indicators a text names, longest name first at each position, in order of mention.
    城乡居民… names both the urban and the rural indicator."""
    low = normalize(text).lower()
    timeless = re.sub(r"(?:19|20)\d{2}年|去年|今年|上年|明年", "", low)
    if timeless == low:
        return _find(low)
    # "农民去年人均收入" is 农民人均收入 (a time word inside a name); "海拉尔2016年社零" is still 社零, as read
    # with the year; a name read only with the year that is part of one read without it is that one
    bare, dated = _find(timeless), _find(low)
    return bare + [n for n in dated if n not in bare and not any(n in m for m in bare)]


def _find(low: str) -> list[str]:
    low = re.sub(r"城乡(常住)?居民([\u4e00-\u9fff]{0,8}?(?:收入|支出))", r"城镇\1居民\2、农村\1居民\2", low)
    low = re.sub(r"城镇(?:和|及|与|、)农村(常住)?居民([\u4e00-\u9fff]{0,8}?(?:收入|支出))", r"城镇\1居民\2、农村\1居民\2", low)
    low = re.sub(r"城镇(常住)?居民(?:和|及|与|、)(农牧民|农民|农村(?:牧区)?(?:常住)?居民)([\u4e00-\u9fff]{0,8}?(?:收入|支出))",
                 r"城镇\1居民\3、\2\3", low)
    table = _table()
    longest = max(map(len, table))
    out: list[str] = []
    i = 0
    while i < len(low):
        for size in range(min(longest, len(low) - i), 1, -1):
            name = table.get(low[i : i + size])
            if name and _free(low, i, size):
                shared = _shared_tail(low, i, size)
                for each in (shared, name):
                    if each and each not in out:
                        out.append(each)
                i += size
                break
        else:
            i += 1
    return out


def only_within(text: str, name: str) -> bool:
    """Whether the indicator's names occur in the text only inside a narrower measure's name:
    "规上工业单位增加值能耗下降2.4%" names 规上工业 only within 规上工业单位增加值能耗."""
    low = normalize(text).lower()
    spots = [(m.start(), len(alias)) for alias in aliases_of(name) for m in re.finditer(re.escape(alias), low)]
    # not free for a narrower measure's words around it, not merely for a verb glued before ("确保粮食总产")
    return bool(spots) and not any(_free(low, at, size) for at, size in spots) \
        and any(_narrower(low, at, size) for at, size in spots)


def _shared_tail(low: str, at: int, size: int) -> str | None:
    """The indicator named before a listed one that shares its tail: in "第一产业和第三产业增加值" and
    "第一、第三产业增加值", 第一产业增加值 before 第三产业增加值."""
    if at < 2 or low[at - 1] not in "和与及、":
        return None
    table, name = _table(), low[at: at + size]
    for length in range(min(6, at - 1), 0, -1):
        head = low[at - 1 - length: at - 1]
        if not re.fullmatch(r"[\u4e00-\u9fff]+", head):
            continue
        for k in range(1, size):
            if (found := table.get(head + name[k:])) and found != table[name]:
                return found
    return None


def starts(text: str) -> str | None:
    """The canonical indicator a text opens with. Example: starts("GDP增长多少") -> "地区生产总值" """
    low = normalize(text).lower()
    table = _table()
    for size in range(min(max(map(len, table)), len(low)), 1, -1):
        if low[:size] in table:
            return table[low[:size]]
    return None


def last_before(text: str, end: int) -> tuple[str, int] | None:
    """The canonical indicator named last before position `end` of `text` (normalized), and where."""
    low = text.lower()
    table = _table()
    best = None
    for alias, name in table.items():
        at = low.rfind(alias, 0, end)
        while at >= 0 and not _free(low, at, len(alias)):
            at = low.rfind(alias, 0, at)
        if at >= 0 and (best is None or at + len(alias) > best[1] or at + len(alias) == best[1] and len(alias) > best[2]):
            best = (name, at + len(alias), len(alias))
    return (best[0], best[1]) if best else None
