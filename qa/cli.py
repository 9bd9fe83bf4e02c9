"""The `reportqa` command: ingest, docs, chunks, search, ask, serve, eval, bench.

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


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=None) + "\n")


@app.command()
def ingest(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="files or folders; default: the bundled reports")] = None,
    no_index: Annotated[bool, typer.Option("--no-index", help="only clean and chunk, skip embedding")] = False,
) -> None:
    """Clean, split and chunk reports into the data directory, then update the search index."""
    from qa.library import Library

    settings = _settings()
    library = Library(settings)
    report = library.ingest(paths or None, index=not no_index, progress=True)
    for failure in report.failures:
        typer.echo(f"skipped {failure.source}: {failure.reason}", err=True)
    if not report.documents and report.failures:
        _fail("no report could be ingested", 2)
    if report.failures:
        raise typer.Exit(1)


@app.command()
def docs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the ingested reports with their metadata."""
    from corpus.ingest import DocStore

    documents = DocStore(_settings().data_dir).load()
    if not documents:
        _fail("no reports ingested yet: run `reportqa ingest`")
    rows = [d.summary() for d in documents]
    if as_json:
        _print_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("doc_id", "county", "year", "reviews", "date", "speaker", "paragraphs", "chunks", "repaired/dropped")
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
    from corpus.ingest import DocStore

    documents = DocStore(_settings().data_dir).load()
    if not documents:
        _fail("no reports ingested yet: run `reportqa ingest`")
    for d in documents:
        if doc and d.doc_id != doc:
            continue
        for c in d.chunks:
            if as_json:
                _print_json({"chunk_id": c.id, "doc_id": c.doc_id, "paragraph_ids": list(c.paragraph_ids),
                             "heading": c.heading, "text": c.text, "county": c.county, "year": c.year})
            else:
                typer.echo(f"[{c.id}] {c.heading}\n{c.text}\n")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
