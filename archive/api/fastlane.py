"""The three most requested reads, answered before FastAPI's routing when nobody needs it.

Much of an anonymous TimeGate redirect's CPU went to the framework:
Starlette's exception and exit-stack layers, matching the path against each
route's regular expression in turn, and FastAPI's dependency and parameter
machinery, although these requests need none of it.  With many requests in
flight on few cores, CPU per request becomes queueing for all of them.

So this middleware recognises, by plain string tests on the path, GET (and
for the TimeGate HEAD) requests for a TimeGate, a capture's WARC record and
a document's latest citations, made without an ``Authorization`` header,
while the plain PostgreSQL pool is open (``reads.lifespan``), and calls the
routes' ``anonymous_*`` functions directly.  Anything else, or
anything unusual about these (a key, a query string on the citations, an id
that is not a plain number), goes through FastAPI as before, so the
validation errors and the OpenAPI schema stay the framework's.  Errors are
the routes' errors (``errors.error_response``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from archive.api.errors import ApiError, error_response
from archive.api.routes import captures, documents, memento
from archive.db.pgpool import PgPool
from archive.errors import CitevaultError

CAPTURES = "/api/captures/"
DOCUMENTS = "/api/documents/"
MAX_DIGITS = 10  # longer ids go to FastAPI, whose answer (404 or 400) is the same

Answer = Callable[[Request, PgPool], Awaitable[Response]]


def route(method: str, path: str, query: bytes) -> Answer | None:
    """The fast answer for this request line, or None for FastAPI to route it."""
    if path.startswith(memento.TIMEGATE):  # a query string is part of the archived URL
        return memento.anonymous_timegate if method in ("GET", "HEAD") else None
    if method != "GET":
        return None
    if path.startswith(CAPTURES) and path.endswith("/warc"):
        ident = path[len(CAPTURES) : -len("/warc")]
        if ident.isascii() and ident.isdigit() and len(ident) <= MAX_DIGITS:
            capture_id = int(ident)
            return lambda request, pool: captures.anonymous_warc_record(request, pool, capture_id)
    if path.startswith(DOCUMENTS) and path.endswith("/citations") and not query:
        doc_id = path[len(DOCUMENTS) : -len("/citations")]
        if doc_id and "/" not in doc_id:
            return lambda request, pool: documents.anonymous_citations(request, pool, doc_id)
    return None


class FastLane:
    """ASGI middleware: see the module's docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = _answer(scope)
        if answer is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await answer(request, request.app.state.pg_pool)
        except (ApiError, CitevaultError) as exc:
            response = error_response(exc)
        await response(scope, receive, send)


def _answer(scope: Scope) -> Answer | None:
    if scope["type"] != "http":
        return None
    app = scope.get("app")
    if app is None or getattr(app.state, "pg_pool", None) is None:
        return None  # SQLite, or no lifespan: the routes' own fallbacks
    if any(name == b"authorization" for name, _ in scope["headers"]):
        return None
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    return route(scope["method"], path, scope.get("query_string", b""))
