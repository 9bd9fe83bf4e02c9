"""Reading a question: places (covered or not), years, indicator, kind, comparisons, superlatives."""
from __future__ import annotations

import pytest

from qa.retrieval.reading import Part, kind_of, read

COVERED = ("代县", "绛县", "侯马市")
OTHER = ("繁峙县", "忻州市", "池州市")
INDICATORS = {"gdp": "地区生产总值", "地区生产总值": "地区生产总值", "财政收入": "一般公共预算收入",
              "农村居民人均可支配收入": "农村居民人均可支配收入"}


def places(text):
    found = [(text.find(p[:-1]), p) for p in COVERED if p[:-1] in text]
    missing = [(text.find(p[:-1]), p) for p in OTHER if p[:-1] in text]
    return [p for _, p in sorted(found)], [p for _, p in sorted(missing)]


def indicators(text):
    low = text.lower()
    return list(dict.fromkeys(v for k, v in INDICATORS.items() if k in low))


def r(question):
    return read(question, places, indicators)


@pytest.mark.parametrize("text, kind", [
    ("2023年GDP增长目标是多少", "target"), ("GDP增速排全省第几", "rank"), ("规上工业增加值增长多少", "growth"),
    ("地区生产总值是多少", "actual"), ("第三产业占比多少", "share"), ("财政收入同比下降了多少", "growth"),
])
def test_the_kind_of_figure_asked_for(text, kind):
    assert kind_of(text) == kind


def test_a_place_no_report_covers_is_read_as_missing_not_ignored():
    reading = r("繁峙县2023年地区生产总值增长目标是多少？")
    assert reading.places == () and reading.missing == ("繁峙县",)
    assert reading.years == (2023,) and reading.indicators == ("地区生产总值",) and reading.kind == "target"


def test_a_two_part_question_has_a_part_per_clause():
    reading = r("代县2023年GDP增长目标是多少？和2022年实际增速比怎么样？")
    assert reading.parts == (Part("代县", 2023, "target"), Part("代县", 2022, "growth"))
    assert reading.compare


def test_a_comparison_of_two_places():
    reading = r("代县和绛县的GDP谁更高？")
    assert reading.places == ("代县", "绛县") and reading.compare
    assert [p.place for p in reading.parts] == ["代县", "绛县"]


def test_a_superlative_over_the_library():
    reading = r("哪个县2023年GDP增速最高？")
    assert reading.superlative == "max" and reading.over_library and reading.kind == "growth"
    assert r("五个县里哪个县的农村居民人均可支配收入最低？").superlative == "min"
    assert r("哪些县的GDP超过80亿元？").threshold == (80.0, "亿元")
    assert not r("代县GDP是多少？").over_library
