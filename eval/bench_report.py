"""Rendering `reportqa bench` results: the same tables as markdown (bench.md) and rich (stderr),
and bench.png (latency and recall against scale per index type, and the tuning sweeps)."""
from __future__ import annotations

from pathlib import Path


def _f(v, digits: int = 1) -> str:
    if v is None:
        return "–"
    return f"{v:,.{digits}f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int) else str(v)


def _status(t: dict) -> str:
    if t["met"] is None:
        return "not measured"
    sign = "+" if t["gap"] > 0 else ""
    return f"{'met' if t['met'] else 'MISSED'} ({sign}{t['gap']:g} {t['unit']})"


def tables(res: dict) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) for every section that ran."""
    out = [("Targets", ["target", "limit", "measured", "status (gap)", "how"],
            [[t["name"], f"≤ {t['target']:g} {t['unit']}", _f(t["measured"], 2), _status(t), t["note"]]
             for t in res.get("targets", [])])]
    ing = res.get("ingest")
    if ing:
        out.append(("Ingest and index (bundled reports, fresh data dir)", ["measure", "value"], [
            ["reports / paragraphs / chunks", f"{ing['documents']} / {ing['paragraphs']} / {ing['chunks']}"],
            ["encoder load", f"{ing['encoder_load_s']} s ({ing['encoder']})"],
            ["read + clean + split + chunk", f"{ing['clean_split_s']} s = {_f(ing['paragraphs_per_s'])} paragraphs/s"],
            ["embed + build + publish index", f"{ing['embed_index_s']} s = {_f(ing['chunks_embedded_per_s'])} chunks embedded/s"],
            ["cold ingest (load + all stages)", f"{ing['cold_s']} s"],
            ["second ingest (cache)", f"{ing['second']['total_s']} s, {ing['second']['embedded']} chunks re-embedded, "
                                      f"index build {ing['second']['index_build_s']} s"],
            ["doc store (JSON per report)", f"{ing['docstore_bytes_per_report'] / 1e3:,.0f} kB, "
                                            f"{ing['docstore_load_ms_per_report']} ms to load each, "
                                            f"{ing.get('docstore_memory_per_report', 0) / 1e3:,.0f} kB in memory each"],
        ]))
    fmt = res.get("formats")
    if fmt:
        out.append(("Ingest of reports as published (medians per report, one run)",
                    ["form", "reports", "s per report", "x text", "pages / min", "text kept (min overlap)", "facts kept (min)"],
                    [[form, str(v["reports"]), _f(v["median_s"], 2), _f(v["x_text"]), _f(v["pages_per_min"]),
                      _f(v["overlap"], 4), _f(v["facts_kept"], 3)] for form, v in fmt["forms"].items()]))
        out.append(("PDF libraries on the Chromium prints (raw text, before layout repair)",
                    ["library", "s per report", "raw overlap with the text"],
                    [[name, _f(v.get("median_s"), 3), _f(v.get("raw_overlap"), 4)] if v.get("installed", True)
                     else [name, "not installed", "–"] for name, v in fmt["libraries"].items()]))
    rows = []
    ret, base = res.get("retrieval"), res.get("baseline")
    for label, r, hit in (("hybrid, in-process", ret and ret["in_process"], True),
                          ("hybrid, HTTP POST /v1/search", ret and ret["http"], False),
                          ("query embedding alone", ret and {"latency_ms": ret["query_embed_ms"]}, False),
                          ("naive baseline (750/150 windows, dense)", base, True)):
        if r:
            lat = r["latency_ms"]
            rows.append([label, _f(lat["p50"]), _f(lat["p95"]), _f(r["hit@k"], 3) if hit else "–", str(lat["n"])])
    if rows:
        out.append(("Retrieval (k=5; hit@5 on single-report questions)", ["system", "p50 ms", "p95 ms", "hit@5", "n"], rows))
    lex = res.get("lexical")
    if lex:
        rows = [[f"{k['chunks']:,} chunks", f"{k['bm25_index_s']} s", _f(k["scores_ms"]["p50"], 2),
                 _f(k["scores_and_rank_ms"]["p50"], 1), f"{k['nonzero_share']:.0%}", _f(k["bm25_bytes_per_chunk"])]
                for k in lex["keyword"]]
        rows += [[f"{p['documents']:,} reports", "–", "–", _f(p["find_places_ms"]["p50"], 1) + " (find_places)", "–", "–"]
                 for p in lex["places"]]
        x = lex["extrapolated_3m_chunks"]
        rows.append(["3M chunks (extrapolated, linear)", f"{x['tokenize_hours_per_worker']} h to tokenize",
                     "–", _f(float(x["scores_and_rank_ms"]), 0), "–", "–"])
        out.append((f"Keyword search and place lookup vs corpus size (bundled reports replicated; "
                    f"jieba tokenizing {lex['tokenize_chunks_per_s']} chunks/s)",
                    ["corpus", "BM25 index build", "bm25 scores p50 ms", "scores + rank p50 ms", "chunks scored > 0",
                     "BM25 bytes/chunk"], rows))
    ans = res.get("answers")
    if ans:
        rows = [[i["id"], i["mode"] or "–", _f(i["ttft_ms"]), _f(i["total_ms"]), _f(i.get("context_tokens")),
                 _f(i.get(ans["unit"])), _f(i["decode_per_s"])] for i in ans["items"]]
        rows.append(["p50 / p95", f"{ans['n']} generated", f"{_f(ans['ttft_ms']['p50'])} / {_f(ans['ttft_ms']['p95'])}",
                     f"{_f(ans['total_ms']['p50'])} / {_f(ans['total_ms']['p95'])}", "", "",
                     f"{_f(ans['decode_per_s']['p50'])} / {_f(ans['decode_per_s']['p95'])}"])
        out.append((f"Answers ({ans['backend']}: {ans['generator']}, loaded in {ans['load_s']} s, "
                    f"max_tokens {ans['max_tokens']})",
                    ["question", "mode", "first token ms", "total ms", "context tokens", f"answer {ans['unit']}",
                     f"decode {ans['unit']}/s"], rows))
    mem = res.get("memory", {})
    if mem:
        out.append(("Memory (MB)", ["when", "RSS", "peak RSS"],
                    [[k, _f(v["rss_mb"]), _f(v["peak_rss_mb"])] for k, v in mem.items() if isinstance(v, dict)]))
    syn = res.get("synthetic")
    if syn:
        rows = [[r["dist"], f"{r['n']:,}", r["index"], _params(r["params"]),
                 _f(r["build_s"]) + (" (extrapolated)" if r["extrapolated"] else ""), _f(r["p50_ms"], 2),
                 _f(r["p95_ms"], 2), _f(r["recall@10"], 3),
                 _f(r["bytes_per_million"] / 1e6 if r["bytes_per_million"] else None, 0)] for r in syn["runs"]]
        out.append((f"Synthetic scale (dim {syn['dim']}, float32, {syn['queries']} single queries, recall@10 vs exact)",
                    ["vectors", "n", "index", "params", "build s", "p50 ms", "p95 ms", "recall@10", "MB per 1M"], rows))
    stores = res.get("stores")
    if stores:
        rows = [[f"{r['chunks']:,}", name, _f(r[name]["build_s"]), _f(r[name].get("insert_per_s"), 0),
                 _f(r[name]["search_ms"]["p50"]), _f(r[name]["search_ms"]["p95"])]
                for r in stores.values() for name in ("faiss", "milvus") if name in r]
        out.append(("Stores on synthetic reports (hybrid search naming one county, hash encoder)",
                    ["chunks", "store", "build s", "chunks/s", "p50 ms", "p95 ms"], rows))
    workers = res.get("worker_memory")
    if workers:
        rows = [[n, _f(w["rss_mb"], 0), _f(w["ready_s"]), _f(w["answer_ms_p50"])]
                for n, w in workers.items() if isinstance(w, dict) and "rss_mb" in w]
        out.append(("One API worker with the Milvus store (RSS after 20 extractive answers)",
                    ["reports", "RSS MB", "ready s", "answer p50 ms"], rows))
    return out


def _params(p: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in p.items()) or "–"


def markdown(res: dict) -> str:
    m = res["machine"]
    lines = [f"# reportqa bench{' --quick' if res['quick'] else ''}", "",
             f"{res['started']} · {m['cpus']} CPUs · {m['platform']} · Python {m['python']} · faiss {m['faiss']} · "
             f"load average {m['load_avg_start'][0]} at start, {m.get('load_avg_end', ['?'])[0]} at end · "
             f"{res['seconds']} s in all", "",
             "Load average after each stage (2 cores; other processes skew timings): "
             + ", ".join(f"{k} {v}" for k, v in res.get("load_avg", {}).items()), ""]
    for title, header, rows in tables(res):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        lines.append("")
    for stage, error in res.get("errors", {}).items():
        lines.append(f"**{stage} failed:** {error}  ")
    return "\n".join(lines) + "\n"


def console(res: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console(stderr=True)
    if not con.is_terminal:
        con = Console(stderr=True, width=160)
    for title, header, rows in tables(res):
        table = Table(*header, title=title, title_justify="left")
        for row in rows:
            table.add_row(*row)
        con.print(table)
    for stage, error in res.get("errors", {}).items():
        con.print(f"[red]{stage} failed:[/red] {error}")


def plot(res: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = [r for r in res.get("synthetic", {}).get("runs", []) if r["p50_ms"] is not None]
    fig, (lat, rec, sweep) = plt.subplots(1, 3, figsize=(16, 4.8))
    colors = {"flat": "tab:gray", "hnsw": "tab:blue", "ivf": "tab:orange"}
    for (dist, style) in (("random", "--"), ("clustered", "-")):
        for kind, color in colors.items():
            pts = sorted((r["n"], r["p50_ms"], r["recall@10"]) for r in runs if r["dist"] == dist and r["index"] == kind)
            if pts:
                n, p50, recall = zip(*pts)
                lat.plot(n, p50, style, marker="o", color=color, label=f"{kind} · {dist}")
                rec.plot(n, recall, style, marker="o", color=color, label=f"{kind} · {dist}")
    lat.axhline(50, color="red", lw=0.8, ls=":", label="target 50 ms")
    lat.set(xscale="log", yscale="log", xlabel="vectors (dim 512)", ylabel="p50 single-query ms",
            title="search latency (tuned for recall@10 ≥ 0.95)")
    rec.axhline(0.95, color="red", lw=0.8, ls=":")
    rec.set(xscale="log", xlabel="vectors", ylabel="recall@10 vs exact", title="recall at the chosen setting")
    largest = max((r["n"] for r in runs), default=0)
    for r in runs:
        if r["n"] == largest and r.get("sweep"):
            xs = [s["p50_ms"] for s in r["sweep"]]
            ys = [s["recall@10"] for s in r["sweep"]]
            sweep.plot(xs, ys, "--" if r["dist"] == "random" else "-", marker=".", color=colors[r["index"]],
                       label=f"{r['index']} · {r['dist']}")
    sweep.axhline(0.95, color="red", lw=0.8, ls=":")
    sweep.set(xscale="log", xlabel="p50 ms", ylabel="recall@10",
              title=f"tuning sweep at {largest:,} (efSearch / nprobe)")
    for ax in (lat, rec, sweep):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
