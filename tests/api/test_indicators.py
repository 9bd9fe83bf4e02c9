"""GET /v1/indicators: the analyst's rows, filtered, as JSON or as CSV Excel opens."""
from __future__ import annotations

import csv
import io

import pytest


def test_gdp_of_every_report(client):
    r = client.get("/v1/indicators", params={"indicator": "GDP", "kind": "actual"})
    assert r.status_code == 200
    by_place = {(row["county"], row["year"]): row for row in r.json()}
    assert by_place[("代县", 2022)]["value"] == 90.2 and by_place[("代县", 2022)]["unit"] == "亿元"
    assert by_place[("侯马市", 2023)]["value"] == 189
    assert by_place[("绛县", 2021)]["value"] == 78.9
    row = by_place[("代县", 2022)]
    assert row["paragraph_id"].startswith("daixian-2023#p") and "90.2亿元" in row["text"]


def test_filters_combine_and_units_convert_for_comparison(client):
    rows = client.get("/v1/indicators", params=[("county", "绛县"), ("county", "代縣"), ("indicator", "财政收入"),
                                                ("kind", "actual")]).json()
    assert {r["county"] for r in rows} == {"代县", "绛县"} and {r["indicator"] for r in rows} == {"一般公共预算收入"}
    jiangxian = next(r for r in rows if r["county"] == "绛县")
    assert (jiangxian["value"], jiangxian["unit"]) == (19179, "万元")
    assert (jiangxian["compare_value"], jiangxian["compare_unit"]) == (1.9179, "亿元")
    assert all(r["year"] == 2022 for r in client.get("/v1/indicators", params={"year": 2022}).json())


def test_csv_has_a_bom_and_reads_back(client):
    r = client.get("/v1/indicators", params={"indicator": "地区生产总值", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert any(row["county"] == "代县" and row["value"] == "90.2" for row in rows)


def test_names_count_the_reports_giving_each(client):
    names = {n["indicator"]: n for n in client.get("/v1/indicators/names").json()}
    assert names["地区生产总值"]["reports"] >= 4 and "GDP" in names["地区生产总值"]["aliases"]


@pytest.mark.parametrize("params, words", [({"county": "北京"}, "代县"), ({"kind": "best"}, "actual"),
                                           ({"indicator": "幸福指数"}, "地区生产总值"), ({"year": 1990}, "2022"),
                                           ({"year": "last"}, "year"), ({"format": "xls"}, "format")])
def test_bad_filters_are_a_4xx_naming_the_known_values(client, params, words):
    r = client.get("/v1/indicators", params=params)
    assert 400 <= r.status_code < 500 and words in r.json()["detail"], r.text
