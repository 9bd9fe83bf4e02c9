"""OpenAI-compatible HTTP backend: vLLM, TGI, llama.cpp's server, or any such endpoint."""
from __future__ import annotations

from collections.abc import Iterator

from qa.generate.base import GenerationError, Messages


class OpenAIGenerator:
    def __init__(self, base_url: str, model: str, api_key: str = "none", timeout: float = 120.0):
        import openai

        self.client = openai.OpenAI(base_url=base_url, api_key=api_key or "none", timeout=timeout, max_retries=1)
        self.model = model
        self.name = f"openai:{model}@{base_url}"
        self._errors = (openai.OpenAIError,)

    def generate(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> str:
        return "".join(self.stream(messages, max_tokens, temperature))

    def stream(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> Iterator[str]:
        try:
            response = self.client.chat.completions.create(
                model=self.model, messages=list(messages), max_tokens=max_tokens, temperature=temperature, stream=True,
            )
            for chunk in response:
                if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        except self._errors as exc:
            raise GenerationError(f"model server failed: {exc}") from exc
