"""The API over the bundled reports with the hash encoder and fake generators; a real server when
a client library needs a socket."""
from __future__ import annotations

import contextlib
import shutil
import socket
import threading

import pytest


@pytest.fixture(scope="session")
def built_data(tmp_path_factory):
    """A data directory with the bundled reports indexed by the hash encoder, built once."""
    from embeddings.encoder import HashEncoder
    from qa.library import Library
    from qa.settings import Settings

    data = tmp_path_factory.mktemp("api-data")
    Library(Settings(data_dir=data), encoder=HashEncoder(256)).ingest(None)
    return data


@pytest.fixture(scope="module")
def make_service(tmp_path_factory, built_data):
    """Service(settings, fake library, pipeline) over a private copy of the built data."""
    from embeddings.encoder import HashEncoder
    from qa.generate.base import EchoGenerator
    from qa.library import Library
    from qa.answer.pipeline import AnswerPipeline
    from qa.serve.service import Service
    from qa.settings import Settings

    def make(generator=None, queue_size: int = 8, timeout_s: float = 120.0, encoder=None, **settings):
        data = tmp_path_factory.mktemp("data")
        data.rmdir()
        shutil.copytree(built_data, data)
        # a busy test machine must not turn an ordinary upload into a background job (tests/api/test_jobs.py
        # sets a short wait where jobs are the point)
        config = Settings(data_dir=data, **{"upload_wait_s": 60.0, **settings})
        library = Library(config, encoder=encoder or HashEncoder(256))
        pipeline = AnswerPipeline(library, generator or EchoGenerator(), queue_size=queue_size, timeout_s=timeout_s)
        return Service(config, library=library, pipeline=pipeline)

    return make


@pytest.fixture(scope="module")
def make_client(make_service):
    """A TestClient on create_app(settings, service, mount_ui=False)."""
    from fastapi.testclient import TestClient

    from qa.serve.api import create_app

    def make(service=None, raise_server_exceptions=True, **kwargs):
        service = service or make_service(**kwargs)
        return TestClient(create_app(service.settings, service, mount_ui=False),
                          raise_server_exceptions=raise_server_exceptions)

    return make


@pytest.fixture(scope="module")
def client(make_client):
    """Shared by a module's tests that do not change the reports."""
    return make_client()


@contextlib.contextmanager
def serve(app):
    """Run `app` with uvicorn on 127.0.0.1 in a thread; yields the base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started or not thread.is_alive():
            break
        threading.Event().wait(0.01)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="session")
def serve_app():
    return serve
