"""Embeddings from a served model: any OpenAI-compatible `/v1/embeddings` server (vLLM, TEI,
Infinity, llama.cpp's server), in batches, with retries, checked against what the index expects.

Example: OpenAIEmbeddingEncoder("http://gpu-box:8080/v1", "m3e-small").encode(["地区生产总值"]).shape -> (1, 512)
"""
from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np


class EmbeddingServerError(RuntimeError):
    """The server cannot be reached, refuses, or serves another model or dimension; says what to do."""


class OpenAIEmbeddingEncoder:
    """The Encoder role over HTTP. `name` is the served model's id: an index built with the bundled
    m3e-small can be queried through a server that serves m3e-small under that name."""

    def __init__(self, base_url: str, model: str, api_key: str = "none", batch_size: int = 64, retries: int = 3,
                 timeout_s: float = 60.0, max_chars: int = 500):
        import httpx

        self.url = base_url.rstrip("/") + "/embeddings"
        self.model, self.name = model, model
        self.batch_size, self.retries, self.max_chars = batch_size, retries, max_chars
        self._http = httpx.Client(timeout=timeout_s, headers={"Authorization": f"Bearer {api_key}"})
        self.dim = self._post(["维度探测"]).shape[1]  # learn the dimension, and that the model answers

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        blocks = [self._post([t[: self.max_chars] for t in texts[i : i + self.batch_size]])
                  for i in range(0, len(texts), self.batch_size)]
        out = np.vstack(blocks) if blocks else np.zeros((0, self.dim), np.float32)
        if out.shape[1] != self.dim:
            raise EmbeddingServerError(f"{self.url} changed dimension from {self.dim} to {out.shape[1]}")
        return out

    def _post(self, batch: list[str]) -> np.ndarray:
        import httpx

        delay = 0.5
        for attempt in range(self.retries + 1):
            try:
                r = self._http.post(self.url, json={"model": self.model, "input": batch})
            except httpx.TransportError as exc:
                problem = f"cannot reach {self.url}: {exc}"
            else:
                if r.status_code == 200:
                    return self._vectors(r.json(), len(batch))
                problem = f"{self.url} answered {r.status_code}: {r.text[:200]}"
                if r.status_code < 500 and r.status_code != 429:
                    raise EmbeddingServerError(problem + self._hint(r.status_code))
            if attempt < self.retries:
                time.sleep(delay)
                delay *= 2
        raise EmbeddingServerError(f"{problem} (after {self.retries + 1} tries); check REPORTQA_EMBED_URL")

    def _hint(self, status: int) -> str:
        if status in (401, 403):
            return "; set REPORTQA_EMBED_API_KEY"
        if status in (400, 404):
            return f"; does the server serve the model {self.model!r}? Set REPORTQA_EMBED_MODEL to its id"
        return ""

    def _vectors(self, body: dict, n: int) -> np.ndarray:
        served = body.get("model")
        if served and served != self.model and not served.endswith("/" + self.model):
            raise EmbeddingServerError(
                f"{self.url} serves the model {served!r}, not {self.model!r}: vectors of another model do not match "
                "the index; set REPORTQA_EMBED_MODEL to the served model and run `reportqa ingest --rebuild`")
        rows = sorted(body.get("data") or [], key=lambda d: d.get("index", 0))
        if len(rows) != n:
            raise EmbeddingServerError(f"{self.url} returned {len(rows)} vectors for {n} texts")
        vectors = np.asarray([row["embedding"] for row in rows], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)  # cosine needs unit rows, whatever the server does
