"""Chinese keyword search: BM25 (bm25s) over normalized text, tokenized by jieba with the
corpus's place names kept whole ("2022年代县" -> 2022 / 年 / 代县, not 年代 / 县)."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import numpy as np

STOP = set(
    "的 了 是 和 与 及 在 有 为 对 将 把 被 等 年 中 上 下 个 多少 什么 哪些 哪个 哪 几 是否 怎么 怎样 如何 "
    "请问 请 吗 呢 啊 吧 报告 政府 工作 提到 提出 说 情况 方面 其中 以及 还 也 都 又 就 我们 全县 全市".split()
)
_PUNCT = re.compile(r"^[\W_]+$")


@functools.lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    from qa.retrieval.synonyms import SYNONYMS

    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines are noise on a CLI

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for terms in SYNONYMS.values():  # official indicator names stay whole: 地区生产总值, not 地区 / 生产总值
        for term in terms.split():
            if len(term) >= 4:
                tokenizer.add_word(term, freq=200000)
    return tokenizer


class Tokenizer:
    """jieba words, with place names cut out first, plus character bigrams of CJK runs.

    Example: Tokenizer(["代县"]).tokenize("2022年代县GDP") -> ["2022", "代县", "gdp", …]
    """

    def __init__(self, places: Iterable[str] = (), mode: str = "words+bigrams"):
        self.places = sorted({p for p in places if len(p) >= 2}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, self.places))) if self.places else None
        self.mode = mode
        jb = _jieba()
        for p in self.places:
            jb.add_word(p, freq=100000)

    def tokenize(self, text: str) -> list[str]:
        text = text.lower()
        parts: list[tuple[bool, str]] = []
        pos = 0
        if self.pattern:
            for m in self.pattern.finditer(text):
                parts.append((False, text[pos : m.start()]))
                parts.append((True, m.group()))
                pos = m.end()
        parts.append((False, text[pos:]))
        tokens: list[str] = []
        for is_place, part in parts:
            if is_place:
                tokens.append(part)
                continue
            if "words" in self.mode:
                tokens += [w for w in _jieba().lcut(part, HMM=False) if w.strip() and w not in STOP and not _PUNCT.match(w)]
            if "bigrams" in self.mode:
                for run in re.findall(r"[\u3400-\u9fff]{2,}", part):
                    tokens += [run[i : i + 2] for i in range(len(run) - 1)]
        return tokens


class KeywordIndex:
    """BM25 over chunk texts; scores every chunk for a query (fine up to a few 100k chunks)."""

    def __init__(self, ids: Sequence[str], texts: Sequence[str], tokenizer: Tokenizer):
        import bm25s

        self.ids = list(ids)
        self.tokenizer = tokenizer
        self.bm25 = bm25s.BM25(k1=1.2, b=0.75)
        corpus = [tokenizer.tokenize(t) or ["∅"] for t in texts]
        if corpus:
            self.bm25.index(corpus, show_progress=False)
        self.vocab = self.bm25.vocab_dict if corpus else {}

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk, in `ids` order; zeros when no query word is known."""
        tokens = [t for t in self.tokenizer.tokenize(query) if t in self.vocab]
        if not tokens or not self.ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)
