"""The synthetic-scale benchmark at a tiny size: exact search is exact, and the result record has
the fields `reportqa bench` and docs/BENCHMARKS.md read. No timing asserts (shared CI cores)."""
from __future__ import annotations

import numpy as np

from eval import bench_report, bench_scale

RUN_KEYS = {"dist", "n", "index", "params", "build_s", "extrapolated", "bytes", "bytes_per_million",
            "p50_ms", "p95_ms", "queries", "recall@10"}


def test_tiny_scale_flat_is_exact_and_records_are_complete(tmp_path):
    res = bench_scale.scale([2000], queries=30, hnsw_max=2000)

    assert {"dim", "k", "queries", "target_recall", "runs"} <= set(res)
    kinds = {(r["dist"], r["index"]) for r in res["runs"]}
    assert kinds == {(d, i) for d in ("random", "clustered") for i in ("flat", "hnsw", "ivf")}
    for r in res["runs"]:
        assert RUN_KEYS <= set(r), r["index"]
        assert r["bytes"] >= 2000 * 512 * 4  # the vectors themselves are stored
        assert 0.0 <= r["recall@10"] <= 1.0
    assert all(r["recall@10"] == 1.0 for r in res["runs"] if r["index"] == "flat")
    # ANN runs record how they were tuned
    assert all(r["sweep"] and r["tuned"] for r in res["runs"] if r["index"] != "flat")

    bench_report.plot({"synthetic": res}, tmp_path / "bench.png")
    assert (tmp_path / "bench.png").stat().st_size > 0


def test_hnsw_beyond_the_build_limit_is_extrapolated_not_measured():
    res = bench_scale.scale([1000, 4000], dists=("clustered",), queries=10, hnsw_max=1000)
    big = next(r for r in res["runs"] if r["index"] == "hnsw" and r["n"] == 4000)
    small = next(r for r in res["runs"] if r["index"] == "hnsw" and r["n"] == 1000)
    assert big["extrapolated"] and big["p50_ms"] is None and big["recall@10"] is None
    assert big["build_s"] > small["build_s"] * 4  # n·log n from the measured run
    assert big["extrapolated_from"] == 1000


def test_exact_matches_brute_force_and_clustered_vectors_are_unit_norm():
    rng = np.random.default_rng(0)
    mixture = bench_scale.Mixture(5, seed=0)
    x = bench_scale.vectors(3000, "clustered", rng, mixture)
    q = bench_scale.vectors(7, "clustered", rng, mixture)
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)
    ids, scores = bench_scale.exact(x, q, k=10, block=1000)  # several blocks to merge
    brute = np.argsort(-(q @ x.T), axis=1)[:, :10]
    assert bench_scale.recall(brute, x, q, scores[:, -1]) == 1.0
    assert bench_scale.recall(ids, x, q, scores[:, -1]) == 1.0


def test_both_stores_are_built_from_the_same_synthetic_reports_and_timed(tmp_path):
    from eval import bench_milvus

    res = bench_milvus.stores([1500], queries=5)["1500"]
    assert res["reports"] >= 1 and res["chunks"] > 0
    for name in ("faiss", "milvus"):
        assert res[name]["search_ms"]["n"] == 5 and res[name]["search_ms"]["p50"] > 0
    assert res["milvus"]["insert_per_s"] > 0
    assert any(t[0].startswith("Stores") for t in bench_report.tables({"stores": {"1500": res}}))


def test_synthetic_reports_are_real_pieces_under_other_places():
    from eval import bench_milvus

    docs = list(bench_milvus.synthetic(7, chunks_per=3))
    assert len({d.county for d in docs}) == 7 and len({d.doc_id for d in docs}) == 7
    for d in docs:
        assert 1 <= len(d.chunks) <= 3 and all(c.county == d.county and c.doc_id == d.doc_id for c in d.chunks)
        assert {p for c in d.chunks for p in c.paragraph_ids} == {p.id for p in d.paragraphs}
        assert all(f.place == d.county for f in d.facts)
