"""Reading report files: .txt in any common encoding, .html, .docx and .pdf, into text.

Failures are `ReadError`s that name the file and the reason, so a batch can skip one bad file.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

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


def html_to_text(html: str) -> str:
    """Visible text of a page, one block per line; scripts, styles and navigation removed."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "form", "iframe"]):
        tag.decompose()
    return soup.get_text("\n")


def read_bytes(data: bytes, name: str) -> RawText:
    """Turn an uploaded or on-disk file's bytes into text, by its extension."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise ReadError(f"{name}: unsupported file type {suffix or '(none)'}; use one of {', '.join(SUPPORTED)}")
    if not data:
        raise ReadError(f"{name}: the file is empty")
    if suffix == ".docx":
        return RawText(_docx_text(data, name), "docx")
    if suffix == ".pdf":
        return RawText(_pdf_text(data, name), "pdf")
    raw = decode(data, name)
    if suffix in (".html", ".htm") or re.match(r"\s*<(!doctype|html)", raw.text[:200], re.I):
        return RawText(html_to_text(raw.text), raw.encoding)
    return raw


def _docx_text(data: bytes, name: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for a bad zip
        raise ReadError(f"{name}: not a readable .docx ({exc.__class__.__name__})") from None
    text = "\n".join(p.text for p in document.paragraphs)
    if not text.strip():
        raise ReadError(f"{name}: the .docx holds no text")
    return text


def _pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as exc:  # pypdf raises many types on damaged files
        raise ReadError(f"{name}: not a readable PDF ({exc.__class__.__name__})") from None
    if not text.strip():
        raise ReadError(f"{name}: the PDF has no text layer (scanned pages need OCR first)")
    return text


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
