"""OCR of scanned PDF pages on the CPU: RapidOCR (PP-OCRv4 Chinese, ONNX models inside the wheel).

`needs_ocr` says whether a page lacks a usable text layer; `ocr_page` renders it and `ocr_image`
reads the lines back in reading order. The engine loads once per process, on first use.

Example:
    >>> import pypdfium2 as pdfium
    >>> page = pdfium.PdfDocument("scan.pdf")[0]
    >>> text = page.get_textpage().get_text_bounded()
    >>> if needs_ocr(text, page):
    ...     lines = ocr_page(page)    # ["政府工作报告", "各位代表:", "现在,我代表市人民政府…", …]
"""
from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from corpus.layout import Line

if TYPE_CHECKING:
    from PIL import Image

# Recognition resizes every line crop to 48 px high and detection runs on a page shrunk to
# det_limit_side_len, so the render scale costs little time (render ~0.1 s/page): it only sets how
# sharp the crops are. Measured on a 6-page 200 dpi scan of houma-2024 (6107 characters, NFKC,
# whitespace removed): 150 dpi 0.9975, 200 dpi 0.9977, 250 dpi 0.9979 characters right.
DPI = 200
ENGINE_OPTIONS: dict[str, Any] = {
    "use_cls": False,            # report scans are upright; the angle classifier only costs time
    "max_side_len": 4000,        # the default 2000 would shrink a 200 dpi A4 page before recognition
    # detection on the page shrunk to 960 px (longest side) finds the same lines as at 1280 px;
    # recognition still reads crops cut from the full render
    "det_limit_type": "max",
    "det_limit_side_len": 960,
    # one line per run: PP-OCRv4 rec cost grows faster than the batch (a third of a page, 11 lines:
    # 2.5 s at batch 1, 7.0 s at batch 6) and report lines are all long, so batches gain nothing
    "rec_batch_num": 1,
}
MIN_TEXT_CHARS = 20              # fewer non-space characters than this is no text layer
MIN_IMAGE_SHARE = 0.1            # images covering this share of the page make it a scan

_lock = threading.Lock()
_engine: Any = None


class OcrError(RuntimeError):
    """The OCR engine cannot be loaded or run; str() says why and what to install."""


def load_engine(**options: Any) -> Any:
    """A new RapidOCR with `ENGINE_OPTIONS` updated by `options`, threads = os.cpu_count()."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrError(f"OCR needs rapidocr-onnxruntime (pip install rapidocr-onnxruntime): {exc}") from exc
    threads = os.cpu_count() or 1
    settings = {**ENGINE_OPTIONS, "intra_op_num_threads": threads, "inter_op_num_threads": 1, **options}
    try:
        engine = RapidOCR(**settings)
        for holder in (engine.text_det.infer, engine.text_cls.infer, engine.text_rec.session):
            holder.session = _session(holder.session._model_path, settings["intra_op_num_threads"])
    except Exception as exc:  # missing model file, broken onnxruntime: any of these means no OCR
        raise OcrError(f"cannot load the RapidOCR models: {type(exc).__name__}: {exc}") from exc
    return engine


def _session(model_path: str, threads: int) -> Any:
    """An onnxruntime session as RapidOCR makes it, but with the memory arena on (RapidOCR turns it
    off, so every line's new input shape re-allocates: about 3x slower here) and no spin-waiting
    (spinning threads fight whatever else runs on a small machine)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.enable_cpu_mem_arena = True
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model_path, sess_options=options, providers=["CPUExecutionProvider"])


def _shared_engine() -> Any:
    global _engine
    if _engine is None:
        _engine = load_engine()
    return _engine


def _lines(results: list, height: float = 0.0, scale: float = 1.0) -> list[Line]:
    """Group RapidOCR boxes into lines: a box joins a line when its vertical centre lies within that
    line's band; lines go top to bottom, boxes in a line left to right. Boxes are in pixels of an
    image `height` pixels high; lines come back in points (x `scale`, y upwards, as a PDF's).

    Example: boxes "乙"@(x=300, y=10), "甲"@(x=10, y=12), "丙"@(x=10, y=60) -> ["甲 乙", "丙"]
    """
    boxes = []
    for points, text, _score in results:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes.append((min(ys), max(ys), min(xs), max(xs), text))
    boxes.sort(key=lambda b: (b[0] + b[1]) / 2)
    rows: list[list[tuple]] = []
    for box in boxes:
        centre = (box[0] + box[1]) / 2
        row = rows[-1] if rows else None
        if row and row[0][0] <= centre <= row[0][1]:
            row.append(box)
        else:
            rows.append([box])
    lines = []
    for row in rows:
        row.sort(key=lambda b: b[2])
        box_height = sum(b[1] - b[0] for b in row) / len(row)
        text = row[0][4]
        for prev, box in zip(row, row[1:]):
            # pieces of one broken line sit about a character apart; a wide gap is a column break
            text += (" " if box[2] - prev[3] > box_height else "") + box[4]
        top, bottom = min(b[0] for b in row), max(b[1] for b in row)
        lines.append(Line(text, min(b[2] for b in row) * scale, max(b[3] for b in row) * scale,
                          (height - bottom) * scale, (height - top) * scale))
    return lines


def _read(image: Image.Image) -> list:
    with _lock:  # RapidOCR keeps per-call state on the instance: one page at a time
        engine = _shared_engine()
        try:
            results, _elapsed = engine(image.convert("RGB"))
        except Exception as exc:
            raise OcrError(f"OCR failed on a {image.width}x{image.height} image: {exc}") from exc
    return results or []


def ocr_image(image: Image.Image) -> list[str]:
    """The text lines of one page image, in reading order.

    Example: ocr_image(Image.open("page1.png")) -> ["政府工作报告", "各位代表:", …]
    """
    return [line.text for line in _lines(_read(image))]


def page_lines(page: Any, dpi: int = DPI) -> list[Line]:
    """Render a pypdfium2 PdfPage at `dpi` and OCR it into lines placed in the page's points, as
    the text layer's lines are (`corpus.pdf.page_lines`), so the layout is undone the same way."""
    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    return _lines(_read(image), image.height, 72 / dpi)


def ocr_page(page: Any, dpi: int = DPI) -> list[str]:
    """Render a pypdfium2 PdfPage at `dpi` and OCR it. Example: ocr_page(pdf[0]) -> ["政府工作报告", …]"""
    return [line.text for line in page_lines(page, dpi)]


def needs_ocr(page_text: str, page: Any) -> bool:
    """Whether a page has no usable text layer: almost no text, and images over a tenth of the page.

    Example: a scanned page (one full-page image, no text) -> True; a page printed from Word -> False
    """
    if sum(not c.isspace() for c in page_text) >= MIN_TEXT_CHARS:
        return False
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    covered = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        covered += max(0.0, right - left) * max(0.0, top - bottom)
    return covered >= MIN_IMAGE_SHARE * width * height
