"""Background jobs in this process: one worker thread runs them in order (ingests are serialized),
and the last `keep` finished jobs stay listed so a client can still read how its upload ended.

Example:
    jobs = Jobs()
    job = jobs.submit("houma.pdf", lambda job: slow_ingest(progress=job.progress))
    job.wait(3.0)              # True once done or failed
    jobs.get(job.id).state     # "queued" | "running" | "done" | "failed"
"""
from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

State = Literal["queued", "running", "done", "failed"]


class Full(RuntimeError):
    """Too many jobs are waiting; try again later."""


@dataclass(eq=False)
class Job:
    id: str
    name: str  # what it works on, e.g. the uploaded file's name
    state: State = "queued"
    done: int = 0  # pages read so far
    total: int | None = None  # pages in all; None until the reader says (never, for .txt)
    error: str = ""  # why it failed, for people
    result: Any = None  # what the function returned (a Document for an ingest)
    exc: BaseException | None = field(default=None, repr=False)
    created: float = field(default_factory=time.time)  # epoch seconds
    started: float | None = None
    finished: float | None = None
    _ended: threading.Event = field(default_factory=threading.Event, repr=False)

    def progress(self, done: int, total: int | None) -> None:
        """The reader's per-page callback: `progress(done_pages, total_pages)`."""
        self.done, self.total = int(done), (int(total) if total is not None else None)

    @property
    def document_id(self) -> str | None:
        return getattr(self.result, "doc_id", None)

    def fraction(self) -> float | None:
        """Pages read as 0..1, or None while the total is unknown."""
        return min(1.0, self.done / self.total) if self.total else None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job ended (True) or `timeout` seconds passed (False)."""
        return self._ended.wait(timeout)


class Jobs:
    """A registry of jobs and the single thread that runs them, started on the first submit."""

    def __init__(self, keep: int = 100, max_pending: int = 16):
        self.keep, self.max_pending = keep, max_pending
        self._jobs: dict[str, Job] = {}  # insertion order = submission order
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def submit(self, name: str, fn: Callable[[Job], Any]) -> Job:
        """Queue `fn(job)`; raises Full when `max_pending` jobs are queued or running already."""
        with self._lock:
            pending = sum(j.state in ("queued", "running") for j in self._jobs.values())
            if pending >= self.max_pending:
                raise Full(f"{pending} uploads are waiting to be read; try again in a minute")
            job = Job(uuid.uuid4().hex[:16], name)
            self._jobs[job.id] = job
            if self._worker is None or not self._worker.is_alive():
                # a daemon: a scan half-way through OCR must not keep the process from exiting
                self._worker = threading.Thread(target=self._run, name="reportqa-jobs", daemon=True)
                self._worker.start()
        self._queue.put((job, fn))
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self, n: int = 20) -> list[Job]:
        """The last `n` jobs, newest first."""
        with self._lock:
            return list(self._jobs.values())[::-1][:n]

    def _run(self) -> None:
        while True:
            job, fn = self._queue.get()
            job.state, job.started = "running", time.time()
            try:
                job.result = fn(job)
                job.state = "done"
            except Exception as exc:  # the job's own failure, kept for whoever asks
                job.exc, job.error, job.state = exc, str(exc) or type(exc).__name__, "failed"
            finally:
                if job.state == "running":  # a BaseException ended it
                    job.error, job.state = job.error or "interrupted", "failed"
                job.finished = time.time()
                del fn  # the closure holds the upload's bytes
                self._forget()
                job._ended.set()

    def _forget(self) -> None:
        """Drop the oldest finished jobs beyond `keep`; queued and running ones always stay."""
        with self._lock:
            ended = [j.id for j in self._jobs.values() if j.state in ("done", "failed")]
            for job_id in ended[: max(0, len(ended) - self.keep)]:
                del self._jobs[job_id]
