"""Two API worker processes against one Milvus served over gRPC on 127.0.0.1 (`milvus-lite server`),
as production runs N replicas against a Milvus cluster: a report uploaded through one worker is
found through the other, and neither worker shares a data directory with the other."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytest.importorskip("milvus_lite")
pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "eval" / "unseen" / "reports" / "hunan-changshaxian-2023.txt"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, seconds: float, what: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited with {proc.returncode}: {proc.stderr.read()[-2000:] if proc.stderr else ''}")
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what} not ready after {seconds:.0f} s")


@pytest.fixture(scope="module")
def milvus_uri(tmp_path_factory):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir",
                             str(tmp_path_factory.mktemp("milvus-server")), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def up() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True

    try:
        _wait(up, 60, "milvus-lite server", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def workers(milvus_uri, real_library, tmp_path_factory):
    """The library published to Milvus once, then two uvicorn workers, each with its own data dir."""
    from qa.library import Library

    settings = real_library.settings.model_copy(update={"store": "milvus", "milvus_uri": milvus_uri,
                                                        "data_dir": tmp_path_factory.mktemp("publisher")})
    shutil.copytree(real_library.settings.data_dir, settings.data_dir, dirs_exist_ok=True)
    Library(settings, encoder=real_library.encoder).reindex()
    procs, urls = [], []
    try:
        for name in ("a", "b"):
            data = tmp_path_factory.mktemp(f"worker-{name}")
            port = _free_port()
            env = {**os.environ, "REPORTQA_STORE": "milvus", "REPORTQA_MILVUS_URI": milvus_uri,
                   "REPORTQA_DATA_DIR": str(data), "REPORTQA_LLM_BACKEND": "extractive"}
            proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "qa.serve.server:app", "--host", "127.0.0.1",
                                     "--port", str(port), "--log-level", "warning"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            procs.append(proc)
            url = f"http://127.0.0.1:{port}"
            _wait(lambda: httpx.get(f"{url}/healthz", timeout=5).status_code == 200, 300, f"worker {name}", proc)
            urls.append(url)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


def test_a_report_uploaded_through_one_worker_is_found_through_the_other(workers):
    a, b = workers
    assert "长沙县" not in {d["county"] for d in httpx.get(f"{b}/v1/documents", timeout=30).json()}
    with REPORT.open("rb") as fh:
        r = httpx.post(f"{a}/v1/documents", files={"file": (REPORT.name, fh, "text/plain")}, timeout=300)
    assert r.status_code in (201, 202), r.text
    doc = r.json()
    deadline = time.monotonic() + 300
    while r.status_code == 202 and doc.get("job", doc).get("state") not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.5)  # a slow upload is a job: follow it as a client would
        doc = httpx.get(f"{a}{r.json()['status_url']}", timeout=30).json()
    if r.status_code == 202:
        assert doc["state"] == "done", doc
        doc = doc["document"]
    assert doc["county"] == "长沙县"
    assert "长沙县" in {d["county"] for d in httpx.get(f"{b}/v1/documents", timeout=30).json()}
    hits = httpx.post(f"{b}/v1/search", json={"query": "长沙县地区生产总值", "k": 3}, timeout=60).json()["hits"]
    assert hits and all(h["county"] == "长沙县" for h in hits)
    answer = httpx.post(f"{b}/v1/ask", json={"question": "长沙县2022年地区生产总值增长多少？"}, timeout=120).json()
    assert "4.5%" in answer["answer"], answer
    assert answer["citations"] and all(c["county"] == "长沙县" for c in answer["citations"])


def test_both_workers_serve_the_same_version_and_keep_no_corpus_on_disk(workers):
    a, b = workers
    va, vb = (httpx.get(f"{u}/healthz", timeout=30).json()["index_version"] for u in (a, b))
    assert va == vb and va.startswith("reportqa_v")
