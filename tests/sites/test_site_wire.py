"""The test site on the wire: encodings, framing, sizes, timing, and stopping under load."""

from __future__ import annotations

import hashlib
import http.client
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import brotli
import pytest

from tests.sites import BOMB_DECODED_SIZE, TestSite, big_chunks, expected, slow_body
from tests.sites import encodings as enc
from tests.sites.probe import UNVERIFIED, dechunk, fetch, raw_get


@pytest.fixture(scope="module")
def site() -> Iterator[TestSite]:
    with TestSite() as s:
        yield s
    assert not s.errors


# --- content codings and chunked framing ---------------------------------------------

DECODERS = {
    "/enc/gzip.html": lambda b: zlib.decompress(b, 31),
    "/enc/deflate.html": zlib.decompress,
    "/enc/br.html": brotli.decompress,
    "/enc/gzip-chunked.html": lambda b: zlib.decompress(b, 31),
    "/enc/chunked.html": bytes,
}


@pytest.mark.parametrize("path", sorted(DECODERS))
def test_encoded_pages_decode_to_the_expected_html(site: TestSite, path: str) -> None:
    item = expected(path)
    _, headers, entity = fetch(site, path)
    assert entity == item.entity
    assert DECODERS[path](entity) == item.body
    assert item.body.startswith(b"<!doctype html>") and path.encode() in item.body
    assert headers["Content-Encoding"] == item.content_encoding


@pytest.mark.parametrize("path", ["/enc/gzip.html", "/enc/br.html", "/enc/deflate.html"])
def test_encoded_pages_have_the_compressed_content_length(site: TestSite, path: str) -> None:
    head, body = raw_get(site.port, path)
    assert f"\r\ncontent-length: {len(expected(path).entity)}".encode() in head.lower()
    assert b"transfer-encoding" not in head.lower()
    assert body == expected(path).entity


@pytest.mark.parametrize("path", ["/enc/chunked.html", "/enc/gzip-chunked.html"])
def test_chunked_framing_is_really_on_the_wire(site: TestSite, path: str) -> None:
    item = expected(path)
    head, body = raw_get(site.port, path)
    assert b"\r\ntransfer-encoding: chunked" in head.lower()
    assert b"content-length" not in head.lower()
    assert body == item.wire
    chunks = dechunk(body)
    assert len(chunks) >= 3 and len(chunks[0]) == 1
    assert tuple(chunks) == item.chunks and b"".join(chunks) == item.entity


# --- sizes -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 65536, 1_000_003])
def test_big_body_has_exact_length_and_content(site: TestSite, size: int) -> None:
    _, headers, body = fetch(site, f"/big?bytes={size}")
    assert headers["Content-Length"] == str(size)
    assert hashlib.sha256(body).digest() == hashlib.sha256(b"".join(big_chunks(size))).digest()


def test_big_chunked_has_no_length_but_exact_body(site: TestSite) -> None:
    head, wire = raw_get(site.port, "/big-chunked?bytes=200001")
    assert b"content-length" not in head.lower()
    assert b"".join(dechunk(wire)) == expected("/big?bytes=200001").body


def test_head_sends_headers_only(site: TestSite) -> None:
    status, headers, body = fetch(site, "/big?bytes=12345", method="HEAD")
    assert (status, headers["Content-Length"], body) == (200, "12345", b"")


# --- bombs -------------------------------------------------------------------------------


def test_gzip_bomb_is_small_and_inflates_to_a_gigabyte_of_html(site: TestSite) -> None:
    _, headers, entity = fetch(site, "/bomb.html")
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].startswith("text/html")
    assert int(headers["Content-Length"]) == len(entity) < 1_200_000
    assert entity == enc.bomb_entity("gzip")
    inflater = zlib.decompressobj(31)
    assert inflater.decompress(entity, 4096) == enc.bomb_decoded_prefix(4096)
    assert int.from_bytes(entity[-4:], "little") == BOMB_DECODED_SIZE % 2**32


def test_brotli_bomb_is_small_and_starts_as_html(site: TestSite) -> None:
    _, headers, entity = fetch(site, "/bomb-br.html")
    assert headers["Content-Encoding"] == "br"
    assert int(headers["Content-Length"]) == len(entity) < 400_000
    out = brotli.Decompressor().process(entity[:4096], output_buffer_limit=65536)
    assert out[:4096] == enc.bomb_decoded_prefix(4096)


@pytest.mark.parametrize("size", [200, 3 * (1 << 20) + 17])
def test_bomb_builders_are_exact_at_small_sizes(size: int) -> None:
    fill = size - len(enc.BOMB_PREFIX) - len(enc.BOMB_SUFFIX)
    plain = enc.BOMB_PREFIX + b" " * fill + enc.BOMB_SUFFIX
    assert zlib.decompress(enc.build_gzip_bomb(size), 31) == plain  # checks the CRC too
    assert brotli.decompress(enc.build_brotli_bomb(size)) == plain


def test_gzip_bomb_trailer_matches_a_crc_computed_the_long_way() -> None:
    """The trailer CRC comes from crc32_combine; recompute it over the whole gigabyte."""
    fill = BOMB_DECODED_SIZE - len(enc.BOMB_PREFIX) - len(enc.BOMB_SUFFIX)
    block = b" " * (1 << 20)
    crc = zlib.crc32(enc.BOMB_PREFIX)
    for _ in range(fill // len(block)):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(b" " * (fill % len(block)) + enc.BOMB_SUFFIX, crc)
    assert enc.bomb_entity("gzip")[-8:-4] == crc.to_bytes(4, "little")


# --- timing ----------------------------------------------------------------------------


def test_slow_sends_headers_at_once_then_trickles(site: TestSite) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    started = time.monotonic()
    conn.request("GET", "/slow?seconds=1")
    resp = conn.getresponse()
    assert time.monotonic() - started < 0.4
    body = resp.read()
    assert time.monotonic() - started >= 0.9
    assert body == slow_body(1) == expected("/slow?seconds=1").body
    conn.close()


def test_hang_never_answers(site: TestSite) -> None:
    with socket.create_connection(("127.0.0.1", site.port), timeout=0.5) as sock:
        sock.sendall(b"GET /hang HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(TimeoutError):
            sock.recv(1)


def test_keep_alive_serves_several_responses_on_one_connection(site: TestSite) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    for path in ["/", "/enc/chunked.html", "/status/204", "/enc/gzip.html", "/redirect/302"]:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        assert not resp.will_close
    conn.close()


# --- the request log -----------------------------------------------------------------------


def test_request_log_records_method_path_headers_and_scheme() -> None:
    with TestSite() as s:
        fetch(s, "/page/plain.html?x=1", headers={"User-Agent": "probe/1"})
        fetch(s, "/page/plain.html?x=1", https=True, method="HEAD")
        fetch(s, "/data.json", method="POST")
        method, path, headers = s.requests[0]
        assert (method, path, headers["user-agent"]) == ("GET", "/page/plain.html?x=1", "probe/1")
        assert [r.method for r in s.requests] == ["GET", "HEAD", "POST"]
        assert s.count("/page/plain.html?x=1") == 2
        assert s.count("/page/plain.html?x=1", scheme="https") == 1
        assert s.count("/page/plain.html?x=1", method="GET") == 1
        assert [r.path for r in s.requests_for("https")] == ["/page/plain.html?x=1"]
        s.clear_requests()
        assert s.requests == []


def test_request_log_is_complete_under_concurrency() -> None:
    with TestSite() as s, ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: fetch(s, f"/img/p.png?n={i}", https=i % 2 == 0), range(200)))
        assert sorted(r.path for r in s.requests) == sorted(f"/img/p.png?n={i}" for i in range(200))
        assert not s.errors


# --- stopping ------------------------------------------------------------------------------


def test_stop_is_prompt_with_stuck_clients_and_leaks_nothing() -> None:
    threads_before = set(threading.enumerate())
    s = TestSite().start()
    assert s.cert_path is not None
    tmp = s.cert_path.parent
    clients: list[socket.socket] = []

    def connect(port: int, request: bytes | None) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if request is not None:
            sock.sendall(request)
        clients.append(sock)
        return sock

    for target in ("/hang", "/slow?seconds=60", "/big?bytes=10000000000"):
        connect(s.port, f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    connect(s.port, None)  # connected, never sends a request
    connect(s.https_port, None)  # never starts the TLS handshake
    tls_client = UNVERIFIED.wrap_socket(connect(s.https_port, None))
    tls_client.sendall(b"GET /hang HTTP/1.1\r\nHost: x\r\n\r\n")
    deadline = time.monotonic() + 5
    while s.count("/hang") < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert s.count("/hang") == 2

    started = time.monotonic()
    s.stop()
    assert time.monotonic() - started < 2.0
    assert set(threading.enumerate()) <= threads_before
    assert not tmp.exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", s.port), timeout=1).close()
    for sock in clients:
        sock.close()
