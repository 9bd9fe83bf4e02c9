"""The answer pipeline on the bundled reports with fake models: refusal, fallback, repair, queueing."""
from __future__ import annotations

import re
import threading

import pytest

from corpus.clean import to_simplified
from qa.generate.base import EchoGenerator, HoldingGenerator
from qa.answer.pipeline import REFUSAL, AnswerPipeline, Busy

Q = "侯马市2023年小麦单产排名临汾第几？"


class Recorder(EchoGenerator):
    """Echo that remembers whether it was asked."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0

    def stream(self, messages, max_tokens=200, temperature=0.0):
        self.calls += 1
        yield from super().stream(messages, max_tokens, temperature)


class Crashing:
    """A backend that dies after two tokens with an error that is not a GenerationError."""

    name = "crashing"

    def stream(self, messages, max_tokens=200, temperature=0.0):
        yield "侯马市"
        yield "地区生产总值"
        raise RuntimeError("backend segfaulted")


def holder(pipeline: AnswerPipeline, question: str, text: str) -> int:
    """The citation number whose quote holds `text`."""
    prep = pipeline.prepare(question)
    return next(c.n for c in prep.citations if text in to_simplified(c.quote))


def cited_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", text)]


@pytest.mark.parametrize("question", ["稷山县2023年地区生产总值是多少？", "侯马市有几个航天发射基地？"])
def test_refuses_without_asking_the_model_when_evidence_lacks_the_content(library, question):
    generator = Recorder()
    answer = AnswerPipeline(library, generator).answer(question)
    assert answer.refused and answer.mode == "refused"
    assert answer.text.startswith(REFUSAL)
    assert answer.citations == ()
    assert generator.calls == 0
    place = question[:3]
    assert place in answer.text and all(place in title for title in answer.searched)


def test_grounded_answer_keeps_the_model_text_and_cites_the_report(library):
    probe = AnswerPipeline(library, None)
    n = holder(probe, Q, "小麦单产排名临汾第1")
    reply = f"侯马市小麦单产排名临汾第1[{n}]。"
    answer = AnswerPipeline(library, EchoGenerator(reply=reply)).answer(Q)
    assert (answer.refused, answer.grounded, answer.mode) == (False, True, "generated")
    assert answer.text == reply
    assert answer.citations[n - 1].doc_id == "houma-2024"
    assert "9014万公斤" in to_simplified(answer.citations[n - 1].text)


def test_figure_cited_to_the_wrong_passage_is_repaired(library):
    n = holder(AnswerPipeline(library, None), Q, "小麦单产排名临汾第1")
    answer = AnswerPipeline(library, EchoGenerator(reply="侯马市小麦单产排名临汾第1[9]。")).answer(Q)
    assert answer.mode == "repaired" and answer.grounded
    assert cited_numbers(answer.text) == [n]


@pytest.mark.parametrize("generator", [EchoGenerator(fail=True), Crashing()], ids=["generation-error", "crash"])
def test_failing_generator_falls_back_to_an_extractive_answer(library, generator):
    answer = AnswerPipeline(library, generator).answer(Q)
    assert not answer.refused and answer.mode == "extractive" and answer.grounded
    numbers = cited_numbers(answer.text)
    assert numbers and all(1 <= n <= len(answer.citations) for n in numbers)
    sentence = "".join(re.sub(r"\[\d+\]", "", answer.text).rstrip("。").split())
    assert sentence in "".join(to_simplified(answer.citations[numbers[0] - 1].quote).split())  # quoted, not written


def test_invented_figure_is_never_shown(library):
    answer = AnswerPipeline(library, EchoGenerator(reply="侯马市城镇居民人均可支配收入为14000元[1]。")).answer(Q)
    assert "14000" not in answer.text
    assert answer.mode == "extractive" and answer.grounded and not answer.refused


def test_slow_generation_is_cut_off(library):
    class Slow(EchoGenerator):
        def stream(self, messages, max_tokens=200, temperature=0.0):
            import time

            for piece in super().stream(messages, max_tokens, temperature):
                time.sleep(0.05)
                yield piece

    pipeline = AnswerPipeline(library, Slow(reply="侯马市小麦单产排名临汾第1[1]。" * 5), timeout_s=0.1)
    answer = pipeline.answer(Q)
    assert answer.mode == "extractive" and answer.grounded
    assert answer.timings["generate_ms"] < 1000


def test_stream_sends_citations_then_tokens_then_the_final_answer(library):
    reply = "侯马市小麦单产排名临汾第1[1]。"
    events = list(AnswerPipeline(library, EchoGenerator(reply=reply)).stream(Q))
    kinds = [k for k, _ in events]
    assert kinds[0] == "citations" and kinds[-1] == "final"
    assert set(kinds[1:-1]) == {"token"} and len(kinds) > 3
    assert "".join(p for k, p in events if k == "token") == reply
    # the final record keeps the passages the answer points at, out of those sent first
    final = events[-1][1]
    assert set(final.citations) <= set(events[0][1]) and final.citations
    assert all(f"[{c.n}]" in final.text for c in final.citations)


def test_extractive_backend_never_streams_tokens(library):
    events = list(AnswerPipeline(library, EchoGenerator(reply="")).stream(Q))
    assert "token" not in [k for k, _ in events]
    assert events[-1][1].mode == "extractive" and "[" in events[-1][1].text


def test_full_queue_answers_from_the_evidence_or_is_busy_before_anything_is_sent(library):
    blocking = HoldingGenerator("报告中未提及。", wait_s=10)
    pipeline = AnswerPipeline(library, blocking, queue_size=0)
    first = threading.Thread(target=pipeline.answer, args=(Q,))
    first.start()
    assert blocking.started.wait(10)
    try:
        busy = pipeline.answer(Q)
        assert busy.model_busy and busy.mode == "extractive" and busy.grounded and busy.citations
        with pytest.raises(Busy):
            pipeline.answer(Q, require_model=True)
        with pytest.raises(Busy):
            next(pipeline.stream(Q, require_model=True))  # no citations event first: HTTP can still say 503
        refused = pipeline.answer("稷山县2023年地区生产总值是多少？")  # refusals need no model
        assert refused.refused
    finally:
        blocking.release.set()
        first.join(10)
    assert pipeline.gate.count == 0
    assert not pipeline.answer(Q).refused


def test_abandoned_stream_gives_its_place_back(library):
    pipeline = AnswerPipeline(library, EchoGenerator(reply="侯马市小麦单产排名临汾第1[1]。"), queue_size=0)
    events = pipeline.stream(Q)
    assert next(events)[0] == "citations"
    events.close()  # the client went away
    assert pipeline.gate.count == 0
    assert pipeline.answer(Q).mode == "generated"


def test_follow_up_is_answered_about_the_new_place(library):
    answer = AnswerPipeline(library, EchoGenerator()).answer("那绛县呢？", history=[Q])
    assert "绛县" in answer.standalone_question and "侯马" not in answer.standalone_question
    assert all(c.county == "绛县" for c in answer.citations)
    assert all("绛县" in title for title in answer.searched)


def test_county_filter_keeps_evidence_to_that_county(library):
    answer = AnswerPipeline(library, EchoGenerator()).answer("地区生产总值增长多少？", county="代縣")
    assert all(c.county == "代县" for c in answer.citations)
    assert all("代县" in title for title in answer.searched)



def test_two_figures_asked_of_one_known_indicator_are_left_to_the_passage():
    """'城镇新增就业和农村劳动力转移就业各多少人': the facts know one of the two; the passage states both."""
    from types import SimpleNamespace

    from qa.answer.pipeline import _asks_more

    one = SimpleNamespace(indicators=("城镇新增就业",), compare=False, places=("吉林市",))
    assert _asks_more("吉林市2023年城镇新增就业和农村劳动力转移就业各多少人？", one)
    assert _asks_more("哈尔滨2023年进出口总额是多少？其中对俄进出口多少？", one)
    assert not _asks_more("吉林市2023年城镇新增就业多少人？", one)
    both = SimpleNamespace(indicators=("城镇新增就业", "地区生产总值"), compare=False, places=("吉林市",))
    assert not _asks_more("吉林市2023年城镇新增就业和GDP各多少？", both)
