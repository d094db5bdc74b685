"""The FastAPI application: the JSON API under /api, web pages, archive interfaces.

Built by ``create_app(settings)`` so tests and ``citevault serve`` get the same
app; nothing here touches Scrapy.  Optional parts (web pages, Memento, CDX,
WACZ export, replay) are mounted when their modules are present.
"""

from __future__ import annotations

import importlib
import logging

from fastapi import FastAPI

from archive import __version__
from archive.api import errors
from archive.api.routes import captures, documents
from archive.runtime import Runtime
from archive.settings import Settings

log = logging.getLogger(__name__)

OPTIONAL_ROUTERS = (
    "archive.api.routes.memento",
    "archive.api.routes.cdx",
    "archive.api.routes.export",
    "archive.api.routes.replay",
    "archive.api.web",
)


def create_app(settings: Settings, *, runtime: Runtime | None = None) -> FastAPI:
    app = FastAPI(
        title="citevault",
        version=__version__,
        description="What documents cite, and the archived copy of every source.",
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    rt = runtime or Runtime(settings)
    rt.engine()  # migrate the embedded database before the first request
    app.state.runtime = rt
    errors.install(app)
    app.include_router(documents.router)
    app.include_router(captures.router)
    for name in OPTIONAL_ROUTERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        app.include_router(module.router)
    return app
