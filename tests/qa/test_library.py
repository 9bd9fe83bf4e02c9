"""The data directory survives upgrades: reports built by older corpus code are rebuilt from
their kept raw bytes, and the index follows."""
import json

from embeddings.encoder import HashEncoder
from qa.library import Library
from qa.settings import Settings


def test_reports_built_by_older_code_are_rebuilt_from_raw_bytes(tmp_path):
    settings = Settings(data_dir=tmp_path)
    library = Library(settings, encoder=HashEncoder(64))
    upload = "侯马市第十七届人民代表大会第四次会议。各位代表：2023年，全市地区生产总值完成189亿元。".encode("gb18030")
    library.add(upload, "houma-notes.txt")
    assert (tmp_path / "raw" / "houma-notes" / "houma-notes.txt").read_bytes() == upload

    path = tmp_path / "docs" / "houma-notes.json"
    record = json.loads(path.read_text("utf-8"))
    record["pipeline"], record["chunks"] = "older-code", []
    path.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    version = library.index.current()

    library.ensure_ready()

    rebuilt = next(d for d in library.documents() if d.doc_id == "houma-notes")
    assert rebuilt.chunks and rebuilt.pipeline != "older-code"
    assert library.index.current() != version
    assert library.retriever().retrieve("侯马市地区生产总值", k=1)[0].chunk.doc_id == "houma-notes"
