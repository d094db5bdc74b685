"""``/healthz``, ``/readyz`` and ``/metrics``: what an orchestrator and Prometheus ask.

The checks and the scrape are those of ``archive.probes`` (shared with
``citevault worker``); they run on a thread, since they wait on the database
and the store, and use the runtime's engine directly rather than the reading
threads, so that a probe still answers when every reading turn is taken.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import Response

from archive import metrics, probes
from archive.api.reads import JsonBytes, runtime

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> Response:
    """The process is alive (nothing else is checked)."""
    return JsonBytes(probes.LIVE)


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    """Ready when the database (schema at head), the store and, if checked, the replay
    engine answer; else 503 naming what is not ready."""
    status, body = await asyncio.to_thread(probes.readiness, runtime(request))
    return JsonBytes(body, status_code=status)


@router.get("/metrics")
async def prometheus_metrics(request: Request) -> Response:
    """Prometheus text exposition."""
    body = await asyncio.to_thread(probes.scrape, runtime(request))
    return Response(body, media_type=metrics.CONTENT_TYPE)
