"""The UI's handlers against a stub service: streaming, history, friendly errors, uploads."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from corpus.records import Document, Paragraph
from qa.answer.pipeline import Busy
from qa.jobs import Jobs
from qa.records import Answer, Citation
from qa.retrieval.retrieve import QueryError
from qa.serve.service import UploadError
from ui import app

PARAS = tuple(Paragraph(f"d#p{i}", "d", "一、回顾", f"第{i}段。", "") for i in range(3))
DOC = Document("d", "d.txt", "", "utf-8", "甲县2024年政府工作报告", "", "", "甲县", 2024, 2023, "", "",
               paragraphs=PARAS)
CITE = Citation(1, "d", "甲县", 2024, "d#p1", "一、回顾", "第1段。", "第1段。", 1.0)


class Stub:
    def __init__(self, events=None, error=None):
        self.events, self.error, self.calls = events, error, []
        self.library = SimpleNamespace(documents=lambda: [DOC], full=lambda ids: [d for d in [DOC] if d.doc_id in set(ids)],
                                       summaries=lambda: [DOC.summary()], facts=lambda places=(), indicators=(): list(DOC.facts))

    def ask_stream(self, question, county=None, year=None, history=()):
        self.calls.append((question, county, year, list(history)))
        if self.error:
            raise self.error
        yield from self.events or [("citations", (CITE,)), ("token", "甲县"), ("token", "完成5亿元[1]。"),
                                   ("final", Answer(question, "甲县完成5亿元[1]。", False, True, (CITE,)))]

    def documents(self):
        return [DOC]


def run(service, question="甲县GDP？", turns=(), county=None, year=None):
    return list(app.answer_turns(service, question, county, year, list(turns)))


def test_answer_streams_then_settles_into_a_turn():
    steps = run(Stub())
    assert 'class="turn-a pending"' in steps[0][0]
    html, turns = steps[-1]
    assert "pending" not in html and '<a class="cite" href="#cite-0-1"' in html
    assert turns == [{"question": "甲县GDP？", "html": turns[0]["html"], "ok": True}]


def test_earlier_questions_are_passed_as_history():
    service = Stub()
    _, turns = run(service, "甲县2023年GDP是多少？")[-1]
    _, turns = run(service, "那乙县呢？", turns, "甲县", 2024)[-1]
    assert service.calls[-1] == ("那乙县呢？", "甲县", 2024, ["甲县2023年GDP是多少？"])
    assert 'id="cite-1-1"' in turns[1]["html"]  # the second turn's cards have their own anchors


def test_context_of_a_citation_is_its_neighbouring_paragraphs():
    prev, nxt = app.neighbours(Stub(), (CITE,))["d#p1"]
    assert (prev.text, nxt.text) == ("第0段。", "第2段。")


@pytest.mark.parametrize("error, words", [(Busy("9 waiting"), "模型正忙"), (QueryError("unknown place '火星'; the reports cover: 代县"), "没有“火星”的报告"),
                                          (QueryError("the question is 2001 characters long; the limit is 2000"), "2000 字以内"),
                                          (RuntimeError("boom"), "出了点问题")])
def test_errors_become_a_friendly_message_not_a_crash(error, words):
    html, turns = run(Stub(error=error))[-1]
    assert 'class="error"' in html and words in html and "Traceback" not in html and "boom" not in html
    assert turns[-1]["ok"] is False


def test_a_failed_question_is_not_history():
    service = Stub(error=Busy("full"))
    _, turns = run(service, "甲县GDP？")[-1]
    service.error = None
    run(service, "乙县呢？", turns)
    assert service.calls[-1][3] == []


def test_filters_map_all_to_none():
    assert app._filters(app.ALL, app.ALL) == (None, None)
    assert app._filters("代县", "2023") == ("代县", 2023)


def test_upload_reports_success_and_rejection(tmp_path):
    f = tmp_path / "甲县2024年政府工作报告.txt"
    f.write_text("甲县2024年政府工作报告", "utf-8")
    ticks = []
    jobs = Jobs()
    ok_service = SimpleNamespace(submit_upload=lambda data, name, county=None, year=None: jobs.submit(name, lambda job: DOC))
    html, ok = app.ingest_upload(ok_service, str(f), lambda *a, **k: ticks.append(k.get("desc")))
    assert ok and "已收录《甲县2024年政府工作报告》" in html and ticks[-1] == "完成"

    def refuse(data, name, county=None, year=None):
        raise UploadError("<b>x.zip</b>: archives are not accepted", 415)

    html, ok = app.ingest_upload(SimpleNamespace(submit_upload=refuse), str(f), lambda *a, **k: None)
    assert not ok and 'class="error"' in html and "&lt;b&gt;x.zip" in html


def test_with_an_api_key_the_ui_offers_no_upload(tmp_path):
    from qa.settings import Settings

    service = Stub()
    service.settings, service.counties, service.years = Settings(data_dir=tmp_path, api_key="k"), list, list
    demo = app.build(service)
    upload = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "upload")
    assert upload.visible is False
    assert not any(upload in d.inputs for d in demo.fns.values())
