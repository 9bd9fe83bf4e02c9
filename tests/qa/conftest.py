"""Small records made in the tests, and the bundled reports with the hash encoder, shared read-only."""
from __future__ import annotations

import pytest

from corpus.records import Document


def report(county: str, year: int, reviewed: int | None = None) -> Document:
    """A report's metadata without text: enough for place detection and rewriting."""
    return Document(doc_id=f"{county}-{year}", source=f"{county}.txt", sha256="", encoding="utf-8",
                    title=f"{county}{year}年政府工作报告", province="", city="", county=county, year=year,
                    reviewed_year=reviewed or year - 1, date="", speaker="")


@pytest.fixture
def make_report():
    return report


@pytest.fixture
def catalog() -> list[Document]:
    return [report("侯马市", 2024), report("代县", 2023), report("绛县", 2022), report("稷山县", 2024),
            report("通渭县", 2024)]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """Like `fake_library`, built once per module: for tests that only read."""
    from embeddings.encoder import HashEncoder
    from qa.library import Library
    from qa.settings import Settings

    lib = Library(Settings(data_dir=tmp_path_factory.mktemp("qa-data")), encoder=HashEncoder(256))
    lib.ingest(None)
    return lib
