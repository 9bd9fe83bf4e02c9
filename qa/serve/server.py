"""ASGI entry: `uvicorn qa.serve.server:app` (each worker builds its own app from REPORTQA_* settings)."""
from __future__ import annotations

from qa.settings import Settings


def build(settings: Settings | None = None):
    from qa.serve.api import create_app
    from qa.serve.service import Service

    settings = settings or Settings()
    service = Service(settings)
    service.warm()
    return create_app(settings, service)


def __getattr__(name: str):
    if name == "app":  # built lazily so importing this module stays cheap
        return build()
    raise AttributeError(name)
