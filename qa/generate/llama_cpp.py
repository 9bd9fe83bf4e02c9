"""llama.cpp backend (default): a GGUF model on the CPU through llama-cpp-python."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from qa.generate.base import GenerationError, Messages
from qa.generate.gguf import resolve


class LlamaCppGenerator:
    """Loads once; calls are serialized (one llama context per process).

    The prompt prefix (system prompt) is reused between calls by llama.cpp's cache, so keep it fixed.
    """

    def __init__(self, model: str = "qwen-1.5b", models_dir: Path = Path("var/models"), n_ctx: int = 4096,
                 n_threads: int = 2):
        from llama_cpp import Llama

        self.path = resolve(model, models_dir)
        self.name = self.path.name
        self.llm = Llama(model_path=str(self.path), n_ctx=n_ctx, n_threads=n_threads, verbose=False)
        self._lock = threading.Lock()

    def generate(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> str:
        return "".join(self.stream(messages, max_tokens, temperature))

    def stream(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> Iterator[str]:
        with self._lock:
            try:
                chunks = self.llm.create_chat_completion(
                    messages=list(messages), max_tokens=max_tokens, temperature=temperature, stream=True,
                )
                for chunk in chunks:
                    piece = chunk["choices"][0].get("delta", {}).get("content")
                    if piece:
                        yield piece
            except (RuntimeError, ValueError) as exc:
                raise GenerationError(f"llama.cpp failed: {exc}") from exc
