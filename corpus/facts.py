"""Facts at ingest: every figure a report states, bound to its place, year, indicator and kind.

    extract_facts(doc_id, "代县", 2023, 2022, paragraphs)
    -> [Fact(place="代县", year=2022, indicator="地区生产总值", value=90.2, unit="亿元", kind="actual", …),
        Fact(… indicator="地区生产总值", value=3.9, unit="%", kind="growth", qualifiers=("同比",)), …]

The year comes from the sentence when it names one, else from the section (the year reviewed,
or the coming year's plan), else from the report's metadata. Chinese numerals are read by cn2an.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.clean import normalize
from corpus.tables import PREFIX as TABLE_ROW
from corpus.indicators import UNITS as UNIT_OF
from corpus.indicators import (ESTIMATE_WORDS, PLAN_END, PLANS, RELATIVE_YEARS, SPAN, SPAN_WORDS, TARGET_WORDS, canonical,
                               fits, last_before, plan_end, words)
from corpus.records import Fact, Paragraph

UNITS = ("个百分点|百分点|%|‰|万亿元|万亿斤|亿美元|万美元|美元|亿斤|万斤|万标箱|标箱|微克/立方米|万辆|万家|万户|万个|万套|亿千瓦时|万千瓦时|亿立方米|万立方米|万平方米|平方米|平方公里|亿公斤|万公斤|公斤|万千瓦|千瓦|兆瓦|"
         "亿元|万元|元|万吨|吨|万亩|亩|公里|千米|米|万人次|人次|万人|人|名|万户|户|家|个|项|所|座|条|辆|台|套|间|张|处|批|"
         "场|次|倍|天|位|万头|头|万只|只|千克|斤|亿|万")
FIGURE = re.compile(rf"(?P<sign>(?<![\d.%])-|负)?(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>{UNITS})")
RANK = re.compile(r"第\s*(?P<num>\d+)\s*(?:位|名)?|前\s*(?P<top>\d+)(?:位|名|强)")
_PLAN_HEADING = re.compile(r"安排|展望|目标|重点工作|主要任务|工作任务|总体要求|今年|\d{4}年工作")
_REVIEW_HEADING = re.compile(r"回顾|回眸|过去|一年来")
_ACHIEVED_HEADING = re.compile(r"总结|成就|成绩")  # the review, unless the heading names plans too
_TARGET = re.compile(rf"{words(TARGET_WORDS[:6])}|争取(?:达到|实现|完成|增长|突破)|确保|计划(?:完成|实现|达到|增长|新增|建设|投资)|"
                     r"将[^,，]{0,6}(?:达到|增长|完成)|要[^,，]{0,4}(?:达到|增长)")
_ESTIMATE = re.compile(words(ESTIMATE_WORDS))
_SENTENCE_TARGET = re.compile(r"^[^。]{0,6}(?:力争|确保|预期目标|目标是)")  # opens the sentence: every figure in it
_GROWTH_BEFORE = re.compile(r"(增长|增速|增幅|下降|提高|上涨|降低|回落|减少|增加(?!值)|涨幅|降幅|提升|微降|略降|下跌|微涨|上升|递增|递减)[^,，;；\d]{0,4}$")
_BASE_ONLY = re.compile(r"(?:比|较)(?:上年度?|去年|上一年|\d{4}年)(?:同期)?|同比")  # a change's base, no name
_RAISED_TO = re.compile(r"(?:提高|提升|增长|增加|上升|下降|降低|回落|跃升|攀升)(?:到|至)\s*$")  # "提高到84%": a level
_GAP_BEFORE = re.compile(r"(?:高于|低于|快于|慢于|领先|高出|超出)[^,，;；\d]{0,8}$")
_DECLINE_BEFORE = re.compile(r"(下降|降低|回落|减少|降幅|微降|略降|下跌|递减)[^,，;；\d]{0,4}$")
# a floor held ("稳定在1100亿斤以上"), over a run of years ("连续9年稳定在…")
_HELD = re.compile(r"(?:稳定|保持|稳)在[^,，;；\d]{0,2}$")
_RUN = re.compile(rf"(连续(?:\d+|[一二三四五六七八九十]+)年)(?:[^,，;；\d]{{0,4}})?(?:{_HELD.pattern}|(?:站稳|超过|保持|均在|都在)[^,，;；\d]{{0,2}}$)")
# "比2010年增加13480元", "农民人均收入增加1207元": an increase, not the level ("增加到…" is the level)
_INCREMENT_BEFORE = re.compile(r"(?:比|较)(?:\d{4}年|上年|去年)[^,，;；\d]{0,3}(?:增加|增长|多|减少|下降)[^,，;；\d]{0,2}$|"
                               r"[\u4e00-\u9fff](?:增加|增长|提高|减少|下降)了?$")
_RATIO_BEFORE = re.compile(r"(?:(?:与|同)[^,，;；、]{1,14}?的?(?:比率|比值|之比)|贡献率|拉动率)[^,，;；、\d]{0,4}$")
_SHARE_BEFORE = re.compile(r"(占|比重|占比)[^,，;；\d]{0,14}$")
_PLAN_NAMES = words(tuple(PLANS))
# a paragraph that opens on the five-year span ("这五年，", "“十四五”时期…", "…收官之年。五年来") and
# one that opens on the year reviewed ("过去一年", "刚刚过去的2025年", "2025年是很不平凡的一年")
_SPAN_OPENS = re.compile(rf"{words(SPAN_WORDS)}|(?:{words(tuple(PLANS))})[”\"’']?(?:时期|期间|以来)")
_YEAR_OPENS = re.compile(r"过去(?:的)?一年|一年来|刚刚过去的\d{4}年|^\d{4}年(?:是|，|,|以来|全)")
_SPAN = re.compile(SPAN.pattern + r"|(\d{4})\s*[-—至到]\s*(\d{4})年")
# "由“十二五”末的A亿元增长到B亿元": A is the start's figure, B the end's
_RANGE = re.compile(r"(?:由|从)(?P<start>[^,，;；。]*?)(?:增长|提高|增加|提升|扩大|上升|跃升|攀升|下降|降低|减少|缩小|增至|升至|降至)"
                    r"(?:到|至)?|(?:由|从)(?P<start2>[^,，;；。]*?)(?:到|至)(?=[^,，;；。]*\d)")
_SCOPE = re.compile(r"全国|我国|全省|我省|全市|我市|全县|我县|本县|全区|我区|全旗|我旗|全州|我州|全盟|我盟")
# "排全省第2", "占全市的15%", "高于全国平均": the level is a yardstick there, not what the figure is about
_YARDSTICK_AFTER = re.compile(r"^(?:的)?(?:第|前|平均|水平|百强|千强|排名|排|首|唯一|文明|重点|示范|先进|同类|领先|一流|最|之|"
                              r"各|范围|率先|乃至|人大|政协|两会|劳模|人民代表|通报|表彰|推广|试点|现场)")
_YARDSTICK_BEFORE = re.compile(r"(?:居|列|排|占|在|于|比|较|超|入|进|位|获|评|为|是|和|与|及|、|高出|低于|快于|慢于|领跑)$")
# what may open a clause before its subject: "2023年全省…", "其中全市…", "预计全年…"
_SUBJECT_LEAD = re.compile(r"(?:\d{4}年|今年|去年|全年|其中|同时|此外|上半年|前三季度|截至\S{0,8}?|预计|初步核算|经初步核算|目前|一年来|过去一年)*")
_LEVEL = re.compile(r"达到|突破|跨上|迈上|升至|提高到|增加到|增长到|增至|达|居|位居|超过|稳定在|保持在")
# an average over years ("年均增长6%", "每年新增就业3万人"), not a yearly mean of a level ("PM2.5年均浓度")
_AVERAGE = r"年均(?![浓值降气温])|每年"
_FLOW = re.compile(r"新增|累计|共|完成|实施|建成|新建|引进|培育|改造|减少|脱贫|转移|年均")
_TOWN = re.compile(r"([\u4e00-\u9fff]{2,4}(?:镇|街道))(?:实现|完成|全年|地区|的|GDP|规上|财政|一般)")
_NOT_TOWN = set("乡城村集小重强名古特")
_YEAR = re.compile(r"(?<![比较于至到\d])(\d{4})年(?!代|以来)")
_TO_YEAR = re.compile(r"(?:到|至|力争)(\d{4})年")
_LEAD = re.compile(r"(?:占(?:全[省市县国区州旗盟])?|同比|比上年度?|较上年度?|年均|增速|增幅|增长|下降|总量|排名|位居|名列|居|全省|全市|全国|全区|其中|占比|比重|"
                   r"分别|累计|提高|增加|达到|完成|实现|为|了|的|排|第|并|且|还|也|又|跨上|迈上|跃上|站上|突破|超过|首次|预计|力争|确保|争取|努力|约|近|超|不低于|不超过|均|保持|继续|稳居|稳定在|递增|递减|比\d{4}年|较\d{4}年)*")
_AFTER_FIGURE = ("左右", "以上", "以内", "以下")
_QUALIFIERS = ("左右", "以上", "以内", "以下", "力争", "预计", "约", "近", "超", "突破", "跨上", "迈上", "同比", "不低于",
               "不超过")
_VERBS = re.compile(r"^(?:力争|争取|确保|努力|预计|年均|全年|全县|全市|全区|全旗|其中|累计|新增|新建|建成|完成|实现|达到|达|共|新|年)+")
_TAIL_VERBS = re.compile(r"(?:完成|实现|达到|达|为|增长|增加|突破|超过|超|逾|约|近|提高|下降|共|累计|新增|建成|稳定在|保持在|控制在|不低于|不少于|不超过|不高于|分别)+$")


def section_of(heading: str, year: int | None = None) -> str:
    """"plan", "review" or ""; the plan wins when a heading has both (…今年工作安排 under 回顾).
    With the report's year, a heading's own year decides: "2025年工作总结" of a 2026 report is the
    review, "2026年重点工作" the plan."""
    last = heading.split(" > ")[-1] if heading else ""
    for part in (last, heading):
        years = {int(y) for y in _YEAR.findall(part)}
        if year is not None and years:
            if all(y < year for y in years):
                return "review"
            if year in years and not _REVIEW_HEADING.search(part):
                return "plan"
        if _PLAN_HEADING.search(part) and not _REVIEW_HEADING.search(part):
            return "plan"
        if _REVIEW_HEADING.search(part) or _ACHIEVED_HEADING.search(part) and not _PLAN_HEADING.search(part):
            return "review"
    return ""


_CN = "零〇一二三四五六七八九十百千万亿两点"
_CN_RUN = "零〇一二三四五六七八九十百千两点"  # 万 and 亿 stay with the unit: 九十点二万吨 -> 90.2万吨
_CN_FIGURE = re.compile(rf"百分之([{_CN}]+)|第([{_CN}]+)(?=[位名])|(?<=全[省市国区州盟县旗])第([{_CN}]+)(?![{_CN}]|[批次届个期轮部章节年季产步])|"
                        rf"(?<![{_CN}])([{_CN_RUN}]{{2,}})(?=(?:{UNITS}))")


def _numerals(text: str) -> str:
    """Chinese numerals that state a figure as digits: 百分之五 -> 5%, 第二位 -> 第2位, 九十点二亿元 ->
    90.2亿元 (cn2an reads them). A lone 一 (一批, 一般, 一产) is a word, not a figure, and stays."""
    import warnings

    import cn2an

    def digits(m: re.Match) -> str:
        words = next(g for g in m.groups() if g)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                number = cn2an.cn2an(words, "smart")
            except Exception:  # not a number after all (一二三产): leave the words
                return m.group(0)
        number = f"{number:.6f}".rstrip("0").rstrip(".") if isinstance(number, float) else str(number)
        return f"{number}%" if m.group(1) else f"第{number}" if m.group(2) or m.group(3) else number

    return _CN_FIGURE.sub(digits, text)


_NOUN_AFTER = re.compile(r"^(?:的)?([^\d,，;；:：、。(（)）“”\"]{2,14}?)(?=$|[,，;；:：、。(（“]|和|及|等|的|项目)")
_ACTION = re.compile(r"^(?:已|新|再|共|累计|全年)?(?:编制|办好|支持|投入|开工|开续建|实施|推进|完成|新建|建成|培育|建设|改造|"
                     r"打造|引进|举办|组织|新增|发放|争取|落实|启动|谋划|认定|创建|获批|出台|制定|签约|带动|吸纳|帮助|"
                     r"提供|开展|兑现|招引|储备|实现|达到|突破|已开工|完工|引导|输转|转移)*$")


_MEASURES = {"增加值", "总产值", "产值", "营业收入", "利润", "利润总额", "营收", "产量", "总产量"}
_MEASURED = re.compile(r"(?:面积|量|值|收入|营收|额|数|规模|投资|利润|税收|消费|支出|率)$")  # a name that is a measure itself


def _measure_of(before: str, measure: str) -> str:
    """The canonical indicator a bare measure names with a subject said before it, else the measure.
    Example: _measure_of("粮食播种面积1584.6万亩、", "总产量") -> "粮食产量" """
    runs = re.findall(r"[\u4e00-\u9fff]{2,12}", before)[-3:]
    for run in reversed(runs):
        for i in range(len(run) - 1):
            for j in range(len(run), i + 1, -1):
                for tail in (measure, measure.lstrip("总")):
                    if (name := canonical(run[i:j] + tail)) and name != canonical(tail):
                        return name
    return measure
_MILESTONE = re.compile(r"(?:新的?|大)?(?:台阶|大关|关口|新高|量级)")  # "突破500亿元大关": a mark passed, not a noun


def _phrase(before: str, after: str = "") -> str:
    """What a figure counts, when no canonical indicator is named: "建成5G基站220座" -> "5G基站";
    after a bare verb, the noun that follows: "编制53个行政村国土空间总体规划" -> "行政村国土空间总体规划";
    an investment names its project: "投资2.2亿元的山西鸿耀光伏玻璃一期" -> "山西鸿耀光伏玻璃一期投资"."""
    piece = re.split(r"[,，;；:：、(（)）“”\"]", before)[-1]
    after = re.sub(r"^(?:左右|以上|以内|以下)", "", after)  # what follows a figure's qualifier, not the qualifier
    if re.search(r"(?:总)?投资$", piece) and (m := _NOUN_AFTER.match(after)) and after.startswith("的"):
        return (m.group(1) + "投资")[-16:]
    piece = re.sub(r"(?:由|从)(?:[^由从]*?\d[^由从]*)?$", "", piece)  # "城镇化率由52.23%提高到58.08%": the rate's name
    piece = _TAIL_VERBS.sub("", _VERBS.sub("", piece)).strip()
    piece = re.sub(r"\d+(?:\.\d+)?\s*$", "", piece)
    if (not piece or _ACTION.fullmatch(piece)) and (m := _NOUN_AFTER.match(after)) and not _MILESTONE.match(m.group(1)):
        return m.group(1)
    if _ACTION.fullmatch(piece):
        return ""
    return piece[-12:]


def _paired(subject: str) -> list[str]:
    """"城镇、农村居民人均可支配收入" -> ["城镇居民人均可支配收入", "农村居民人均可支配收入"]; 城乡 is 城镇、农村."""
    subject = re.sub(r"城乡((?:常住)?居民)", r"城镇、农村\1", subject)
    subject = re.sub(r"(城镇|农村|城市)(?:和|及|与)", r"\1、", subject)
    items = [s for s in subject.split("、") if s]
    if len(items) < 2:
        return items
    last = items[-1]
    # the measure the last name ends in is every name's ("粮食、蔬菜、肉蛋奶产量" -> 粮食产量…)
    measure = next((m for m in sorted(_MEASURES, key=len, reverse=True) if last.endswith(m) and len(last) > len(m)), "")
    out = []
    for item in items[:-1]:
        parallel = item + last[len(item):]  # "城镇、农村居民…", "第一、第三产业…": names as long as the last's head
        if measure and len(item) >= 2 and not canonical(item) and not _MEASURED.search(item) \
                and not canonical(parallel) and len(item) != len(last) - len(measure):
            out.append(item + measure)
        elif len(item) < len(last) and not canonical(item):
            out.append(parallel if len(item) <= 4 else item)
        else:
            out.append(item)
    return out + [last]


def extract_facts(doc_id: str, place: str, year: int | None, reviewed_year: int | None,
                  paragraphs: Sequence[Paragraph], province: str = "") -> list[Fact]:
    """Every figure of a report, bound to the place its sentence speaks for (in a county's report
    "全省…" is the province's figure), the period it is about, its indicator and kind."""
    from corpus.places import lookup

    home = lookup(place, within=province) if place else None
    home = home if home is not None and home.name == place else None
    facts: list[Fact] = []
    seen_plan = False
    looking_back = False  # inside a five-year review: "这五年，…" paragraphs until "过去一年"/"2025年是…"
    on_year, under = False, None  # under a five-year heading, "刚刚过去的2025年，…" and what follows it are the year's
    for p in paragraphs:
        part = section_of(p.heading, year)
        if part == "plan" or re.search(r"主要预期目标|今年.{0,6}目标", p.norm[:80]):
            seen_plan, part = True, "plan"
        elif not part:
            part = "plan" if seen_plan else "review"
        opener = re.sub(r"^各位代表[!！,，:：]?", "", p.norm)[:40]
        if part == "plan" and re.match(rf"(?:{words(SPAN_WORDS)}|过去一年|一年来)", opener):
            part = "review"  # "这五年，我们…" under "“十四五”时期发展成就和“十五五”时期主要目标任务"
        default = year if part == "plan" else reviewed_year
        # a five-year review's figures without a year of their own are the span's, not the year's
        last = p.heading.split(" > ")[-1]
        if part != "review" or _YEAR_OPENS.search(opener) and not _SPAN_OPENS.search(opener):
            looking_back = False
        elif _SPAN_OPENS.search(opener):
            looking_back = True
        on_year = last == under and on_year and not _opens_span(opener) or _opens_year(opener, reviewed_year)
        under = last
        five = part == "review" and not on_year and bool(looking_back or re.search(words(SPAN_WORDS), last)
                                         or re.search(_PLAN_NAMES, last) and not re.search(r"\d{4}年", last))
        # the goals of the next five-year plan are for its span, not for the coming year
        # (not "今年经济社会发展的主要预期目标是…" under "推动“十五五”开好局")
        five = five or part == "plan" and bool(re.search(r"今后五年|未来五年", p.norm[:20])
                                               or re.search(r"十五五", last) and not re.search(r"\d{4}年", last)
                                               and not re.search(rf"今年|本年|{year}年", opener[:20]))
        goals = False  # "预期目标是：A增长3%；B增长7%；…": every item of the list is a target
        for sentence in re.findall(r"[^。；;!?！？]+[。；;!?！？]?", p.text):
            here = part
            opens = bool(re.search(r"(?:预期目标|主要目标|目标任务|发展目标)(?:是|为|如下)?[:：,，](?!\S{0,4}(?:完成|实现|超额))",
                                   normalize(sentence)[:40]))
            if goals or opens:
                here = "plan"
            if part == "plan" and re.match(r"^\s*\S{0,4}?(?:过去五年|五年来|过去一年|一年来)", sentence):
                here = "review"  # a look back inside the plan's section
            if sentence.startswith(TABLE_ROW):
                here = "review"  # a table's row names its years and kinds itself (目标 columns say so)
            when = year if here == "plan" else reviewed_year if here != part else default
            facts += _sentence_facts(doc_id, p.id, place, when, here, sentence, year, home, five)
            goals = (goals or opens) and sentence.rstrip().endswith(("；", ";"))
    return facts


def _opens_span(opener: str) -> bool:
    """A paragraph that opens on a span of years: "这五年", "“十四五”时期…", "2021年以来"."""
    return bool(_SPAN_OPENS.search(opener) or re.match(r"\d{4}年以来", opener))


def _opens_year(opener: str, reviewed_year: int | None) -> bool:
    """A paragraph that opens on the year reviewed: "过去一年", "刚刚过去的2025年", "2025年是…" (not "2021年以来")."""
    m = _YEAR_OPENS.search(opener)
    if not m or _opens_span(opener):
        return False
    stated = re.search(r"\d{4}", m.group(0))
    return stated is None or reviewed_year is None or int(stated.group(0)) == reviewed_year


def _relative(norm: str, plan_year: int | None) -> str:
    """今年/去年/明年 as the years they are in this report. Example (a 2024 report): "去年全县…" -> "2023年全县…";
    "比上年增长" stays (a base of comparison, not the figure's year)."""
    if not plan_year:
        return norm
    for word, shift in sorted(RELATIVE_YEARS.items(), key=lambda kv: -len(kv[0])):
        norm = re.sub(rf"(?<![比较同于])(?<!比同){word}(?!度)", f"{plan_year + shift}年", norm)
    return norm


def _scope(before: str, home) -> str:
    """The place the last level word before a figure names ("全省" in a county's report), or ""."""
    from corpus.places import scope

    for m in reversed(list(_SCOPE.finditer(before))):
        if _YARDSTICK_AFTER.match(before[m.end():]) or _YARDSTICK_BEFORE.search(before[: m.start()]):
            continue
        opens = max(before.rfind(c, 0, m.start()) for c in "，,；;：:") + 1
        if not _SUBJECT_LEAD.fullmatch(before[opens: m.start()].strip()):
            continue  # "紧盯打造全市清洁能源基地": inside a phrase, not the clause's subject
        return scope(m.group(0), home) if home is not None or m.group(0) in ("全国", "我国") else ""
    return ""


def _sentence_facts(doc_id: str, pid: str, place: str, default: int | None, part: str, sentence: str,
                    plan_year: int | None, home=None, five: bool = False) -> list[Fact]:
    norm = _relative(_numerals(normalize(sentence)), plan_year)
    if not re.search(r"\d", norm):
        return []
    norm = _BASIS.sub("", norm)  # how a figure is measured is not what it measures
    span = _SPAN.search(norm)
    out: list[Fact] = []
    current: list[str] = []  # the indicator(s) the clauses are about, carried from clause to clause
    said_in: dict[str, str] = {}  # unit -> the indicator of the sentence's last figure in it
    offset = 0
    for clause in _clauses(norm):
        start, offset = offset, offset + len(clause) + 1
        found = last_before(clause, len(clause))
        # "A、B分别…" and "A、B均增长8%": the names listed before it share the clause's figures
        each = re.search(r"分别|(?<=[\u4e00-\u9fff])(?<![年人平户亩])均(?=增长|下降|提高|增加|达到|为|超过|保持|居|位居|排名?|列)", clause)
        subject = clause[: each.start()] if each else ""
        if not each and re.search(r"城乡|(?:城镇|城市)(?:和|及|与|、)农村", clause) and len(FIGURE.findall(clause)) >= 2:
            # "城乡居民人均可支配收入为66081元和33393元": two figures, one for each
            first = FIGURE.search(clause)
            subject = re.sub(r"(?:为|达到?|分别|完成|实现)+$", "", clause[: first.start()])
        subject = re.sub(r"(城镇|农村|城市)(?:和|及|与)(?=城镇|农村|城市)", r"\1、", subject)
        if each and each.group(0) == "分别" and "、" not in subject and len(FIGURE.findall(clause[each.end():])) >= 2:
            subject = re.sub(r"(.+)(?:和|及|与)", r"\1、", subject, count=1)  # "游客数量和游客总花费分别增长10.3%、16.5%"
        if subject and ("、" in subject or "城乡" in subject):
            current = [canonical(s) or s for s in _paired(_phrase_list(subject))]
        figures = list(FIGURE.finditer(clause)) + [m for m in RANK.finditer(clause)]
        figures.sort(key=lambda m: m.start())
        if found and not subject:
            current = [found[0]]
        ranged = _RANGE.search(clause)
        previous_kind, previous_end, previous_value = "", -1, 0.0
        said = ""  # the indicator of the clause's last figure
        for i, m in enumerate(figures):
            before = clause[: m.start()]
            listed = previous_end >= 0 and clause[previous_end : m.start()].strip() in ("、", "和", "及", "与")
            if m.re is RANK:
                value, unit, kind = float(m.group("num") or m.group("top")), "位" if m.group("num") else "前",  "rank"
            else:
                unit = m.group("unit")
                if unit in ("亿", "万") and re.match(r"\d{4}年", clause[m.start():]):
                    continue
                if unit in ("位", "名") and clause[max(0, m.start() - 2): m.start()].strip().endswith(("第", "前")):
                    continue  # "第2位", "前8位" are ranks (read by RANK), not a count of 2
                if re.match(r"(19|20)\d{2}$", m.group("num")) and clause[m.end() - len(unit):].startswith("年"):
                    continue
                if unit in ("个百分点", "百分点") and _GAP_BEFORE.search(before):
                    continue  # "增幅高于全国0.2个百分点": a gap to a yardstick, not the indicator's change
                value = float(m.group("num")) * (-1 if m.group("sign") or _DECLINE_BEFORE.search(before) else 1)
                kind = ("growth" if unit in ("%", "个百分点", "百分点") and _GROWTH_BEFORE.search(before)
                        and not _RAISED_TO.search(before)
                        else "share" if unit in ("%", "‰") and _SHARE_BEFORE.search(before) else "actual")
                if kind == "actual" and _INCREMENT_BEFORE.search(before):
                    kind = "growth"  # "比2010年增加13480元": the increase, not the level
                if listed and previous_kind:  # "增长5.1%、7.1%": the second is what the first is
                    kind = previous_kind
                    if previous_value < 0:
                        value = -abs(value)
            previous_kind, previous_end, previous_value = kind, m.end(), value
            named = last_before(clause, m.start())
            own = _phrase(before, clause[m.end():])
            if len(current) > 1 and (not named and (not own or _LEAD.fullmatch(own) or re.search(r"[和及与、]", own) or own in current)
                                     or named and named[0] in current
                                     or named and subject and named[1] <= len(subject)):
                # "37462元和17597元、增长7%和10%": the n-th figure of its kind is the n-th name's
                rate = m.re is FIGURE and m.group("unit") in ("%", "个百分点", "百分点")
                nth = sum(1 for g in figures[:i] if g.re is FIGURE and (g.group("unit") in ("%", "个百分点", "百分点")) == rate)
                indicator = current[min(nth, len(current) - 1)]
            elif named:
                indicator = named[0]
            elif current and (not own or _LEAD.fullmatch(own)):
                indicator = current[0]  # ",同比增长3.9%", ",增速全省第2": still the clause before's indicator
            elif said and (not own or _LEAD.fullmatch(own)) or said_in.get(unit) and _BASE_ONLY.fullmatch(own):
                # "装机同比增加1829万千瓦、达到9048万千瓦": the clause's earlier figure's; "优良天数313天,
                # 比例达86%,比上年度增加12天": the sentence's last figure in that unit
                indicator = said or said_in[unit]
            else:
                indicator, current = own, []
            between = clause[figures[i - 1].end(): m.start()] if i > 0 else ""
            between = re.sub(rf"^(?:{'|'.join(_QUALIFIERS)})", "", between)  # "60万人以上、省外务工…"
            if named and i > 0 and named[1] <= figures[i - 1].start() and between[:1] in ("、", "；") \
                    and own and not _LEAD.fullmatch(own) and not listed and len(current) <= 1:
                indicator = own  # "新增城镇就业11333人、高校毕业生就业创业6083人": the second has its own name
            if kind == "share" and named and canonical(indicator) == indicator and "占" in clause[: named[1]]:
                numerator = re.split(r"[,，、]", clause[: clause.rfind("占", 0, named[1])])[-1]
                numerator = _VERBS.sub("", numerator).strip() or "其"
                indicator = f"{numerator}占{indicator}比重"  # "制造业增加值占地区生产总值比重": not GDP itself
            if indicator and _RATIO_BEFORE.search(before):
                indicator = own  # "社会物流总费用与GDP的比率降低1.1个百分点": the ratio's change, not GDP's
            elif indicator and canonical(indicator) == indicator and not fits(indicator, unit):
                indicator = own  # "等6项主要经济指标": a count, not the indicator named before it
            elif indicator and unit in ("%", "个百分点") and kind == "actual" and part == "review" \
                    and canonical(indicator) == indicator and UNIT_OF.get(indicator):
                indicator = own  # "物流总费用与地区生产总值的比率13.6%", "优良天数比例99.2%": a ratio, not the indicator
            if indicator in _MEASURES:
                # "规模以上工业企业达7.6万家、增加值增长3%", "粮食播种面积…、总产量132.4亿斤": a bare measure
                # is of the subject named before it in the sentence
                indicator = _measure_of(norm[: start + m.start()], indicator)
            if not indicator:
                continue
            said = said_in[unit] = indicator
            head = norm[: start + m.start()]
            # 左右/以上 follow a figure, 约/超/力争 precede it ("规模以上工业总产值745亿元" is not 745以上)
            # and a word before an earlier figure is that one's ("突破2万元、达到20793元": 20793 is exact)
            since = figures[i - 1].end() if i > 0 else 0
            ahead, behind = clause[max(since, m.start() - 8): m.start()], clause[m.end(): m.end() + 4]
            qualifiers = tuple(q for q in _QUALIFIERS if q in (behind if q in _AFTER_FIGURE else ahead))
            if re.search(_AVERAGE, clause[max(0, m.start() - 12): m.start()]):
                qualifiers += ("年均",)  # "每年城镇新增就业40万人以上": a yearly average over a span
            lead = clause[: m.start()]
            if re.search(r"五年|累计", lead) and (five or span is not None or "五年" in lead) and not _RUN.search(lead):
                qualifiers += ("累计",)  # a five-year total, not one year's
            # in a five-year review a flow ("新增就业86.22万人") or a goal is the span's; a level reached
            # ("达到41580元") is its last year's, and so is a plain rate ("增长8.9%": the span's says 年均)
            # a sentence that has stated an average annual rate ("年均增长6%，城镇新增就业超690万人")
            # speaks of the span in its flows too
            over_span = five or part == "review" and bool(re.search(rf"{_AVERAGE}|五年|十[一二三四五]五(?:期间|时期|以来)", head))
            # a bare figure after its name ("生产总值6.66万亿元，财政总收入7019亿元") is a level too
            bare = named is not None and not re.search(r"[\u4e00-\u9fff]", clause[named[1]: m.start()])
            spanned = "年均" in qualifiers or "累计" in qualifiers or over_span and (
                kind == "target" or kind == "actual" and not ((_LEVEL.search(lead) or bare) and not _FLOW.search(lead))) \
                or five and part == "plan" and kind != "rank" \
                or five and kind == "growth" and not re.search(r"(?:比|较)\d{4}年", clause[: m.start()])
            # a goal of the next plan, whatever its kind; a change of the span reviewed, unless it names its
            # base year ("比2010年增加10525元" is the change up to the year reviewed)
            if _ESTIMATE.search(norm[: start + m.start()]) and "预计" not in qualifiers:
                qualifiers += ("预计",)  # "预计全年…增长5.2%": the year's estimate
            if ranged and ranged.start() < m.start() and (ranged.group("start") or ranged.group("start2") or "") \
                    and m.start() < ranged.end() - (0 if ranged.group("start") is not None else 1):
                # the start of "由A增长到B": its own year ("由2018年的", "由“十二五”末的"), else no year
                words_ = ranged.group("start") if ranged.group("start") is not None else ranged.group("start2")
                own_year = _YEAR.findall(words_)
                start_year = int(own_year[-1]) if own_year else plan_end(words_) if PLAN_END.search(words_) else \
                    default if re.search(r"上半年|年初|一季度|前三季度|年中", words_) else None
                when, fact_year = (str(start_year), start_year) if start_year else ("起点", None)
            elif ranged and m.start() >= ranged.end():
                # the end of the range: the year after 到, else the span's end, else the section's year
                after = clause[ranged.end(): m.start()]
                own_year = _YEAR.findall(after)
                span_end = plan_end(norm[: start]) if span is not None and span.group(0) in PLANS else None
                fact_year = int(own_year[-1]) if own_year else span_end or default
                when = str(fact_year) if fact_year else ""
            elif (run := _RUN.search(lead)) is not None or over_span and _HELD.search(lead):
                # "粮食总产量连续9年稳定在1300亿斤以上", "五年来…粮食总产稳定在1100亿斤以上": a floor held
                # over years, not one year's figure
                when, fact_year = run.group(1) if run else span.group(0) if span else "过去五年", None
            elif "年均" in qualifiers:
                # an average annual rate is the span's: "由2010年的…增加到2015年的…，年均增长12.1%"
                years = _YEAR.findall(head)
                when = f"{years[-2]}-{years[-1]}" if len(years) >= 2 else span.group(0) if span else \
                    "今后五年" if part == "plan" else "过去五年"
                fact_year = None
            else:
                when, fact_year = _when(head, default, span, spanned,
                                        "今后五年" if part == "plan" else "过去五年")
            if (part == "plan" and kind != "rank" or _TARGET.search(before) or _SENTENCE_TARGET.search(norm)) \
                    and kind in ("actual", "growth") and not (_ESTIMATE.search(before) and part != "plan"):
                kind = "target"
                if part != "plan" and not _YEAR.search(head):
                    when, fact_year = (str(plan_year), plan_year) if plan_year else (when, fact_year)  # a target is for the year ahead
            if (to := _TO_YEAR.search(head)) and "年均" not in qualifiers:
                fact_year, when = int(to.group(1)), to.group(1)
                # "到2025年…" ahead of the report is a goal; "由2010年的A增加到2015年的B" in a review is the past
                if part == "plan" or not plan_year or fact_year >= plan_year:
                    kind = "target" if kind in ("actual", "growth") else kind
            elif kind == "target" and (end := PLAN_END.search(head) or re.search(r"十[四五]五(?:时期|期间)", head)):
                fact_year = plan_end(end.group(0))  # 到“十四五”末: the plan's last year
                when = str(fact_year)
            zone = re.search(r"([\u4e00-\u9fff]{0,4}(?:经济技术开发区|高新技术产业开发区|高新区|开发区|工业园区|产业园区|经济区|经济圈|"
                             r"经济带|综保区|综合保税区|保税区|新区|自贸区|自贸港|都市圈|城市群|(?<!农村)牧区|农区|林区|垦区|库区))", before)
            town = next((t for t in _TOWN.finditer(before) if t.group(1)[-2] not in _NOT_TOWN), None)
            level = _scope(head[max(0, head.rfind("。")):], home) if kind != "rank" else ""
            where = level or place
            if zone and not level:
                name = re.sub(r"^(?:力争|确保|推动|加快|实现|其中|全年|推进|支持|建设|打造)+", "", zone.group(1))
                where = f"{place}{name}"  # a zone's figure is not the county's
            elif town and not level:
                where = f"{place}{town.group(1)}"  # nor a town's
            for name in (current if len(current) > 1 and len(figures) == 1 and each
                         and indicator == current[0] else [indicator]):
                # "城镇和农村居民…，分别同比增长7.8%": one figure said of each
                out.append(Fact(doc_id, pid, where, fact_year, when, name, canonical(name) == name,
                                value, unit, kind, qualifiers, sentence.strip()))
    return out


# "按可比口径增长13%", "按可比价格计算", "剔除虚增空转因素后完成10.4亿元": the basis of a figure
_BASIS = re.compile(r"按(?:可比|同|现行)(?:口径|价格|价)(?:计算)?|(?:剔除|扣除)[^,，;；。]{1,12}?因素(?:后)?|同口径")


def _clauses(norm: str) -> list[str]:
    """A sentence's clauses, split at commas; a list of figures before "A、B分别…" ends where the
    names shared by 分别 begin ("投资增长12.6%、进出口总额增长36.5%、城乡居民收入分别增长6%、8.3%")."""
    out = []
    for clause in re.split(r"[,，]", norm):
        each = clause.find("分别")
        figures = list(FIGURE.finditer(clause, 0, each)) if each > 0 else []
        cut = clause.find("、", figures[-1].end()) if figures else -1
        if 0 <= cut < each:
            out += [clause[:cut], clause[cut + 1:]]
        else:
            out.append(clause)
    return out


def _phrase_list(subject: str) -> str:
    """The listed names before 分别: "全县种粮面积、粮食产量" -> "种粮面积、粮食产量"."""
    piece = re.split(r"[:：;；(（“]", subject)[-1]
    return _VERBS.sub("", piece).strip()


def _when(before: str, default: int | None, span: re.Match | None, spanned: bool = False,
          label: str = "过去五年") -> tuple[str, int | None]:
    """(period label, year) of a figure: the last year its sentence names before it, the last year
    of a plan it names the end of ("十三五末" -> 2020), a span such as 过去五年 or 十四五, a
    five-year review's span (`spanned`), else the section's year."""
    years = list(_YEAR.finditer(before))
    if years and not re.search(r"全年", before[years[-1].end() + 2:]):
        return years[-1].group(1), int(years[-1].group(1))
    if (end := PLAN_END.search(before)) and before[end.start() - 1: end.start()] not in ("较", "比", "于"):
        return end.group(0), plan_end(end.group(0))  # "较“十三五”末净增…" is a base, not the figure's year
    if span is not None and span.start() < len(before):
        return span.group(0), None
    if spanned:
        return label, None
    return (str(default) if default else ""), default
