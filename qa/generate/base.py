"""The Generator role, a deterministic fake for tests, and the factory that reads settings."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Protocol

Messages = Sequence[dict]  # OpenAI-style [{"role": "system"|"user"|"assistant", "content": str}]


class GenerationError(RuntimeError):
    """The backend failed or timed out; the pipeline falls back to an extractive answer."""


class Generator(Protocol):
    name: str

    def generate(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> str: ...

    def stream(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> Iterator[str]: ...


class EchoGenerator:
    """Fake for unit tests: answers with the first passage's first sentence holding a figure (else
    its first sentence) and cites it [1].

    With `reply` set it returns that text instead (to test the verifier on a chosen answer).
    """

    name = "echo"

    def __init__(self, reply: str | None = None, fail: bool = False):
        self.reply, self.fail = reply, fail

    def generate(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> str:
        return "".join(self.stream(messages, max_tokens, temperature))

    def stream(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> Iterator[str]:
        if self.fail:
            raise GenerationError("echo generator told to fail")
        if self.reply is not None:
            text = self.reply
        else:
            prompt = messages[-1]["content"]
            m = re.search(r"\[1\](?:（[^）\n]*）)?\s*([^\n]+)", prompt)  # "[1]（label）text"
            # the passage's first sentence that holds a figure, as a model asked for one would quote
            said = re.findall(r"[^。；;]+", m.group(1)) if m else []
            best = next((s for s in said if re.search(r"\d", s)), said[0] if said else "")
            text = f"{best}[1]。" if best else "报告中未提及。"
        for i in range(0, len(text), 4):
            yield text[i : i + 4]


class CrashOnceGenerator(EchoGenerator):
    """Fake for crash tests, run inside a ProcessGenerator: while `marker` exists it streams a few
    pieces, deletes the marker and kills its own process with SIGSEGV, as a broken native build does."""

    name = "crash-once"

    def __init__(self, marker: str):
        super().__init__()
        self.marker = marker

    def stream(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> Iterator[str]:
        import os
        import signal
        from pathlib import Path

        for i, piece in enumerate(super().stream(messages, max_tokens, temperature)):
            if i == 2 and Path(self.marker).exists():
                Path(self.marker).unlink()
                os.kill(os.getpid(), signal.SIGSEGV)
            yield piece


class HoldingGenerator:
    """Fake for queue tests: holds the model until `release` is set (or `wait_s` passes), then replies.

    `started` is set once a generation has the model, so a test knows the queue is occupied.
    """

    name = "holding"

    def __init__(self, reply: str = "报告中未提及。", wait_s: float = 20.0):
        import threading

        self.reply, self.wait_s = reply, wait_s
        self.started, self.release = threading.Event(), threading.Event()

    def generate(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> str:
        return "".join(self.stream(messages, max_tokens, temperature))

    def stream(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> Iterator[str]:
        self.started.set()
        self.release.wait(self.wait_s)
        yield self.reply


def make_generator(settings) -> Generator:
    """The backend the settings name. A native one (llama.cpp, transformers) runs in a process of its
    own unless `llm_isolate` is off, so its crash costs one answer, not the server."""
    if settings.llm_backend in ("llama_cpp", "transformers") and settings.llm_isolate:
        from functools import partial

        from qa.generate.worker import ProcessGenerator

        return ProcessGenerator(partial(load_generator, settings), timeout_s=settings.generate_timeout_s)
    return load_generator(settings)


def load_terms(settings) -> Generator:
    """A llama.cpp model of its own that names the figure a question asks in everyday words
    (`terms_model`: a bundled alias or a .gguf path), beside any answering backend, extractive too."""
    from qa.generate.llama_cpp import LlamaCppGenerator

    return LlamaCppGenerator(settings.terms_model, settings.models_dir, n_ctx=1024, n_threads=settings.llm_threads)


def load_generator(settings) -> Generator:
    """The backend the settings name, in this process; heavy libraries load here, not at import."""
    backend = settings.llm_backend
    if backend == "llama_cpp":
        from qa.generate.llama_cpp import LlamaCppGenerator

        return LlamaCppGenerator(settings.llm_model, settings.models_dir, n_ctx=settings.llm_ctx,
                                 n_threads=settings.llm_threads)
    if backend == "transformers":
        from qa.generate.hf import TransformersGenerator

        return TransformersGenerator(settings.llm_model)
    if backend == "openai":
        from qa.generate.openai_http import OpenAIGenerator

        return OpenAIGenerator(settings.openai_base_url, settings.openai_model, settings.openai_api_key,
                               timeout=settings.generate_timeout_s)
    if backend == "extractive":
        return EchoGenerator(reply="")
    raise ValueError(f"unknown llm_backend {backend!r}")
