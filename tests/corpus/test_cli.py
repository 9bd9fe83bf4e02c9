"""`reportqa ingest --no-index`, `reportqa docs` and `reportqa chunks` as a user runs them."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.ingest import BUNDLED

REPORTS = ["daixian-2023", "houma-2024", "jiangxian-2022", "jishan-2024", "tongwei-2024"]
DOC_KEYS = {
    "doc_id", "title", "province", "city", "county", "year", "reviewed_year", "date", "source", "sha256",
    "paragraphs", "chunks", "repaired_runs", "dropped_runs",
}
CHUNK_KEYS = {"chunk_id", "doc_id", "paragraph_ids", "heading", "text"}


def reportqa(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the CLI in a clean environment whose only setting is the data directory."""
    script = Path(sys.executable).with_name("reportqa")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from qa.cli import app; app()"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    env["REPORTQA_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [*command, *args], cwd=data_dir, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("cli-data")
    run = reportqa(data, "ingest", "--no-index")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return data


def test_docs_lists_the_five_reports_with_their_metadata(ingested):
    run = reportqa(ingested, "docs", "--json")
    assert run.returncode == 0, run.stderr
    docs = json.loads(run.stdout)
    assert [d["doc_id"] for d in docs] == REPORTS
    for d in docs:
        assert DOC_KEYS <= set(d), DOC_KEYS - set(d)
        raw = (BUNDLED / d["source"]).read_bytes()
        assert d["sha256"] == hashlib.sha256(raw).hexdigest()
        assert d["paragraphs"] > 0 and d["chunks"] > 0
        assert d["title"] and d["province"] and d["city"] and d["county"]
        assert d["reviewed_year"] == d["year"] - 1
    by_id = {d["doc_id"]: d for d in docs}
    assert (by_id["tongwei-2024"]["county"], by_id["tongwei-2024"]["date"]) == ("通渭县", "2024-01-21")
    assert by_id["jiangxian-2022"]["repaired_runs"] > 0
    assert not (ingested / "index").exists() or not any((ingested / "index").iterdir())  # --no-index


def test_chunks_prints_one_json_object_per_line(ingested):
    docs = json.loads(reportqa(ingested, "docs", "--json").stdout)
    run = reportqa(ingested, "chunks", "--json")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().split("\n")
    assert len(lines) == sum(d["chunks"] for d in docs)
    seen = set()
    for line in lines:
        c = json.loads(line)
        assert CHUNK_KEYS <= set(c), CHUNK_KEYS - set(c)
        assert c["chunk_id"].startswith(c["doc_id"] + "#c") and c["chunk_id"] not in seen
        assert c["paragraph_ids"] and all(p.startswith(c["doc_id"] + "#p") for p in c["paragraph_ids"])
        assert c["text"].strip()
        seen.add(c["chunk_id"])


def test_chunks_of_one_document(ingested):
    run = reportqa(ingested, "chunks", "--json", "--doc", "tongwei-2024")
    chunks = [json.loads(line) for line in run.stdout.strip().split("\n")]
    assert {c["doc_id"] for c in chunks} == {"tongwei-2024"}
    assert any("發展" in c["text"] for c in chunks)  # shown in the report's own script


def test_ingest_skips_a_bad_file_by_name_and_keeps_the_good_one(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "jishan-2024.txt").write_bytes((BUNDLED / "jishan-2024.txt").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.pdf").write_bytes(bytes(range(256)) * 4)
    data = tmp_path / "data"
    data.mkdir()
    run = reportqa(data, "ingest", "--no-index", str(folder))
    assert run.returncode == 1  # done, with files skipped
    assert "Traceback" not in run.stderr
    skipped = [line for line in run.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 2
    assert any("empty.txt" in line and "empty" in line.split(":", 1)[1] for line in skipped)
    assert any("scan.pdf" in line for line in skipped)
    docs = json.loads(reportqa(data, "docs", "--json").stdout)
    assert [d["doc_id"] for d in docs] == ["jishan-2024"]
    assert docs[0]["kind"] == "summary"


def test_ingest_with_nothing_readable_fails_without_a_traceback(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "blank.txt").write_bytes(b"\n\n")
    run = reportqa(tmp_path, "ingest", "--no-index", str(folder))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "skipped blank.txt" in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("error: ")


@pytest.mark.parametrize("command", [["docs"], ["docs", "--json"], ["chunks", "--json"]])
def test_listing_before_ingest_is_a_one_line_error(tmp_path, command):
    run = reportqa(tmp_path, *command)
    assert run.returncode != 0
    assert run.stdout == ""
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "reportqa ingest" in lines[0]
