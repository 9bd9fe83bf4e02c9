"""The bundled reports built once per session: cleaning, metadata, paragraphs and chunks are fast."""
from __future__ import annotations

import pytest

from corpus.ingest import build_path, bundled_reports
from corpus.records import Document


@pytest.fixture(scope="session")
def bundled_docs() -> dict[str, Document]:
    return {doc.doc_id: doc for doc in (build_path(path) for path in bundled_reports())}
