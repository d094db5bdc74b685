"""A real HTTP and HTTPS server on 127.0.0.1 for crawler tests and benchmarks.

The crawler is only trustworthy if it is tested against real sockets: real
keep-alive, real chunked framing, real TLS, clients that stall. ``TestSite``
serves the routes of ``tests.sites.handler`` on two loopback listeners and
records every request, and it owns every thread and socket it creates so that
``stop()`` returns within a couple of seconds whatever the clients are doing.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import socketserver
import ssl
import sys
import tempfile
import threading
import time
import traceback
from email.message import Message
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, Self

from tests.sites import tls
from tests.sites.content import expected as _expected
from tests.sites.handler import Handler

HOST = "127.0.0.1"
STOP_GRACE = 1.5  # seconds stop() waits for connection threads before giving up


class LoggedRequest(NamedTuple):
    method: str
    path: str  # the request target as sent: path and query
    headers: Message


class _Listener(socketserver.TCPServer):
    """One listening socket; a thread per connection, every one of them tracked."""

    allow_reuse_address = False
    request_queue_size = 128
    timeout = 0.05  # how long handle_request() waits for a connection: the stop latency

    def __init__(self, site: TestSite, scheme: str, context: ssl.SSLContext | None) -> None:
        super().__init__((HOST, 0), Handler)
        self.site = site
        self.scheme = scheme
        self.context = context
        self.stopping = site._stopping
        port = self.server_address[1]
        self.base_url = f"{scheme}://{HOST}:{port}"
        self._loop = threading.Thread(target=self._accept_loop, name=f"site-{scheme}-accept")

    def record(self, scheme: str, method: str, path: str, headers: Message) -> None:
        self.site._record(scheme, LoggedRequest(method, path, headers))

    def start(self) -> None:
        self._loop.start()

    def _accept_loop(self) -> None:
        # Not serve_forever(): its shutdown() deadlocks if called before the loop starts.
        while not self.stopping.is_set():
            self.handle_request()

    def join(self, timeout: float) -> None:
        if self._loop.ident is not None:
            self._loop.join(timeout)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name=f"site-{self.scheme}-conn",
            daemon=True,  # a bug here must not keep the interpreter alive
        )
        if self.site._track(request, thread):
            thread.start()
        else:
            self.shutdown_request(request)

    def _serve_connection(self, raw: socket.socket, client_address: Any) -> None:
        conn: socket.socket = raw
        try:
            if self.context is not None:
                # Wrapping detaches the raw socket at once: track the wrapper before the
                # handshake, so that stop() can cut a client that never completes it.
                conn = self.context.wrap_socket(
                    raw, server_side=True, do_handshake_on_connect=False
                )
                if not self.site._retrack(raw, conn):
                    return
                conn.settimeout(10)
                conn.do_handshake()
                conn.settimeout(None)
            self.finish_request(conn, client_address)
        except Exception:
            self.handle_error(conn, client_address)
        finally:
            self.site._untrack(conn, raw)
            self.shutdown_request(conn)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients dropping connections are routine here; anything else is a site bug."""
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            return
        self.site._add_error(traceback.format_exc())
        traceback.print_exc()


class TestSite:
    """The site: ``with TestSite() as site: fetch(site.base_url + "/page/plain.html")``."""

    __test__ = False  # not a pytest test class, despite the name

    expected = staticmethod(_expected)

    def __init__(self) -> None:
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._log: list[tuple[str, LoggedRequest]] = []
        self._errors: list[str] = []
        self._conns: dict[int, tuple[socket.socket, threading.Thread]] = {}
        self._listeners: list[_Listener] = []
        self._tmp: Path | None = None
        self._started = False
        self.cert_path: Path | None = None

    # --- lifecycle ----------------------------------------------------------------

    def start(self) -> Self:
        if self._started:
            raise RuntimeError("TestSite already started; make a new one")
        self._started = True
        try:
            self._tmp = Path(tempfile.mkdtemp(prefix="citevault-site-"))
            self.cert_path, key_path = tls.write_self_signed(self._tmp)
            context = tls.server_context(self.cert_path, key_path)
            self._listeners = [_Listener(self, "http", None), _Listener(self, "https", context)]
            for listener in self._listeners:
                listener.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Close listeners and every client connection, join every thread; idempotent."""
        deadline = time.monotonic() + STOP_GRACE
        self._stopping.set()
        for listener in self._listeners:
            listener.join(max(0.0, deadline - time.monotonic()))
            listener.server_close()
        with self._lock:
            conns = list(self._conns.values())
        for sock, _ in conns:
            with contextlib.suppress(OSError):  # wakes reads and writes blocked on it
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
        for _, thread in conns:
            thread.join(max(0.0, deadline - time.monotonic()))
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- addresses ------------------------------------------------------------------

    def _listener(self, scheme: str) -> _Listener:
        for listener in self._listeners:
            if listener.scheme == scheme:
                return listener
        raise RuntimeError("TestSite is not started")

    @property
    def base_url(self) -> str:
        return self._listener("http").base_url

    @property
    def https_url(self) -> str:
        return self._listener("https").base_url

    @property
    def port(self) -> int:
        return int(self._listener("http").server_address[1])

    @property
    def https_port(self) -> int:
        return int(self._listener("https").server_address[1])

    def url(self, path: str, *, https: bool = False) -> str:
        return (self.https_url if https else self.base_url) + path

    # --- request log -----------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """A snapshot of every request received so far, on both listeners, in order."""
        with self._lock:
            return [entry for _, entry in self._log]

    def requests_for(self, scheme: str) -> list[LoggedRequest]:
        with self._lock:
            return [entry for s, entry in self._log if s == scheme]

    def count(self, path: str, method: str | None = None, scheme: str | None = None) -> int:
        """How often ``path`` (request target, query included) was asked for."""
        with self._lock:
            return sum(
                1
                for s, entry in self._log
                if entry.path == path
                and (method is None or entry.method == method)
                and (scheme is None or s == scheme)
            )

    def clear_requests(self) -> None:
        with self._lock:
            self._log.clear()

    @property
    def errors(self) -> list[str]:
        """Tracebacks of handler failures other than dropped connections: should stay empty."""
        with self._lock:
            return list(self._errors)

    def _add_error(self, text: str) -> None:
        with self._lock:
            self._errors.append(text)

    def _record(self, scheme: str, entry: LoggedRequest) -> None:
        with self._lock:
            self._log.append((scheme, entry))

    # --- connection tracking --------------------------------------------------------

    def _track(self, sock: socket.socket, thread: threading.Thread) -> bool:
        with self._lock:
            if self._stopping.is_set():
                return False
            self._conns[id(sock)] = (sock, thread)
            return True

    def _retrack(self, raw: socket.socket, wrapped: socket.socket) -> bool:
        """Swap the raw socket for its TLS wrapper (wrapping detaches the raw one)."""
        with self._lock:
            entry = self._conns.pop(id(raw), None)
            if entry is None or self._stopping.is_set():
                return False
            self._conns[id(wrapped)] = (wrapped, entry[1])
            return True

    def _untrack(self, *socks: socket.socket) -> None:
        with self._lock:
            for sock in socks:
                self._conns.pop(id(sock), None)
