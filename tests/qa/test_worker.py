"""The model in a process of its own: a crash, a hang or a failed load costs one answer, never
the caller, and the next question is generated again."""
from __future__ import annotations

import time
from functools import partial

import pytest

from qa.generate.base import CrashOnceGenerator, EchoGenerator, GenerationError, HoldingGenerator
from qa.generate.worker import ProcessGenerator

MESSAGES = [{"role": "user", "content": "[1]（代县 2023年报告）全县地区生产总值完成90.2亿元。"}]


def test_tokens_stream_from_the_child_process():
    worker = ProcessGenerator(partial(EchoGenerator))
    try:
        pieces = list(worker.stream(MESSAGES))
        assert len(pieces) > 1 and "".join(pieces) == "全县地区生产总值完成90.2亿元[1]。"
        assert worker.health()["alive"] and worker.health()["pid"] != __import__("os").getpid()
    finally:
        worker.stop()


def test_a_segfault_mid_stream_costs_that_answer_only_and_the_model_comes_back(tmp_path):
    marker = tmp_path / "crash"
    marker.touch()
    worker = ProcessGenerator(partial(CrashOnceGenerator, str(marker)))
    try:
        got = []
        with pytest.raises(GenerationError, match="SIGSEGV"):
            for piece in worker.stream(MESSAGES):
                got.append(piece)
        assert got, "tokens before the crash were streamed"
        assert "".join(worker.stream(MESSAGES)) == "全县地区生产总值完成90.2亿元[1]。"
        health = worker.health()
        assert health["restarts"] == 1 and health["last_restart_s"] > 0 and "SIGSEGV" in health["last_death"]
    finally:
        worker.stop()


def test_a_model_that_hangs_is_killed_and_replaced():
    worker = ProcessGenerator(partial(HoldingGenerator, "好", 60), timeout_s=1.0)
    try:
        first = worker._proc.pid
        t0 = time.perf_counter()
        with pytest.raises(GenerationError, match="no token"):
            worker.generate(MESSAGES)
        assert time.perf_counter() - t0 < 10
        assert worker._proc.pid != first
    finally:
        worker.stop()


def test_an_abandoned_stream_does_not_leak_into_the_next_answer():
    worker = ProcessGenerator(partial(EchoGenerator, "甲乙丙丁" * 50))
    try:
        stream = worker.stream(MESSAGES)
        next(stream)
        stream.close()  # the client went away after one piece
        assert worker.generate(MESSAGES) == "甲乙丙丁" * 50
    finally:
        worker.stop()


def test_a_model_that_cannot_load_is_a_clear_error():
    with pytest.raises(GenerationError, match="could not be loaded.*no GGUF model"):
        ProcessGenerator(partial(_missing_model))


def _missing_model():
    from qa.generate.gguf import resolve

    return resolve("/nonexistent/model.gguf", None)
