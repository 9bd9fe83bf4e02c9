"""Generator backends beyond the default: transformers on a tiny random model, and the OpenAI-compatible
client against llama-cpp-python's own server."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.generate.base import GenerationError, make_generator
from qa.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = [{"role": "system", "content": "你是政府工作报告问答助手。"},
            {"role": "user", "content": "资料：\n[1]（侯马市2024年政府工作报告）地区生产总值完成189亿元。\n问题：侯马市地区生产总值是多少？"}]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- transformers ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny_lm(tmp_path_factory) -> Path:
    """A 2-layer GPT-2 with random weights and m3e-small's BERT tokenizer (21128 tokens, Chinese)."""
    import torch
    from transformers import AutoTokenizer, GPT2Config, GPT2LMHeadModel

    from embeddings.encoder import bundled_m3e

    folder = tmp_path_factory.mktemp("tiny-gpt2")
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(bundled_m3e() / name, folder / name)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    torch.manual_seed(0)
    # a wide init, so greedy decoding picks real characters rather than [PAD] (id 0) every step
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=2048, n_embd=32, n_layer=2, n_head=2,
                        initializer_range=0.5, bos_token_id=tokenizer.cls_token_id,
                        eos_token_id=tokenizer.sep_token_id, pad_token_id=tokenizer.pad_token_id)
    GPT2LMHeadModel(config).save_pretrained(folder)
    return folder


@pytest.mark.slow
def test_transformers_backend_generates_and_streams_text(tiny_lm):
    generator = make_generator(Settings(llm_backend="transformers", llm_model=str(tiny_lm)))
    text = generator.generate(MESSAGES, max_tokens=8)
    assert isinstance(text, str) and text.strip()
    pieces = list(generator.stream(MESSAGES, max_tokens=8))
    assert len(pieces) > 1 and all(isinstance(p, str) for p in pieces)
    assert "".join(pieces) == text  # greedy: the same text either way


@pytest.mark.slow
def test_nonsense_model_cannot_produce_an_ungrounded_answer(tiny_lm, fake_library):
    from qa.answer.pipeline import AnswerPipeline

    generator = make_generator(Settings(llm_backend="transformers", llm_model=str(tiny_lm)))
    answer = AnswerPipeline(fake_library, generator, max_tokens=8).answer("侯马市2023年小麦单产排名临汾第几？")
    assert not answer.refused and answer.mode == "extractive" and answer.grounded
    assert "houma-2024" in {c.doc_id for c in answer.citations}


# -- OpenAI-compatible HTTP ----------------------------------------------------------------
def test_unreachable_model_server_is_a_generation_error():
    generator = make_generator(Settings(llm_backend="openai", openai_base_url=f"http://127.0.0.1:{free_port()}/v1",
                                        generate_timeout_s=5))
    with pytest.raises(GenerationError, match="model server"):
        generator.generate(MESSAGES, max_tokens=8)


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """llama-cpp-python's OpenAI-compatible server on the bundled Qwen2.5-Coder-0.5B."""
    pytest.importorskip("sse_starlette", reason="llama_cpp.server needs the dev extras (sse-starlette)")
    pytest.importorskip("starlette_context", reason="llama_cpp.server needs the dev extras (starlette-context)")
    import httpx

    from qa.generate.gguf import resolve

    model = resolve("qwen-0.5b", ROOT / "var" / "models")
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
                                 "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, f"llama_cpp.server exited: {log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, "llama_cpp.server did not start within 180 s"
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_openai_backend_against_llama_cpp_server(llama_server):
    generator = make_generator(Settings(llm_backend="openai", openai_base_url=llama_server, openai_model="qwen",
                                        generate_timeout_s=120))
    text = generator.generate(MESSAGES, max_tokens=24)
    assert isinstance(text, str) and text.strip()
    pieces = list(generator.stream(MESSAGES, max_tokens=24))
    assert len(pieces) > 1 and "".join(pieces).strip()


@pytest.mark.slow
def test_pipeline_answers_through_the_openai_backend(llama_server, fake_library):
    from qa.answer.pipeline import AnswerPipeline

    generator = make_generator(Settings(llm_backend="openai", openai_base_url=llama_server, openai_model="qwen",
                                        generate_timeout_s=120))
    answer = AnswerPipeline(fake_library, generator, max_tokens=48).answer("侯马市2023年小麦单产排名临汾第几？")
    assert not answer.refused and answer.grounded
    assert answer.timings["first_token_ms"] is not None  # the server was really asked
    assert "houma-2024" in {c.doc_id for c in answer.citations}
