"""Routes of the test site.

Responses that the standard library would frame for us are still written by
hand where the framing itself is under test (chunked bodies, trickled bodies,
connections held open), so the bytes on the socket are exactly the ones that
``tests.sites.content`` and ``tests.sites.encodings`` describe.
"""

from __future__ import annotations

import select
import socket
import threading
from collections.abc import Callable, Iterable
from email.message import Message
from http.server import BaseHTTPRequestHandler
from typing import Protocol, cast
from urllib.parse import parse_qs, urlsplit

from tests.sites import encodings as enc
from tests.sites.content import HTML, STATIC, Expected, page, status_page

REDIRECT_CODES = (301, 302, 303, 307, 308)
MAX_CHAIN = 10_000


class SiteServer(Protocol):
    """What a handler needs from the listener that accepted its connection."""

    scheme: str
    base_url: str
    stopping: threading.Event

    def record(self, scheme: str, method: str, path: str, headers: Message) -> None: ...


class BadRequestError(ValueError):
    pass


def _int_param(query: dict[str, list[str]], name: str, low: int, high: int) -> int:
    try:
        value = int(query[name][0])
    except (KeyError, ValueError):
        raise BadRequestError(f"{name} must be an integer") from None
    if not low <= value <= high:
        raise BadRequestError(f"{name} must be between {low} and {high}")
    return value


def _float_param(query: dict[str, list[str]], name: str, high: float) -> float:
    try:
        value = float(query[name][0])
    except (KeyError, ValueError):
        raise BadRequestError(f"{name} must be a number") from None
    if not 0 <= value <= high:
        raise BadRequestError(f"{name} must be between 0 and {high}")
    return value


def chain_target(n: int) -> str:
    """Where ``/redirect/chain/N`` points: one hop fewer, and the plain page after the last."""
    return f"/redirect/chain/{n - 1}" if n > 1 else "/page/plain.html"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked bodies need 1.1
    server_version = "citevault-testsite/1"
    sys_version = ""

    @property
    def site(self) -> SiteServer:
        return cast(SiteServer, self.server)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the request log is the record, and pytest output stays readable."""

    # --- entry points ----------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        self.site.record(self.site.scheme, self.command, self.path, self.headers)
        self._discard_request_body()
        split = urlsplit(self.path)
        query = parse_qs(split.query)
        path = split.path
        try:
            self._route(path, query)
        except BadRequestError as exc:
            self._send_html(400, page("Bad request", f"<p>{exc}</p>"))

    def _route(self, path: str, query: dict[str, list[str]]) -> None:
        exact: dict[str, Callable[[dict[str, list[str]]], None]] = {
            "/redirect/to": self._redirect_to,
            "/slow": self._slow,
            "/hang": self._hang,
            "/big": self._big,
            "/big-chunked": self._big_chunked,
            "/bomb.html": lambda q: self._bomb("gzip"),
            "/bomb-br.html": lambda q: self._bomb("br"),
            "/cookie": self._cookie,
        }
        if path in exact:
            exact[path](query)
        elif path in STATIC:
            self._send_expected(STATIC[path])
        elif path.startswith("/redirect/"):
            self._redirect_route(path.removeprefix("/redirect/"))
        elif path.startswith("/status/") and path[8:].isdigit() and 200 <= int(path[8:]) < 600:
            self._send_expected(status_page(int(path[8:])))
        else:
            self._send_expected(status_page(404, path))

    # --- framing helpers --------------------------------------------------------

    def _discard_request_body(self) -> None:
        length = self.headers.get("Content-Length")
        if length and length.isdigit():
            self.rfile.read(int(length))

    def _head(self, status: int, headers: Iterable[tuple[str, str]]) -> bool:
        """Send the status line and headers; tell the caller whether a body may follow."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        return self.command != "HEAD"

    def _send_expected(self, item: Expected) -> None:
        headers: list[tuple[str, str]] = []
        if item.content_type:
            headers.append(("Content-Type", item.content_type))
        if item.content_encoding:
            headers.append(("Content-Encoding", item.content_encoding))
        if item.chunks is not None:
            headers.append(("Transfer-Encoding", "chunked"))
        elif item.status != 204 and item.status >= 200:
            headers.append(("Content-Length", str(len(item.entity))))
        if not self._head(item.status, headers):
            return
        if item.chunks is None:
            self.wfile.write(item.entity)
            return
        for chunk in item.chunks:  # one write per chunk: separate frames on the socket
            self.wfile.write(enc.chunk_frame(chunk))
        self.wfile.write(enc.LAST_CHUNK)

    def _send_html(self, status: int, body: bytes, extra: Iterable[tuple[str, str]] = ()) -> None:
        headers = [("Content-Type", HTML), ("Content-Length", str(len(body))), *extra]
        if self._head(status, headers):
            self.wfile.write(body)

    # --- redirects ---------------------------------------------------------------

    def _redirect(self, status: int, location: str) -> None:
        body = page(f"{status}", f'<p>Moved to <a href="{location}">{location}</a>.</p>')
        self._send_html(status, body, [("Location", location)])

    def _redirect_route(self, rest: str) -> None:
        if rest.isdigit() and int(rest) in REDIRECT_CODES:
            # Absolute, on the listener that was asked: https stays https.
            self._redirect(int(rest), f"{self.site.base_url}/page/plain.html")
        elif rest.startswith("chain/") and rest[6:].isdigit() and 1 <= int(rest[6:]) <= MAX_CHAIN:
            self._redirect(302, chain_target(int(rest[6:])))  # relative, as many sites send
        elif rest in ("loop/a", "loop/b"):
            self._redirect(302, "/redirect/loop/" + ("b" if rest == "loop/a" else "a"))
        else:
            self._send_expected(status_page(404, "/redirect/" + rest))

    def _redirect_to(self, query: dict[str, list[str]]) -> None:
        if not query.get("url"):
            raise BadRequestError("url is required")
        status = _int_param(query, "status", 300, 399) if "status" in query else 302
        self._redirect(status, query["url"][0])

    # --- slow, hanging and large bodies ------------------------------------------

    def _slow(self, query: dict[str, list[str]]) -> None:
        seconds = _float_param(query, "seconds", 3600.0)
        ticks = enc.slow_ticks(seconds)
        headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(ticks * len(enc.SLOW_TICK))),
        ]
        if not self._head(200, headers):
            return
        for tick in range(ticks):
            if tick and self.site.stopping.wait(enc.SLOW_INTERVAL):
                self.close_connection = True
                return
            self.wfile.write(enc.SLOW_TICK)

    def _hang(self, query: dict[str, list[str]]) -> None:
        """Never answer; give the thread back when the site stops or the client leaves."""
        self.close_connection = True
        conn = cast(socket.socket, self.connection)
        while not self.site.stopping.wait(0.1):
            try:
                readable, _, _ = select.select([conn], [], [], 0)
                # The raw socket's recv: SSLSocket refuses MSG_PEEK, and a closed
                # peer shows as end-of-file below TLS too.
                if readable and not socket.socket.recv(conn, 1, socket.MSG_PEEK):
                    return
            except (OSError, ValueError):
                return

    def _big(self, query: dict[str, list[str]]) -> None:
        size = _int_param(query, "bytes", 0, 1 << 40)
        headers = [("Content-Type", "application/octet-stream"), ("Content-Length", str(size))]
        if self._head(200, headers):
            for block in enc.big_chunks(size):
                self.wfile.write(block)

    def _big_chunked(self, query: dict[str, list[str]]) -> None:
        size = _int_param(query, "bytes", 0, 1 << 40)
        headers = [("Content-Type", "application/octet-stream"), ("Transfer-Encoding", "chunked")]
        if self._head(200, headers):
            for block in enc.big_chunks(size):
                self.wfile.write(enc.chunk_frame(block))
            self.wfile.write(enc.LAST_CHUNK)

    def _bomb(self, coding: str) -> None:
        entity = enc.bomb_entity(coding)
        headers = [
            ("Content-Type", HTML),
            ("Content-Encoding", coding),
            ("Content-Length", str(len(entity))),
        ]
        if self._head(200, headers):
            self.wfile.write(entity)

    def _cookie(self, query: dict[str, list[str]]) -> None:
        body = page("Cookie", '<p>A cookie was set. <a href="/page/plain.html">Next</a>.</p>')
        cookies = [
            ("Set-Cookie", "citevault_session=abc123; Path=/; HttpOnly"),
            ("Set-Cookie", "citevault_pref=dark; Path=/; Max-Age=3600; SameSite=Lax"),
        ]
        self._send_html(200, body, cookies)
