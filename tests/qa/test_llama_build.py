"""The installed llama.cpp is the portable build: it uses no CPU feature beyond x86-64-v3, so it
runs on every machine of ours, and never ggml's AMX path (which segfaults in decode)."""
from __future__ import annotations

import platform
import re

import pytest

PORTABLE = {"SSE3", "SSSE3", "AVX", "AVX2", "F16C", "FMA", "BMI2", "LLAMAFILE", "OPENMP", "REPACK"}


def cpu_features(info: str) -> set[str]:
    """Features compiled into the CPU backend. Example: "CPU : AVX = 1 | AMX_INT8 = 1 |" -> {"AVX", "AMX_INT8"}"""
    return {name for name, on in re.findall(r"\b([A-Z][A-Z0-9_]+) = (\d+)", info) if on != "0"}


def test_the_parser_would_catch_a_native_build():
    native = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | AVX512 = 1 | AVX512_VNNI = 1 | AMX_INT8 = 1 | OPENMP = 1 |"
    assert cpu_features(native) - PORTABLE == {"AVX512", "AVX512_VNNI", "AMX_INT8"}


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="the portable set is an x86-64 one")
def test_llama_cpp_is_built_for_the_portable_feature_set():
    import llama_cpp

    info = llama_cpp.llama_print_system_info().decode()
    features = cpu_features(info)
    assert {"AVX2", "FMA", "F16C"} <= features, f"a slow build without AVX2/FMA/F16C: {info}"
    assert not features - PORTABLE, (
        f"llama.cpp was built with {sorted(features - PORTABLE)} (a native build): it will not run, or will "
        f"crash, on other CPUs. Rebuild with `rm -rf .venv && make install`. System info: {info}"
    )
