"""Schemathesis against the app's own OpenAPI schema: no 5xx, and responses match the schema."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

# Schema-valid requests the API still refuses on purpose: an unknown county or an empty last user
# message (400), a size limit (413), a file type it cannot read (415).
CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "413", "415", "429", "5xx"]

[phases.coverage]
# Starlette answers 405 with the Allow of one route per path (GET /v1/documents vs POST)
unexpected-methods = ["put", "delete", "patch"]
"""


def _app():
    """Built at import (schemathesis needs the schema to collect): a private copy of the reports."""
    from embeddings.encoder import HashEncoder
    from qa.serve.api import create_app
    from qa.generate.base import EchoGenerator
    from qa.library import Library
    from qa.answer.pipeline import AnswerPipeline
    from qa.serve.service import Service
    from qa.settings import Settings

    data = Path(tempfile.mkdtemp(prefix="reportqa-fuzz-"))
    atexit.register(shutil.rmtree, data, True)  # also when the module is collected but deselected
    config = Settings(data_dir=data, max_upload_bytes=64 * 1024)
    library = Library(config, encoder=HashEncoder(256))
    library.ingest(None)
    service = Service(config, library=library, pipeline=AnswerPipeline(library, EchoGenerator()))
    return create_app(config, service, mount_ui=False)


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=SchemathesisConfig.from_str(CONFIG))


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case):
    case.call_and_validate()
