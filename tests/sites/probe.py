"""Plain standard-library clients for looking at the test site without any crawler code.

Tests of the crawler use these to establish what the site really sent, so that
a shared bug in the crawler and in the test could not cancel out.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from email.message import Message

from tests.sites.site import TestSite

UNVERIFIED = ssl._create_unverified_context()  # the site's certificate is self-signed


def fetch(
    site: TestSite,
    target: str,
    *,
    https: bool = False,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, Message, bytes]:
    """One request on a fresh connection; redirects not followed, bodies not decoded."""
    conn: http.client.HTTPConnection
    if https:
        conn = http.client.HTTPSConnection(
            "127.0.0.1", site.https_port, timeout=timeout, context=UNVERIFIED
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=timeout)
    try:
        conn.request(method, target, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def raw_get(port: int, target: str) -> tuple[bytes, bytes]:
    """Header block and message body exactly as they crossed the socket."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = bytearray()
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    return head, body


def dechunk(wire: bytes) -> list[bytes]:
    chunks: list[bytes] = []
    pos = 0
    while True:
        line_end = wire.index(b"\r\n", pos)
        size = int(wire[pos:line_end], 16)
        if size == 0:
            assert wire[line_end:] == b"\r\n\r\n"
            return chunks
        chunks.append(wire[line_end + 2 : line_end + 2 + size])
        assert wire[line_end + 2 + size : line_end + 4 + size] == b"\r\n"
        pos = line_end + 4 + size
