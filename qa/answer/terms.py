"""A question in everyday words asked again in the report's words.

"长治去年一共挖了多少煤？" finds no sentence that covers its words: the report says 原煤产量. When a
question names no indicator the vocabulary knows and nothing supports it, the model is asked only
for the official name of the figure (never the figure), and the question is asked again with it:
"长治市去年原煤产量是多少？". The second question meets every check the first did (support,
years, places, kinds), so a wrong name costs a refusal, not a wrong figure.

Example: official_term(generator, "去年大家坐火车出门的人多了多少？") -> "铁路旅客发送量"
         reworded("长治去年一共挖了多少煤？", "原煤产量", ["长治市"], False) -> "长治市去年原煤产量是多少？"
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.clean import normalize, to_simplified

SYSTEM = ("你是统计术语助手。用户用口语问一个数字。你不回答数字，只说出政府工作报告里这个数字的正式指标名称"
          "（几个字到十几个字）。只输出指标名称。")
# invented examples, none from a report of the library
SHOTS = (("去年大家坐火车出门的人多了多少？", "铁路旅客发送量"),
         ("县里的小孩去年有多少上了幼儿园？", "学前教育毛入园率"),
         ("2023年老百姓存在银行里的钱有多少？", "城乡居民储蓄存款余额"))
_UNIT = "个件家户人部台座所条项名只辆套栋间处种批"
ASK = re.compile(rf"百分之几|多少倍|几倍|多大比例|多大比重|多少万?人次|多少[{_UNIT}]|几[{_UNIT}]|多少")
TIME = re.compile(r"(?:19|20)\d{2}年|去年|今年|前年|上年|上一年|明年")
# a reply that answers instead of naming ("…为1000万吨", "约12%")
ANSWERED = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|亿|万|元|吨|个|人|家|件|天|公里|倍)|[为是约]\d")


def messages(question: str) -> list[dict]:
    said = [{"role": "system", "content": SYSTEM}]
    for asked, named in SHOTS:
        said += [{"role": "user", "content": asked}, {"role": "assistant", "content": named}]
    return said + [{"role": "user", "content": to_simplified(question)}]


def official_term(generator, question: str) -> str:
    """The model's name for the figure asked, or "" when its reply is no name."""
    raw = generator.generate(messages(question), max_tokens=24, temperature=0.0)
    lines = [line for line in to_simplified(normalize(raw)).splitlines() if line.strip()]
    term = re.sub(r"[\s。，,.;；:：！!？?\"“”'‘’《》（）()]", "", lines[0]) if lines else ""
    term = re.sub(r"^(指标名称|正式名称|名称)", "", term)
    if not 2 <= len(term) <= 16 or ANSWERED.search(term) or not re.search(r"[\u4e00-\u9fff]", term):
        return ""
    return term


def reworded(question: str, term: str, places: Sequence[str], growth: bool) -> str:
    """The question asked with the official name: its places, its time words and its way of asking
    (百分之几, 多少户) kept, its everyday words dropped."""
    norm = normalize(question)
    when = TIME.search(norm)
    asks = [m.group(0) for m in ASK.finditer(norm)]
    ask = asks[0] if asks else "多少"
    if ask in ("多大比例", "多大比重"):
        ask = "是多少"
    rate = growth and not re.search(r"增|涨|降|减", term)
    verb = "增长" if rate else "" if ask == "是多少" else "是"
    return f"{''.join(places)}{when.group(0) if when else ''}{term}{verb}{ask}？"


def asked_anew(question: str, term: str) -> bool:
    """The name says something the question does not already say ("煤炭产量" asked as 煤炭产量: no)."""
    norm = normalize(question)
    return bool(term) and term not in norm and not all(ch in norm for ch in term)
