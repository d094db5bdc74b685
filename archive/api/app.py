"""The FastAPI application: the JSON API under /api, web pages, archive interfaces.

Built by ``create_app(settings)`` so tests and ``citevault serve`` get the same
app; nothing here touches Scrapy.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from starlette.types import ASGIApp

from archive import __version__
from archive.api import capture_page, errors, feed, web
from archive.api.head import HeadAsGet
from archive.api.observe import RequestMetrics
from archive.api.reads import lifespan
from archive.api.routes import (
    captures,
    cdx,
    documents,
    export,
    memento,
    probes,
    replay,
    schedules,
    seeds,
    suggestions,
)
from archive.runtime import Runtime
from archive.settings import Settings

# Routes are matched in order, one regular expression at a time: the
# TimeGate and the capture downloads, the most requested, come first.
ROUTERS = (
    memento.router,
    captures.router,
    documents.router,
    feed.router,
    suggestions.router,
    schedules.router,
    export.router,
    seeds.router,
    cdx.router,
    replay.router,
    capture_page.router,
    web.router,
    probes.router,
)


TELEMETRY_OFF: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


class CitevaultApp(FastAPI):
    """FastAPI with HEAD answered wherever GET is (see ``archive.api.head``)."""

    def build_middleware_stack(self) -> ASGIApp:
        # Outermost, so that even the error middleware's 500 page loses its body on HEAD.
        return HeadAsGet(RequestMetrics(super().build_middleware_stack()))


def create_app(settings: Settings, *, runtime: Runtime | None = None) -> FastAPI:
    app = CitevaultApp(
        title="citevault",
        version=__version__,
        description="What documents cite, and the archived copy of every source.",
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
        telemetry=None if settings.api_telemetry else TELEMETRY_OFF,
    )
    rt = runtime or Runtime(settings)
    rt.engine()  # migrate the embedded database before the first request
    app.state.runtime = rt
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    return app
