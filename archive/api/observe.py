"""Counting every request by its route template, method and status, with its latency.

The route label is the template the request matched (``/api/documents/{doc_id}``),
never the path, so the number of series stays that of the routes whatever
clients ask; a request no route matched counts under ``(unmatched)``.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archive import metrics
from archive.api.head import HEAD_SCOPE_KEY

UNMATCHED = "(unmatched)"


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED


class RequestMetrics:
    """Inside ``HeadAsGet``, so that a HEAD is counted as one, under its GET's route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            method = "HEAD" if scope.get(HEAD_SCOPE_KEY) else str(scope["method"])
            metrics.observe_request(
                route_template(scope), method, status, time.perf_counter() - started
            )
