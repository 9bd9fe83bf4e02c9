"""The two stores side by side on the same reports and questions, with the real m3e-small:
Milvus (Milvus Lite, dense + BM25 fused by its RRF) within 0.02 of FAISS + bm25s on hit@1,
hit@5 and MRR@10 (issue 15; `reportqa eval --retrieval-only` with REPORTQA_STORE=faiss|milvus)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eval.questions import load
from eval.run import evaluate_retrieval

pytest.importorskip("milvus_lite")
pytestmark = pytest.mark.slow
QUESTIONS = Path(__file__).resolve().parents[2] / "eval" / "questions.jsonl"


@pytest.fixture(scope="module")
def both(real_library, tmp_path_factory) -> dict[str, dict]:
    from qa.library import Library

    data = tmp_path_factory.mktemp("milvus-parity")
    shutil.copytree(real_library.settings.data_dir, data, dirs_exist_ok=True)  # reports and their cached vectors
    milvus = Library(real_library.settings.model_copy(update={"data_dir": data, "store": "milvus"}),
                     encoder=real_library.encoder)
    milvus.ensure_ready()
    questions = load(QUESTIONS)
    return {name: evaluate_retrieval(lib, questions, modes=("hybrid",), k=10)["modes"]["hybrid"]
            for name, lib in (("faiss", real_library), ("milvus", milvus))}


@pytest.mark.parametrize("metric", ["hit@1", "hit@5", "mrr@10"])
def test_milvus_finds_the_evidence_as_well_as_faiss(both, metric):
    faiss, milvus = both["faiss"]["single"][metric], both["milvus"]["single"][metric]
    print(f"{metric}: faiss {faiss:.3f} milvus {milvus:.3f}")
    assert milvus >= faiss - 0.02, f"{metric}: Milvus {milvus:.3f} vs FAISS {faiss:.3f}"


def test_milvus_gives_every_place_of_a_comparison_its_evidence(both):
    assert both["milvus"]["comparison"]["all@10"] >= 0.9
