"""The answer evaluation on a fixed subset of the question set, with the real default models.

The full run is `reportqa eval --questions eval/questions.jsonl`; this keeps CI within its time.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from eval.questions import load
from eval.run import evaluate_answers
from qa.answer.pipeline import AnswerPipeline

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_answers_on_a_subset_are_correct_grounded_and_refuse_when_unsupported(real_settings, real_library):
    questions = load(ROOT / "eval" / "questions.jsonl")
    subset = questions[::10] + [q for q in questions if q.type == "unanswerable"][1::5]
    model = ROOT / "var" / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    settings = real_settings.model_copy(update={"llm_model": str(model) if model.is_file() else "qwen-1.5b",
                                                "generate_timeout_s": 300})
    result = evaluate_answers(AnswerPipeline.from_settings(settings, real_library), real_library, subset)
    scores = result["scores"]
    print({k: v for k, v in scores.items() if not isinstance(v, dict)})
    assert scores["errors"] == 0
    assert scores["accuracy"] >= 0.70, [r for r in result["rows"] if not r.get("correct") and r.get("type") != "unanswerable"]
    assert scores["refusal_rate_unanswerable"] >= 0.75
    assert scores["false_refusal_rate"] <= 0.20
    assert scores["grounded_rate"] >= 0.90
