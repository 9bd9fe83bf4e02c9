"""Shared fixtures: fast fakes for unit logic, session-scoped real models for quality tests."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def real_data_dir(tmp_path_factory) -> Path:
    """A data directory with the bundled reports ingested and indexed with the real m3e-small."""
    from qa.library import Library
    from qa.settings import Settings

    data = tmp_path_factory.mktemp("real-data")
    Library(Settings(data_dir=data)).ingest(None)
    return data


@pytest.fixture(scope="session")
def real_settings(real_data_dir):
    from qa.settings import Settings

    return Settings(data_dir=real_data_dir)


@pytest.fixture(scope="session")
def real_library(real_settings):
    from qa.library import Library

    library = Library(real_settings)
    library.retriever()
    return library


@pytest.fixture
def fake_library(tmp_path):
    """The bundled reports with the hash encoder: real corpus, fake embeddings, fast."""
    from embeddings.encoder import HashEncoder
    from qa.library import Library
    from qa.settings import Settings

    library = Library(Settings(data_dir=tmp_path / "data"), encoder=HashEncoder(256))
    library.ingest(None)
    return library
