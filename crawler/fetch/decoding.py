"""Content decoding in the downloader: what Scrapy's HttpCompressionMiddleware did, bounded.

The decoding itself is ``archive.net.decoding`` (one bounded decoder for the
archive and the crawler); here it meets Scrapy.  The spider reads bodies as a
stream (``response_stream``, within ``fetch.max_decompressed_bytes`` and at
most ``PARSE_LIMIT``), and the parsers (``crawler.requisites``,
``crawler.css``) consume it as it comes.

The downloader middleware takes the place of Scrapy's HttpCompressionMiddleware
(priority 590, below the recorder's 950): it advertises the codings and
decodes one body in full, robots.txt, which Scrapy's robots middleware reads
as a whole; that body is capped at 512 KiB, the size RFC 9309 asks parsers to
read.  Everything else reaches the spider as received.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from archive.net.decoding import DecodedStream, content_codings, decode, decoded_stream

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

# zstd is decoded when a server sends it unasked, but not advertised: replay
# tools that serve the archived bytes back to browsers handle these three.
ACCEPT_ENCODING = b"gzip, deflate, br"
# The most of one page or stylesheet the spider reads for requisites, whatever
# ``max_decompressed_bytes`` allows.  Parsing runs in the reactor's thread, slowly
# for hostile markup (a bomb of tiny tags), and no deadline can interrupt it
# there: this bounds how long it can take.  Requisites sit near the top.
PARSE_LIMIT = 8 * 1024 * 1024
ROBOTS_LIMIT = 512 * 1024


def response_stream(response: Response, limit: int) -> DecodedStream | None:
    """The body of a response as its parsers read it (HEAD answers have none)."""
    request = response.request
    body = b"" if request is not None and request.method == "HEAD" else response.body
    return decoded_stream(
        body, content_codings(response.headers.getlist(b"Content-Encoding")), limit
    )


def _is_robots(request: Request) -> bool:
    return urlsplit(request.url).path == "/robots.txt"


class BoundedDecompressionMiddleware:
    """Downloader middleware replacing HttpCompressionMiddleware at 590."""

    def __init__(self, limit: int) -> None:
        self.limit = min(limit, ROBOTS_LIMIT)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoundedDecompressionMiddleware:
        return cls(crawler.settings.getint("CITEVAULT_MAX_DECOMPRESSED_BYTES"))

    def process_request(self, request: Request) -> None:
        request.headers.setdefault(b"Accept-Encoding", ACCEPT_ENCODING)

    def process_response(self, request: Request, response: Response) -> Response:
        codings = content_codings(response.headers.getlist(b"Content-Encoding"))
        if not codings or request.method == "HEAD" or not _is_robots(request):
            return response
        decoded = decode(response.body, codings, self.limit)
        if decoded is None:
            return response.replace(body=b"", flags=[*response.flags, "undecodable"])
        headers = response.headers.copy()
        headers.pop(b"Content-Encoding", None)
        headers.pop(b"Content-Length", None)
        return response.replace(
            body=decoded.body, headers=headers, flags=[*response.flags, "decoded"]
        )
