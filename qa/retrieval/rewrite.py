"""Follow-up questions made to stand alone before retrieval: "那绛县呢？" after a question about
侯马 becomes that question about 绛县; "财政收入呢？" keeps the previous place."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from corpus.clean import normalize
from qa.retrieval.places import Places


def standalone(question: str, history: Sequence[str], find: Callable[[str], Places]) -> str:
    """history: earlier user questions, oldest first.

    Example: standalone("那绛县呢？", ["侯马市2023年GDP是多少？"], find) -> "绛县2023年GDP是多少？"
    """
    if not history:
        return question
    previous = next((q for q in reversed(history) if find(q).counties), history[-1])
    now, before = find(question), find(previous)
    core = re.sub(r"^(那么?|那|还有|再问一下|请问)|(呢|怎么样|如何|情况呢)?[？?。！!]*$", "", normalize(question).strip())
    for alias in now.counties:
        core = core.replace(alias, "")
    core = re.sub(r"(19|20)\d{2}年?", "", core).strip(" ,，的")
    if now.counties and before.counties and len(core) <= 2:
        # only the place (and maybe the year) changed: ask the previous question about it
        text = normalize(previous)
        for old, new in zip(before.counties, now.counties):
            text = _replace_place(text, old, new)
        for y_old, y_new in zip(before.years, now.years):
            text = text.replace(str(y_old), str(y_new))
        return text
    if not now.counties and now.years and len(core) <= 2 and before.years:
        # only the year changed: "那2022年呢？"
        text = normalize(previous)
        for y_old, y_new in zip(before.years, now.years):
            text = text.replace(str(y_old), str(y_new))
        return text
    if not now.counties and before.counties:
        return "、".join(before.counties) + question.lstrip("那").lstrip()
    return question


def _replace_place(text: str, old: str, new: str) -> str:
    from corpus.meta import short_name

    for alias in (old, short_name(old)):
        if alias in text:
            return text.replace(alias, new, 1)
    return new + text


def split_comparison(question: str, names: dict[str, set[str]]) -> dict[str, str]:
    """One question per place of a comparison, each keeping its own year (or the shared one).

    Example: split_comparison("代县2023年和绛县2022年的GDP目标分别是多少？", names)
             -> {"代县": "代县2023年的GDP目标是多少？", "绛县": "绛县2022年的GDP目标是多少？"}
    """
    text = normalize(question)
    years: dict[str, str] = {}
    for county, aliases in names.items():
        for alias in sorted(aliases, key=len, reverse=True):
            m = re.search(re.escape(alias) + r"[(（]?((?:19|20)\d{2}年)?[)）]?", text)
            if m:
                years[county] = m.group(1) or ""
                text = text[: m.start()] + "§" + text[m.end() :]
                break
    rest = re.sub(r"§[和与及、跟同,，\s]*", "", text)
    rest = re.sub(r"分别|各自|各", "", rest).strip()
    shared = {y for y in years.values() if y}
    common = shared.pop() if len(shared) == 1 else ""
    return {c: f"{c}{y or common}{rest}" for c, y in years.items()}


_ASKS = re.compile(r"多少|几|哪|什么|如何|怎样|怎么|是否|吗|呢")
_COMPARES = re.compile(r"哪[一个]?年|哪个|谁|相比|比较|更[高多快大低少慢]|分别|各是|各为|差多少")
_TAIL = re.compile(r"(?:是|为|有|达到|完成|实现)?(?:多少|几\S{0,2}|什么|哪些|怎样|如何)\S*$")
_YEARS = re.compile(r"(?:19|20)\d{2}年")


def sub_questions(question: str) -> list[str]:
    """Two questions asked in one, each made to stand alone; [] for one question or a comparison.

    Example: sub_questions("宜昌2023年游客接待量是多少？2024年力争达到多少？")
             -> ["宜昌2023年游客接待量是多少", "宜昌游客接待量2024年力争达到多少"]
    """
    text = normalize(question).strip()
    if _COMPARES.search(text):
        return []
    pieces: list[str] = []
    for piece in re.split(r"[？?；;，,]", text):
        piece = piece.strip(" 。")
        if not piece:
            continue
        if pieces and not _ASKS.search(pieces[-1]):
            pieces[-1] += "，" + piece  # "2023年完成投资，增长了多少": one question
        else:
            pieces.append(piece)
    if len(pieces) < 2 or not all(_ASKS.search(p) for p in pieces):
        return []
    context = re.sub(r"(?:增长了?|增速|增幅|下降了?|提高了?)$", "", _TAIL.sub("", pieces[0]))
    out = [pieces[0]]
    for piece in pieces[1:]:
        own = _YEARS.search(piece)
        lead = _YEARS.sub("", context) if own else context
        out.append(lead + piece if not piece.startswith(lead) else piece)
    return out


# "2025年广东省政府工作报告中，2024年…": the year names the report, the other year is asked
_REPORT_OF_YEAR = re.compile(r"((?:19|20)\d{2})年(?:的|度)?(?=[\u4e00-\u9fff]{0,12}?(?:政府)?(?:工作)?报告)")


def report_year(question: str) -> tuple[int | None, str]:
    """(the year of the report a question names, the question with that year taken out when it
    asks about another year too), else (None, question).

    Example: report_year("2025年广东省政府工作报告中，2024年广东人均GDP是多少？")
             -> (2025, "广东省政府工作报告中，2024年广东人均GDP是多少？")
    """
    m = _REPORT_OF_YEAR.search(question)
    if m is None or re.search(r"\d{4}年\s*(?:和|与|、|及|跟)\s*\d{4}年", question):
        return None, question  # "2021年和2022年政府工作报告…": two reports compared, neither alone
    rest = question[: m.start()] + question[m.end():]
    return int(m.group(1)), rest if re.search(r"(?:19|20)\d{2}年", rest) else question


_VERSUS = re.compile(r"哪[一个]?年|哪个|相比|比较|更[高多快大低少慢]|还是|各是|分别是?|各为|谁")


def year_questions(question: str) -> list[str]:
    """One question per year of a comparison of years ("2024年和2025年相比哪年更快"), else [].

    Example: year_questions("广东的高新技术企业数量，2024年底和2025年底相比哪个更多？")
             -> ["2024年底广东的高新技术企业数量", "2025年底广东的高新技术企业数量"]
    """
    text = normalize(question).strip()
    years = list(dict.fromkeys(re.findall(r"((?:19|20)\d{2})年(底|末)?", text)))
    if len({y for y, _ in years}) < 2 or not _VERSUS.search(text):
        return []
    one = r"(?:19|20)\d{2}年(?:底|末)?"
    base = re.sub(rf"{one}(?:\s*(?:和|与|跟|同|及|比|、)\s*{one})*", "", text)
    base = re.sub(r"相比|比较|对比|哪[一个]?年|哪个|谁|更[高多快大低少慢]|还是|各是多少|分别是多少|各为多少|分别是|各是|"
                  r"得?多还是少|[？?。！!]", "", base)
    base = re.sub(r"[,，]+", "，", base).strip("，, 的")
    return [f"{y}年{end}{base}" for y, end in years] if len(base) >= 2 else []


def national(question: str, find: Callable[[str], Places]) -> str:
    """国内生产总值 is the nation's GDP (a province's or a county's is 地区生产总值): a question that
    names it and no place asks about the nation. Example: "“十三五”时期国内生产总值年均增长多少？" ->
    "全国“十三五”时期国内生产总值年均增长多少？" """
    from corpus.places import find as national_list

    norm = normalize(question)
    if "国内生产总值" not in norm or find(question).counties or national_list(norm):
        return question
    return f"全国{question}"

