"""The FAISS index on disk: a search restricted to some reports finds their chunks even when other
reports' chunks fill the global top list; the manifest says what built it."""
import json

from corpus.records import Chunk, Document
from embeddings.encoder import HashEncoder
from embeddings.index import FaissIndex


def _doc(doc_id: str, county: str, texts: list[str]) -> Document:
    chunks = tuple(Chunk(f"{doc_id}#c{i:03d}", doc_id, (f"{doc_id}#p{i:03d}",), "", t, t, county, 2024)
                   for i, t in enumerate(texts, start=1))
    return Document(doc_id, f"{doc_id}.txt", "0" * 64, "utf-8", doc_id, "", "", county, 2024, 2023, "", "",
                    chunks=chunks)


def test_restricted_search_reaches_a_report_crowded_out_of_the_global_top(tmp_path):
    crowd = _doc("crowd", "甲县", ["地区生产总值完成100亿元"] * 50)
    small = _doc("small", "乙县", ["乡村振兴示范村建设"])
    index = FaissIndex(tmp_path)
    encoder = HashEncoder(64)
    index.build([crowd, small], encoder)
    query = encoder.encode(["地区生产总值完成100亿元"])

    assert all(cid.startswith("crowd#") for cid, _ in index.search(query, 10)[0])
    restricted = index.search(query, 10, docs=["small"])[0]
    assert [cid for cid, _ in restricted] == ["small#c001"]
    assert index.search(query, 10, docs=["unknown"])[0] == []


def test_manifest_records_model_dimension_and_counts(tmp_path):
    index = FaissIndex(tmp_path)
    report = index.build([_doc("a", "甲县", ["一", "二"])], HashEncoder(32))
    manifest = json.loads((tmp_path / report.version / "manifest.json").read_text("utf-8"))
    assert manifest["model"] == "hash-32" and manifest["dim"] == 32 and manifest["chunks"] == 2
    assert manifest["index_type"] == "flat" and manifest["fingerprint"]
