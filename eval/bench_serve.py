"""Serving benchmarks with the configured model: how long the model process takes to come back
after it is killed, and what concurrent clients get when the model's queue is full.

    restart(settings) -> {"restart_s": {"p50": 2.1, …}, "deaths": ["killed by SIGSEGV", …]}
    load(settings, library, questions, clients=24, per_client=4) -> {"status_counts": {"200": 96}, …}
"""
from __future__ import annotations

import os
import signal
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from eval.bench_app import pick, serve, stats
from eval.questions import Question


def restart(settings, times: int = 3) -> dict:
    """Kill the model process with SIGSEGV `times` times; each time, seconds until the new one is loaded."""
    from qa.generate.base import make_generator

    generator = make_generator(settings)
    if not hasattr(generator, "health"):
        return {"skipped": f"the {settings.llm_backend} backend runs in the server process"}
    seconds, deaths = [], []
    try:
        for _ in range(times):
            before = generator.restarts
            os.kill(generator.health()["pid"], signal.SIGSEGV)
            generator._proc.wait(10)
            t0 = time.perf_counter()
            list(generator.stream([{"role": "user", "content": "你好"}], max_tokens=1))  # restarts, then answers
            seconds.append(time.perf_counter() - t0)
            assert generator.restarts == before + 1
            deaths.append(generator.last_death)
    finally:
        generator.stop()
    return {"generator": generator.name, "restart_s": {k: (round(v / 1000, 2) if k != "n" and v else v)
                                                       for k, v in stats([s * 1000 for s in seconds]).items()},
            "deaths": deaths, "note": "SIGSEGV to the model process → the next question's first token, model load included"}


def load(settings, library, questions: Sequence[Question], clients: int = 24, per_client: int = 4) -> dict:
    """`clients` threads, each asking and searching in turn over HTTP against the real model."""
    import httpx

    from qa.answer.pipeline import AnswerPipeline
    from qa.serve.service import Service

    service = Service(settings, library=library, pipeline=AnswerPipeline.from_settings(settings, library))
    _ = service.pipeline.generator  # loaded before the clock starts
    asks = [q.question for q in pick(questions)]
    with serve(settings, service) as warm:
        base = str(warm.base_url)

        def client(c: int) -> list[dict]:
            rows = []
            with httpx.Client(base_url=base, timeout=300) as http:
                for i in range(per_client):
                    n = c * per_client + i
                    path, body = (("/v1/ask", {"question": asks[n % len(asks)]}) if n % 2 == 0
                                  else ("/v1/search", {"query": asks[n % len(asks)], "k": 5}))
                    t0 = time.perf_counter()
                    r = http.post(path, json=body)
                    data = r.json() if r.status_code == 200 else {}
                    rows.append({"path": path, "status": r.status_code, "ms": (time.perf_counter() - t0) * 1000,
                                 "mode": data.get("mode"), "busy": data.get("model_busy")})
            return rows

        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            rows = [row for rows in pool.map(client, range(clients)) for row in rows]
        elapsed = time.perf_counter() - start
        healthy = warm.get("/healthz").status_code == 200
    out = {"clients": clients, "requests": len(rows), "seconds": round(elapsed, 1), "healthz_after": healthy,
           "queue_size": settings.queue_size, "generator": service.pipeline.model_health().get("name")}
    for path in ("/v1/ask", "/v1/search"):
        mine = [r for r in rows if r["path"] == path]
        statuses = [r["status"] for r in mine]
        out[path] = {"status_counts": {str(s): statuses.count(s) for s in sorted(set(statuses))},
                     "latency_ms": stats([r["ms"] for r in mine])}
    asked = [r for r in rows if r["path"] == "/v1/ask" and r["status"] == 200]
    out["/v1/ask"]["modes"] = {m: sum(r["mode"] == m for r in asked) for m in sorted({r["mode"] for r in asked})}
    out["/v1/ask"]["model_busy"] = sum(bool(r["busy"]) for r in asked)
    for busy in (True, False):
        out["/v1/ask"]["latency_ms_" + ("busy" if busy else "queued")] = stats(
            [r["ms"] for r in asked if bool(r["busy"]) is busy])
    return out
