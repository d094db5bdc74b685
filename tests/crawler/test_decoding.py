"""Decoding for the parsers: every coding the site serves, and bombs kept small."""

from __future__ import annotations

import tracemalloc
import zlib

import brotli
import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from archive.net.decoding import CHUNK, content_codings, decode, decoded_stream
from crawler.fetch.decoding import ROBOTS_LIMIT, BoundedDecompressionMiddleware
from tests.sites import BOMB_DECODED_SIZE, STATIC, bomb_entity
from tests.sites.encodings import bomb_decoded_prefix

MIB = 1024 * 1024


@pytest.mark.parametrize("path", ["/enc/gzip.html", "/enc/br.html", "/enc/deflate.html"])
def test_site_encodings_decode_to_the_page(path: str) -> None:
    item = STATIC[path]
    assert item.content_encoding is not None
    decoded = decode(item.entity, [item.content_encoding], 10 * MIB)
    assert decoded is not None
    assert decoded.body == item.body
    assert not decoded.truncated


def test_raw_deflate_multi_member_gzip_and_stacked_codings() -> None:
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    deflated = raw.compress(b"raw deflate") + raw.flush()
    assert decode(deflated, ["deflate"], 100) == decode(b"raw deflate", [], 100)
    two = _gzip(b"one ") + _gzip(b"two")
    assert decode(two, ["gzip"], 100).body == b"one two"  # type: ignore[union-attr]
    stacked = brotli.compress(_gzip(b"inner"))
    assert decode(stacked, ["gzip", "br"], 100).body == b"inner"  # type: ignore[union-attr]
    assert content_codings([b"gzip, br", b"identity"]) == ["gzip", "br"]


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def test_unknown_or_corrupt_codings_give_up_quietly() -> None:
    assert decode(b"data", ["compress"], 100) is None
    assert decode(b"not gzip at all", ["gzip"], 100) is None
    assert decode(b"not brotli", ["br"], 100) is None


def test_a_cut_body_decodes_to_its_prefix() -> None:
    item = STATIC["/enc/gzip.html"]
    decoded = decode(item.entity[: len(item.entity) // 2], ["gzip"], 10 * MIB)
    assert decoded is not None
    assert item.body.startswith(decoded.body)
    assert 0 < len(decoded.body) < len(item.body)


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_bombs_stop_at_the_ceiling_without_taking_memory(coding: str) -> None:
    entity = bomb_entity(coding)
    tracemalloc.start()
    try:
        decoded = decode(entity, [coding], 2 * MIB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert decoded is not None
    assert decoded.truncated
    assert decoded.body == bomb_decoded_prefix(2 * MIB)
    assert peak < 16 * MIB, f"decoding a {BOMB_DECODED_SIZE} B bomb peaked at {peak} B"


def test_middleware_decodes_robots_txt_only_and_within_its_cap() -> None:
    middleware = BoundedDecompressionMiddleware(500 * MIB)
    request = Request("http://site.test/bomb.html")
    middleware.process_request(request)
    assert request.headers[b"Accept-Encoding"] == b"gzip, deflate, br"
    bomb = HtmlResponse(
        request.url,
        body=bomb_entity("gzip"),
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        request=request,
    )
    # pages reach the spider as received; it reads them through decoded_stream
    assert middleware.process_response(request, bomb) is bomb
    robots = Request("http://site.test/robots.txt")
    answer = Response(
        robots.url,
        body=bomb_entity("gzip"),
        headers={"Content-Type": "text/plain", "Content-Encoding": "gzip"},
        request=robots,
    )
    decoded = middleware.process_response(robots, answer)
    assert decoded.body == bomb_decoded_prefix(ROBOTS_LIMIT)
    assert b"Content-Encoding" not in decoded.headers
    assert answer.headers[b"Content-Encoding"] == b"gzip"  # the original is not edited in place


@pytest.mark.parametrize("coding", ["gzip", "br", "gzip, gzip", "deflate, br"])
def test_streams_never_hold_more_than_a_chunk_whatever_the_bomb(coding: str) -> None:
    """Stacked codings included: each stage hands on one slice at a time."""
    codings = content_codings([coding.encode()])
    entity = b"<html>" + b" " * (64 * MIB)
    for name in codings:
        entity = _encode(entity, name)
    tracemalloc.start()
    try:
        stream = decoded_stream(entity, codings, 32 * MIB)
        assert stream is not None
        total, first, largest = 0, b"", 0
        for chunk in stream:
            first = first or chunk
            total += len(chunk)
            largest = max(largest, len(chunk))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first.startswith(b"<html>   ")
    assert total == 32 * MIB
    assert stream.truncated and not stream.broken
    # zlib stops at CHUNK exactly; brotli's output buffer grows in steps past it
    assert largest <= 2 * CHUNK
    assert peak < len(entity) + 4 * MIB, f"{coding}: peaked at {peak} B"


def _encode(data: bytes, coding: str) -> bytes:
    if coding == "gzip":
        return _gzip(data)
    if coding == "deflate":
        return zlib.compress(data, 6)
    return bytes(brotli.compress(data, quality=1))


def test_a_corrupt_stream_keeps_what_decoded_before_the_damage() -> None:
    good = b"<html>" + b"x" * 300_000
    # a second gzip member whose first deflate block has the reserved type 3
    damaged = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 64
    stream = decoded_stream(_gzip(good) + damaged, ["gzip"], MIB)
    assert stream is not None
    data = b"".join(stream)
    assert stream.broken
    assert data == good
    assert decoded_stream(b"x", ["compress"], MIB) is None


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_scrapy_httpcompression_drops_a_bomb_at_download_maxsize(coding: str) -> None:
    """Scrapy 2.19's own middleware is bomb-safe too, but drops the response.

    Which is why citevault does not use it: the page is lost to the parser
    (no requisites at all) where a prefix would still do, and every response
    would be decoded, images included.
    """
    crawler = get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": 8 * MIB})
    middleware = HttpCompressionMiddleware.from_crawler(crawler)
    request = Request("http://site.test/bomb.html")
    response = HtmlResponse(
        request.url,
        body=bomb_entity(coding),
        headers={"Content-Type": "text/html", "Content-Encoding": coding},
        request=request,
    )
    tracemalloc.start()
    try:
        with pytest.raises(IgnoreRequest, match="exceeded DOWNLOAD_MAXSIZE"):
            middleware.process_response(request, response)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * MIB
