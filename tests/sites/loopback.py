"""Small loopback servers that tests write for one behaviour (a page that changes,
a receiver that hangs): the parts every one of them needs, written once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, TypeVar

ServerT = TypeVar("ServerT", bound=HTTPServer)


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that keeps the test output clean and frames a whole answer at once."""

    def send_page(
        self,
        body: bytes,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        with_body: bool = True,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def serving(server: ServerT) -> Iterator[ServerT]:
    """Serve in a thread for the block, then stop and close the listener."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
