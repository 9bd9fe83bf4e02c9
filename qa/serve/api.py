"""The HTTP API: a thin FastAPI router over the Service.

/v1/ask and /v1/search (ours), /v1/indicators and /v1/targets (the analyst's tables), /v1/chat/completions and /v1/models (OpenAI-compatible),
/retrieval (Dify external knowledge), /v1/documents and /v1/jobs (uploads read in the background),
/healthz; OpenAPI at /docs.
"""
from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, File, Form, Header, HTTPException, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse

from embeddings.index import IndexError_
from qa.answer.pipeline import Busy
from qa.jobs import Full, Job
from qa.records import Answer
from qa.retrieval.retrieve import QueryError
from qa.serve.schemas import (
    ERRORS,
    AskRequest,
    AskResponse,
    ChatRequest,
    DifyError,
    DifyRequest,
    DocumentOut,
    Error,
    IndicatorName,
    IndicatorRow,
    JobAccepted,
    JobOut,
    SearchRequest,
    SearchResponse,
    TargetPair,
    TrendPoint,
)
from qa.serve import dify as difyapi
from qa.serve.service import Service, UploadError, pairs_csv, point_json
from qa.settings import Settings


def _streams(events: list[str]) -> dict:
    """The 200 response of an endpoint that can stream: one schema per server-sent event."""
    event = {"type": "object", "required": ["event", "data"], "properties": {
        "event": {"enum": events}, "data": {"type": "string", "contentMediaType": "application/json"}}}
    return {200: {"content": {"text/event-stream": {"schema": event}},
                  "description": "JSON, or server-sent events when the request says `\"stream\": true`"}}


def create_app(settings: Settings | None = None, service: Service | None = None, mount_ui: bool = True) -> FastAPI:
    settings = settings or Settings()
    service = service or Service(settings)
    app = FastAPI(title="reportqa", version="0.1.0",
                  description="Answers with exact citations over Chinese government work reports.")
    app.state.service = service

    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["*"])

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return JSONResponse({"detail": "bad Content-Length"}, status_code=400)
            if int(length) > settings.max_body_bytes:
                return JSONResponse({"detail": f"request body over {settings.max_body_bytes} bytes"}, status_code=413)
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            parts.append(f"{where or 'body'}: {err.get('msg')}")
        return JSONResponse({"detail": "; ".join(parts) or "invalid request"}, status_code=422)

    def require_key(authorization: Annotated[str | None, Header()] = None) -> None:
        if settings.api_key and authorization != f"Bearer {settings.api_key}":
            raise HTTPException(401, "this endpoint needs `Authorization: Bearer <REPORTQA_API_KEY>`")

    def guard(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except QueryError as exc:
            raise HTTPException(400, str(exc)) from None
        except Busy as exc:
            raise HTTPException(503, str(exc), headers={"Retry-After": "5"}) from None
        except IndexError_ as exc:
            raise HTTPException(503, str(exc)) from None

    def check_question(q: str) -> None:
        if len(q) > settings.max_question_chars:
            raise HTTPException(413, f"the question is {len(q)} characters; the limit is {settings.max_question_chars}")

    # -- ours ------------------------------------------------------------------------------
    @app.get("/healthz")
    def healthz() -> dict:
        lib = service.library
        return {"status": "ok", "documents": len(lib.documents()), "index_version": lib.version(),
                "model": service.pipeline.model_health()}

    @app.post("/v1/ask", response_model=AskResponse, responses=ERRORS | _streams(["citations", "token", "final", "error"]))
    def ask(req: AskRequest):
        check_question(req.question)
        if any(len(h) > settings.max_question_chars for h in req.history):
            raise HTTPException(413, "a history entry is over the question size limit")
        if req.stream:
            events = guard(_primed, service.ask_stream, req.question, req.where, req.year, req.history, req.top_k,
                           req.require_model)
            return StreamingResponse(_sse(events), media_type="text/event-stream")
        answer: Answer = guard(service.ask, req.question, req.where, req.year, req.history, req.top_k,
                               req.require_model)
        return answer.to_json()

    @app.post("/v1/search", response_model=SearchResponse, responses=ERRORS)
    def search(req: SearchRequest):
        if len(req.query) > settings.max_query_chars:
            raise HTTPException(413, f"the query is over {settings.max_query_chars} characters")
        hits = guard(service.search, req.query, req.k, req.where, req.year)
        return {"hits": [h.to_json() for h in hits]}

    @app.get("/v1/documents", response_model=list[DocumentOut])
    def documents():
        return service.library.summaries()

    @app.post("/v1/documents", response_model=DocumentOut, status_code=201, dependencies=[Depends(require_key)],
              responses=ERRORS | {401: {"model": Error}, 500: {"model": Error}, 202: {
                  "model": JobAccepted, "description": "still being read (a long or scanned PDF): follow `status_url`"}})
    def upload(file: Annotated[UploadFile, File(description="a report: .txt (any encoding), .html, .docx or .pdf")],
               place: Annotated[str, Form(max_length=20, description="the report's place (全国, 河北省, 保定市, 高碑店市…), when the text does not say it")] = "",
               county: Annotated[str, Form(max_length=20, description="the older name of `place`, still accepted")] = "",
               year: Annotated[str, Form(pattern=r"^(\d{4})?$", description="the meeting year (4 digits), when the text does not say it")] = ""):
        """201 with the report when it is read within REPORTQA_UPLOAD_WAIT_S seconds; else 202 with its job."""
        data = file.file.read(settings.max_upload_bytes + 1)
        try:
            job = service.submit_upload(data, file.filename or "", place or county or None, int(year) if year else None)
        except UploadError as exc:
            raise HTTPException(exc.status, str(exc)) from None
        except Full as exc:
            raise HTTPException(503, str(exc), headers={"Retry-After": "30"}) from None
        if not job.wait(settings.upload_wait_s):
            url = f"/v1/jobs/{job.id}"
            return JSONResponse({"job": job_out(job), "status_url": url}, status_code=202, headers={"Location": url})
        if isinstance(job.exc, UploadError):
            raise HTTPException(job.exc.status, job.error)
        if job.state == "failed":
            raise HTTPException(500, job.error)
        return job.result.summary()

    @app.get("/v1/jobs/{job_id}", response_model=JobOut, responses=ERRORS | {404: {"model": Error}})
    def job(job_id: str):
        """An upload's state and pages read; the report once done, the reason once failed."""
        found = service.jobs.get(job_id)
        if found is None:
            raise HTTPException(404, f"no job {job_id!r}: unknown, or finished long enough ago to be forgotten")
        return job_out(found)

    @app.get("/v1/jobs", response_model=list[JobOut], responses=ERRORS | {401: {"model": Error}},
             dependencies=[Depends(require_key)])
    def jobs(limit: Annotated[int, Query(ge=1, le=100)] = 20):
        """The latest uploads, newest first."""
        return [job_out(j) for j in service.jobs.recent(limit)]

    # -- the analyst's table ----------------------------------------------------------------
    @app.get("/v1/indicators", response_model=list[IndicatorRow], responses=ERRORS | {
        200: {"content": {"text/csv": {"schema": {"type": "string"}}},
              "description": "JSON rows, or CSV (UTF-8 with BOM) with `format=csv`"}})
    def indicator_rows(place: Annotated[list[str], Query(description="repeatable; 侯马 or 侯马市, 河北 or 河北省, 全国")] = [],
                       county: Annotated[list[str], Query(description="the older name of `place`, still accepted")] = [],
                       year: Annotated[list[int], Query(description="repeatable; the year a figure is about")] = [],
                       indicator: Annotated[list[str], Query(description="repeatable; canonical or everyday name (GDP)")] = [],
                       kind: Annotated[list[str], Query(description="repeatable: actual, target, growth, rank, share")] = [],
                       format: Annotated[Literal["json", "csv"], Query()] = "json"):
        from qa import indicators

        try:
            table = indicators.rows(service.library.facts, service.documents(), place + county, year, indicator, kind)
        except indicators.FilterError as exc:
            raise HTTPException(400, str(exc)) from None
        if format == "csv":
            return Response(indicators.to_csv(table).encode("utf-8"), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="indicators.csv"'})
        return table

    @app.get("/v1/indicators/names", response_model=list[IndicatorName])
    def indicator_names():
        from qa import indicators

        return indicators.indicator_names(service.library.facts())

    @app.get("/v1/targets", response_model=list[TargetPair], responses=ERRORS | {
        200: {"content": {"text/csv": {"schema": {"type": "string"}}},
              "description": "JSON pairs, or CSV (UTF-8 with BOM) with `format=csv`"}})
    def target_pairs(place: Annotated[list[str], Query(description="repeatable; 广东 or 广东省, 全国")] = [],
                     county: Annotated[list[str], Query(description="the older name of `place`, still accepted")] = [],
                     year: Annotated[list[int], Query(description="repeatable; the year a target is for")] = [],
                     indicator: Annotated[list[str], Query(description="repeatable; canonical or everyday name (GDP)")] = [],
                     verdict: Annotated[list[str], Query(description="repeatable: met, missed, not_stated, not_comparable, missing_report")] = [],
                     format: Annotated[Literal["json", "csv"], Query()] = "json"):
        """Each year's targets beside what the report reviewing that year says was achieved, with a verdict."""
        from qa.indicators import FilterError

        try:
            found = service.targets(place + county, year, indicator, verdict)
        except FilterError as exc:
            raise HTTPException(400, str(exc)) from None
        if format == "csv":
            return Response(pairs_csv(found).encode("utf-8"), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="targets.csv"'})
        return [p.to_json() for p in found]

    @app.get("/v1/targets/trend", response_model=list[TrendPoint], responses=ERRORS)
    def target_trend(place: Annotated[str, Query(description="广东 or 广东省, 全国")] = "",
                     county: Annotated[str, Query(description="the older name of `place`, still accepted")] = "",
                     indicator: Annotated[str, Query(description="canonical or everyday name (GDP)")] = ""):
        """One indicator of one place across the years: actual level and growth, and the year's target."""
        from qa.indicators import FilterError

        try:
            return [point_json(p) for p in service.trend(place or county, indicator)]
        except FilterError as exc:
            raise HTTPException(400, str(exc)) from None

    # -- OpenAI-compatible -----------------------------------------------------------------
    @app.get("/v1/models")
    def models() -> dict:
        return {"object": "list", "data": [{"id": "reportqa", "object": "model", "created": 0, "owned_by": "reportqa"}]}

    @app.post("/v1/chat/completions", responses=ERRORS | _streams(["message"]))
    def chat(req: ChatRequest):
        users = [m.text() for m in req.messages if m.role == "user"]
        if not users or not users[-1].strip():
            raise HTTPException(400, "the last user message is empty")
        check_question(users[-1])
        history = [u[: settings.max_question_chars] for u in users[:-1]]
        cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
        if req.stream:
            # OpenAI clients know 503 + Retry-After, so a full queue says so here rather than answering
            events = guard(_primed, service.ask_stream, users[-1], None, None, history, None, True)
            return StreamingResponse(_openai_stream(events, cid, created), media_type="text/event-stream")
        answer: Answer = guard(service.ask, users[-1], None, None, history, None, True)
        return {
            "id": cid, "object": "chat.completion", "created": created, "model": "reportqa",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant", "content": answer.text,
                "citations": [c.to_json() for c in answer.citations],
                "refused": answer.refused, "grounded": answer.grounded}}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        }

    # -- Dify external knowledge -----------------------------------------------------------
    @app.post("/retrieval", responses=ERRORS | {404: {"model": DifyError}, 403: {"model": DifyError}})
    def dify(req: DifyRequest, authorization: Annotated[str | None, Header()] = None):
        if settings.api_key and authorization != f"Bearer {settings.api_key}":
            return JSONResponse({"error_code": 1002, "error_msg": "Authorization failed"}, status_code=403)
        try:
            docs = difyapi.matching(difyapi.scope(req.knowledge_id, service.documents()),
                                 req.metadata_condition.model_dump() if req.metadata_condition else None)
        except difyapi.UnknownKnowledge:
            return JSONResponse({"error_code": 2001, "error_msg": "The knowledge does not exist"}, status_code=404)
        except difyapi.ConditionError as exc:
            raise HTTPException(400, str(exc)) from None
        hits = guard(service.search, req.query, req.retrieval_setting.top_k * 3, docs=[d.doc_id for d in docs])
        scored = sorted(((difyapi.score(h, req.query), h) for h in hits), key=lambda t: (-t[0], t[1].rank))
        records = [{
            "content": h.chunk.text, "score": s,
            "title": f"{h.chunk.county}{h.chunk.year or ''}年政府工作报告 · {h.chunk.heading}",
            "metadata": {"doc_id": h.chunk.doc_id, "chunk_id": h.chunk.id, "county": h.chunk.county,
                         "year": h.chunk.year, "paragraph_ids": list(h.chunk.paragraph_ids)},
        } for s, h in scored if s >= req.retrieval_setting.score_threshold][: req.retrieval_setting.top_k]
        return {"records": records}

    if mount_ui:
        try:
            from ui.app import mount
        except ImportError:
            mount = None
        if mount is not None:
            app = mount(app, service)
    return app


def job_out(job: Job) -> dict:
    """A job as GET /v1/jobs/{id} shows it (JobOut)."""
    def when(t):
        return datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds") if t else None

    fraction = job.fraction()
    done = job.state == "done"
    return {"id": job.id, "name": job.name, "state": job.state, "done_pages": job.done, "total_pages": job.total,
            "percent": round(100 * fraction, 1) if fraction is not None else (100.0 if done else None),
            "error": job.error, "document_id": job.document_id if done else None,
            "document": job.result.summary() if done else None,
            "created": when(job.created), "started": when(job.started), "finished": when(job.finished)}


def _primed(ask_stream, *args):
    """The stream with its first event already computed, so an unknown county or a full queue is
    an HTTP status rather than a 200 whose body breaks off."""
    events = ask_stream(*args)
    first = next(events)

    def rest():
        yield first
        yield from events

    return rest()


def _sse(events):
    try:
        for kind, payload in events:
            if kind == "citations":
                data = [c.to_json() for c in payload]
            elif kind == "final":
                data = payload.to_json()
            else:
                data = {"text": payload}
            yield f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
    except Busy as exc:
        yield f"event: error\ndata: {json.dumps({'detail': str(exc), 'status': 503}, ensure_ascii=False)}\n\n"


def _plain(text: str) -> str:
    """Text without spaces and end punctuation, to tell whether verification changed an answer."""
    from corpus.clean import to_simplified

    return "".join(to_simplified(text).split()).rstrip("。")


def _openai_stream(events, cid: str, created: int):
    def chunk(delta: dict, finish=None, extra=None) -> str:
        body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": "reportqa",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        if extra:
            body.update(extra)
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    try:
        streamed = ""
        for kind, payload in events:
            if kind == "token":
                streamed += payload
                yield chunk({"content": payload})
            elif kind == "final":
                text = payload.text
                if not streamed:  # refused or extractive: nothing was generated, send the answer itself
                    for i in range(0, len(text), 8):
                        yield chunk({"content": text[i : i + 8]})
                elif _plain(streamed) != _plain(text):
                    # verification repaired or replaced what was streamed: a chat window shows the checked text
                    yield chunk({"content": f"\n\n（核对后）{text}"})
                cites = [c.to_json() for c in payload.citations]
                yield chunk({}, "stop", {"answer": text, "citations": cites, "refused": payload.refused,
                                         "grounded": payload.grounded, "mode": payload.mode})
    except Busy as exc:
        yield chunk({"content": f"[busy: {exc}]"}, "stop")
    yield "data: [DONE]\n\n"
