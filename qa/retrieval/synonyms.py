"""Everyday words for the reports' official terms, so "GDP" finds 地区生产总值.

Example: expand("侯马GDP增速") -> "侯马GDP增速 地区生产总值"
"""
from __future__ import annotations

SYNONYMS: dict[str, str] = {
    "gdp": "地区生产总值",
    "生产总值": "地区生产总值",
    "经济总量": "地区生产总值",
    "财政收入": "一般公共预算收入",
    "税收": "一般公共预算收入 税收收入",
    "财政支出": "一般公共预算支出",
    "农民收入": "农村居民人均可支配收入",
    "农民人均收入": "农村居民人均可支配收入",
    "农村人均收入": "农村居民人均可支配收入",
    "城镇收入": "城镇居民人均可支配收入",
    "城镇居民收入": "城镇居民人均可支配收入",
    "居民收入": "居民人均可支配收入",
    "工业增加值": "规模以上工业增加值",
    "规上工业": "规模以上工业增加值",
    "投资": "固定资产投资",
    "社零": "社会消费品零售总额",
    "消费品零售": "社会消费品零售总额",
    "零售总额": "社会消费品零售总额",
    "粮食产量": "粮食总产 粮食产量",
    "粮食总产量": "粮食总产 总产量 粮食产量",
    "就业": "城镇新增就业",
    "失业率": "城镇调查失业率",
    "cpi": "居民消费价格",
    "物价": "居民消费价格",
    "目标": "预期目标 主要预期目标",
    "县长": "县人民政府县长",
    "市长": "市人民政府市长",
    "招商": "招商引资",
    "环境": "生态环境 空气质量",
    "空气": "空气质量 优良天数",
}


def expand(normalized_query: str) -> str:
    """Append official terms for everyday words found in a normalized (simplified) query."""
    low = normalized_query.lower()
    extra = [term for word, term in SYNONYMS.items() if word in low and term not in low]
    return normalized_query + (" " + " ".join(extra) if extra else "")
