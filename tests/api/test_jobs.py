"""Long uploads do not block: a slow read answers 202 with a job that shows its pages, then the
report; a failed read says why and leaves the library as it was."""
from __future__ import annotations

import threading
import time

import pytest

from corpus.read import ReadError
from qa.jobs import Jobs

from tests.api.test_api import GOOD, state


def poll(client, url: str, until, timeout: float = 15.0) -> dict:
    """GET `url` until `until(body)` holds; the last body."""
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(url).json()
        if until(body) or time.monotonic() > deadline:
            return body
        time.sleep(0.02)


@pytest.fixture
def slow_reader(monkeypatch):
    """Library.add's reader, held after page 1 of 3 until `gate` is set; `fail` makes it raise."""
    import qa.library

    real = qa.library.build
    gate, opts = threading.Event(), {"fail": None}

    def build(data, name, max_chars=300, fields=None, progress=None, **kw):
        progress(1, 3)
        gate.wait(20)
        if opts["fail"]:
            raise ReadError(opts["fail"])
        progress(3, 3)
        return real(data, name, max_chars=max_chars, fields=fields, **kw)

    monkeypatch.setattr(qa.library, "build", build)
    yield gate, opts
    gate.set()  # never leave the worker thread blocked


def test_slow_upload_answers_202_then_shows_pages_then_the_report(make_client, slow_reader):
    gate, _ = slow_reader
    client = make_client(upload_wait_s=0.2)
    before = state(client)
    r = client.post("/v1/documents", files={"file": ("linyi-2024.txt", GOOD, "text/plain")})
    assert r.status_code == 202, r.text
    body = r.json()
    url = body["status_url"]
    assert url == f"/v1/jobs/{body['job']['id']}" and r.headers["location"] == url
    assert body["job"]["name"] == "linyi-2024.txt" and body["job"]["state"] in ("queued", "running")

    running = poll(client, url, lambda b: b["done_pages"] == 1)
    assert (running["state"], running["done_pages"], running["total_pages"], running["percent"]) == ("running", 1, 3, 33.3)
    assert running["document"] is None and running["finished"] is None
    assert state(client) == before  # nothing is served before it was fully read

    gate.set()
    done = poll(client, url, lambda b: b["state"] != "running")
    assert done["state"] == "done" and done["percent"] == 100.0 and done["error"] == ""
    assert done["document_id"] == "linyi-2024" and done["document"]["county"] == "临猗县" and done["finished"]
    assert "linyi-2024" in state(client)[2]
    hits = client.post("/v1/search", json={"query": "苹果冷库"}).json()["hits"]
    assert hits[0]["doc_id"] == "linyi-2024"


def test_failed_read_shows_failed_with_the_reason_and_changes_nothing(make_client, slow_reader):
    gate, opts = slow_reader
    opts["fail"] = "scan.pdf: page 2 has no readable text"
    client = make_client(upload_wait_s=0.2)
    before = state(client)
    r = client.post("/v1/documents", files={"file": ("scan.pdf", b"%PDF-1.7 fake", "application/pdf")})
    assert r.status_code == 202
    gate.set()
    failed = poll(client, r.json()["status_url"], lambda b: b["state"] in ("done", "failed"))
    assert failed["state"] == "failed" and failed["error"] == "scan.pdf: page 2 has no readable text"
    assert failed["document"] is None and failed["document_id"] is None
    assert state(client) == before


def test_uploads_are_read_one_at_a_time(make_client, slow_reader):
    gate, _ = slow_reader
    client = make_client(upload_wait_s=0.1)
    first = client.post("/v1/documents", files={"file": ("linyi-2024.txt", GOOD, "text/plain")}).json()
    second = client.post("/v1/documents", files={"file": ("linyi-2025.txt", GOOD, "text/plain")}).json()
    assert poll(client, first["status_url"], lambda b: b["done_pages"] == 1)["state"] == "running"
    assert client.get(second["status_url"]).json()["state"] == "queued"
    gate.set()
    assert poll(client, second["status_url"], lambda b: b["state"] == "done")["state"] == "done"
    assert client.get(first["status_url"]).json()["state"] == "done"
    assert [j["name"] for j in client.get("/v1/jobs").json()[:2]] == ["linyi-2025.txt", "linyi-2024.txt"]


def test_a_full_queue_is_503_with_retry_after(make_client, slow_reader):
    client = make_client(upload_wait_s=0.1, upload_queue=1)
    assert client.post("/v1/documents", files={"file": ("linyi-2024.txt", GOOD, "text/plain")}).status_code == 202
    r = client.post("/v1/documents", files={"file": ("linyi-2025.txt", GOOD, "text/plain")})
    assert r.status_code == 503 and r.headers["retry-after"] and r.json()["detail"]


def test_bad_input_is_refused_at_once_without_a_job(make_client, slow_reader):
    client = make_client(upload_wait_s=0.2)
    for name, data, status in [("report.exe", GOOD, 415), ("empty.txt", b"", 422)]:
        r = client.post("/v1/documents", files={"file": (name, data, "text/plain")})
        assert r.status_code == status and r.json()["detail"]
    assert client.get("/v1/jobs").json() == []


def test_unknown_job_is_404_with_a_message(client):
    r = client.get("/v1/jobs/nosuchjob")
    assert r.status_code == 404 and "nosuchjob" in r.json()["detail"]


def test_finished_jobs_are_forgotten_beyond_keep():
    jobs = Jobs(keep=2)
    made = [jobs.submit(f"r{i}.txt", lambda job, i=i: i) for i in range(4)]
    assert all(j.wait(5) for j in made) and [j.result for j in made] == [0, 1, 2, 3]
    assert [j.name for j in jobs.recent()] == ["r3.txt", "r2.txt"] and jobs.get(made[0].id) is None


def test_the_ui_upload_shows_pages_then_the_result_or_why_not(make_service, slow_reader, tmp_path):
    from ui.app import ingest_upload

    gate, opts = slow_reader
    service = make_service()
    report = tmp_path / "linyi-2024.txt"
    report.write_bytes(GOOD)
    ticks = []

    def progress(value, desc=None, **kw):
        ticks.append((value, desc))
        if value == (1, 3):
            gate.set()

    html, ok = ingest_upload(service, str(report), progress)
    assert ok and "已收录" in html and "临猗县" in html
    assert any(v == (1, 3) and "第 1/3 页" in d for v, d in ticks) and ticks[-1] == (1.0, "完成")

    gate.clear()
    opts["fail"] = "linyi-2024.txt: page 2 has no readable text"
    html, ok = ingest_upload(service, str(report), progress)
    assert not ok and 'class="error"' in html and "page 2 has no readable text" in html
