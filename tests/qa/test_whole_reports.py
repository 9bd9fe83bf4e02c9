"""Whole reports of every level answered from facts: the State Council's, a province's two years, a
district's two years, with the bundled county reports beside them (hash encoder, no model)."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.answer.pipeline import AnswerPipeline

WHOLE = Path(__file__).resolve().parents[2] / "eval" / "whole" / "reports"
FILES = ("national-2021.txt", "national-2022.txt", "guangdong-2025.txt", "guangdong-2026.txt",
         "neimenggu-hailaer-2016.txt", "neimenggu-hailaer-2017.txt", "hubei-qianjiang-2024.txt")


@pytest.fixture(scope="module")
def ask(tmp_path_factory):
    from embeddings.encoder import HashEncoder
    from qa.library import Library
    from qa.settings import Settings

    library = Library(Settings(data_dir=tmp_path_factory.mktemp("whole")), encoder=HashEncoder(256))
    library.ingest(None)
    for name in FILES:
        library.add((WHOLE / name).read_bytes(), name)
    pipeline = AnswerPipeline(library, None)
    return pipeline.answer


def test_the_nation_and_a_province_are_places_of_their_own(ask):
    answer = ask("2021年我国国内生产总值增长多少？")
    assert not answer.refused and "8.1%" in answer.text and answer.citations[0].doc_id == "national-2022"
    answer = ask("广东2025年地区生产总值增长多少？")
    assert not answer.refused and "3.9%" in answer.text and answer.citations[0].doc_id == "guangdong-2026"


def test_a_level_and_its_growth_asked_together_are_both_answered(ask):
    answer = ask("2021年全国财政收入是多少，比上年增长多少？")
    assert "20万亿元" in answer.text and "10.7%" in answer.text and "不能直接比较" not in answer.text


def test_a_target_is_held_against_the_next_reports_outcome(ask):
    answer = ask("2025年广东定的GDP增长目标是多少，实际完成了多少？")
    assert "5%左右" in answer.text and "3.9%" in answer.text and "未完成" in answer.text
    assert {c.doc_id for c in answer.citations} == {"guangdong-2025", "guangdong-2026"}


def test_a_range_gives_its_start_to_the_start_and_the_span_is_answered_whole(ask):
    answer = ask("“十二五”期间海拉尔区地区生产总值从多少增长到多少？")
    assert "162.4亿元" in answer.text and "287.9亿元" in answer.text


def test_numbers_are_shown_as_written(ask):
    answer = ask("2018年海拉尔区GDP增长多少？")  # no 2018 report: refused, offering what is held
    assert answer.refused
    answer = ask("潜江市2023年地区生产总值是多少？")
    assert "904.92亿元" in answer.text


def test_a_year_only_planned_is_refused_naming_the_missing_report(ask):
    answer = ask("潜江市2024年固定资产投资实际增长了多少？")
    assert answer.refused and "2024年" in answer.text and "目标" in answer.text


def test_the_speaker_comes_from_the_report_with_its_line_cited(ask):
    answer = ask("2022年的国务院政府工作报告是谁作的？")
    assert "李克强" in answer.text and answer.citations and "李克强" in answer.citations[0].text


def test_a_figure_another_report_names_as_its_source_is_not_the_place_asked(ask):
    answer = ask("根据潜江市的政府工作报告，湖北省2023年GDP增长多少？")
    assert answer.refused and "6.3%" not in answer.text
