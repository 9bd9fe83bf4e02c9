"""`reportqa bench`: ingest, index, retrieval (in-process and HTTP), the naive baseline, answers,
memory and synthetic scale in one run, checked against the targets; JSON, markdown and a plot.

    results = collect(Settings(), quick=True)
    results["targets"][0] -> {"name": "ingest of the bundled reports", "met": True, "gap": -12.7, …}
"""
from __future__ import annotations

import gc
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path

from eval import bench_app, bench_formats, bench_lexical, bench_milvus, bench_scale, bench_serve

QUICK = {"questions": 40, "answers": 3, "load": (8, 2), "sizes": (10_000, 100_000), "hnsw_max": 10_000, "lexical": (10,),
         "place_docs": (5_600,), "stores": (10_000,), "worker_reports": 2_000}
FULL = {"questions": None, "answers": 8, "load": (24, 4), "sizes": (10_000, 100_000, 1_000_000), "hnsw_max": 100_000,
        "lexical": (10, 100), "place_docs": (5_600, 56_000), "stores": (10_000, 100_000), "worker_reports": 20_000}
# (name, unit, upper limit): every target is "at most"
TARGETS = (("ingest of the bundled reports", "s", 60.0), ("ANN search p50 at 1M chunks, recall@10 ≥ 0.95", "ms", 50.0),
           ("dense retrieval p50 at 1M (query embedding + ANN)", "ms", 50.0),
           ("time to first token p50", "s", 4.0), ("full answer p50", "s", 10.0))


def _log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def collect(settings, quick: bool = False, log=_log, only: set[str] | None = None) -> dict:
    """Run every stage (or `only` those); a stage that fails is recorded under "errors" and the others go on."""
    from eval.questions import load

    plan = QUICK if quick else FULL
    started = time.perf_counter()
    res: dict = {"quick": quick, "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": _machine(), "errors": {},
                 "load_avg": {}}
    questions = load(bench_app.questions_file(), limit=plan["questions"])

    def stage(name: str, fn):
        if only and name not in only:
            return None
        log(f"{name}…")
        t0 = time.perf_counter()
        try:
            res[name] = fn()
        except Exception as exc:  # a benchmark reports a broken stage rather than dying on it
            res["errors"][name] = f"{exc.__class__.__name__}: {exc}"
            log(f"{name} failed: {exc}\n{traceback.format_exc(limit=3)}")
        res["load_avg"][name] = round(os.getloadavg()[0], 2)  # other processes on the box skew timings
        log(f"{name} done in {time.perf_counter() - t0:.1f} s (load average {res['load_avg'][name]})")
        return res.get(name)

    with tempfile.TemporaryDirectory(prefix="reportqa-bench-") as tmp:
        fresh = settings.model_copy(update={"data_dir": Path(tmp)})
        box: dict = {}

        def ingest():
            box["library"], out = bench_app.ingest(fresh)
            return out

        stage("ingest", ingest)
        library = box.get("library")
        if library is not None:
            stage("retrieval", lambda: bench_app.retrieval(fresh, library, questions))
            stage("baseline", lambda: bench_app.baseline(library, questions))
            stage("lexical", lambda: bench_lexical.lexical(library, questions, plan["lexical"], plan["place_docs"]))
            # the generator reads the user's settings (models in their data dir); retrieval the fresh copy
            stage("answers", lambda: bench_app.answers(settings, library, questions, plan["answers"]))
            stage("model_restart", lambda: bench_serve.restart(settings))
            stage("load", lambda: bench_serve.load(settings, library, questions, *plan["load"]))
        res["memory"] = {"app": bench_app.memory(),
                         "note": "one process: encoder, generator, BM25 and the HTTP server (uvicorn thread)"}
        box.clear()
        del library
        gc.collect()
    stage("formats", lambda: bench_formats.formats(bench_formats.sources(quick), log=log))
    stage("synthetic", lambda: bench_scale.scale(plan["sizes"], hnsw_max=plan["hnsw_max"], log=log))
    stage("stores", lambda: bench_milvus.stores(plan["stores"], log=log))
    stage("worker_memory", lambda: bench_milvus.worker_memory(plan["worker_reports"], log=log))
    res["memory"]["after_synthetic"] = bench_app.memory()
    res["seconds"] = round(time.perf_counter() - started, 1)
    res["machine"]["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    res["targets"] = targets(res)
    return res


def _machine() -> dict:
    import faiss

    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "faiss": faiss.__version__, "load_avg_start": [round(x, 2) for x in os.getloadavg()]}


def _best_1m(res: dict) -> dict | None:
    """The fastest index on clustered 1M vectors that reaches the recall target."""
    runs = [r for r in res.get("synthetic", {}).get("runs", []) if r["dist"] == "clustered" and r["n"] >= 1_000_000
            and not r["extrapolated"] and (r["recall@10"] or 0) >= bench_scale.TARGET_RECALL]
    return min(runs, key=lambda r: r["p50_ms"], default=None)


def targets(res: dict) -> list[dict]:
    """Each target with the measured value, met (None = not measured) and the gap (measured − limit)."""
    best = _best_1m(res)
    embed = res.get("retrieval", {}).get("query_embed_ms", {}).get("p50")
    answers = res.get("answers", {})
    ms_to_s = lambda v: v / 1000 if v is not None else None  # noqa: E731
    measured = [
        (res.get("ingest", {}).get("cold_s"), "encoder load + clean/split + embedding + index"),
        (best["p50_ms"] if best else None,
         f"{best['index']} {best['params']} on clustered vectors, recall@10 {best['recall@10']}" if best
         else "not measured at 1M" + (" (--quick stops at 100k)" if res.get("quick") else "")),
        (best["p50_ms"] + embed if best and embed is not None else None,
         f"query embedding p50 {embed} ms (m3e-small) + the ANN search above; BM25 not included" if best else ""),
        (ms_to_s(answers.get("ttft_ms", {}).get("p50")), "question in → first streamed token, retrieval included"),
        (ms_to_s(answers.get("total_ms", {}).get("p50")), f"{answers.get('max_tokens')} max tokens"),
    ]
    out = []
    for (name, unit, limit), (value, note) in zip(TARGETS, measured):
        gap = round(value - limit, 2) if value is not None else None
        out.append({"name": name, "unit": unit, "target": limit, "measured": round(value, 2) if value is not None else None,
                    "met": None if value is None else value <= limit, "gap": gap, "note": note})
    return out


STAGES = ("ingest", "formats", "retrieval", "baseline", "lexical", "answers", "model_restart", "load", "synthetic", "stores",
          "worker_memory")


def run(settings, as_json: bool = False, out: Path | None = None, quick: bool = False, only: set[str] | None = None) -> int:
    """Entry point of `reportqa bench`; exit code 1 when a stage failed (missed targets are not failures)."""
    from eval import bench_report

    unknown = (only or set()) - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stage {', '.join(sorted(unknown))}; stages: {', '.join(STAGES)}")
    res = collect(settings, quick, only=only)
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        try:
            bench_report.plot(res, out / "bench.png")
        except Exception as exc:  # a plot must not lose the numbers
            res["errors"]["plot"] = str(exc)
        (out / "results.json").write_text(json.dumps(res, ensure_ascii=False, indent=1), "utf-8")
        (out / "bench.md").write_text(bench_report.markdown(res), "utf-8")
        _log(f"wrote {out}/results.json, bench.md, bench.png")
    if as_json:
        sys.stdout.write(json.dumps(res, ensure_ascii=False) + "\n")
    else:
        bench_report.console(res)
    return 1 if res["errors"] else 0
