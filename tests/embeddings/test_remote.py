"""Embeddings from a served model, against a small OpenAI-compatible /v1/embeddings server on
127.0.0.1 that answers with the hash encoder's vectors."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from embeddings.encoder import HashEncoder
from embeddings.remote import EmbeddingServerError, OpenAIEmbeddingEncoder


class Server:
    """Serves `model` with `dim`-d hash vectors; fails the first `fail` requests with 503."""

    def __init__(self, model="hash-serve", dim=64, served_as=None, fail=0):
        self.model, self.served_as, self.fail = model, served_as or model, fail
        self.encoder, self.requests = HashEncoder(dim), []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                outer.requests.append(body)
                if outer.fail > 0:
                    outer.fail -= 1
                    return self._send(503, {"error": "warming up"})
                if self.path != "/v1/embeddings" or body.get("model") != outer.model:
                    return self._send(404, {"error": {"message": f"model {body.get('model')} not found"}})
                vectors = outer.encoder.encode(body["input"]) * 3.0  # not unit-norm: the client normalises
                data = [{"object": "embedding", "index": i, "embedding": v.tolist()} for i, v in enumerate(vectors)]
                self._send(200, {"object": "list", "model": outer.served_as, "data": data[::-1]})

            def _send(self, status, payload):
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_batches_are_sent_and_vectors_come_back_in_order_and_unit_norm():
    with Server() as server:
        encoder = OpenAIEmbeddingEncoder(server.url, "hash-serve", batch_size=32)
        texts = [f"第{i}段：地区生产总值增长{i}%" for i in range(70)]
        vectors = encoder.encode(texts)
    assert encoder.dim == 64 and vectors.shape == (70, 64)
    assert [len(r["input"]) for r in server.requests[1:]] == [32, 32, 6]  # after the dimension probe
    np.testing.assert_allclose(vectors, HashEncoder(64).encode(texts), atol=1e-5)


def test_a_server_that_is_warming_up_is_retried():
    with Server(fail=2) as server:
        assert OpenAIEmbeddingEncoder(server.url, "hash-serve", retries=3).encode(["粮食产量"]).shape == (1, 64)


@pytest.mark.parametrize("kwargs, model, words", [
    ({"served_as": "bge-small-zh"}, "hash-serve", "serves the model 'bge-small-zh'"),
    ({}, "m3e-small", "REPORTQA_EMBED_MODEL"),
    ({"fail": 10}, "hash-serve", "after 2 tries"),
])
def test_a_wrong_model_or_a_failing_server_is_a_clear_error(kwargs, model, words):
    with Server(**kwargs) as server, pytest.raises(EmbeddingServerError, match=words):
        OpenAIEmbeddingEncoder(server.url, model, retries=1)


def test_an_unreachable_server_is_a_clear_error():
    with pytest.raises(EmbeddingServerError, match="cannot reach"):
        OpenAIEmbeddingEncoder("http://127.0.0.1:9/v1", "m3e-small", retries=0, timeout_s=2)


def test_a_library_indexed_and_searched_through_the_server(tmp_path):
    from embeddings.index import IndexError_
    from qa.library import Library
    from qa.settings import Settings

    with Server(model="m3e-served", dim=128) as server:
        settings = Settings(data_dir=tmp_path, embed_url=server.url, embed_model="m3e-served")
        library = Library(settings)
        library.ingest(None)
        hits = library.retriever().retrieve("侯马市地区生产总值", k=3)
        assert hits[0].chunk.county == "侯马市"
        assert library.index.manifest["model"] == "m3e-served" and library.index.manifest["dim"] == 128
    with Server(model="m3e-served", dim=96) as other:  # same name, another dimension
        with pytest.raises(IndexError_, match="128-dimensional.*96"):
            Library(Settings(data_dir=tmp_path, embed_url=other.url, embed_model="m3e-served")).retriever()
