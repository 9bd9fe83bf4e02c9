"""Reading report files: .txt in any common encoding, .html, .docx and .pdf, into text.

Failures are `ReadError`s that name the file and the reason, so a batch can skip one bad file.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Progress = Callable[[int, int], None]
SUPPORTED = (".txt", ".text", ".md", ".html", ".htm", ".docx", ".pdf")


class ReadError(ValueError):
    """A file that cannot be read as a report; str() says which file and why."""


@dataclass(frozen=True, slots=True)
class RawText:
    text: str
    encoding: str


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 4 KiB mean it is not text."""
    head = data[:4096]
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def decode(data: bytes, name: str = "<bytes>") -> RawText:
    """Decode bytes whose encoding is unknown: UTF-8 first, then detection (GB18030, Big5, UTF-16…).

    Example: decode("政府工作报告".encode("gbk")).encoding -> "gb18030"
    """
    if not data.strip():
        raise ReadError(f"{name}: the file is empty")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return RawText(data.decode(enc), enc)
    if looks_binary(data):
        raise ReadError(f"{name}: binary content, not a text report")
    try:
        return RawText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Chinese legacy encodings first: GB18030 is a superset of GBK/GB2312, Big5 for Taiwan/HK text
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((enc, data.decode(enc)))
        except UnicodeDecodeError:
            continue
    if len(candidates) == 1:
        return RawText(candidates[0][1], candidates[0][0])
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "cp1252"] if candidates else None).best()
    if best is None or best.encoding in ("ascii",) and not data.isascii():
        raise ReadError(f"{name}: cannot tell the text encoding (tried UTF-8, GB18030, Big5)")
    text = str(best)
    if not _cjk_share(text) and not data.isascii():
        raise ReadError(f"{name}: decoded text holds no Chinese; the encoding is not recognised")
    return RawText(text, best.encoding)


def _cjk_share(text: str) -> float:
    sample = text[:5000]
    return sum(1 for c in sample if "\u4e00" <= c <= "\u9fff") / max(1, len(sample))


def read_bytes(data: bytes, name: str, progress: Progress | None = None) -> RawText:
    """Turn an uploaded or on-disk file's bytes into text, by its extension. `progress(done, total)`
    is called as pages are read (a long scanned PDF takes minutes)."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise ReadError(f"{name}: unsupported file type {suffix or '(none)'}; use one of {', '.join(SUPPORTED)}")
    if not data:
        raise ReadError(f"{name}: the file is empty")
    if suffix == ".docx":
        from corpus.docx import docx_text
        return RawText(docx_text(data, name), "docx")
    if suffix == ".pdf":
        return RawText(_pdf_text(data, name, progress), "pdf")
    raw = decode(data, name)
    if suffix in (".html", ".htm") or re.match(r"\s*<(!doctype|html)", raw.text[:200], re.I):
        from corpus.web import page_text
        return RawText(page_text(raw.text), raw.encoding)
    return raw


def _pdf_text(data: bytes, name: str, progress: Progress | None = None) -> str:
    from corpus.pdf import PdfError, pdf_text

    try:
        return pdf_text(data, name, progress)
    except PdfError as exc:
        raise ReadError(str(exc)) from None


def read_raw(path: Path) -> bytes:
    """A file's bytes, or a ReadError naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path.name}: cannot open ({exc.strerror})") from None


def read_file(path: Path) -> tuple[bytes, RawText]:
    """Read a file from disk; returns its raw bytes (for the fingerprint) and its text."""
    data = read_raw(path)
    return data, read_bytes(data, path.name)
