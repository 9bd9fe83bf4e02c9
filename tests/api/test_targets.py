"""GET /v1/targets and /v1/targets/trend: each year's targets beside the next report's actuals,
over two national and two Guangdong reports (the whole texts), as JSON or as CSV Excel opens."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

REPORTS = Path(__file__).resolve().parents[2] / "eval" / "whole" / "reports"
NAMES = ("national-2021", "national-2022", "guangdong-2025", "guangdong-2026")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """The four reports in a fresh library behind the hash encoder and the echo generator."""
    from fastapi.testclient import TestClient

    from embeddings.encoder import HashEncoder
    from qa.answer.pipeline import AnswerPipeline
    from qa.generate.base import EchoGenerator
    from qa.library import Library
    from qa.serve.api import create_app
    from qa.serve.service import Service
    from qa.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("targets-data"))
    library = Library(settings, encoder=HashEncoder(256))
    library.ingest([REPORTS / f"{n}.txt" for n in NAMES])
    service = Service(settings, library=library, pipeline=AnswerPipeline(library, EchoGenerator()))
    return TestClient(create_app(settings, service, mount_ui=False))


def test_guangdong_2025_gdp_target_was_missed_with_both_reports_cited(client):
    r = client.get("/v1/targets", params={"place": "广东省", "year": 2025})
    assert r.status_code == 200, r.text
    gdp = next(p for p in r.json() if p["indicator"] == "地区生产总值")
    assert gdp["verdict"] == "missed" and gdp["verdict_zh"] == "未完成"
    assert (gdp["target"]["value"], gdp["target"]["unit"]) == (5, "%") and "左右" in gdp["target"]["qualifiers"]
    assert (gdp["actual"]["value"], gdp["actual"]["unit"]) == (3.9, "%")
    assert gdp["target"]["doc_id"] == "guangdong-2025" and gdp["actual"]["doc_id"] == "guangdong-2026"
    assert gdp["target"]["paragraph_id"].startswith("guangdong-2025#p") and gdp["rule"]
    assert {p["place"] for p in r.json()} == {"广东省"} and {p["year"] for p in r.json()} == {2025}


def test_aliases_and_the_verdict_filter(client):
    met = client.get("/v1/targets", params=[("county", "全国"), ("indicator", "GDP"), ("verdict", "met")]).json()
    assert [(p["place"], p["year"], p["indicator"]) for p in met] == [("全国", 2021, "地区生产总值")]
    assert met[0]["actual"]["value"] == 8.1
    missing = client.get("/v1/targets", params={"place": "广东", "verdict": "missing_report"}).json()
    assert missing and all(p["year"] == 2026 and p["actual"] is None and p["verdict"] == "missing_report"
                           for p in missing)


def test_csv_has_a_bom_a_header_and_reads_back(client):
    r = client.get("/v1/targets", params={"place": "广东省", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("place,year,indicator,verdict")
    rows = list(csv.DictReader(io.StringIO(text)))
    gdp = next(row for row in rows if row["indicator"] == "地区生产总值" and row["year"] == "2025")
    assert (gdp["verdict"], gdp["target_value"], gdp["actual_value"]) == ("missed", "5.0", "3.9")


@pytest.mark.parametrize("params, words", [({"verdict": "failed"}, "missed"), ({"place": "北京"}, "广东省"),
                                           ({"indicator": "幸福指数"}, "地区生产总值"), ({"year": 1990}, "2025"),
                                           ({"format": "xls"}, "format")])
def test_bad_filters_are_a_4xx_naming_the_known_values(client, params, words):
    r = client.get("/v1/targets", params=params)
    assert 400 <= r.status_code < 500 and words in r.json()["detail"], r.text
    if "verdict" in params:
        assert r.status_code == 400 and "met" in r.json()["detail"]


def test_trend_gives_actuals_growth_and_targets_by_year(client):
    r = client.get("/v1/targets/trend", params={"place": "广东", "indicator": "GDP"})
    assert r.status_code == 200, r.text
    points = {(p["year"], p["kind"]): p for p in r.json()}
    assert points[(2025, "growth")]["value"] == 3.9 and points[(2025, "target")]["value"] == 5
    assert points[(2025, "actual")]["unit"] == "万亿元" and points[(2025, "growth")]["doc_id"] == "guangdong-2026"
    assert [p["year"] for p in r.json()] == sorted(p["year"] for p in r.json())


@pytest.mark.parametrize("params", [{"place": "火星", "indicator": "GDP"}, {"place": "广东省", "indicator": "幸福指数"},
                                    {"indicator": "GDP"}, {"place": "广东省"}])
def test_trend_without_a_known_place_and_indicator_is_a_400(client, params):
    r = client.get("/v1/targets/trend", params=params)
    assert r.status_code == 400 and r.json()["detail"], r.text
