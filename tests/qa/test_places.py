"""Which county and year a question is about, in either script, with or without 县/市."""
from __future__ import annotations

import pytest

from qa.retrieval.keyword import Tokenizer
from qa.retrieval.places import docs_for, find_places
from qa.retrieval.retrieve import QueryError, Retriever


@pytest.mark.parametrize("question, county", [
    ("侯马2023年GDP增速？", "侯马市"),      # short name, no 市
    ("侯馬市的財政收入", "侯马市"),          # traditional script
    ("代縣的地區生產總值", "代县"),
    ("通渭县粮食产量", "通渭县"),
    ("通渭粮食产量", "通渭县"),
    ("2022年代县地区生产总值", "代县"),     # 代县, not 年代
])
def test_county_is_found(catalog, question, county):
    assert find_places(question, catalog).counties == (county,)


@pytest.mark.parametrize("question", ["发展现代县域经济有哪些举措？", "時代縣城的變化", "2023年GDP增速"])
def test_no_county_where_none_is_named(catalog, question):
    assert find_places(question, catalog).counties == ()


def test_two_places_in_order_of_mention_with_years(catalog):
    found = find_places("代县和侯马市2022年、2023年的GDP", catalog)
    assert found.counties == ("代县", "侯马市")
    assert found.years == (2022, 2023)


def test_years_pick_the_report_that_reviews_or_holds_them(make_report):
    docs = [make_report("侯马市", 2024), make_report("侯马市", 2023)]
    assert [d.year for d in docs_for("侯马市", [2023], docs)] == [2024, 2023]  # reviews 2023 / meets in 2023
    assert [d.year for d in docs_for("侯马市", [2024], docs)] == [2024]
    assert len(docs_for("侯马市", [1999], docs)) == 2  # no match: every report of the place


def test_keyword_tokens_keep_place_names_whole():
    tokens = Tokenizer(["代县", "侯马市", "侯马"]).tokenize("2022年代县GDP")
    assert "代县" in tokens and "年代" not in tokens


def test_county_filter_accepts_the_names_people_use(catalog):
    retriever = Retriever(catalog, encoder=None, index=None)
    assert retriever.resolve_county("侯马") == "侯马市"
    assert retriever.resolve_county("代縣") == "代县"
    assert retriever.resolve_county(" 通渭县 ") == "通渭县"
    with pytest.raises(QueryError, match="unknown place"):
        retriever.resolve_county("北京")


def test_decade_is_not_a_county(catalog):
    assert find_places("八十年代县里的工厂", catalog).counties == ()
