"""``decode_body``: an archived payload served whole, through the one bounded decoder."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from archive.errors import FetchError
from archive.net.decoding import decode_body

TEXT = b"<p>cited page</p>\n" * 2000


def test_stacked_codings_are_undone_last_applied_first() -> None:
    body = brotli.compress(gzip.compress(TEXT))
    assert decode_body(body, "gzip, br", len(TEXT)) == TEXT  # exactly at the ceiling
    assert decode_body(TEXT, None, 10) == TEXT  # no coding: as stored, whatever its size
    assert decode_body(TEXT, "identity", len(TEXT)) == TEXT


@pytest.mark.parametrize(
    "body",
    [zlib.compress(TEXT), zlib.compress(TEXT)[2:-4]],  # zlib-wrapped, and raw as some servers send
)
def test_deflate_with_and_without_the_zlib_header(body: bytes) -> None:
    assert decode_body(body, "deflate", len(TEXT)) == TEXT


def test_more_than_the_ceiling_is_an_error_not_a_shortened_body() -> None:
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        decode_body(gzip.compress(TEXT), "gzip", 1000)


def test_unknown_and_corrupt_codings_are_errors() -> None:
    with pytest.raises(FetchError, match="unknown Content-Encoding 'compress'"):
        decode_body(TEXT, "compress", len(TEXT))
    with pytest.raises(FetchError, match="cannot be decoded"):
        decode_body(b"not gzip at all", "gzip", len(TEXT))
