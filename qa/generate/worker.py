"""A native generation backend (llama.cpp, transformers) in a process of its own.

A segfault, an abort or the OOM killer inside the model costs the answer in flight (the pipeline
falls back to an extractive answer), never the API or the UI; the process is started again at
once, and the next question is generated. Tokens still stream, one message per piece:

    parent ──("ask", id, {messages, max_tokens, temperature})──► child
    parent ◄──("token", id, "九十")… ("end", id, None) | ("error", id, "why")── child
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection

from qa.generate.base import GenerationError, Generator, Messages

log = logging.getLogger(__name__)


def serve(conn, factory: Callable[[], Generator]) -> None:
    """The child's loop: load the model once, then answer one request at a time."""
    try:
        generator = factory()
    except BaseException as exc:  # a missing model file is the parent's error to report, not a hang
        conn.send(("failed", 0, f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", 0, generator.name))
    while True:
        try:
            kind, rid, request = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if kind != "ask":
            continue  # a cancel for a request already finished
        try:
            for piece in generator.stream(**request):
                conn.send(("token", rid, piece))
                if conn.poll() and conn.recv()[0] == "cancel":
                    break  # the client went away; free the model for the next question
            conn.send(("end", rid, None))
        except Exception as exc:
            conn.send(("error", rid, f"{type(exc).__name__}: {exc}"))


def _reap(proc: subprocess.Popen) -> None:
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def _why(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exited with code {exitcode}"


class ProcessGenerator:
    """The Generator role, served by a child process that `factory` (a picklable callable) loads.

    `restarts` counts deaths survived; `last_restart_s` is how long the last one took from the
    death to a loaded model.
    """

    def __init__(self, factory: Callable[[], Generator], timeout_s: float = 120.0, load_timeout_s: float = 900.0):
        self.factory, self.timeout_s, self.load_timeout_s = factory, timeout_s, load_timeout_s
        self.name = "worker"
        self.restarts, self.last_restart_s, self.last_death = 0, None, ""
        self._lock = threading.Lock()
        self._rid = 0
        self._start()
        self._wait_ready()

    # -- the child -------------------------------------------------------------------------
    def _start(self) -> None:
        """Start a child and a thread that waits for its model to load (one reader of the pipe until then)."""
        # a fresh interpreter (`python -m qa.generate.worker FD`), not multiprocessing: fork would copy the
        # server's threads, and spawn re-runs the caller's main script
        ours, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._proc = subprocess.Popen([sys.executable, "-m", "qa.generate.worker", str(theirs.fileno())],
                                      pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env)
        theirs.close()
        self._conn = Connection(ours.detach())
        self._conn.send(self.factory)
        self._ready, self._load_error, self._since = threading.Event(), None, time.monotonic()
        threading.Thread(target=self._load, args=(self._conn, self._proc, self._ready, time.perf_counter()),
                         daemon=True, name="reportqa-model-load").start()

    def _load(self, conn, proc, ready: threading.Event, t0: float) -> None:
        error = None
        try:
            if not conn.poll(self.load_timeout_s):
                proc.kill()
                error = f"the model did not load within {self.load_timeout_s:.0f} s"
            else:
                kind, _, detail = conn.recv()
                if kind == "failed":
                    error = f"the model could not be loaded: {detail}"
                else:
                    self.name = detail
                    if self.last_death:
                        self.restarts += 1
                        self.last_restart_s = round(time.perf_counter() - t0, 2)
                        log.warning("model process restarted in %.2f s", self.last_restart_s)
        except (EOFError, OSError):
            _reap(proc)
            error = f"the model process {_why(proc.returncode)} while loading"
        if ready is self._ready:
            self._load_error = error
        ready.set()

    def _wait_ready(self) -> None:
        if not self._ready.wait(self.load_timeout_s + 5):
            raise GenerationError("the model is still loading")
        if self._load_error:
            raise GenerationError(self._load_error)

    def _restart_after(self, death: str) -> None:
        """Start a new child now; it loads in the background, so the next question finds it ready."""
        log.warning("model process %s; starting a new one", death)
        self.last_death = death
        self.stop()
        self._start()

    def stop(self) -> None:
        """Kill the model process (a server shutting down, or a restart)."""
        if self._proc.poll() is None:
            self._proc.kill()
        _reap(self._proc)
        self._conn.close()

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None

    def health(self) -> dict:
        return {"name": self.name, "alive": self.alive, "ready": self._ready.is_set() and not self._load_error,
                "pid": self._proc.pid, "restarts": self.restarts, "last_restart_s": self.last_restart_s,
                "last_death": self.last_death}

    # -- the role --------------------------------------------------------------------------
    def generate(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> str:
        return "".join(self.stream(messages, max_tokens, temperature))

    def stream(self, messages: Messages, max_tokens: int = 200, temperature: float = 0.0) -> Iterator[str]:
        with self._lock:
            failed_recently = self._load_error and time.monotonic() - self._since < 30
            if self._ready.is_set() and self._proc.poll() is not None and not failed_recently:
                self._restart_after(_why(self._proc.returncode))  # died between questions, or failed to load
            self._wait_ready()
            self._rid += 1
            rid, done = self._rid, False
            try:
                self._conn.send(("ask", rid, {"messages": list(messages), "max_tokens": max_tokens,
                                              "temperature": temperature}))
                while True:
                    if not self._conn.poll(self.timeout_s):
                        self._restart_after(f"gave no token for {self.timeout_s:.0f} s")
                        done = True
                        raise GenerationError(f"the model gave no token for {self.timeout_s:.0f} s")
                    try:
                        kind, got, payload = self._conn.recv()
                    except (EOFError, OSError):
                        _reap(self._proc)
                        death = _why(self._proc.returncode)
                        self._restart_after(death)
                        done = True
                        raise GenerationError(f"the model process {death}") from None
                    if got != rid:
                        continue  # the tail of a request whose client went away
                    if kind == "token":
                        yield payload
                    elif kind == "end":
                        done = True
                        return
                    else:
                        done = True
                        raise GenerationError(payload)
            finally:
                if not done and self._proc.poll() is None:
                    try:
                        self._conn.send(("cancel", rid, None))
                    except OSError:
                        pass


if __name__ == "__main__":  # the child: python -m qa.generate.worker FD
    channel = Connection(int(sys.argv[1]))
    serve(channel, channel.recv())
