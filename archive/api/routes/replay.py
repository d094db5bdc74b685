"""``/replay/{capture_id}``: hand a capture over to the replay engine's origin.

The application never serves archived pages itself (``archive.replay`` says
why and how they are isolated); this route only checks that the caller may
see the capture and that it can be replayed, then redirects to the engine.
With ``replay.autostart`` the engine is started and stopped with the
application, so ``citevault serve`` alone gives a working replay.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from archive.api.errors import ApiError
from archive.api.reads import key_checker, read, runtime
from archive.db.models import Capture
from archive.errors import NotFoundError
from archive.lookup import access
from archive.replay import (
    COLLECTION,
    PYWB_VERSION,
    ReplayEngine,
    ReplayEngineError,
    is_installed,
    replay_origin,
    replay_url,
)
from archive.runtime import Runtime
from archive.settings import Settings

log = logging.getLogger(__name__)


@asynccontextmanager
async def _engine_with_app(app: FastAPI) -> AsyncIterator[None]:
    rt = app.state.runtime
    assert isinstance(rt, Runtime)
    if not rt.settings.replay.autostart:
        yield
        return
    engine = ReplayEngine(rt)
    try:
        await asyncio.to_thread(engine.start, echo=log.warning)
    except ReplayEngineError as exc:
        # The archive is still worth serving without its replay; say why it is missing.
        log.error("the replay engine did not start: %s (%s)", exc.message, exc.hint or "")
        yield
        return
    app.state.replay_engine = engine
    log.info("replay engine (pywb %s) on %s", PYWB_VERSION, replay_origin(rt.settings))
    try:
        yield
    finally:
        await asyncio.to_thread(engine.stop)


router = APIRouter(tags=["replay"], lifespan=_engine_with_app)


def unreplayable_reason(capture: Capture) -> str | None:
    """Why the engine cannot show this capture, or None when it can.

    The engine reads as an anonymous caller: ``private_only`` is the column
    behind ``access.visible_captures``.
    """
    if capture.warc_file_id is None or not capture.warc_length or capture.http_status is None:
        why = f" (the fetch failed: {capture.error})" if capture.error else ""
        return f"capture {capture.id} has no archived response{why}"
    if capture.private_only:
        return (
            f"capture {capture.id} is cited only by private documents, and the replay "
            "engine serves public captures only; download its WARC record instead"
        )
    return None


@router.get("/replay/{capture_id}", response_class=RedirectResponse, status_code=302)
async def replay(request: Request, capture_id: int) -> Any:
    """Redirect to the archived page on the replay engine's origin."""
    privileged = key_checker(request)
    settings = runtime(request).settings

    def work(conn: Connection) -> str:
        with Session(conn) as session:
            cap = access.visible_capture(session, capture_id, privileged=privileged(conn))
            reason = unreplayable_reason(cap)
            if reason is not None:
                if cap.warc_file_id is None or cap.http_status is None:
                    raise NotFoundError(reason)
                raise ApiError(409, "not_replayable", reason)
            return replay_url(settings, cap)

    return RedirectResponse(await read(request, work), status_code=302)


def engine_reachable(settings: Settings, timeout: float = 0.3) -> bool:
    parts = urlsplit(replay_origin(settings))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=timeout).close()
    except OSError:
        return False
    return True


@router.get("/api/replay")
def replay_status(request: Request) -> dict[str, Any]:
    """Which engine replays captures, where, and whether it answers."""
    rt = runtime(request)
    return {
        "engine": "pywb",
        "version": PYWB_VERSION,
        "origin": replay_origin(rt.settings),
        "collection": COLLECTION,
        "installed": is_installed(rt.settings),
        "reachable": engine_reachable(rt.settings),
        "url_template": f"{replay_origin(rt.settings)}/{COLLECTION}/{{timestamp}}/{{url}}",
    }
