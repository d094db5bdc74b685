"""A loopback HTTP server that is slow on purpose, to hold document fetches.

``/hold``: reads the request, then waits until the test releases it before
answering.  ``/big``: ``big_bytes`` of HTML with no ``Content-Length``.
``/drip-body`` and ``/drip-headers``: send one byte every ``drip_seconds``,
in the body or in the headers, for at most ``drip_for`` seconds, then
finish.  ``finished`` is set only when a whole answer went out, so a test
can see that the client gave up first.
"""

from __future__ import annotations

import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

DOCUMENT = (
    b"<html><head><title>Slow</title></head><body><article><p>The slow page cites "
    b'<a href="https://example.org/cited">a source</a>.</p></article></body></html>'
)


@dataclass
class SlowSource:
    url: str
    requested: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    stopping: threading.Event = field(default_factory=threading.Event)
    drip_seconds: float = 0.2
    drip_for: float = 30.0
    big_bytes: int = 1_000_000


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        src = self.server.source
        line = self.rfile.readline(65537).decode("latin-1")
        while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
            pass
        path = line.split(" ")[1] if line.count(" ") >= 2 else "/"
        src.requested.set()
        try:
            if path == "/hold":
                src.release.wait(120)
                self._send(self._head(len(DOCUMENT)) + DOCUMENT)
            elif path == "/big":
                self._send(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
                )
                for _ in range(0, src.big_bytes, 64 * 1024):
                    self._send(b"<p>padding</p>".ljust(64 * 1024, b" "))
            elif path == "/drip-body":
                self._send(self._head(len(DOCUMENT)))
                self._drip(DOCUMENT, src)
            elif path == "/drip-headers":
                self._drip(self._head(len(DOCUMENT)), src)
                self._send(DOCUMENT)
            else:
                self._send(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                return
            src.finished.set()
        except OSError:
            pass  # the client hung up: what the deadline tests want to see

    @staticmethod
    def _head(length: int) -> bytes:
        return (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: " + str(length).encode() + b"\r\nConnection: close\r\n\r\n"
        )

    def _send(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def _drip(self, data: bytes, src: SlowSource) -> None:
        stop = time.monotonic() + src.drip_for
        for i in range(len(data)):
            if src.stopping.is_set():
                raise ConnectionAbortedError("the test is over")
            if time.monotonic() < stop:
                time.sleep(src.drip_seconds)
            self._send(data[i : i + 1])


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    source: SlowSource


@contextmanager
def slow_source(**options: Any) -> Iterator[SlowSource]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.source = SlowSource(f"http://127.0.0.1:{server.server_address[1]}", **options)
    thread = threading.Thread(target=server.serve_forever, name="slow-source", daemon=True)
    thread.start()
    try:
        yield server.source
    finally:
        server.source.stopping.set()
        server.source.release.set()
        server.shutdown()
        server.server_close()
        thread.join(10)
