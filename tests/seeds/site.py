"""A loopback newsroom whose feeds and sitemaps grow and change as a ManualClock moves.

Articles come out two a day (``a0``, ``a1`` on day 0, ``a2``, ``a3`` on day 1,
…) and are listed by three sources by number: the RSS feed (n % 3 == 0), the
Atom feed (n % 3 == 1) and a sitemap index (n % 3 == 2) of two sitemaps, one
of them gzipped.  Some articles are revised on a later day (``REVISIONS``).
Every article answers with an ETag and a Last-Modified and honours
If-None-Match, and the site logs every request: tests count what was fetched
and which requests were conditional.

Extra fixed routes (``site.routes``) serve the hostile inputs.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

from archive.clock import ManualClock

START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
# article number -> {day: what the revision adds}; revision k is the k-th entry + 1
REVISIONS: dict[int, dict[int, str]] = {
    1: {2: ""},  # new wording, same sources
    3: {3: '<a href="https://cited.example/extra-3">a correction\'s source</a>'},
}


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: datetime | None = None


@dataclass(frozen=True)
class Logged:
    path: str
    conditional: bool
    status: int


def published(n: int) -> datetime:
    return START + timedelta(days=n // 2, hours=1 + n % 2)


def revision(n: int, now: datetime) -> tuple[int, datetime, str]:
    """(revision number, when, extra HTML) of article ``n`` as of ``now``."""
    number, when, extra = 1, published(n), ""
    for day, added in sorted(REVISIONS.get(n, {}).items()):
        moment = START + timedelta(days=day, hours=2)
        if moment <= now:
            number, when, extra = number + 1, moment, extra + added
    return number, when, extra


class NewsSite:
    def __init__(self, clock: ManualClock, *, delay: float = 0.0) -> None:
        self.clock = clock
        self.delay = delay  # seconds each article takes to answer: runs overlap
        self.log: list[Logged] = []
        self.routes: dict[str, Callable[[], Response]] = {}
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site._serve(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    # -- content -----------------------------------------------------------------

    def visible(self) -> list[int]:
        now = self.clock.now()
        return [n for n in range(200) if published(n) <= now]

    def url(self, n: int) -> str:
        return f"{self.base}/articles/a{n}.html"

    def article(self, n: int) -> Response | None:
        now = self.clock.now()
        if published(n) > now:
            return None
        number, when, extra = revision(n, now)
        body = (
            f"<html><head><title>Article {n}</title></head><body><article>"
            f"<h1>Article {n}</h1><p>Revision {number} of the story of article {n}, "
            f'as told by <a href="https://cited.example/source-{n}">its own source</a> and '
            f'by <a href="https://cited.example/shared">the shared report</a>.</p>'
            f"<p>{extra}</p></article></body></html>"
        )
        return Response(200, body.encode(), etag=f'"a{n}-r{number}"', last_modified=when)

    def _rss(self) -> Response:
        items = "".join(
            f"<item><title>Article {n}</title><link>{self.url(n)}</link>"
            f"<guid>{self.url(n)}</guid><pubDate>{format_datetime(published(n), usegmt=True)}"
            "</pubDate></item>"
            for n in self.visible()
            if n % 3 == 0
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>World</title>{items}'
        return Response(200, (body + "</channel></rss>").encode(), "application/rss+xml")

    def _atom(self) -> Response:
        now = self.clock.now()
        entries = "".join(
            f"<entry><title>Article {n}</title><id>urn:a{n}</id>"
            f'<link href="{self.url(n)}"/><updated>{revision(n, now)[1].isoformat()}</updated>'
            "</entry>"
            for n in self.visible()
            if n % 3 == 1
        )
        body = (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Science'
            f"</title><id>urn:science</id><updated>{now.isoformat()}</updated>{entries}</feed>"
        )
        return Response(200, body.encode(), "application/atom+xml")

    def _sitemap(self, parity: int) -> bytes:
        now = self.clock.now()
        urls = "".join(
            f"<url><loc>{self.url(n)}</loc><lastmod>{revision(n, now)[1].isoformat()}"
            "</lastmod></url>"
            for n in self.visible()
            if n % 3 == 2 and n % 2 == parity
        )
        return (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>"
        ).encode()

    def _index(self) -> Response:
        body = (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{self.base}/sitemap-even.xml</loc></sitemap>"
            f"<sitemap><loc>{self.base}/sitemap-odd.xml.gz</loc></sitemap></sitemapindex>"
        )
        return Response(200, body.encode(), "application/xml")

    def _route(self, path: str) -> Response | None:
        if path in self.routes:
            return self.routes[path]()
        if path.startswith("/articles/a") and path.endswith(".html"):
            number = path[len("/articles/a") : -len(".html")]
            if number.isdigit():
                if self.delay:
                    time.sleep(self.delay)
                return self.article(int(number))
        fixed: dict[str, Callable[[], Response]] = {
            "/rss.xml": self._rss,
            "/atom.xml": self._atom,
            "/sitemap-index.xml": self._index,
            "/sitemap-even.xml": lambda: Response(200, self._sitemap(0), "application/xml"),
            "/sitemap-odd.xml.gz": lambda: Response(
                200, gzip.compress(self._sitemap(1)), "application/gzip"
            ),
        }
        return fixed[path]() if path in fixed else None

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        response = self._route(handler.path) or Response(404, b"not found")
        condition = handler.headers.get("If-None-Match")
        status, body = response.status, response.body
        if condition is not None and response.etag is not None and condition == response.etag:
            status, body = 304, b""
        with self._lock:
            self.log.append(Logged(handler.path, condition is not None, status))
        handler.send_response(status)
        handler.send_header("Content-Type", response.content_type)
        handler.send_header("Content-Length", str(len(body)))
        if response.etag:
            handler.send_header("ETag", response.etag)
        if response.last_modified:
            handler.send_header(
                "Last-Modified", format_datetime(response.last_modified, usegmt=True)
            )
        handler.end_headers()
        handler.wfile.write(body)

    def requests(self, prefix: str = "/articles/") -> list[Logged]:
        with self._lock:
            return [r for r in self.log if r.path.startswith(prefix)]

    def clear(self) -> None:
        with self._lock:
            self.log.clear()
