"""The `reportqa` command: ingest, docs, chunks, facts, indicators, targets, search, ask, serve, eval, bench.

Errors the user can fix are printed as one line on stderr with exit code 1 or 2, never a traceback.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from qa.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Question answering with citations over Chinese government work reports.")


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # pydantic's ValidationError: a bad REPORTQA_* value
        _fail(f"bad setting: {exc}")
        raise


def _documents():
    """The ingested reports, or a one-line error saying how to get some."""
    from corpus.ingest import DocStore

    documents = DocStore(_settings().data_dir).load()
    if not documents:
        _fail("no reports ingested yet: run `reportqa ingest`")
    return documents


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=None) + "\n")


@app.command()
def ingest(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="files or folders; default: the bundled reports")] = None,
    no_index: Annotated[bool, typer.Option("--no-index", help="only clean and chunk, skip embedding")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="drop the index and its vector cache, embed everything again")] = False,
) -> None:
    """Clean, split and chunk reports into the data directory, then update the search index."""
    import shutil

    from qa.library import Library

    settings = _settings()
    if rebuild:
        shutil.rmtree(settings.index_dir, ignore_errors=True)
    missing = [p for p in (paths or []) if not p.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(map(str, missing))}")
    try:
        library = Library(settings)
    except RuntimeError as exc:  # a Milvus that cannot be reached
        _fail(str(exc))
    from corpus.ingest import expand

    files = expand(paths) if paths else []
    # a PDF (a scan read by OCR) can take minutes: it is added on its own, with a bar of its pages
    pdfs = [f for f in files if f.suffix.lower() == ".pdf"] if not no_index else []
    rest = [f for f in files if f not in pdfs]
    added, failures = _add_pdfs(library, pdfs) if pdfs else (0, [])
    if rest or not paths:
        report = library.ingest(rest or None, index=not no_index, progress=True)
        added += len(report.documents)
        failures += [(f.source, f.reason) for f in report.failures]
    for source, reason in failures:
        typer.echo(f"skipped {source}: {reason}", err=True)
    if not added and failures:
        _fail("no report could be ingested", 2)
    if failures:
        raise typer.Exit(1)


def _add_pdfs(library, pdfs: list[Path]) -> tuple[int, list[tuple[str, str]]]:
    """Add each PDF to the library (read, saved, indexed) under a rich bar of its pages; a
    `name.meta.json` beside it sets fields as it does for other files. (added, [(file, reason)])."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from corpus.read import ReadError

    added, failures = 0, []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("pages"),
               TimeElapsedColumn())
    with Progress(*columns) as bar:
        for path in pdfs:
            task = bar.add_task(f"reading {path.name}", total=None)

            def pages(done: int, total: int | None, task=task, name=path.name) -> None:
                step = f"indexing {name}" if total and done >= total else f"reading {name}"
                bar.update(task, completed=done, total=total, description=step)

            try:
                doc = library.add(path.read_bytes(), path.name, _sidecar(path), progress=pages)
            except ReadError as exc:
                failures.append((path.name, str(exc)))
                bar.update(task, description=f"skipped {path.name}")
                continue
            added += 1
            bar.update(task, description=f"added {doc.doc_id} ({len(doc.paragraphs)} paragraphs)")
    return added, failures


def _sidecar(path: Path) -> dict | None:
    """The fields of `report.meta.json` (or `report.pdf.meta.json`) beside a report, if any."""
    for side in (path.with_suffix(".meta.json"), path.with_name(path.name + ".meta.json")):
        if side.is_file():
            try:
                return json.loads(side.read_text(encoding="utf-8"))
            except ValueError as exc:
                _fail(f"{side}: not JSON ({exc})")
    return None


@app.command()
def docs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the ingested reports with their metadata."""
    documents = _documents()
    rows = [d.summary() for d in documents]
    if as_json:
        _print_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("doc_id", "place", "year", "reviews", "date", "speaker", "paragraphs", "chunks", "repaired/dropped")
    for r in rows:
        table.add_row(r["doc_id"], f'{r["province"]}{r["city"]}{r["county"]}', str(r["year"]), str(r["reviewed_year"]),
                      r["date"], r["speaker"], str(r["paragraphs"]), str(r["chunks"]),
                      f'{r["repaired_runs"]}/{r["dropped_runs"]}')
    Console().print(table)


@app.command()
def chunks(
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
    doc: Annotated[Optional[str], typer.Option(help="only this doc_id")] = None,
) -> None:
    """Print the chunks that are indexed (display text, original script)."""
    documents = _documents()
    for d in documents:
        if doc and d.doc_id != doc:
            continue
        for c in d.chunks:
            if as_json:
                _print_json({"chunk_id": c.id, "doc_id": c.doc_id, "paragraph_ids": list(c.paragraph_ids),
                             "heading": c.heading, "text": c.text, "county": c.county, "year": c.year})
            else:
                typer.echo(f"[{c.id}] {c.heading}\n{c.text}\n")


@app.command()
def facts(
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per fact per line")] = False,
    doc: Annotated[Optional[str], typer.Option(help="only this doc_id")] = None,
) -> None:
    """Every figure the reports state, bound to place, year, indicator and kind."""
    documents = _documents()
    if doc and doc not in {d.doc_id for d in documents}:
        _fail(f"no report {doc!r}; run `reportqa docs` to list them")
    chosen = [f for d in documents if not doc or d.doc_id == doc for f in d.facts]
    if as_json:
        for f in chosen:
            _print_json(f.to_json())
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("place", "year", "indicator", "value", "kind", "qualifiers", "paragraph")
    for f in chosen:
        table.add_row(f.place, str(f.year or f.period), f.indicator + ("" if f.canonical else " *"),
                      f"{f.value:g}{f.unit}", f.kind, "".join(f.qualifiers), f.paragraph_id)
    Console().print(table)


@app.command()
def indicators(
    county: Annotated[Optional[list[str]], typer.Option("--place", "--county", help="repeatable: 侯马, 河北省, 全国…")] = None,
    year: Annotated[Optional[list[int]], typer.Option(help="repeatable")] = None,
    indicator: Annotated[Optional[list[str]], typer.Option(help="repeatable; canonical or everyday name")] = None,
    kind: Annotated[Optional[list[str]], typer.Option(help="repeatable: actual, target, growth, rank, share")] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV (UTF-8 with BOM) on stdout")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The headline indicators of every report: the same rows as GET /v1/indicators."""
    from qa import indicators as table_of

    documents = _documents()
    try:
        every = [f for d in documents for f in d.facts]
        rows = table_of.rows(lambda p, i: table_of.select(every, p, i), documents, county or (), year or (), indicator or (), kind or ())
    except table_of.FilterError as exc:
        _fail(str(exc), 2)
    if as_csv:
        sys.stdout.write(table_of.to_csv(rows))
        return
    if as_json:
        _print_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("place", "year", "indicator", "value", "kind", "in 亿元/万吨…", "paragraph")
    for r in rows:
        table.add_row(r["county"], str(r["year"] or ""), r["indicator"], f'{r["value"]:g}{r["unit"]}{r["qualifier"]}',
                      r["kind"], f'{r["compare_value"]:g}{r["compare_unit"]}', r["paragraph_id"])
    Console().print(table)


@app.command()
def targets(
    place: Annotated[Optional[list[str]], typer.Option("--place", "--county", help="repeatable: 广东, 全国…")] = None,
    year: Annotated[Optional[list[int]], typer.Option(help="repeatable; the year a target is for")] = None,
    indicator: Annotated[Optional[list[str]], typer.Option(help="repeatable; canonical or everyday name")] = None,
    verdict: Annotated[Optional[list[str]], typer.Option(help="repeatable: met, missed, not_stated, not_comparable, missing_report")] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV (UTF-8 with BOM) on stdout")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Each year's targets beside the next report's actuals: the same pairs as GET /v1/targets."""
    from qa import indicators as table_of
    from qa.serve.service import pairs_csv, target_pairs
    from qa.targets import VERDICT_ZH

    documents = _documents()
    every = [f for d in documents for f in d.facts]
    try:
        found = target_pairs(lambda p, i: table_of.select(every, p, i), documents, place or (), year or (),
                             indicator or (), verdict or ())
    except table_of.FilterError as exc:
        _fail(str(exc), 2)
    if as_csv:
        sys.stdout.write(pairs_csv(found))
        return
    if as_json:
        _print_json([p.to_json() for p in found])
        return
    from rich.console import Console
    from rich.table import Table

    def figure(f) -> str:
        return f"{f.value:g}{f.unit}{''.join(f.qualifiers)}" if f else ""

    table = Table("place", "year", "indicator", "target", "actual", "verdict", "rule")
    for p in found:
        table.add_row(p.place, str(p.year), p.indicator, figure(p.target), figure(p.actual),
                      f"{VERDICT_ZH[p.verdict]} ({p.verdict})", p.rule)
    Console().print(table)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="the question or keywords")],
    k: Annotated[int, typer.Option("--k", min=1, max=100)] = 5,
    county: Annotated[Optional[str], typer.Option("--place", "--county", help="restrict to one place (侯马, 代縣, 河北省, 全国…)")] = None,
    year: Annotated[Optional[int], typer.Option(help="restrict to a meeting or reviewed year")] = None,
    mode: Annotated[str, typer.Option(help="hybrid | dense | bm25")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Retrieve the passages that best match a question."""
    from qa.retrieval.retrieve import QueryError

    if mode not in ("hybrid", "dense", "bm25"):
        _fail("--mode must be hybrid, dense or bm25")
    library = _library(_settings())
    try:
        hits = library.retriever().retrieve(query, k=k, county=county, year=year, mode=mode)  # type: ignore[arg-type]
    except QueryError as exc:
        _fail(str(exc))
        return
    if as_json:
        _print_json({"hits": [h.to_json() for h in hits]})
        return
    for h in hits:
        typer.echo(f"[{h.rank}] {h.chunk.county} {h.chunk.year} · {h.chunk.heading}  ({h.score:.4f})\n{h.chunk.text}\n")


@app.command("eval")
def evaluate(
    questions: Annotated[Path, typer.Option("--questions", help="JSONL question set")] = Path("eval/questions.jsonl"),
    retrieval_only: Annotated[bool, typer.Option("--retrieval-only")] = False,
    k: Annotated[int, typer.Option("--k", min=1, max=100)] = 10,
    compare: Annotated[bool, typer.Option("--compare", help="also run BM25-only, dense-only and the naive baseline")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", help="write results.json, report.md and charts here")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    limit: Annotated[Optional[int], typer.Option(help="only the first N questions")] = None,
    unseen: Annotated[Optional[Path], typer.Option("--unseen", help="a folder of unseen reports (reports/, reports.jsonl, "
                                                   "questions.jsonl): uploaded on top of the bundled ones, scored per report")] = None,
    published: Annotated[str, typer.Option("--as", help="with --unseen: upload the reports as text, as PDF printed "
                                           "by Chromium (pdf) or as scanned page images (scan)")] = "text",
) -> None:
    """Measure retrieval (and answers) on a question set."""
    from eval.run import run as run_eval  # eval is only imported by this command

    if unseen is not None:
        from eval.unseen import run as run_unseen

        if not (unseen / "reports.jsonl").is_file() or not (unseen / "questions.jsonl").is_file():
            _fail(f"{unseen} needs reports/, reports.jsonl and questions.jsonl")
        if published not in ("text", "pdf", "scan"):
            _fail(f"--as must be text, pdf or scan, not {published!r}")
        raise typer.Exit(run_unseen(_settings(), unseen, out=out, as_json=as_json, retrieval_only=retrieval_only,
                                    published=published))

    if not questions.is_file():
        _fail(f"no question file at {questions}")
    code = run_eval(_settings(), questions, retrieval_only=retrieval_only, k=k, compare=compare, out=out,
                    as_json=as_json, limit=limit)
    raise typer.Exit(code)


@app.command()
def bench(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    out: Annotated[Optional[Path], typer.Option("--out")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="smaller synthetic scales, fewer answers")] = False,
    only: Annotated[Optional[str], typer.Option("--only", help="comma-separated stages, e.g. stores,worker_memory")] = None,
) -> None:
    """Benchmarks: ingest, index, retrieval, answers, synthetic scale, both stores (medians, one run)."""
    from eval.bench import run as run_bench

    try:
        code = run_bench(_settings(), as_json=as_json, out=out, quick=quick,
                         only={s.strip() for s in only.split(",") if s.strip()} if only else None)
    except ValueError as exc:
        _fail(str(exc), 2)
    raise typer.Exit(code)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()


def _library(settings: Settings):
    from embeddings.index import IndexError_
    from qa.library import Library

    try:
        library = Library(settings)
        library.ensure_ready(progress=False)
        library.retriever()
    except IndexError_ as exc:
        _fail(str(exc))
    except RuntimeError as exc:  # a model that cannot be loaded, a Milvus that cannot be reached
        _fail(str(exc))
    return library




@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="问题")],
    county: Annotated[Optional[str], typer.Option("--place", "--county", help="only this place's reports")] = None,
    year: Annotated[Optional[int], typer.Option()] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Answer a question with citations (the same record as POST /v1/ask)."""
    from qa.retrieval.retrieve import QueryError
    from qa.serve.service import Service

    settings = _settings()
    service = Service(settings, _library(settings))
    try:
        answer = service.ask(question, county, year)
    except QueryError as exc:
        _fail(str(exc))
        return
    if as_json:
        _print_json(answer.to_json())
        return
    typer.echo(answer.text)
    for c in answer.citations:
        typer.echo(f"  [{c.n}] {c.county} {c.year} · {c.heading} ({c.paragraph_id})\n      {c.quote}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="bind address; keep 127.0.0.1 unless behind a proxy")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=32, help="API worker processes sharing the index")] = 1,
) -> None:
    """Serve the Gradio UI at / and the API at /v1 (OpenAPI at /docs); builds the index if missing."""
    import uvicorn

    settings = _settings()
    if workers > 1 and settings.store == "milvus" and not settings.milvus.startswith(("http://", "https://")):
        _fail("Milvus Lite (a .db file) lives inside one process; for several workers serve it with "
              "`milvus-lite server --data-dir DIR --host 127.0.0.1 --port 19530` and set "
              "REPORTQA_MILVUS_URI=http://127.0.0.1:19530", 2)
    _library(settings)  # ingest + index now, once, before workers start
    typer.echo(f"reportqa on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)", err=True)
    if workers > 1:
        uvicorn.run("qa.serve.server:app", host=host, port=port, workers=workers, log_level="warning")
    else:
        from qa.serve.server import build

        uvicorn.run(build(settings), host=host, port=port, log_level="warning")
