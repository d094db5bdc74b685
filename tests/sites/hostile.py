"""A loopback server that breaks HTTP on purpose, byte by byte.

``TestSite`` speaks through ``http.server``, which cannot send an impossible
status line, 200,000 headers, a body longer or shorter than its
``Content-Length`` or headers one byte at a time.  This one writes raw bytes
on a socket: each route is a function that gets the socket and the request
path and writes whatever it likes.  Like ``TestSite`` it binds 127.0.0.1,
tracks every connection and thread it starts, and ``stop()`` cuts them all.

The routes are in ``tests.sites.hostile_routes``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType
from typing import Self

from tests.sites.hostile_routes import (
    AFTER,
    BEFORE,
    NORMAL_HTML,
    NORMAL_IMAGE,
    NORMAL_PAGE,
    PNG,
    build_bomb,
    route,
)

__all__ = ["AFTER", "BEFORE", "NORMAL_HTML", "NORMAL_IMAGE", "NORMAL_PAGE", "PNG", "HostileServer"]

HOST = "127.0.0.1"


class HostileServer:
    """``with HostileServer(bomb_size=...) as server: server.url("/status/huge")``."""

    __test__ = False

    def __init__(self, *, bomb_size: int = 64 << 20) -> None:
        self.bomb_size = bomb_size
        self._bombs: dict[tuple[str, str], bytes] = {}
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._conns: dict[int, tuple[socket.socket, threading.Thread]] = {}
        self._log: list[str] = []
        self._listener = socket.create_server((HOST, 0))
        self._listener.settimeout(0.05)
        self.port = int(self._listener.getsockname()[1])
        self._accept = threading.Thread(target=self._accept_loop, name="hostile-accept")

    # --- lifecycle ----------------------------------------------------------------

    def start(self) -> Self:
        self._accept.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._accept.ident is not None:
            self._accept.join(2)
        self._listener.close()
        with self._lock:
            conns = list(self._conns.values())
        for conn, _ in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for _, thread in conns:
            thread.join(2)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for seen in self._log if seen == path)

    def paths(self) -> list[str]:
        with self._lock:
            return list(self._log)

    def bomb(self, coding: str, kind: str) -> bytes:
        with self._lock:
            key = (coding, kind)
            if key not in self._bombs:
                self._bombs[key] = build_bomb(coding, kind, self.bomb_size)
            return self._bombs[key]

    # --- connections ----------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                self._conns[id(conn)] = (conn, thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(30)
            reader = conn.makefile("rb")
            while not self._stopping.is_set():
                line = reader.readline(65536)
                if not line:
                    return
                parts = line.split()
                while reader.readline(65536) not in (b"\r\n", b"\n", b""):
                    pass
                path = parts[1].decode("latin-1") if len(parts) > 1 else "/"
                with self._lock:
                    self._log.append(path)
                if not route(path)(self, conn, path):
                    return  # the route left the connection unusable: close it
        except OSError:
            return
        finally:
            with self._lock:
                self._conns.pop(id(conn), None)
            with contextlib.suppress(OSError):
                conn.close()

    def wait(self, seconds: float) -> bool:
        """Sleep unless stopping; False when the server stops."""
        return not self._stopping.wait(seconds)
