"""Content decoding for citevault's own readers, never for the archive.

The WARC keeps every body exactly as received, still gzip/br/deflate/zstd
encoded: that is the entity body, and its digest is what deduplication
compares.  Only where citevault reads a body itself (HTML and CSS for
requisites, robots.txt) does it need the decoded bytes, so this middleware
takes the place of Scrapy's HttpCompressionMiddleware (priority 590, below
the recorder's 950) and differs from it on purpose:

* only what is parsed is decoded (HTML, CSS, plain text such as robots.txt,
  untyped bodies); scripts, JSON, images, video, PDF and fonts stay as they
  are, since nothing reads them;
* the decoded size is capped at ``fetch.max_decompressed_bytes`` while
  decompressing (a gzip or brotli bomb never takes more memory than the cap),
  and an oversized text keeps its decoded prefix instead of being dropped,
  because the requisites near the top of a page are still worth fetching.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import brotli

try:
    from backports.zstd import ZstdDecompressor, ZstdError
except ImportError:  # pragma: no cover - Scrapy 2.19 depends on it before Python 3.14
    ZstdDecompressor = None  # type: ignore[assignment,misc]
    ZstdError = ValueError  # type: ignore[assignment,misc]

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

# zstd is decoded when a server sends it unasked, but not advertised: replay
# tools that serve the archived bytes back to browsers handle these three.
ACCEPT_ENCODING = b"gzip, deflate, br"
# what citevault parses: pages, stylesheets, robots.txt (and bodies with no type)
_PARSED_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/css", "text/plain", ""})


@dataclass(frozen=True, slots=True)
class Decoded:
    body: bytes
    truncated: bool


def _zlib(data: bytes, wbits: int, limit: int) -> tuple[bytes, bool]:
    out = bytearray()
    while data:
        stream = zlib.decompressobj(wbits)
        out += stream.decompress(data, limit + 1 - len(out))
        if len(out) > limit:
            return bytes(out[:limit]), True
        if not stream.eof or wbits != 16 + zlib.MAX_WBITS:
            break
        data = stream.unused_data  # a further gzip member
    return bytes(out), False


def _gzip(data: bytes, limit: int) -> tuple[bytes, bool]:
    return _zlib(data, 16 + zlib.MAX_WBITS, limit)


def _deflate(data: bytes, limit: int) -> tuple[bytes, bool]:
    try:
        return _zlib(data, zlib.MAX_WBITS, limit)
    except zlib.error:  # raw deflate without the zlib header, as some servers send
        return _zlib(data, -zlib.MAX_WBITS, limit)


def _brotli(data: bytes, limit: int) -> tuple[bytes, bool]:
    stream = brotli.Decompressor()
    out = bytearray(stream.process(data, output_buffer_limit=limit + 1))
    while len(out) <= limit and not stream.is_finished():
        more = stream.process(b"", output_buffer_limit=limit + 1 - len(out))
        if not more:
            break
        out += more
    return bytes(out[:limit]), len(out) > limit


def _zstd(data: bytes, limit: int) -> tuple[bytes, bool]:
    if ZstdDecompressor is None:  # pragma: no cover
        raise ValueError("zstd support is not installed")
    out = ZstdDecompressor().decompress(data, max_length=limit + 1)
    return out[:limit], len(out) > limit


_DECODERS: dict[str, Callable[[bytes, int], tuple[bytes, bool]]] = {
    "gzip": _gzip,
    "x-gzip": _gzip,
    "deflate": _deflate,
    "br": _brotli,
    "zstd": _zstd,
}


def content_codings(values: Sequence[bytes]) -> list[str]:
    """The codings named by the Content-Encoding header lines, in the order applied."""
    codings: list[str] = []
    for value in values:
        for part in value.decode("latin-1").split(","):
            coding = part.strip().lower()
            if coding and coding != "identity":
                codings.append(coding)
    return codings


def decode(body: bytes, codings: Sequence[str], limit: int) -> Decoded | None:
    """Undo the codings (last applied first), never producing more than ``limit`` bytes.

    None when a coding is unknown or the data is not what the header claims.
    A body cut by the size cap decodes to the prefix it holds.
    """
    data, truncated = body, False
    for coding in reversed(codings):
        step = _DECODERS.get(coding)
        if step is None:
            return None
        try:
            data, cut = step(data, limit)
        except (zlib.error, brotli.error, ZstdError, ValueError):
            return None
        truncated = truncated or cut
    return Decoded(data, truncated)


def is_parsed(content_type: bytes | None) -> bool:
    mime = (content_type or b"").split(b";", 1)[0].strip().lower().decode("latin-1")
    return mime in _PARSED_TYPES


class BoundedDecompressionMiddleware:
    """Downloader middleware replacing HttpCompressionMiddleware at 590."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoundedDecompressionMiddleware:
        return cls(crawler.settings.getint("CITEVAULT_MAX_DECOMPRESSED_BYTES"))

    def process_request(self, request: Request) -> None:
        request.headers.setdefault(b"Accept-Encoding", ACCEPT_ENCODING)

    def process_response(self, request: Request, response: Response) -> Response:
        codings = content_codings(response.headers.getlist(b"Content-Encoding"))
        if not codings or request.method == "HEAD" or not response.body:
            return response
        if not is_parsed(response.headers.get(b"Content-Type")):
            return response
        decoded = decode(response.body, codings, self.limit)
        if decoded is None:
            return response.replace(flags=[*response.flags, "undecodable"])
        headers = response.headers.copy()
        headers.pop(b"Content-Encoding", None)
        headers.pop(b"Content-Length", None)
        flags = [*response.flags, "decoded"]
        if decoded.truncated:
            flags.append("decoded_truncated")
        return response.replace(body=decoded.body, headers=headers, flags=flags)
