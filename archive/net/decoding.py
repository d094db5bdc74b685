"""Undoing Content-Encoding, bounded: the one decoder of the archive and the crawler.

The WARC keeps every body exactly as received, still gzip/br/deflate/zstd
encoded: that is the entity body, and its digest is what deduplication
compares.  Only where citevault reads a body itself (the crawler's HTML and
CSS parsers and robots.txt, the API serving an archived payload) does it need
decoded bytes, and then it reads them as a stream: ``decoded_stream`` undoes
the codings (stacked ones too) a slice at a time, so that no stage ever holds
more than ``CHUNK`` bytes of output, and it stops at a ceiling.  A bomb of
any ratio or depth therefore costs CPU up to the ceiling but never memory.

warcio's own decoding expects the old ``brotlipy`` API for brotli and fails on
the ``brotli`` package; bodies are read raw and decoded here instead.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import brotli

from archive.errors import FetchError

try:
    from backports.zstd import ZstdDecompressor, ZstdError
except ImportError:  # pragma: no cover - installed with Scrapy before Python 3.14
    ZstdDecompressor = None  # type: ignore[assignment,misc]
    ZstdError = ValueError  # type: ignore[assignment,misc]

CHUNK = 64 * 1024  # the most output any decoding stage produces at a time
_ERRORS = (zlib.error, brotli.error, ZstdError, ValueError)

Stage = Callable[[Iterable[bytes]], Iterator[bytes]]


def _slices(data: bytes) -> Iterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(data), CHUNK):
        yield bytes(view[start : start + CHUNK])


def _inflate(chunks: Iterable[bytes], wbits: int | None) -> Iterator[bytes]:
    """zlib streams; ``wbits`` None means deflate, zlib-wrapped or raw as the header says.

    Several gzip members in a row are one body (RFC 1952), so a finished
    member with data after it starts the next one.
    """
    stream: zlib._Decompress | None = None
    for chunk in chunks:
        data = chunk
        while data:
            if stream is None:
                bits = wbits
                if bits is None:  # RFC 9110 deflate is zlib-wrapped; some servers send it raw
                    zlib_header = len(data) >= 2 and data[0] & 0x0F == 8
                    bits = (
                        zlib.MAX_WBITS
                        if zlib_header and (data[0] * 256 + data[1]) % 31 == 0
                        else -zlib.MAX_WBITS
                    )
                stream = zlib.decompressobj(bits)
            out = stream.decompress(data, CHUNK)
            if out:
                yield out
            # at the end of a member zlib reports the rest as unused_data (and,
            # after a capped call, as unconsumed_tail too): eof ends this loop
            while stream.unconsumed_tail and not stream.eof:
                out = stream.decompress(stream.unconsumed_tail, CHUNK)
                if out:
                    yield out
            data = b""
            if stream.eof:
                data = stream.unused_data
                if wbits != 16 + zlib.MAX_WBITS:
                    return
                stream = None
    if stream is not None and not stream.eof:
        # a cut body: what zlib still holds is at most one match's worth
        out = stream.flush()
        if out:
            yield out


def _gzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    return _inflate(chunks, 16 + zlib.MAX_WBITS)


def _deflate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    return _inflate(chunks, None)


def _brotli(chunks: Iterable[bytes]) -> Iterator[bytes]:
    stream = brotli.Decompressor()
    for chunk in chunks:
        out = stream.process(chunk, output_buffer_limit=CHUNK)
        if out:
            yield out
        while not stream.can_accept_more_data():
            out = stream.process(b"", output_buffer_limit=CHUNK)
            if not out:
                return
            yield out
        if stream.is_finished():
            return


def _zstd(chunks: Iterable[bytes]) -> Iterator[bytes]:
    if ZstdDecompressor is None:  # pragma: no cover
        raise ValueError("zstd support is not installed")
    stream = ZstdDecompressor()
    for chunk in chunks:
        out = stream.decompress(chunk, CHUNK)
        if out:
            yield out
        while not stream.needs_input and not stream.eof:
            out = stream.decompress(b"", CHUNK)
            if not out:
                break
            yield out
        if stream.eof:
            return


_STAGES: dict[str, Stage] = {
    "gzip": _gzip,
    "x-gzip": _gzip,
    "deflate": _deflate,
    "br": _brotli,
    "zstd": _zstd,
}


@dataclass(slots=True)
class DecodedStream:
    """The decoded body, chunk by chunk; what happened is known once it is consumed.

    ``truncated``: the ceiling stopped it; ``broken``: the data was not what
    the header claimed (what came before is still delivered).
    """

    body: bytes
    codings: Sequence[str]
    limit: int
    truncated: bool = False
    broken: bool = False
    _used: bool = field(default=False, repr=False)

    def __iter__(self) -> Iterator[bytes]:
        if self._used:
            raise RuntimeError("a decoded stream is read once")
        self._used = True
        chunks: Iterable[bytes] = _slices(self.body)
        for coding in reversed(self.codings):  # the last applied is undone first
            chunks = self._capped(_STAGES[coding](chunks))
        left = self.limit
        try:
            for chunk in chunks:
                if len(chunk) > left:
                    if left:
                        yield chunk[:left]
                    self.truncated = True
                    return
                left -= len(chunk)
                yield chunk
        except _ERRORS:
            self.broken = True

    def _capped(self, stage: Iterator[bytes]) -> Iterator[bytes]:
        """An inner stage of stacked codings may not produce more than the ceiling either."""
        left = self.limit
        for chunk in stage:
            if len(chunk) > left:
                self.truncated = True
                yield chunk[:left]
                return
            left -= len(chunk)
            yield chunk


def content_codings(values: Sequence[bytes]) -> list[str]:
    """The codings named by the Content-Encoding header lines, in the order applied."""
    codings: list[str] = []
    for value in values:
        for part in value.decode("latin-1").split(","):
            coding = part.strip().lower()
            if coding and coding != "identity":
                codings.append(coding)
    return codings


def decoded_stream(body: bytes, codings: Sequence[str], limit: int) -> DecodedStream | None:
    """``body`` decoded lazily, at most ``limit`` bytes; None when a coding is unknown."""
    if any(coding not in _STAGES for coding in codings):
        return None
    return DecodedStream(body, list(codings), limit)


def peek(chunks: Iterator[bytes], size: int = 512) -> tuple[bytes, Iterator[bytes]]:
    """The first ``size`` bytes or more of a stream (for sniffing), and the whole stream again."""
    head = b""
    for chunk in chunks:
        head += chunk
        if len(head) >= size:
            break
    return head, itertools.chain((head,), chunks)


@dataclass(frozen=True, slots=True)
class Decoded:
    body: bytes
    truncated: bool


def decode(body: bytes, codings: Sequence[str], limit: int) -> Decoded | None:
    """The whole decoded body up to ``limit``; None when unknown or corrupt from the start.

    For callers that need the body in one piece and a small ``limit``; the
    parsers of pages read ``decoded_stream`` instead.
    """
    stream = decoded_stream(body, codings, limit)
    if stream is None:
        return None
    data = b"".join(stream)
    if stream.broken and not data:
        return None
    return Decoded(data, stream.truncated)


def decode_body(body: bytes, content_encoding: str | None, limit: int) -> bytes:
    """The whole of ``body`` decoded as its Content-Encoding header says, at most ``limit`` bytes.

    For a payload served whole: a body that decodes to more than ``limit``,
    names an unknown coding or is not what its coding claims is an error,
    never a silently shortened answer.
    """
    if not content_encoding:
        return body
    codings = content_codings([content_encoding.encode("latin-1", "replace")])
    stream = decoded_stream(body, codings, limit)
    if stream is None:
        unknown = next(coding for coding in codings if coding not in _STAGES)
        raise FetchError(f"unknown Content-Encoding {unknown!r}")
    data = b"".join(stream)
    if stream.truncated:
        raise FetchError(f"decoded body is larger than {limit} bytes")
    if stream.broken:
        raise FetchError(f"the {content_encoding} body cannot be decoded")
    return data
