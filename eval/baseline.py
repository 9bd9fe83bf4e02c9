"""The yardstick: the naive pipeline popular RAG stacks ship by default. Fixed 750-character
windows with 150 overlap over each report's decoded raw text (no cleaning, no paragraphs, no
place/year prefix), dense search only with the library's encoder, exact inner product.

The encoder reads at most ~512 tokens, so the tail of a 750-character window is silently not
embedded, as in those stacks. The question is embedded as typed (no script normalization).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.clean import fold_whitespace, normalize, strip_pinyin
from corpus.ingest import doc_id_for
from corpus.read import read_file

SIZE, OVERLAP = 750, 150


@dataclass(frozen=True, slots=True)
class Window:
    """A fixed-size slice of a raw report; `norm` is only for matching evidence, never embedded."""

    id: str  # "houma-2024#w003"
    doc_id: str
    start: int  # character offset in the decoded file
    text: str  # raw, as embedded
    norm: str  # whitespace folded, pinyin stripped, simplified, half-width: what evidence keys match


def windows(text: str, doc_id: str, size: int = SIZE, overlap: int = OVERLAP) -> list[Window]:
    """Character windows of `size`, each starting `size - overlap` after the previous; the last
    one reaches the end of the text.

    Example: [w.start for w in windows("x" * 1500, "d")] -> [0, 600, 1200]
    """
    if not 0 <= overlap < size:
        raise ValueError("overlap must be in [0, size)")
    stride = size - overlap
    starts = range(0, max(1, len(text) - overlap), stride)
    return [
        Window(f"{doc_id}#w{i:03d}", doc_id, s, text[s : s + size],
               normalize(strip_pinyin(fold_whitespace(text[s : s + size]))))
        for i, s in enumerate(starts)
    ]


class NaiveRetriever:
    """Dense-only search over raw windows. `retrieve` returns Windows, best first."""

    def __init__(self, files: Sequence[Path], encoder, size: int = SIZE, overlap: int = OVERLAP):
        self.encoder = encoder
        self.windows: list[Window] = []
        for path in files:
            _, raw = read_file(path)
            self.windows.extend(windows(raw.text, doc_id_for(path.name), size, overlap))
        # (n_windows, dim) float32, unit-norm rows
        self.vectors = encoder.encode([w.text for w in self.windows]) if self.windows else np.zeros((0, 1), np.float32)

    def retrieve(self, question: str, k: int = 10) -> list[Window]:
        if not self.windows:
            return []
        query = self.encoder.encode([question])[0]
        scores = self.vectors @ query
        top = np.argsort(-scores, kind="stable")[:k]
        return [self.windows[i] for i in top]
