"""Chunks for retrieval: paragraph-aware, sentence-whole, sized for the embedding model.

m3e-small reads at most 512 tokens (about one per Chinese character); a chunk body of at most
`max_chars` plus its place/heading prefix stays well inside that.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.clean import normalize
from corpus.records import Chunk, Paragraph

_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*[”」’）)]*")
# a comma that is not inside a number such as 1,234
_CLAUSE = re.compile(r"(?<=，)|(?<=,)(?!\d)|(?<=、)")


def sentences(text: str) -> list[str]:
    """Split at sentence ends, keeping closing quotes with their sentence.

    Example: sentences("增长12.1%。排名第2；好。") -> ["增长12.1%。", "排名第2；", "好。"]
    """
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def _pieces(text: str, max_chars: int) -> list[str]:
    """Sentence-whole pieces of at most max_chars (a longer sentence is cut at commas)."""
    units: list[str] = []
    for sentence in sentences(text):
        if len(sentence) <= max_chars:
            units.append(sentence)
            continue
        clause = ""
        for part in _CLAUSE.split(sentence):
            if clause and len(clause) + len(part) > max_chars:
                units.append(clause)
                clause = ""
            clause += part
        units.append(clause)
    out, buf = [], ""
    for unit in units:
        if buf and len(buf) + len(unit) > max_chars:
            out.append(buf)
            buf = ""
        buf += unit
    if buf:
        out.append(buf)
    return out


def chunk(
    paragraphs: Sequence[Paragraph], county: str, year: int | None, max_chars: int = 300, min_chars: int = 80
) -> list[Chunk]:
    """Paragraphs -> chunks "<doc_id>#c001…": long paragraphs split at sentences, short ones merged.

    A split paragraph's later pieces carry its lead sentence in their heading, so each piece
    still says what it is about.
    """
    out: list[Chunk] = []
    pending: list[Paragraph] = []

    def flush() -> None:
        if pending:
            text = "\n".join(p.text for p in pending)
            _add(pending[0].doc_id, tuple(p.id for p in pending), pending[0].heading, text)
            pending.clear()

    def _add(doc_id: str, pids: tuple[str, ...], heading: str, text: str) -> None:
        cid = f"{doc_id}#c{len(out) + 1:03d}"
        out.append(Chunk(cid, doc_id, pids, heading, text, normalize(text), county, year))

    for p in paragraphs:
        if len(p.text) > max_chars:
            flush()
            parts = _pieces(p.text, max_chars)
            lead = sentences(p.text)[0] if sentences(p.text) else ""
            for i, part in enumerate(parts):
                heading = p.heading
                if i and len(lead) <= 40:
                    heading = f"{p.heading} > {lead.rstrip('。；;')}" if p.heading else lead.rstrip("。；;")
                _add(p.doc_id, (p.id,), heading, part)
            continue
        if pending and (
            p.heading != pending[0].heading or sum(len(q.text) for q in pending) + len(p.text) > max_chars
        ):
            flush()
        pending.append(p)
        if sum(len(q.text) for q in pending) >= min_chars:
            flush()
    flush()
    return out
