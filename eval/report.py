"""Writing an eval run to a folder: results.json (everything, per question too), report.md and
PNG charts (scores per type and mode; retrieval latency per mode; answer latency)."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path


def write(out: Path, result: dict, records: Sequence, answer_rows: list[dict] | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    full = {**result, "records": [asdict(r) for r in records], "answer_rows": answer_rows}
    (out / "results.json").write_text(json.dumps(full, ensure_ascii=False, indent=1), encoding="utf-8")
    charts = [scores_chart(result, out / "scores_by_type.png"), latency_chart(records, out / "retrieval_latency.png")]
    if answer_rows:
        charts.append(answer_latency_chart(answer_rows, out / "answer_latency.png"))
    (out / "report.md").write_text(markdown(result, [c.name for c in charts]), encoding="utf-8")


def _f(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def markdown(result: dict, charts: Sequence[str]) -> str:
    k, counts = result["k"], result["counts"]
    lines = [
        "# Retrieval and answer evaluation", "",
        f"Question set `{result['questions']}`: {counts['questions']} questions "
        f"({', '.join(f'{t} {n}' for t, n in sorted(counts['by_type'].items()))}); "
        f"{counts['evidence']} evidence strings.", "",
        "## Retrieval", "",
        f"Single-report questions: the best rank of a passage holding the evidence. Comparison "
        f"questions: every evidence string within the top 5 / {k}.", "",
        f"| mode | hit@1 | hit@5 | MRR@10 | comparison all@5 | comparison all@{k} | p50 ms | p95 ms | evidence fallback |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, s in result["modes"].items():
        lines.append(f"| {mode} | {_f(s['single']['hit@1'])} | {_f(s['single']['hit@5'])} | {_f(s['single']['mrr@10'])} "
                     f"| {_f(s['comparison']['all@5'])} | {_f(s['comparison'][f'all@{k}'])} "
                     f"| {s['latency_ms']['p50']:.1f} | {s['latency_ms']['p95']:.1f} | {s['evidence_fallback']} |")
    modes = list(result["modes"])
    first = result["modes"][modes[0]]["per_type"]
    lines += ["", "hit@1 / hit@5 per type (comparison: all@5 / all@k):", "",
              "| type | n | " + " | ".join(modes) + " |", "|---|---|" + "---|" * len(modes)]
    for t, v in first.items():
        cells = []
        for m in modes:
            s = result["modes"][m]["per_type"].get(t, {})
            a, b = (s.get("all@5"), s.get(f"all@{k}")) if t == "comparison" else (s.get("hit@1"), s.get("hit@5"))
            cells.append(f"{_f(a)} / {_f(b)}")
        lines.append(f"| {t} | {v['n']} | " + " | ".join(cells) + " |")
    for mode in modes:
        missed = result["modes"][mode]["misses"]
        if not missed or mode != "hybrid":
            continue
        lines += ["", f"### {mode}: questions not answered at rank 1", "",
                  "| id | type | rank | question | rank-1 passage |", "|---|---|---|---|---|"]
        for m in missed:
            top = m["top1"] or {}
            text = top.get("text", "").replace("\n", " ").replace("|", "/")[:60]
            lines.append(f"| {m['id']} | {m['type']} | {m['rank'] or '–'} | {m['question']} | `{top.get('id', '')}` {text} |")
    a = result.get("answers")
    if a:
        lines += ["", "## Answers", "",
                  "| accuracy | refusal rate (unanswerable) | false refusals | citation precision | citation recall "
                  "| grounded | p50 ms | p95 ms | first token p50 ms | errors |",
                  "|---|---|---|---|---|---|---|---|---|---|",
                  f"| {_f(a['accuracy'])} | {_f(a['refusal_rate_unanswerable'])} | {_f(a['false_refusal_rate'])} "
                  f"| {_f(a['citation_precision'])} | {_f(a['citation_recall'])} | {_f(a['grounded_rate'])} "
                  f"| {_f(a['latency_ms']['p50'])} | {_f(a['latency_ms']['p95'])} | {_f(a['first_token_ms']['p50'])} "
                  f"| {a['errors']} |", "", "| type | n | accuracy |", "|---|---|---|"]
        lines += [f"| {t} | {v['n']} | {_f(v['accuracy'])} |" for t, v in a["per_type"].items()]
    lines += ["", "## Charts", ""] + [f"![{c}]({c})" for c in charts] + [""]
    return "\n".join(lines)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def scores_chart(result: dict, path: Path) -> Path:
    """Grouped bars: hit@1 and hit@5 (comparison: all@5 and all@k) per question type, one bar per mode."""
    import numpy as np

    plt = _pyplot()
    k = result["k"]
    modes = list(result["modes"])
    types = list(result["modes"][modes[0]]["per_type"])
    fig, axes = plt.subplots(2, 1, figsize=(max(8, 1.6 * len(types)), 7), sharex=True)
    width = 0.8 / len(modes)
    x = np.arange(len(types))
    for ax, (single, comp, label) in zip(axes, (("hit@1", "all@5", "hit@1 (comparison: all@5)"),
                                                ("hit@5", f"all@{k}", f"hit@5 (comparison: all@{k})"))):
        for i, mode in enumerate(modes):
            per = result["modes"][mode]["per_type"]
            values = [per.get(t, {}).get(comp if t == "comparison" else single) or 0.0 for t in types]
            ax.bar(x + (i - (len(modes) - 1) / 2) * width, values, width, label=mode)
        ax.set_ylim(0, 1.05)
        ax.set_ylabel(label)
        ax.grid(axis="y", alpha=0.3)
    axes[-1].set_xticks(x, types)
    axes[0].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.suptitle("retrieval per question type and mode")
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


def latency_chart(records: Sequence, path: Path) -> Path:
    """Box plot of per-question retrieval latency (ms, log scale) per mode."""
    plt = _pyplot()
    modes: dict[str, list[float]] = {}
    for r in records:
        modes.setdefault(r.mode, []).append(max(r.latency_ms, 1e-3))
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.boxplot(list(modes.values()), orientation="horizontal", showfliers=True)
    ax.set_yticks(range(1, len(modes) + 1), list(modes))
    ax.set_xscale("log")
    ax.set_xlabel("retrieval latency per question (ms, log scale)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def answer_latency_chart(rows: list[dict], path: Path) -> Path:
    """Histogram of end-to-end answer latency (s)."""
    plt = _pyplot()
    values = [r["latency_ms"] / 1000 for r in rows if "latency_ms" in r]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.hist(values, bins=30)
    ax.set_xlabel("answer latency per question (s)")
    ax.set_ylabel("questions")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
