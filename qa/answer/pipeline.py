"""The answer pipeline: rewrite → retrieve → select evidence → (refuse | generate → verify).

Refusal is decided here from the evidence, not left to the model's politeness; an answer whose
figures are not in its cited passages is repaired or replaced by the best evidence sentence.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from corpus.clean import normalize, to_simplified
from corpus.indicators import SPAN, plan_end, without_span
from corpus.meta import short_name
from qa.answer.facts import answer_facts, fact_citation, years_spoken
from qa.answer.targets import answer_targets, asks_targets
from qa.answer.evidence import Evidence, content_terms, coverage, fits, merge_evidence, select, supported
from qa.answer.extractive import LISTS, ahead, another_measure, other_indicator, total_only, trim
from qa.generate.base import GenerationError, Generator
from qa.retrieval.places import aliases
from qa.answer.prompt import build_messages, passage_label
from qa.answer.terms import ASK, asked_anew, official_term, reworded
from qa.records import REFUSAL, Answer, Citation
from qa.retrieval.reading import REACHED, Reading, read_question
from qa.retrieval.retrieve import intent, part_asked, section
from qa.retrieval.rewrite import national, report_year, split_comparison, standalone, sub_questions, year_questions
from qa.answer.verify import CITE, bind_years, verify

# a question that asks for a figure: an answer without one is no answer
# a figure in digits, or in words that count or rank ("连续第四年", "排名全市第二", "三成")
FIGURE = re.compile(r"\d|第[一二三四五六七八九十百]+|[一二三四五六七八九十百千万两]+(?:[个家项位名倍成次]|百分点)")
ASKS_FIGURE = re.compile(r"多少|几[个家项人年%]|百分之几|增速|增幅|比重|占比|第几|排名")
log = logging.getLogger(__name__)
MIN_COVERAGE = 0.5  # below this share of the question's content words in any evidence sentence: refuse


class Busy(RuntimeError):
    """The generator queue is full; retry later (HTTP 503 with Retry-After)."""


class Gate:
    """Admits `running` generations at a time (1 for a local model; more for a model server that
    batches, like vLLM) and at most `waiting` more in line; beyond that, Busy.

    `admit()` takes a place in line without waiting (or raises Busy), so a stream can be refused
    before its first event; `turn()` then waits for the model, and `leave()` gives the place back.
    """

    def __init__(self, waiting: int, running: int = 1):
        self.limit = waiting + running
        self.count = 0
        self._lock = threading.Lock()
        self._run = threading.Semaphore(running)

    def admit(self) -> None:
        with self._lock:
            if self.count >= self.limit:
                raise Busy(f"{self.count} questions are already waiting for the model")
            self.count += 1

    def leave(self) -> None:
        with self._lock:
            self.count -= 1

    @contextmanager
    def turn(self):
        with self._run:
            yield


@dataclass
class Prepared:
    question: str
    standalone: str
    counties: tuple[str, ...]
    evidence: list[Evidence]
    citations: tuple[Citation, ...]
    refuse: bool
    searched: tuple[str, ...]
    retrieve_ms: float
    parts: dict[str, str] | None = None  # a comparison: one standalone question per supported place
    unsupported: tuple[str, ...] = ()  # places of a comparison the reports say nothing about
    reading: Reading | None = None  # places (covered or not), years, indicators and kind asked about
    pieces: dict[str, tuple[int, ...]] = field(default_factory=dict)  # two questions in one: each one's evidence numbers
    reports: tuple[str, ...] | None = None  # "2025年…政府工作报告中": the only report searched
    versus: bool = False  # the pieces are the years of a comparison: say which is ahead


class AnswerPipeline:
    def __init__(self, library, generator: Generator | None, top_k: int = 5, max_tokens: int = 200,
                 temperature: float = 0.0, queue_size: int = 8, timeout_s: float = 120.0, concurrency: int = 1,
                 min_coverage: float = MIN_COVERAGE, terms: Generator | str | None = None):
        self.library = library
        self._generator = generator
        self._factory = None
        # who names the figure of a question in everyday words: "answer" (the answering model), a
        # generator of its own, or None (such questions are refused)
        self._terms = terms
        self._terms_factory = None
        self.top_k, self.max_tokens, self.temperature = top_k, max_tokens, temperature
        self.gate = Gate(queue_size, concurrency)
        self.timeout_s = timeout_s
        self.min_coverage = min_coverage
        self._load_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings, library) -> AnswerPipeline:
        pipeline = cls(library, None, top_k=settings.top_k, max_tokens=settings.max_tokens,
                       temperature=settings.temperature, queue_size=settings.queue_size,
                       concurrency=settings.llm_concurrency if settings.llm_backend == "openai" else 1,
                       timeout_s=settings.generate_timeout_s)
        from qa.generate.base import load_terms, make_generator

        pipeline._factory = lambda: make_generator(settings)
        if settings.terms_model == "answer":
            pipeline._terms = "answer"
        elif settings.terms_model != "off":
            pipeline._terms_factory = lambda: load_terms(settings)
        return pipeline

    @property
    def generator(self) -> Generator | None:
        """Loaded on first use, once per process."""
        with self._load_lock:
            if self._generator is None and self._factory is not None:
                self._generator = self._factory()
            return self._generator

    @property
    def terms(self) -> Generator | None:
        """The model that names a figure asked in everyday words; None: no such model."""
        if self._terms == "answer":
            generator = self.generator
            return None if generator is None or getattr(generator, "reply", None) == "" else generator
        with self._load_lock:
            if self._terms is None and self._terms_factory is not None:
                self._terms = self._terms_factory()
            return self._terms

    def model_health(self) -> dict:
        """What /healthz says of the model: not loaded yet, or its name (and a worker's restarts)."""
        generator = self._generator
        if generator is None:
            return {"loaded": False}
        return {"loaded": True, "name": getattr(generator, "name", ""),
                **(generator.health() if hasattr(generator, "health") else {})}

    # -- stages ----------------------------------------------------------------------------
    def prepare(self, question: str, county: str | None = None, year: int | None = None,
                history: Sequence[str] = (), top_k: int | None = None) -> Prepared:
        t0 = time.perf_counter()
        retriever = self.library.retriever()
        alone = national(standalone(question, history, retriever.places), retriever.places)
        named, asked_alone = report_year(alone)
        # a report named by its year: only that report is searched, for the other year asked
        reports = tuple(d.doc_id for d in retriever.documents if named and d.year == named) or None
        if reports:
            alone = asked_alone
        found = retriever.places(alone)
        k = (top_k or self.top_k) * (1 if county else max(1, len(found.counties)))
        hits = retriever.retrieve(alone, k=k, county=county, year=year, docs=reports)
        counties = (retriever.resolve_county(county),) if county else found.counties
        names = [a for d in retriever.documents if d.county in counties for a in aliases(d)]
        asked = [d for d in retriever.documents if d.county in counties] or retriever.documents
        wants = part_asked(normalize(alone), found.years or ([year] if year else []), asked)
        prefer = (lambda h: section(h.chunk) == wants) if wants else None
        subs = sub_questions(alone) if len(counties) <= 1 else []
        by_year = year_questions(alone) if len(counties) <= 1 and not subs else []  # "2024年和2025年相比哪年更多"
        pieces = subs or by_year
        spanned = self._spanned(counties)  # the five-year review's paragraphs, read once per question
        if len(counties) > 1:
            # a comparison: the best passages of each place, so every place gets support
            evidence = [ev for c in counties for ev in select([h for h in hits if h.chunk.county == c], alone, names,
                                                                max_passages=2, max_chars=220, prefer=prefer)]
        elif pieces:
            # two questions in one ("2023年是多少？2024年力争达到多少？"): each finds its own passages,
            # in the part of the report it asks about
            evidence, asked_parts = [], {}
            for piece in pieces:
                piece_hits = retriever.retrieve(piece, k=k, county=county or (counties[0] if counties else None),
                                                year=year, docs=reports)
                own = self._evidence(piece_hits, piece, names, asked, year, max_passages=2, max_chars=200,
                                     spanned=spanned)
                asked_parts[piece] = merge_evidence(evidence, own)
        else:
            evidence = self._evidence(hits, alone, names, asked, year, wants=wants, spanned=spanned)
        docs = {d.doc_id: d for d in retriever.documents}
        cited = {d.doc_id: d for d in self.library.full(ev.hit.chunk.doc_id for ev in evidence)}
        citations = tuple(self._cite(i, ev, cited) for i, ev in enumerate(evidence, start=1))
        searched_docs = sorted({h.chunk.doc_id for h in hits}) or sorted(docs)
        searched = tuple(docs[d].title for d in searched_docs if d in docs)
        parts, unsupported, answered = None, (), {}
        if len(counties) > 1:
            # a comparison: each place is answered on its own evidence; a place without support
            # is said to be missing rather than sinking the whole answer
            split = split_comparison(alone, {d.county: aliases(d) for d in retriever.documents if d.county in counties})
            ok = {c: supported([ev for ev in evidence if ev.hit.chunk.county == c], split.get(c, alone), names,
                               self.min_coverage) for c in counties}
            parts = {c: split.get(c, alone) for c in counties if ok[c]}
            unsupported = tuple(c for c in counties if not ok[c])
            refuse = not parts
        elif pieces:
            ok = {piece: supported([evidence[n - 1] for n in numbers], piece, names, self.min_coverage)
                  for piece, numbers in asked_parts.items()}
            answered = {piece: numbers for piece, numbers in asked_parts.items() if ok[piece]}
            unsupported = tuple(piece for piece in asked_parts if not ok[piece])
            refuse = not answered
        else:
            refuse = not supported(evidence, without_span(alone), names, self.min_coverage)
        reading = read_question(alone, retriever, counties[0] if county else None)
        return Prepared(question, alone, counties, evidence, citations, refuse, searched,
                        (time.perf_counter() - t0) * 1000, parts, unsupported, reading, answered, reports,
                        bool(by_year))

    def _span_end(self, prep: Prepared) -> int | None:
        """The last year of the span asked, when the question asks the level it reached ("十四五期间…
        增加到了多少": 2025): a five-year plan's end, else the year its place's report reviews."""
        span = prep.reading.span if prep.reading is not None else ""
        asked = normalize(prep.standalone)
        if not span or not REACHED.search(asked) or prep.reading.kind == "target" or PLANNED.search(asked):
            return None  # "“十四五”规划提出…提高到多少" asks the plan's goal, not the level reached
        reviewed = {d.reviewed_year for d in self.library.retriever().documents if d.county in prep.counties}
        return plan_end(span) or (reviewed.pop() if len(reviewed) == 1 else None)

    def _spanned(self, counties) -> set[str]:
        """The paragraphs that speak of a span (a five-year review's): most of their figures have no one
        year. The end of a range ("从A增加到B") is dated, its start is not: the pair counts as the span's."""
        count: dict[str, list[int]] = {}
        for f in self.library.facts(places=tuple(counties)):
            yearly, spans, starts = count.setdefault(f.paragraph_id, [0, 0, 0])
            count[f.paragraph_id] = [yearly + (f.year is not None), spans + (f.year is None), starts + (f.period == "起点")]
        return {pid for pid, (yearly, spans, starts) in count.items() if spans - starts > 0 and spans >= yearly - starts}

    def _evidence(self, hits, question: str, names, asked, year: int | None, wants: str | None = None,
                  max_passages: int = 3, max_chars: int = 320, spanned: set[str] | None = None) -> list[Evidence]:
        """The best sentences for one question, from the part of the report it asks about when that
        part has them (plans and results read alike: "增长…%"). A span asked ("十四五期间"): from the
        paragraphs about the span, whose sentences need not name it."""
        years = self.library.retriever().places(question).years or ([year] if year else [])
        if wants is None:
            wants = intent(normalize(question), years, asked)
        prefer = (lambda h: section(h.chunk) == wants) if wants else None
        about_span = lambda h: any(pid in (spanned or ()) for pid in h.chunk.paragraph_ids)  # noqa: E731
        norm = normalize(question)
        if spanned and SPAN.search(norm) and wants != "plan" and not PLANNED.search(norm):
            prefer = about_span  # "十四五期间…": the review of the span; "“十四五”规划提出…" asks its plan
        elif spanned and any(d.reviewed_year in years or d.year in years for d in asked):
            # a year asked: not the five-year review's figures ("PM2.5年均浓度累计下降17%")
            prefer = lambda h, by_part=prefer: (by_part is None or by_part(h)) and not about_span(h)  # noqa: E731
        evidence = select(hits, without_span(question), names, max_chars, max_passages, prefer=prefer)
        if prefer is not None and any(prefer(ev.hit) and ev.coverage >= self.min_coverage for ev in evidence):
            evidence = [ev for ev in evidence if prefer(ev.hit) or not section(ev.hit.chunk)]
        return evidence

    @staticmethod
    def _cite(n: int, ev: Evidence, docs: dict) -> Citation:
        chunk = ev.hit.chunk
        doc = docs.get(chunk.doc_id)
        paragraph_id, paragraph_text = chunk.paragraph_ids[0], chunk.text
        if doc is not None:
            paragraphs = {p.id: p for p in doc.paragraphs if p.id in chunk.paragraph_ids}
            for pid in chunk.paragraph_ids:
                p = paragraphs.get(pid)
                if p and any(s.strip() and s.strip() in p.text for s in ev.sentences):
                    paragraph_id, paragraph_text = pid, p.text
                    break
        return Citation(n, chunk.doc_id, chunk.county, chunk.year, paragraph_id, chunk.heading, paragraph_text,
                        "".join(ev.sentences), ev.hit.score)

    def from_facts(self, prep: Prepared) -> Answer | None:
        """The answer when facts decide it: a place no report covers, a year the reports do not
        speak of, or a figure (comparison, superlative) the facts hold. None: retrieval answers."""
        reading = prep.reading
        if reading is None:
            return None
        documents = self.library.retriever().documents
        timings = {"retrieve_ms": round(prep.retrieve_ms, 1), "generate_ms": 0.0}

        def held(**which) -> list:
            facts = self.library.facts(**which)
            return [f for f in facts if f.doc_id in prep.reports] if prep.reports else facts
        covered = sorted({d.county for d in documents if d.county})

        def done(text: str, refused: bool, facts=()) -> Answer:
            holding = self.library.full(f.doc_id for f in facts)
            citations = tuple(fact_citation(i, f, holding) for i, f in enumerate(facts, start=1))
            mode = "refused" if refused and not facts else "facts"
            view = ({"indicator": sorted({f.indicator for f in facts}), "county": sorted({f.place for f in facts})}
                    if facts else {})
            return Answer(prep.question, text, refused, True, citations, mode, prep.standalone, timings, prep.searched,
                          view=view)

        about = self._about_report(prep, reading, documents, timings)
        if about is not None:
            return about
        # every report's facts are read only for a question about targets
        promised = answer_targets(reading, prep.standalone, held(), documents) \
            if asks_targets(prep.standalone) else None
        if promised is not None:
            answer = done(promised.text, promised.refused, promised.facts)
            return replace(answer, view={**answer.view, "targets": True}) if promised.facts else answer
        missing_note = (f"报告库中没有{'、'.join(reading.missing)}的政府工作报告（已收录：{'、'.join(covered)}）。"
                        if reading.missing else "")
        if reading.missing and not reading.places and not reading.over_library:
            # a place with no report of its own (a province, the nation) whose figure another report states
            stated = held(places=reading.missing) if reading.indicators else []
            if stated:
                asked = tuple(p for p in reading.missing if any(f.place == p for f in stated))
                found = answer_facts(replace(reading, places=asked, missing=(),
                                             parts=tuple(replace(q, place=asked[0]) for q in reading.parts if not q.place
                                                         or q.place in reading.missing)), stated, documents)
                if found is not None and not found.refused:
                    return done(found.text, False, found.facts)
            return done(missing_note, True)
        # a figure over the whole library needs that indicator everywhere; else the places asked about
        facts = (held(indicators=reading.indicators) if reading.over_library and reading.indicators
                 else held(places=reading.places) if reading.places else [])
        if planned := only_planned(reading, facts, documents) or ahead_of_reports(reading, documents):
            return done(planned + missing_note, True)
        found = answer_facts(reading, facts, documents)
        if found is not None and not found.refused and _asks_more(prep.standalone, reading):
            found = None  # "A和B各多少", "其中B多少": the facts hold only the one indicator the reading knows
        if found is not None and reading.missing and reading.compare and not reading.over_library:
            # a comparison with a side the library has no report of: no comparison, only what is held
            return done(f"无法比较：{missing_note}{found.text}", True, found.facts)
        if found is not None:
            return done(found.text + missing_note, found.refused, found.facts)
        for place in reading.places:
            spoken = years_spoken(place, facts, documents)
            absent = [y for y in reading.years if y not in spoken]
            if absent and spoken and len(reading.places) == 1:
                have = "、".join(f"{y}年" for y in sorted(spoken))
                return done(f"{REFUSAL}：报告库中{place}的报告没有{'、'.join(f'{y}年' for y in absent)}的数据"
                            f"（{place}的报告讲的是{have}）。{missing_note}", True)
        return None

    def _about_report(self, prep: Prepared, reading: Reading, documents, timings: dict) -> Answer | None:
        """Who delivered a report, and at which meeting: from its metadata, citing its own lines."""
        asked = normalize(prep.question)
        who = (re.search(r"谁作|谁做|谁代表|由谁|报告人|哪位|(?:作|做)\S{0,8}报告的是谁|是谁", asked) and "报告" in asked
               or re.search(r"(?:县长|市长|区长|旗长|州长|盟长|省长|总理|主席)是谁|谁是\S{0,4}(?:县长|市长|区长|旗长|州长|省长)", asked))
        meeting = re.search(r"哪次会议|什么会议|哪个会议|在哪.{0,4}会议|哪一次会议", asked)
        if not (who or meeting) or len(reading.places) != 1:
            return None
        mine = [d for d in documents if d.county == reading.places[0]]
        dated = [d for d in mine if d.year in reading.years] or [d for d in mine if d.reviewed_year in reading.years]
        docs = dated if reading.years else sorted(mine, key=lambda d: d.year or 0)[-1:]  # no year: the latest report's
        if len(docs) != 1:
            return None
        doc = self.library.full([docs[0].doc_id])[0]
        if who and doc.speaker:
            line = next((p for p in doc.paragraphs if doc.speaker in re.sub(r"\s+", "", p.norm)), None)
            text = f"{doc.title}由{doc.speaker}作[1]。"
        elif meeting:
            line = next((p for p in doc.paragraphs[:12] if re.search(r"人民代表大会第\S{1,3}次会议", p.norm)), None)
            said = re.search(r"在(\S{2,40}?人民代表大会第\S{1,3}次会议)", line.norm) if line else None
            text = f"{doc.title}是在{said.group(1)}上作的[1]。" if said else ""
        else:
            return None
        if line is None or not text:
            return None
        cite = Citation(1, doc.doc_id, doc.county, doc.year, line.id, line.heading, line.text, line.text.strip(), 1.0)
        return Answer(prep.question, text, False, True, (cite,), "facts", prep.standalone, timings, prep.searched)

    def refusal(self, prep: Prepared) -> Answer:
        where = "、".join(prep.searched) if prep.searched else "已收录的报告"
        place = "、".join(prep.counties)
        text = f"{REFUSAL}：在{where}中没有找到{'关于' + place if place else ''}这个问题的答案。"
        return Answer(prep.question, text, True, True, (), "refused", prep.standalone,
                      {"retrieve_ms": round(prep.retrieve_ms, 1), "generate_ms": 0.0}, prep.searched)

    def extractive(self, prep: Prepared) -> str:
        """The best evidence sentence for each place asked about (or each question of two in one), cited."""
        if prep.pieces:
            said = [self._best(prep, piece, [(n, prep.evidence[n - 1]) for n in numbers], "", False)
                    for piece, numbers in prep.pieces.items()]
            said = list(dict.fromkeys(said))  # one sentence may answer both
            body = lambda t: CITE.sub("", t).rstrip("。")  # noqa: E731
            # a part's clause that the other part's answer already says whole: said once
            said = [t for t in said if not any(u != t and body(t) in body(u) and CITE.findall(t) == CITE.findall(u)
                                               for u in said)]
            text = "".join(said)
            if prep.versus and len(set(said)) == 2:
                years = [m.group(0) if (m := re.search(r"(?:19|20)\d{2}年", p)) else p for p in prep.pieces]
                text += ahead(years, list(prep.pieces), said, prep.standalone)
            return text
        parts = []
        for county in (tuple(prep.parts) if prep.parts else prep.counties) or (None,):
            pool = [(i, ev) for i, ev in enumerate(prep.evidence, start=1) if county is None or ev.hit.chunk.county == county]
            if not pool:
                continue
            label = f"{county}：" if len(prep.counties) > 1 else ""
            level = prep.reading is not None and prep.reading.kind == "actual" and not prep.reading.parts
            parts.append(self._best(prep, prep.standalone, pool, label, level, county))
        if prep.parts and len(parts) == 2 and len(prep.parts) == 2 and WHICH_AHEAD.search(prep.standalone):
            # "哪个更快": the two places' figures, and who is ahead
            places = list(prep.parts)
            said = [p[len(f"{c}："):] for c, p in zip(places, parts)]
            return "".join(parts) + ahead(places, [prep.parts[c] for c in places], said, prep.standalone)
        return "".join(parts)

    @staticmethod
    def _best(prep: Prepared, question: str, pool: list[tuple[int, Evidence]], label: str, level: bool,
              county: str | None = None) -> str:
        """The sentence of the pool that covers `question` best, trimmed to the clauses that answer."""
        names = [county, short_name(county)] if county else [n for c in prep.counties for n in (c, short_name(c))]
        groups = content_terms(question, names)
        # the best covered sentence; among those alike, the one holding the answer's shape
        rank = lambda s: (round(coverage(normalize(s), groups), 6), fits(s, groups, question))  # noqa: E731
        i, ev = max(pool, key=lambda t: max(rank(s) for s in t[1].sentences))
        best = max(ev.sentences, key=rank)
        # one sentence per place: an introducing sentence joined to it ("经济运行稳中向好。全市…") ends in a comma
        sentence = " ".join(to_simplified(best).split()).rstrip("。；;，, ").replace("。", "，")
        if not LISTS.search(question):
            sentence = trim(sentence, groups, question)  # a list is answered whole (and "A和B分别是多少": both)
        if level:
            # a level asked: its growth rate beside it is a figure of another kind
            sentence = re.sub(r"[、，,](?:\d+年)?(?:同比|比上年)?(?:增长|下降|提高)\d+(?:\.\d+)?(?:%|个百分点)", "", sentence)
            # and an increase beside the level ("开行868列、净增100列"), unless it names what is asked
            sentence = re.sub(r"、(?:同比|比上年|较上年)?(?:净增|净减)\d+(?:\.\d+)?[^\d，,、；;。]{0,3}(?=$|[，,；;。])", "", sentence)
        return f"{label}{total_only(sentence, question)}[{i}]。"

    # -- answering -------------------------------------------------------------------------
    def answer(self, question: str, county: str | None = None, year: int | None = None,
               history: Sequence[str] = (), top_k: int | None = None, require_model: bool = False) -> Answer:
        final = None
        for kind, payload in self.stream(question, county, year, history, top_k, require_model):
            if kind == "final":
                final = payload
        assert final is not None
        return final

    def stream(self, question: str, county: str | None = None, year: int | None = None,
               history: Sequence[str] = (), top_k: int | None = None,
               require_model: bool = False) -> Iterator[tuple[str, object]]:
        """Events: ("citations", tuple[Citation]), ("token", str)…, ("final", Answer).

        When the model's queue is full the answer is the verified extractive one at once
        (`model_busy`), unless `require_model`: then Busy is raised before the first event.
        """
        prep = self.prepare(question, county, year, history, top_k)
        decided = self.from_facts(prep)
        first = None
        for kind, payload in self._answer(prep, decided, require_model):
            if kind == "final" and payload.refused and decided is None:
                first = payload  # found nothing as asked: perhaps asked in everyday words
            else:
                yield kind, payload
        if first is None:
            return
        again = self._reask(prep, county, year, top_k)
        if again is None:
            yield "final", first
            return
        # answered as asked in the report's words, or refused as first
        again_prep, again_decided, term = again
        for kind, payload in self._answer(again_prep, again_decided, require_model):
            if kind == "final":
                payload = first if payload.refused else \
                    replace(payload, text=f"按“{term}”理解：{payload.text}", question=prep.question)
            yield kind, payload

    def _reask(self, prep: Prepared, county: str | None, year: int | None,
               top_k: int | None) -> tuple[Prepared, Answer | None, str] | None:
        """A question naming no indicator the vocabulary knows, that nothing answers, asked again
        with the official name the model gives ("一共挖了多少煤" -> 原煤产量); None: refuse as asked."""
        reading = prep.reading
        if reading is None or reading.indicators or reading.missing or len(prep.counties) > 1 \
                or not (ASKS_FIGURE.search(prep.standalone) or ASK.search(prep.standalone)):
            return None
        try:
            namer = self.terms
            if namer is None:
                return None
            with self.gate.turn():
                term = official_term(namer, prep.standalone)
        except Exception as exc:  # no model, a crashed one: the question is refused as asked
            log.warning("could not name the figure asked: %s", exc)
            return None
        if not asked_anew(prep.standalone, term):
            return None
        again = self.prepare(reworded(prep.standalone, term, prep.counties, reading.kind == "growth"),
                             county, year, (), top_k)
        log.info("asked again in the report's words: %s", again.standalone)
        if again.reading is None or (again.reading.kind, again.reading.years, again.counties) != \
                (reading.kind, reading.years, prep.counties):
            return None  # the name changed what is asked ("招生计划" asks a plan): not the question
        decided = self.from_facts(again)
        if decided is not None and not decided.refused or decided is None and not again.refuse:
            return again, decided, term
        return None

    def _answer(self, prep: Prepared, decided: Answer | None, require_model: bool) -> Iterator[tuple[str, object]]:
        if decided is not None:
            yield "citations", decided.citations
            yield "final", decided
            return
        if prep.refuse:
            answer = self.refusal(prep)
            yield "citations", ()
            yield "final", answer
            return
        busy = False
        try:
            generator = self.generator
        except GenerationError as exc:  # the model could not be loaded: answer from the evidence
            log.error("%s", exc)
            generator = None
        if generator is None or getattr(generator, "reply", None) == "":
            generator = None
        else:
            try:
                self.gate.admit()
            except Busy:
                if require_model:
                    raise  # before the first event: HTTP can still answer 503
                generator, busy = None, True
        try:
            yield from self._generate(prep, generator, busy)
        finally:
            if generator is not None:
                self.gate.leave()

    def _generate(self, prep: Prepared, generator: Generator | None,
                  busy: bool = False) -> Iterator[tuple[str, object]]:
        yield "citations", prep.citations
        t0 = time.perf_counter()
        first_token_ms = None
        raw, mode = "", "generated"
        if generator is None:
            mode = "extractive"
        else:
            try:
                with self.gate.turn():
                    for question, numbers in self._prompts(prep):
                        messages = build_messages(
                            question,
                            [(passage_label(prep.citations[n - 1].county, prep.citations[n - 1].year),
                              ev_text(prep.evidence[n - 1])) for n in numbers],
                            numbers,
                        )
                        for piece in generator.stream(messages, self.max_tokens, self.temperature):
                            if first_token_ms is None:
                                first_token_ms = (time.perf_counter() - t0) * 1000
                            raw += piece
                            yield "token", piece
                            if time.perf_counter() - t0 > self.timeout_s:
                                raise GenerationError(f"generation took longer than {self.timeout_s:.0f} s")
                        if not raw.endswith(("。", "\n")):
                            raw += "。"
            except Exception as exc:  # a crashed or slow backend must not cost the user the answer
                log.warning("generation failed, answering from the evidence: %s", exc)
                mode = "extractive"
        generate_ms = (time.perf_counter() - t0) * 1000
        passages = [ev_text(ev) for ev in prep.evidence]
        owners = [ev.hit.chunk.county for ev in prep.evidence]
        # every known place, not only the asked ones: "侯马市…999亿元[1]" cannot lean on a 临猗县 passage
        places = {d.county: aliases(d) for d in self.library.retriever().documents if d.county}
        text, grounded = "", False
        if mode == "generated":
            checked = verify(to_simplified(raw), passages, prep.standalone, owners, places)
            if checked.text and checked.grounded and REFUSAL not in checked.text:
                text, grounded = checked.text, True
                mode = "repaired" if checked.changed and checked.problems else "generated"
            else:
                mode = "extractive"
        if mode == "extractive":
            text = self.extractive(prep)
            grounded = verify(text, passages, prep.standalone, owners, places).grounded
            if prep.reading is not None and not prep.pieces and other_indicator(text, prep.standalone, prep.reading.indicators) \
                    or another_measure(text, prep.standalone):
                # the best sentence is about another indicator (asked 人均地区生产总值, it says 地区生产总值)
                yield "final", self.refusal(prep)
                return
        cut = False
        if prep.reading is not None:
            # a figure must be of the year and indicator its sentence states or the question asks
            named = set(prep.counties) | set(self.library.retriever().places(text).counties)
            facts = self.library.facts(places=tuple(named)) if named else []
            bound = bind_years(text, facts, prep.counties, prep.reading.years, places, prep.reading.indicators,
                               prep.reading.kind if not (prep.reading.parts or prep.pieces) else "",
                               bool(prep.reading.span), self._span_end(prep))
            if bound.changed:
                log.info("dropped figures of another year: %s", "; ".join(bound.problems))
                if not bound.grounded:
                    yield "final", self.refusal(prep)
                    return
                text, cut = bound.text, True
        if ASKS_FIGURE.search(prep.standalone) and not FIGURE.search(CITE.sub("", text)) or cut and not CITE.search(text):
            # a figure was asked and the answer holds none, or what the year check left cites nothing
            # ("固定资产投资实现正增长；" of a plan): that is not an answer
            yield "final", self.refusal(prep)
            return
        if prep.unsupported:
            text += "".join(f"{c}：{REFUSAL}。" for c in prep.unsupported)
        # the citations the answer points at, not every passage the model was shown
        cited = {int(n) for n in CITE.findall(text)}
        citations = tuple(c for c in prep.citations if c.n in cited) or prep.citations
        timings = {"retrieve_ms": round(prep.retrieve_ms, 1), "generate_ms": round(generate_ms, 1),
                   "first_token_ms": round(first_token_ms, 1) if first_token_ms is not None else None}
        yield "final", Answer(prep.question, text, False, grounded, citations, mode, prep.standalone, timings,
                              prep.searched, sum(len(p) for p in passages), busy)

    @staticmethod
    def _prompts(prep: Prepared) -> list[tuple[str, list[int]]]:
        """(question, passage numbers) per generation: one for a plain question, one per place of a
        comparison (a small model answers one place well, two places badly)."""
        if prep.pieces:
            return [(piece, list(numbers)) for piece, numbers in prep.pieces.items()]
        if not prep.parts:
            return [(prep.standalone, [c.n for c in prep.citations])]
        return [(q, [c.n for c in prep.citations if c.county == county]) for county, q in prep.parts.items()
                if any(c.county == county for c in prep.citations)]


def only_planned(reading: Reading, facts, documents) -> str:
    """The refusal for an outcome asked of a year the library's reports only plan (a target of that
    indicator is held, no report reviews the year), else "". Example: "潜江市2024年固定资产投资实际
    增长了多少？" with only the 2024 report -> "报告中未提及：潜江市2024年政府工作报告只给出2024年的目标…" """
    if not (len(reading.places) == 1 and reading.kind in ("actual", "growth") and not reading.parts
            and reading.years and len(reading.indicators) == 1):
        return ""
    place = reading.places[0]
    mine = [d for d in documents if d.county == place]
    held = {f.year for f in facts if f.place == place and f.kind in ("actual", "growth")}
    planned = {f.year for f in facts if f.place == place and f.kind == "target" and f.indicator in reading.indicators}
    ahead = [y for y in planned_only(reading.years, mine) if y not in held and y in planned]
    return plans_only(place, ahead, mine) if ahead else ""


def planned_only(years, mine) -> list[int]:
    """The years some of a place's reports plan and none reviews."""
    return [y for y in years if any(d.year == y for d in mine) and not any(d.reviewed_year == y for d in mine)]


def plans_only(place: str, years: list[int], mine) -> str:
    said = "、".join(f"{y}年" for y in years)
    have = "、".join(d.title for d in mine if d.year in years)
    return f"{REFUSAL}：{have}只给出{said}的目标和安排，报告库中没有回顾{said}的{place}政府工作报告，无法给出实际数。"


def ahead_of_reports(reading: Reading, documents) -> str:
    """The refusal for what a year achieved when the place's reports only plan that year (no report
    reviews it) and the question does not ask for the plan; else "". A plan's figure is no outcome."""
    norm = normalize(reading.question)
    if len(reading.places) != 1 or not reading.years or reading.parts or reading.kind == "target" \
            or intent(norm, (), ()) != "review" or PLANNED.search(norm) or re.search(r"报告|会议", norm):
        return ""  # only what the question's words ask as achieved ("实际", "完成了"); never about the report
    mine = [d for d in documents if d.county == reading.places[0]]
    ahead = planned_only(reading.years, mine)
    return plans_only(reading.places[0], ahead, mine) if len(ahead) == len(reading.years) else ""


# a comparison that asks who is ahead
WHICH_AHEAD = re.compile(r"(?:哪个|哪一个|哪里|哪座|哪个地方|谁)[^？?。]{0,12}(?:更|较)|(?:更|较)(?:高|低|多|少|快|慢|大|小)")
# "要化解多少", "准备", "打算": a question about what the year is to do
PLANNED = re.compile(r"(?<![主重需只])要(?!求|点|素)[\u4e00-\u9fff]|准备|将(?:要|会)|预期|规划")


_MORE = re.compile(r"(?:和|及|与|、)[^，,。？?]{2,20}?(?:各|分别|都)[^，,。？?]{0,4}(?:多少|几|是)|其中[^，,。？?]{1,20}?(?:多少|几)")


def _asks_more(question: str, reading) -> bool:
    """Two figures asked ("城镇新增就业和农村劳动力转移就业各多少人", "…其中对俄进出口多少")
    while the reading knows fewer indicators than that, and no places are compared."""
    return len(reading.indicators) < 2 and not reading.compare and len(reading.places) <= 1 \
        and bool(_MORE.search(normalize(question)))


def ev_text(ev: Evidence) -> str:
    return "".join(ev.sentences)
