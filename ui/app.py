"""The Gradio app: chat with streamed, cited answers; filters; example questions; the report
library with upload; the 指标 and 目标与完成 tables. It calls qa's Service directly (never the HTTP API) and is mounted at "/"
of the API's FastAPI app, so /v1/..., /docs and /healthz keep working.
"""
from __future__ import annotations

import logging
import re
import time
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import gradio as gr

from qa.answer.pipeline import Busy
from qa.jobs import Full, Job
from qa.retrieval.retrieve import QueryError
from qa.serve.service import Service, UploadError
from ui import indicators as view
from ui import render
from ui import targets as goals
from ui.theme import CSS, IME_GUARD, theme

if TYPE_CHECKING:  # fastapi itself is imported only by qa.serve.api
    from fastapi import FastAPI

log = logging.getLogger(__name__)
ALL = "全部"
EXAMPLES = [
    "侯马市2023年GDP增速排全省第几？",
    "代县2022年地区生产总值是多少？",
    "通渭县2023年一般公共预算收入是多少？",
    "绛县和代县的地区生产总值分别是多少？",
    "稷山县2023年GDP是多少？",
]
FILE_TYPES = [".txt", ".md", ".html", ".htm", ".docx", ".pdf"]
DOC_HEADERS = ["报告", "地方", "地区", "级别", "会议年份", "回顾年份", "日期", "报告人", "类型", "文档 ID", "来源文件", "段落",
               "指标数", "未识别"]
DOC_WIDTHS = ["14%", "7%", "11%", "5%", "5%", "5%", "8%", "6%", "5%", "9%", "9%", "4%", "4%", "8%"]
MISSING = {"county": "地方", "province": "省份", "year": "年份", "reviewed_year": "回顾年份", "date": "日期", "speaker": "报告人"}
UPLOAD_HINT = "<p class='muted'>上传后会自动解析、切分并加入检索，完成后即可就这份报告提问。</p>"
UPLOAD_LOCKED = "<p class='muted'>本服务设置了 API 密钥：请通过 POST /v1/documents 携带密钥上传报告。</p>"
STREAM_EVERY_S = 0.08  # at most ~12 transcript updates a second while tokens arrive


def mount(app: FastAPI, service: Service) -> FastAPI:
    """Mount the UI at "/" of `app`; routes registered on `app` before this keep precedence."""
    return gr.mount_gradio_app(
        app, build(service), path="/", theme=theme(), css=CSS, head=IME_GUARD,
        footer_links=["gradio", "settings"], run_history=False,
        max_file_size=service.settings.max_upload_bytes,
    )


# -- answers -----------------------------------------------------------------------------------
def _filters(county: str | None, year: str | int | None) -> tuple[str | None, int | None]:
    county = None if county in (None, "", ALL) else county
    year = None if year in (None, "", ALL) else int(year)
    return county, year


def neighbours(service: Service, citations) -> dict:
    """paragraph id -> (previous, next) Paragraph of each cited paragraph, for its context view."""
    wanted = {c.doc_id for c in citations}
    out = {}
    try:
        docs = service.library.full(wanted)
    except Exception:  # the context view is a convenience; never fail an answer over it
        log.exception("could not load paragraphs for context")
        return out
    for doc in docs:
        index = {p.id: i for i, p in enumerate(doc.paragraphs)}
        for c in citations:
            i = index.get(c.paragraph_id) if c.doc_id == doc.doc_id else None
            if i is not None:
                paras = doc.paragraphs
                out[c.paragraph_id] = (paras[i - 1] if i > 0 else None, paras[i + 1] if i + 1 < len(paras) else None)
    return out


def friendly(exc: Exception) -> str:
    if isinstance(exc, Busy):
        return "现在提问的人比较多，模型正忙。请稍等几秒再试。"
    if isinstance(exc, QueryError):
        msg = str(exc)
        if m := re.search(r"(\d+) characters long; the limit is (\d+)", msg):
            return f"问题太长了（{m[1]} 字），请控制在 {m[2]} 字以内。"
        if m := re.search(r"unknown (?:place|county) '([^']*)'", msg):
            return f"没有“{m[1]}”的报告。请在“报告库”里查看已收录的地方。"
        return f"这个问题没法处理（{msg}）。请修改问题或筛选条件后再试。"
    return "出了点问题，这个问题没有回答成功。请稍后再试；如果一直这样，请联系管理员。"


def answer_turns(service: Service, question: str, county: str | None, year: int | None, turns: list[dict]):
    """Yield (transcript html, turns) while one question streams; the last yield holds the new turn."""
    t = len(turns)
    history = [x["question"] for x in turns if x["ok"]]
    done = [x["html"] for x in turns]
    head = render.question_html(question)
    cites, partial, nb, last = (), "", {}, 0.0
    yield render.transcript(done + [head + render.pending_html(t, (), "")]), turns
    try:
        for kind, payload in service.ask_stream(question, county, year, history):
            if kind == "citations":
                cites, nb = payload, neighbours(service, payload)
            elif kind == "token":
                partial += payload
            elif kind == "final":
                body, ok = render.answer_html(t, payload, nb), True
                break
            if time.monotonic() - last >= STREAM_EVERY_S or kind == "citations":
                last = time.monotonic()
                yield render.transcript(done + [head + render.pending_html(t, cites, partial, nb)]), turns
        else:
            body, ok = render.error_html(friendly(RuntimeError("no final answer"))), False
    except (QueryError, Busy) as exc:
        body, ok = render.error_html(friendly(exc)), False
    except Exception as exc:
        log.exception("answering %r failed", question)
        body, ok = render.error_html(friendly(exc)), False
    turns = turns + [{"question": question, "html": head + body, "ok": ok}]
    yield render.transcript([x["html"] for x in turns]), turns


# -- library -----------------------------------------------------------------------------------
def document_rows(service: Service) -> list[list]:
    rows = []
    for s in service.library.summaries():
        rows.append([s["title"], s["county"], " ".join(filter(None, (s["province"], s["city"]))), s["level"],
                     s["year"] or "", s["reviewed_year"] or "", s["date"], s["speaker"],
                     "报告" if s["kind"] == "report" else "新闻稿", s["doc_id"], s["source"], s["paragraphs"], s["facts"],
                     "、".join(MISSING[m] for m in s["missing"])])
    return rows


def ingest_upload(service: Service, path: str, progress, county: str = "", year: str = "") -> tuple[str, bool]:
    """Queue one uploaded file and follow its job, ticking `progress` with the pages read; (status
    html, succeeded). A scanned PDF can take minutes: the bar shows 第 n/N 页 meanwhile."""
    name = Path(path).name
    progress(0.0, desc=f"读取 {name}")
    try:
        job = service.submit_upload(Path(path).read_bytes(), name, county.strip() or None,
                                    int(year) if str(year).strip().isdigit() else None)
    except (UploadError, Full) as exc:
        return _refused(name, exc), False
    start = time.monotonic()
    while not job.wait(0.5):
        _tick(progress, job, time.monotonic() - start)
    progress(1.0, desc="完成")
    if job.state == "failed":
        return _refused(name, job.exc), False
    doc = job.result
    when = doc.reviewed_year or doc.year
    example = f"{doc.county}{when}年地区生产总值是多少？" if doc.county and when else "这份报告的主要目标是什么？"
    missing = "、".join(MISSING[m] for m in doc.summary()["missing"] if m in ("county", "year"))
    gap = f"。未能从报告中识别：{missing}，请在上方填写后重新上传" if missing else ""
    return (f'<div class="ok">已收录《{escape(doc.title)}》：{escape(doc.county or "地方不详")} · '
            f'{doc.year or "年份不详"}年 · {len(doc.paragraphs)} 段。现在可以在“问答”里提问，例如'
            f'“{escape(example)}”{gap}</div>'), True


def _tick(progress, job: Job, elapsed: float) -> None:
    """One progress update for a job still queued or running."""
    if job.state == "queued":
        progress(0.0, desc=f"排队中：前面还有报告在处理（{elapsed:.0f} 秒）")
    elif job.total and job.done < job.total:
        progress((job.done, job.total), desc=f"读取第 {job.done}/{job.total} 页（{elapsed:.0f} 秒）", unit="页")
    elif job.total:
        progress(0.97, desc=f"已读完 {job.total} 页，正在切分段落并更新检索索引…（{elapsed:.0f} 秒）")
    else:  # no pages (.txt, .docx): a time-based estimate
        progress(min(0.95, 0.1 + elapsed / 90), desc=f"解析报告、切分段落并更新检索索引…（{elapsed:.0f} 秒）")


def _refused(name: str, exc: BaseException | None) -> str:
    if isinstance(exc, UploadError):
        detail = str(exc)
    elif isinstance(exc, Full):
        detail = "现在等待处理的上传太多，请过一分钟再试"
    else:  # logged by the service; the library is unchanged
        detail = "处理文件时出错，报告库没有变化"
    return f'<div class="error">没有收录 {escape(name)}：{escape(detail)}</div>'


# -- the page ----------------------------------------------------------------------------------
def header_html(service: Service) -> str:
    n = len(service.documents())
    return (f'<h1>政府工作报告问答</h1><div class="sub">已收录 {n} 份报告 · 每个回答都注明报告原文出处 · '
            '<a href="/docs" target="_blank">API 文档</a></div>')


def build(service: Service) -> gr.Blocks:
    def choices():
        return [ALL, *service.counties()], [ALL, *map(str, service.years())]

    counties, years = choices()
    with gr.Blocks(title="政府工作报告问答") as demo:
        turns = gr.State([])
        header = gr.HTML(header_html(service), elem_id="header", js_on_load=None)
        with gr.Tabs() as tabs:
            with gr.Tab("问答", id="ask"):
                with gr.Row(elem_id="filters"):
                    county = gr.Dropdown(counties, value=ALL, label="地方", scale=2, elem_id="county")
                    year = gr.Dropdown(years, value=ALL, label="年份", scale=2, elem_id="year")
                    reset = gr.Button("新对话", variant="secondary", scale=1, elem_id="reset")
                chat = gr.HTML(render.transcript([], render.EMPTY), elem_id="transcript", js_on_load=None,
                               autoscroll=True)
                with gr.Group(elem_id="composer"):
                    with gr.Row(equal_height=True):
                        question = gr.Textbox(placeholder="输入问题，例如：代县2022年地区生产总值是多少？（Enter 发送）",
                                              show_label=False, lines=1, max_lines=4, scale=8, elem_id="question",
                                              autofocus=True, container=False)
                        send = gr.Button("发送", variant="primary", scale=1, min_width=90, elem_id="send")
                with gr.Row(elem_id="examples"):
                    gr.HTML("试试：", elem_id="examples-label", js_on_load=None)
                    chips = [gr.Button(q, size="sm", variant="secondary") for q in EXAMPLES]
            with gr.Tab("报告库", id="library"):
                # with an API key set, uploads are for key holders: the UI has no login, so it offers none
                open_upload = not service.settings.api_key
                with gr.Row():
                    upload = gr.File(label="上传一份报告（.txt 任意编码、.html、.docx、.pdf）", file_types=FILE_TYPES,
                                     type="filepath", elem_id="upload", scale=1, height=170, visible=open_upload)
                    with gr.Column(scale=1):
                        with gr.Row(visible=open_upload):
                            set_county = gr.Textbox(label="地方（报告里读不出时填写）", placeholder="如：池州市、河北省、全国",
                                                    max_length=20, elem_id="set-county")
                            set_year = gr.Textbox(label="会议年份（读不出时填写）", placeholder="如：2024", max_length=4,
                                                  elem_id="set-year")
                        status = gr.HTML(UPLOAD_HINT if open_upload else UPLOAD_LOCKED, elem_classes="upload-status",
                                         js_on_load=None)
                table = gr.Dataframe(headers=DOC_HEADERS, value=document_rows(service), interactive=False,
                                     column_widths=DOC_WIDTHS, wrap=True, show_search="search", elem_id="documents")
            with gr.Tab("指标", id="indicators"):
                named, places = view.choices(service)
                with gr.Row(elem_id="indicator-filters"):
                    pick_indicators = gr.Dropdown(named, value=view.default(named), multiselect=True, label="指标",
                                                  scale=3, elem_id="pick-indicators")
                    pick_places = gr.Dropdown(places, value=[], multiselect=True, label="地方（不选即全部）", scale=3,
                                              elem_id="pick-places")
                    export = gr.DownloadButton("导出 CSV", scale=1, elem_id="export")
                with gr.Row():
                    bars = gr.BarPlot(x="地点", y="数值", color="年份", height=300, elem_id="bars")
                    lines = gr.LinePlot(x="年份", y="数值", color="地点", height=300, visible=False, elem_id="lines")
                grid = gr.HTML(elem_id="indicator-table", js_on_load=None)
            with gr.Tab("目标与完成", id="targets"):
                with gr.Row(elem_id="target-filters"):  # places filled in on load: uploads add some
                    goal_place = gr.Dropdown([], value=None, label="地方", scale=2, elem_id="target-place")
                    goal_indicators = gr.Dropdown([], value=[], multiselect=True, label="图表中的指标", scale=4,
                                                  elem_id="target-indicators")
                with gr.Row(elem_id="target-charts"):  # above the table, as in the 指标 tab
                    goal_charts = [gr.Plot(visible=False, show_label=False, elem_id=f"target-chart-{i}",
                                           elem_classes="target-chart", min_width=320)
                                   for i in range(goals.MAX_CHARTS)]
                goal_table = gr.HTML(elem_id="target-table", js_on_load=None)

        def respond(text, county_value, year_value, state):
            q = (text or "").strip()
            if not q:
                yield gr.skip(), gr.skip(), gr.skip()
                return
            c, y = _filters(county_value, year_value)
            cleared = False  # empty the box once, so a next question typed during streaming survives
            for html_, state in answer_turns(service, q, c, y, state):
                yield html_, state, gr.skip() if cleared else ""
                cleared = True

        def refresh(county_value, year_value):
            cs, ys = choices()
            return (header_html(service), document_rows(service),
                    gr.update(choices=cs, value=county_value if county_value in cs else ALL),
                    gr.update(choices=ys, value=year_value if year_value in ys else ALL))

        def on_upload(path, county_value, year_value, place, meeting_year, progress=gr.Progress()):
            if not path:
                return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            html_, _ = ingest_upload(service, path, progress, place or "", meeting_year or "")
            head, rows, cs, ys = refresh(county_value, year_value)
            return html_, head, rows, cs, ys, None

        def show_indicators(chosen, where):
            rows = view.select(service, chosen, where)
            frame, shape, title = view.chart_frame(rows)
            return (view.table_html(rows, view.paragraphs(service, rows)),
                    gr.update(value=frame, visible=shape == "bar", title=title, y_title=title),
                    gr.update(value=frame, visible=shape == "line", title=title, y_title=title),
                    view.csv_file(rows))

        def open_view(chosen, where, request: gr.Request):
            """?view=indicators&indicator=…&county=… (the chat's 在指标表中查看) opens the tab with those filters."""
            query = dict(request.query_params) if request is not None else {}
            if query.get("view") != "indicators":
                return (gr.skip(), gr.skip(), gr.skip(), *show_indicators(chosen, where))
            named_now, places_now = view.choices(service)
            chosen = [i for i in query.get("indicator", "").split(",") if i in named_now] or chosen
            where = [c for c in query.get("county", "").split(",") if c in places_now]
            return (gr.Tabs(selected="indicators"), chosen, where, *show_indicators(chosen, where))

        def goal_plots(place, chosen):
            shown = list(chosen or [])[: goals.MAX_CHARTS] if place else []
            out = []
            for i in range(goals.MAX_CHARTS):
                if i < len(shown):
                    out.append(gr.update(value=goals.chart(service.trend(place, shown[i]), shown[i]), visible=True))
                else:
                    out.append(gr.update(visible=False))
            return out

        def show_goals(place, chosen=None):
            """The place's pairs as the table, its indicators to chart (GDP by default), and the charts."""
            found = goals.select(service, place)
            named = goals.indicators_of(found)
            chosen = [i for i in chosen or [] if i in named] or named[:1]
            return (goals.table_html(found, goals.paragraphs(service, found)),
                    gr.update(choices=named, value=chosen), *goal_plots(place, chosen))

        def open_goals(place, request: gr.Request):
            """?view=targets&indicator=…&county=… (the chat's 在目标与完成中查看) opens the tab with those picks."""
            query = dict(request.query_params) if request is not None else {}
            now = goals.places(service)
            asked = query.get("view") == "targets"
            if asked:
                place = next((c for c in query.get("county", "").split(",") if c in now), place)
            place = place if place in now else (now[0] if now else None)
            chosen = query.get("indicator", "").split(",") if asked else None
            return (gr.Tabs(selected="targets") if asked else gr.skip(), gr.update(choices=now, value=place),
                    *show_goals(place, chosen))

        goal_out = [goal_table, goal_indicators, *goal_charts]
        goal_place.input(show_goals, inputs=[goal_place], outputs=goal_out)
        goal_indicators.input(goal_plots, inputs=[goal_place, goal_indicators], outputs=goal_charts)
        demo.load(open_goals, inputs=[goal_place], outputs=[tabs, goal_place, *goal_out], show_progress="hidden")

        view_out = [grid, bars, lines, export]
        pick_indicators.change(show_indicators, inputs=[pick_indicators, pick_places], outputs=view_out)
        pick_places.change(show_indicators, inputs=[pick_indicators, pick_places], outputs=view_out)
        demo.load(open_view, inputs=[pick_indicators, pick_places],
                  outputs=[tabs, pick_indicators, pick_places, *view_out], show_progress="hidden")

        ask_io = dict(inputs=[question, county, year, turns], outputs=[chat, turns, question], show_progress="hidden")
        question.submit(respond, **ask_io)
        send.click(respond, **ask_io)
        for chip in chips:
            chip.click(respond, inputs=[chip, county, year, turns], outputs=[chat, turns, question],
                       show_progress="hidden")
        reset.click(lambda: (render.transcript([], render.EMPTY), [], ""), outputs=[chat, turns, question])
        if open_upload:  # not registered at all otherwise, so no Gradio endpoint takes files
            upload.upload(on_upload, inputs=[upload, county, year, set_county, set_year],
                          outputs=[status, header, table, county, year, upload])
        demo.load(refresh, inputs=[county, year], outputs=[header, table, county, year], show_progress="hidden")
    return demo
