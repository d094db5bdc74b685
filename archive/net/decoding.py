"""Undoing Content-Encoding on an archived body, with a cap on the output.

warcio's own decoding expects the old ``brotlipy`` API for brotli and fails on
the ``brotli`` package; reading bodies raw and decoding them here avoids that
and bounds the memory a decompression bomb can take.
"""

from __future__ import annotations

import zlib

import brotli

from archive.errors import FetchError

_CHUNK = 64 * 1024


def _inflate(data: bytes, wbits: int, limit: int) -> bytes:
    decomp = zlib.decompressobj(wbits)
    out = bytearray()
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        out += decomp.decompress(view[start : start + _CHUNK], limit + 1 - len(out))
        if len(out) > limit:
            raise FetchError(f"decoded body is larger than {limit} bytes")
    out += decomp.flush()
    return bytes(out)


def _unbrotli(data: bytes, limit: int) -> bytes:
    decomp = brotli.Decompressor()
    out = bytearray()
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        out += decomp.process(bytes(view[start : start + _CHUNK]))
        if len(out) > limit:
            raise FetchError(f"decoded body is larger than {limit} bytes")
    return bytes(out)


def decode_body(body: bytes, content_encoding: str | None, limit: int) -> bytes:
    """Decode ``body`` as the server's Content-Encoding says (innermost last)."""
    if not content_encoding:
        return body
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    for coding in reversed(codings):
        if coding in ("identity", ""):
            continue
        try:
            if coding in ("gzip", "x-gzip"):
                body = _inflate(body, zlib.MAX_WBITS | 16, limit)
            elif coding == "deflate":
                try:
                    body = _inflate(body, zlib.MAX_WBITS, limit)
                except zlib.error:  # servers often send raw deflate without the zlib header
                    body = _inflate(body, -zlib.MAX_WBITS, limit)
            elif coding == "br":
                body = _unbrotli(body, limit)
            else:
                raise FetchError(f"unknown Content-Encoding {coding!r}")
        except (zlib.error, brotli.error) as exc:
            raise FetchError(f"the {coding} body cannot be decoded: {exc}") from exc
    return body
