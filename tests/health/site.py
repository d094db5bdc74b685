"""A loopback site whose pages age day by day: they die, get parked, move, change, recover.

``day`` is set by the test as its ManualClock moves; every answer depends on
it alone, so each simulated day's expected state of each page is known.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

HOST = "127.0.0.1"

WORDS = (
    "archives keep the record of what was cited so that readers can follow every "
    "reference back to its source and see the page as the author saw it when writing "
)
QUOTE = "citation health is measured against the copy the author saw"


def article(title: str, extra: str = "", paragraphs: int = 6) -> str:
    body = "".join(f"<p>{title} paragraph {n}: {WORDS * 3} {extra}</p>" for n in range(paragraphs))
    return (
        f"<html><head><title>{title}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright the test site</footer></body></html>"
    )


NOT_FOUND_PAGE = (
    "<html><head><title>Oops</title></head><body><article><h1>Oops</h1>"
    "<p>Sorry, we could not find that page. It may have been removed or you may have "
    "mistyped the address. Try the search box or go back to the front page.</p>"
    "</article></body></html>"
)
PARKED_PAGE = (
    "<html><head><title>parked</title></head><body><h1>This domain is for sale!</h1>"
    "<p>Buy this domain today. Inquire about this domain with our brokers.</p></body></html>"
)
# The "change a little" page: the same text but for one paragraph rewritten.
MINOR_BEFORE = article("Minor", f'The site says "{QUOTE}" in its own words.')
EDITED = (
    "An editor later added this paragraph about budgets, committees, weather, trains, "
    "gardens, museums and football, none of which the original page discussed at all. "
) * 10
MINOR_AFTER = MINOR_BEFORE.replace(QUOTE, "health is compared with the earlier copy").replace(
    "</article>", f"<p>{EDITED}</p></article>"
)
OFF_TOPIC_PAGE = (
    "<html><head><title>Casino</title></head><body><article><h1>Best casino bonus</h1>"
    "<p>Play slots now and win big prizes tonight.</p></article></body></html>"
)

Answer = tuple[int, dict[str, str], str]


def _ok(html: str) -> Answer:
    return 200, {"Content-Type": "text/html; charset=utf-8"}, html


def _status(code: int) -> Answer:
    return code, {"Content-Type": "text/plain"}, f"status {code}\n"


def _redirect(to: str) -> Answer:
    return 301, {"Location": to, "Content-Type": "text/plain"}, "moved\n"


class AgingSite:
    """Two listeners: the site, and ``other`` (another site, for moves away)."""

    def __init__(self) -> None:
        self.day = 0
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._servers = [self._server(), self._server()]
        self.base_url = self._url(self._servers[0])
        self.other_url = self._url(self._servers[1])
        self._threads = [
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05})
            for s in self._servers
        ]

    @staticmethod
    def _url(server: ThreadingHTTPServer) -> str:
        return f"http://{HOST}:{server.server_address[1]}"

    def _server(self) -> ThreadingHTTPServer:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, send_body: bool) -> None:
                with site._lock:
                    site.requests.append((self.command, self.path))
                code, headers, text = site.answer(self.path, self.server is site._servers[1])
                body = text.encode()
                self.send_response(code)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if send_body:
                    self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer(True)

            def do_HEAD(self) -> None:
                self._answer(False)

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer((HOST, 0), Handler)
        server.daemon_threads = True
        return server

    def answer(self, path: str, other: bool) -> Answer:
        day = self.day
        if other:
            return _ok(article("Elsewhere")) if path == "/landing.html" else _status(404)
        routes: dict[str, Callable[[], Answer]] = {
            "/": lambda: _ok(article("Front page")),
            "/robots.txt": lambda: (
                200,
                {"Content-Type": "text/plain"},
                "User-agent: *\nDisallow: /private/\n",
            ),
            # a server that refuses HEAD (405) but answers GET
            "/nohead/page.html": lambda: _ok(article("No head")),
            "/private/page.html": lambda: _ok(article("Private")),
            # a sign-in wall: the page redirects to a login form that answers 200
            "/walled/page.html": lambda: _redirect("/account/login?next=/walled/page.html"),
            "/account/login?next=/walled/page.html": lambda: _ok(article("Sign in")),
            "/files/data.bin": lambda: (
                200,
                {"Content-Type": "application/octet-stream"},
                "x" * 64,
            ),
            "/stable/page.html": lambda: _ok(article("Stable")),
            "/files/paper.pdf": lambda: (
                200,
                {"Content-Type": "application/pdf"},
                "%PDF-1.4\n%%EOF\n",
            ),
            # answers 404 from day 1 on, for good
            "/dies/page.html": lambda: _ok(article("Dies")) if day < 1 else _status(404),
            # from day 2 the article is gone but the site answers 200 with its error page
            "/soft/page.html": lambda: _ok(article("Soft")) if day < 2 else _ok(NOT_FOUND_PAGE),
            # from day 3 the domain lapsed and shows a parking page
            "/parked/page.html": lambda: _ok(article("Parked")) if day < 3 else _ok(PARKED_PAGE),
            # from day 2 redirected to the home page
            "/home/page.html": lambda: _ok(article("Home")) if day < 2 else _redirect("/"),
            # from day 1 redirected to another site
            "/away/page.html": (
                lambda: (
                    _ok(article("Away")) if day < 1 else _redirect(self.other_url + "/landing.html")
                )
            ),
            "/minor/page.html": lambda: _ok(MINOR_BEFORE if day < 1 else MINOR_AFTER),
            "/major/page.html": lambda: _ok(article("Major") if day < 2 else OFF_TOPIC_PAGE),
            # down (500) on days 1 and 2, back on day 3
            "/recover/page.html": (
                lambda: _status(500) if day in (1, 2) else _ok(article("Recover"))
            ),
            # from day 2 only for subscribers
            "/blocked/page.html": lambda: _ok(article("Blocked")) if day < 2 else _status(403),
        }
        route = routes.get(path)
        if route is not None:
            return route()
        if path.startswith("/soft/"):
            return _ok(NOT_FOUND_PAGE)  # this folder answers every unknown URL with a 200
        return _status(404)

    def __enter__(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
