"""The Milvus store (Milvus Lite, embedded) over the bundled reports with the hash encoder: what a
user of REPORTQA_STORE=milvus would notice: same places, paragraphs and facts as the FAISS store,
uploads visible at once and never half, a worker that keeps no report text."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("milvus_lite")


def report_text(county: str, year: int, body: str) -> str:
    """A small report as an upload would bring it."""
    return (f"{county}{year}年政府工作报告\n——{year}年1月10日在{county}第十八届人民代表大会第三次会议上\n"
            f"县长 张三\n各位代表：\n一、{year - 1}年工作回顾\n过去一年，{body}\n"
            f"二、{year}年工作安排\n今年要坚持稳中求进，持续推动高质量发展。\n")


@pytest.fixture
def milvus_library(tmp_path, fake_library):
    from embeddings.encoder import HashEncoder
    from qa.library import Library

    data = tmp_path / "milvus-data"
    shutil.copytree(fake_library.settings.data_dir, data)
    settings = fake_library.settings.model_copy(update={"data_dir": data, "store": "milvus", "milvus_cache_docs": 2})
    library = Library(settings, encoder=HashEncoder(256))
    library.ensure_ready()
    return library


def test_a_question_naming_a_place_is_answered_from_that_place_only(milvus_library):
    hits = milvus_library.retriever().retrieve("侯马市2023年地区生产总值是多少？", k=5)
    assert hits and {h.chunk.county for h in hits} == {"侯马市"}
    assert any("189亿元" in h.chunk.text for h in hits)


def test_two_places_each_get_evidence_near_the_top(milvus_library):
    hits = milvus_library.retriever().retrieve("代县和绛县的地区生产总值哪个高？", k=4)
    assert {h.chunk.county for h in hits[:2]} == {"代县", "绛县"}


def test_county_and_year_filters_are_applied_by_the_engine(milvus_library):
    retriever = milvus_library.retriever()
    assert {h.chunk.county for h in retriever.retrieve("粮食产量", k=10, county="通渭")} == {"通渭县"}
    assert {h.chunk.doc_id for h in retriever.retrieve("粮食产量", k=10, year=2022)} <= {"jiangxian-2022", "daixian-2023"}


def test_the_worker_keeps_metadata_only_and_reads_paragraphs_and_facts_on_demand(milvus_library, fake_library):
    heads = milvus_library.documents()
    assert sorted(d.doc_id for d in heads) == sorted(d.doc_id for d in fake_library.documents())
    assert all(not d.paragraphs and not d.chunks and not d.facts for d in heads)
    summaries = {s["doc_id"]: s for s in milvus_library.summaries()}
    expected = {d.doc_id: d for d in fake_library.documents()}
    for doc_id, doc in expected.items():
        assert summaries[doc_id]["paragraphs"] == len(doc.paragraphs)  # counts are the report's, not the head's
        (full,) = milvus_library.full([doc_id])
        assert full.paragraphs == doc.paragraphs and full.facts == doc.facts
    assert len(milvus_library.engine._cache) <= 2  # the bounded cache
    assert milvus_library.facts(places=["代县"]) == fake_library.facts(places=["代县"])
    gdp = milvus_library.facts(indicators=["地区生产总值"])
    assert sorted(map(repr, gdp)) == sorted(map(repr, fake_library.facts(indicators=["地区生产总值"])))


def test_an_uploaded_report_is_searchable_at_once_and_replaces_its_old_version(milvus_library):
    before = milvus_library.version()
    milvus_library.add(report_text("平遥县", 2024, "全县地区生产总值完成210.5亿元，增长6.1%。").encode(), "pingyao.txt")
    assert milvus_library.version() != before
    hits = milvus_library.retriever().retrieve("平遥县地区生产总值", k=3)
    assert hits and hits[0].chunk.county == "平遥县" and "210.5" in hits[0].chunk.text
    milvus_library.add(report_text("平遥县", 2024, "全县地区生产总值完成222.2亿元，增长6.3%。").encode(), "pingyao.txt")
    texts = [h.chunk.text for h in milvus_library.retriever().retrieve("平遥县地区生产总值", k=10)]
    assert any("222.2" in t for t in texts) and not any("210.5" in t for t in texts)
    assert [f.value for f in milvus_library.facts(places=["平遥县"], indicators=["地区生产总值"]) if f.kind == "actual"] == [222.2]


def test_a_failed_upload_leaves_nothing_half_visible(milvus_library, monkeypatch):
    engine = milvus_library.engine
    real_upsert = engine.client.upsert

    def fail_on_the_switch(collection, rows, *a, **k):
        if any(str(r.get("id", "")).startswith("doc:") for r in rows):
            raise RuntimeError("the engine went away")
        return real_upsert(collection, rows, *a, **k)

    monkeypatch.setattr(engine.client, "upsert", fail_on_the_switch)
    with pytest.raises(RuntimeError):
        milvus_library.add(report_text("平遥县", 2024, "全县地区生产总值完成210.5亿元。").encode(), "pingyao.txt")
    monkeypatch.undo()
    assert "平遥县" not in {d.county for d in milvus_library.documents()}
    hits = milvus_library.retriever().retrieve("地区生产总值完成210.5亿元", k=20)
    assert not any("210.5" in h.chunk.text for h in hits)  # its chunks were written but are not served
    chunks = engine.current().split("@")[0]
    assert not engine.client.query(chunks, filter='county == "平遥县"', output_fields=["id"])  # and then removed
    assert "平遥县" not in {d.county for d in milvus_library.store.load()}  # and the doc store was put back


def test_a_rebuild_switches_versions_in_one_step_and_keeps_the_previous(milvus_library):
    engine = milvus_library.engine
    first = engine.current().split("@")[0]
    milvus_library.reindex()
    second = engine.current().split("@")[0]
    assert second != first
    names = engine.client.list_collections()
    assert first in names and second in names  # workers still reading the previous version keep it
    milvus_library.reindex()
    assert first not in engine.client.list_collections()  # older ones are dropped


def test_an_index_built_with_another_model_is_refused_with_a_clear_message(milvus_library):
    from embeddings.encoder import HashEncoder
    from embeddings.index import IndexError_
    from qa.library import Library

    other = Library(milvus_library.settings, encoder=HashEncoder(128, name="hash-128"))
    with pytest.raises(IndexError_, match="rebuild"):
        other.retriever()


def test_an_unreachable_milvus_server_is_a_clear_error(tmp_path):
    from qa.library import Library
    from qa.retrieval.milvus import StoreError
    from qa.settings import Settings

    with pytest.raises(StoreError, match="REPORTQA_MILVUS_URI"):
        Library(Settings(data_dir=tmp_path, store="milvus", milvus_uri="http://127.0.0.1:9"))


def test_ingesting_a_few_reports_adds_them_without_rebuilding_the_library(milvus_library, tmp_path):
    path = tmp_path / "pingyao-2024.txt"
    path.write_text(report_text("平遥县", 2024, "全县地区生产总值完成210.5亿元。"), "utf-8")
    collection = milvus_library.engine.current().split("@")[0]
    report = milvus_library.ingest([path])
    assert report.documents and report.index.chunks == len(report.documents[0].chunks)
    assert milvus_library.engine.current().split("@")[0] == collection  # the same version, one report more
    assert "平遥县" in {d.county for d in milvus_library.documents()}


def test_several_workers_on_an_embedded_milvus_file_are_refused_with_the_way_out(tmp_path):
    from typer.testing import CliRunner

    from qa.cli import app

    result = CliRunner().invoke(app, ["serve", "--workers", "2"],
                                env={"REPORTQA_STORE": "milvus", "REPORTQA_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 2 and "milvus-lite server" in result.output and "Traceback" not in result.output


def test_place_and_year_restrictions_are_milvus_filter_expressions(milvus_library):
    engine = milvus_library.engine
    engine.heads()
    assert engine.where(["houma-2024"]) == 'county in ["侯马市"]'
    milvus_library.add(report_text("侯马市", 2023, "全市地区生产总值完成170亿元。").encode(), "houma-2023.txt")
    engine.heads()
    assert engine.where(["houma-2023"], [2022]) == 'county in ["侯马市"] and (year in [2022] or reviewed_year in [2022])'
    assert engine.where(["houma-2024", "daixian-2023"]) == 'doc_id in ["daixian-2023","houma-2024"]'
    hits = milvus_library.retriever().retrieve("侯马市2022年地区生产总值", k=5)
    assert hits and {h.chunk.doc_id for h in hits} == {"houma-2023"}  # the report reviewing 2022


def test_more_rows_than_one_page_are_read_in_pages(milvus_library):
    engine = milvus_library.engine
    engine.heads()
    one_call = engine._query('kind == "fact" and county in ["代县"]', ["kind", "body"])
    paged = engine._query('kind == "fact" and county in ["代县"]', ["kind", "body"], limit=7)
    assert len(one_call) > 7 and sorted(r["body"] for r in paged) == sorted(r["body"] for r in one_call)
