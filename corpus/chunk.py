"""Chunks for retrieval: paragraph-aware, sentence-whole, sized for the embedding model.

m3e-small reads at most 512 tokens (about one per Chinese character); a chunk body of at most
`max_chars` plus its place/heading prefix stays well inside that.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.clean import normalize, to_simplified
from corpus.records import Chunk, Paragraph

# a sentence, or a run of end marks on its own ("。。"), so that no character is lost
_SENTENCE = re.compile(r"[^。！？!?；;]*[。！？!?；;]+[”」’）)]*|[^。！？!?；;]+")
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
    return pack([piece for unit in units for piece in _cut(unit, max_chars)], max_chars)


def pack(units: Sequence[str], limit: int) -> list[str]:
    """Greedily join consecutive units into pieces of at most `limit` characters (a longer unit stays whole).

    Example: pack(["ab", "cd", "efg"], 4) -> ["abcd", "efg"]
    """
    out, buf = [], ""
    for unit in units:
        if buf and len(buf) + len(unit) > limit:
            out.append(buf)
            buf = ""
        buf += unit
    if buf:
        out.append(buf)
    return out


def _cut(text: str, max_chars: int) -> list[str]:
    """A clause longer than max_chars with no comma in it, cut hard but never inside a number."""
    out = []
    while len(text) > max_chars:
        cut = max_chars
        while cut > 0 and re.match(r"[\d.,%]", text[cut]) and re.match(r"[\d.,]", text[cut - 1]):
            cut -= 1
        cut = cut or max_chars  # a number longer than a chunk: nothing better to do
        out.append(text[:cut])
        text = text[cut:]
    return [*out, text]


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
            topic = to_simplified(lead.rstrip("。；;"))  # headings are simplified, like the paragraph's
            for i, part in enumerate(parts):
                heading = p.heading
                if i and len(lead) <= 40:
                    heading = f"{p.heading} > {topic}" if p.heading else topic
                _add(p.doc_id, (p.id,), heading, part)
            continue
        # merged paragraphs are joined with "\n": count those too
        if pending and (
            p.heading != pending[0].heading
            or sum(len(q.text) + 1 for q in pending) + len(p.text) > max_chars
        ):
            flush()
        pending.append(p)
        if sum(len(q.text) for q in pending) >= min_chars:
            flush()
    flush()
    return out
