"""HEAD wherever GET works (RFC 9110 section 9.3.2), for every route at once.

FastAPI's routes answer only the methods they are declared with, so HEAD on a
GET route is a 405, and Memento clients (``memento_client.is_memento``) probe
mementos with HEAD.  Rather than a second declaration on every route, the
whole application sees a HEAD as the GET it stands for, and this layer sends
GET's status and headers (``Content-Length`` included, which describes the
body a GET would get) without the body.  It wraps the application outside the
error middleware, so an error page on HEAD loses its body too.

A route whose body is costly to produce and whose headers are known without
it (a WARC record read from the store) asks ``is_head`` and skips the read.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Set in the scope of a HEAD request that routes see as a GET.
HEAD_SCOPE_KEY = "citevault.head"


def is_head(request: Request) -> bool:
    """True when the client asked HEAD: the body will be dropped, only headers count."""
    return bool(request.scope.get(HEAD_SCOPE_KEY))


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET", HEAD_SCOPE_KEY: True}, receive, headers_only)
