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

from crawler.fetch.decoding import BoundedDecompressionMiddleware, content_codings, decode
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


def test_middleware_decodes_text_only_and_keeps_the_prefix_of_a_bomb() -> None:
    middleware = BoundedDecompressionMiddleware(MIB)
    request = Request("http://site.test/bomb.html")
    middleware.process_request(request)
    assert request.headers[b"Accept-Encoding"] == b"gzip, deflate, br"
    bomb = HtmlResponse(
        request.url,
        body=bomb_entity("gzip"),
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        request=request,
    )
    decoded = middleware.process_response(request, bomb)
    assert decoded.body == bomb_decoded_prefix(MIB)
    assert "decoded_truncated" in decoded.flags
    assert b"Content-Encoding" not in decoded.headers
    assert bomb.headers[b"Content-Encoding"] == b"gzip"  # the original is not edited in place
    image = Response(
        "http://site.test/x.png",
        body=_gzip(b"\x89PNG"),
        headers={"Content-Type": "image/png", "Content-Encoding": "gzip"},
    )
    assert middleware.process_response(request, image) is image


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
