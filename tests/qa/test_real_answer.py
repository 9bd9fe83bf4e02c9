"""One real end-to-end answer: m3e-small retrieval and the default Qwen2.5-Coder-1.5B on llama.cpp."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.answer.pipeline import AnswerPipeline

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pipeline(real_data_dir):
    from qa.library import Library
    from qa.settings import Settings

    # the repo's var/models already holds the assembled GGUF: reuse it instead of assembling again
    model = ROOT / "var" / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    settings = Settings(data_dir=real_data_dir, llm_model=str(model) if model.is_file() else "qwen-1.5b",
                        generate_timeout_s=300)
    return AnswerPipeline.from_settings(settings, Library(settings))


def test_default_model_answers_with_the_cited_figure(pipeline):
    answer = pipeline.answer("代县2022年建成了多少座5G基站？")
    assert not answer.refused and answer.grounded
    assert answer.mode in ("generated", "repaired")  # the model answered, not the fallback
    assert "daixian-2023" in {c.doc_id for c in answer.citations}
    assert "220" in answer.text and "[" in answer.text


def test_a_headline_figure_is_answered_from_facts_at_once(pipeline):
    answer = pipeline.answer("侯马市2023年GDP增速排全省第几？")
    assert not answer.refused and answer.grounded and answer.mode == "facts"
    assert "第2" in answer.text and answer.timings["generate_ms"] == 0
    assert [c.doc_id for c in answer.citations] == ["houma-2024"]
    assert "增速全省第2" in answer.citations[0].text


def test_default_model_is_not_asked_what_the_reports_do_not_say(pipeline):
    answer = pipeline.answer("稷山县2023年地区生产总值是多少？")
    assert answer.refused and answer.text.startswith("报告中未提及")
    assert answer.citations == ()
