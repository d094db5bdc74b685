"""Byte-level encodings the test site puts on the wire.

Everything here is deterministic (gzip headers carry no timestamp, chunk
boundaries are fixed) so that a test can recompute a payload digest from these
functions alone and compare it with what the crawler recorded.
"""

from __future__ import annotations

import itertools
import struct
import threading
import zlib
from collections.abc import Iterator

import brotli

# --- content codings ----------------------------------------------------------------


def gzip_bytes(data: bytes) -> bytes:
    """gzip with mtime 0, so the same input always gives the same entity bytes."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    deflated = compressor.compress(data) + compressor.flush()
    return _gzip_header() + deflated + _gzip_trailer(zlib.crc32(data), len(data))


def deflate_bytes(data: bytes) -> bytes:
    """zlib-wrapped deflate, which is what RFC 9110 means by ``deflate``."""
    return zlib.compress(data, 6)


def brotli_bytes(data: bytes) -> bytes:
    return bytes(brotli.compress(data, quality=5))


def _gzip_header() -> bytes:
    # magic, CM=deflate, FLG=0, MTIME=0, XFL=0, OS=unknown
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def _gzip_trailer(crc: int, size: int) -> bytes:
    return struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF)


# --- chunked transfer coding -------------------------------------------------------


def split_chunks(data: bytes, parts: int) -> tuple[bytes, ...]:
    """Uneven, fixed boundaries: a one-byte first chunk catches off-by-one framing bugs."""
    if not data:
        return ()
    cuts = [0, 1] + [1 + (len(data) - 1) * i // (parts - 1) for i in range(1, parts - 1)]
    cuts = [*sorted({c for c in cuts if 0 <= c < len(data)}), len(data)]
    return tuple(data[a:b] for a, b in itertools.pairwise(cuts))


def chunk_frame(chunk: bytes) -> bytes:
    return b"%x\r\n" % len(chunk) + chunk + b"\r\n"


LAST_CHUNK = b"0\r\n\r\n"


def chunked_wire(chunks: tuple[bytes, ...]) -> bytes:
    """The exact message body bytes of a chunked response, framing included."""
    return b"".join(chunk_frame(c) for c in chunks) + LAST_CHUNK


# --- large and slow bodies -------------------------------------------------------

BIG_BLOCK = bytes(range(256)) * 256  # 64 KiB; a repeating byte ramp, easy to check


def big_chunks(size: int) -> Iterator[bytes]:
    """The ``/big`` body in 64 KiB pieces, so gigabyte bodies never sit in memory."""
    full, rest = divmod(size, len(BIG_BLOCK))
    for _ in range(full):
        yield BIG_BLOCK
    if rest:
        yield BIG_BLOCK[:rest]


def big_body(size: int) -> bytes:
    return b"".join(big_chunks(size))


SLOW_INTERVAL = 0.5
SLOW_TICK = b"." * 99 + b"\n"


def slow_ticks(seconds: float) -> int:
    """One tick at once, then one per interval until ``seconds`` have passed."""
    return int(max(seconds, 0.0) / SLOW_INTERVAL) + 1


def slow_body(seconds: float) -> bytes:
    return SLOW_TICK * slow_ticks(seconds)


# --- decompression bombs ---------------------------------------------------------

BOMB_DECODED_SIZE = 1 << 30  # 1 GiB once decoded
BOMB_PREFIX = b"<!doctype html>\n<html><head><title>bomb</title></head><body><p>"
BOMB_SUFFIX = b"</p></body></html>\n"
_BOMB_FILL = b" "


def bomb_decoded_prefix(n: int) -> bytes:
    """The first ``n`` bytes of what either bomb inflates to."""
    head = BOMB_PREFIX + _BOMB_FILL * max(0, n - len(BOMB_PREFIX))
    return head[:n]


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, row) for row in matrix]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's algorithm; Python lacks it).

    It lets the gzip bomb carry a correct trailer without running CRC-32 over
    a gigabyte.
    """
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _crc32_repeat(block_crc: int, block_len: int, times: int) -> int:
    crc, cur_crc, cur_len = 0, block_crc, block_len
    while times:
        if times & 1:
            crc = crc32_combine(crc, cur_crc, cur_len)
        cur_crc = crc32_combine(cur_crc, cur_crc, cur_len)
        cur_len *= 2
        times >>= 1
    return crc


def build_gzip_bomb(size: int = BOMB_DECODED_SIZE, block: int = 1 << 20) -> bytes:
    """A valid gzip member inflating to ``size`` bytes, built without compressing them all.

    After a full flush, deflate output no longer refers to earlier input, so the
    compressed form of one block of filler, flushed, can be repeated as often as
    needed: ~1 KB per MiB, i.e. about 1 MB for the 1 GiB bomb (deflate cannot
    do better than ~1:1030), in milliseconds instead of seconds.
    """
    fill_len = size - len(BOMB_PREFIX) - len(BOMB_SUFFIX)
    if fill_len < 0:
        raise ValueError(f"bomb size {size} is smaller than its HTML frame")
    times, rest = divmod(fill_len, block)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(BOMB_PREFIX) + compressor.flush(zlib.Z_FULL_FLUSH)
    filler = _BOMB_FILL * block
    unit = compressor.compress(filler) + compressor.flush(zlib.Z_FULL_FLUSH) if times else b""
    tail_plain = _BOMB_FILL * rest + BOMB_SUFFIX
    tail = compressor.compress(tail_plain) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(BOMB_PREFIX)
    crc = crc32_combine(crc, _crc32_repeat(zlib.crc32(filler), block, times), times * block)
    crc = zlib.crc32(tail_plain, crc)
    return _gzip_header() + head + unit * times + tail + _gzip_trailer(crc, size)


def build_brotli_bomb(size: int = BOMB_DECODED_SIZE, block: int = 1 << 20) -> bytes:
    """Really compressed (quality 1: ~0.6 s and ~190 KB for 1 GiB), streamed block by block."""
    fill_len = size - len(BOMB_PREFIX) - len(BOMB_SUFFIX)
    if fill_len < 0:
        raise ValueError(f"bomb size {size} is smaller than its HTML frame")
    compressor = brotli.Compressor(quality=1)
    out = [compressor.process(BOMB_PREFIX)]
    filler = _BOMB_FILL * block
    times, rest = divmod(fill_len, block)
    for _ in range(times):
        out.append(compressor.process(filler))
    out.append(compressor.process(_BOMB_FILL * rest + BOMB_SUFFIX))
    out.append(compressor.finish())
    return b"".join(bytes(part) for part in out)


_bomb_lock = threading.Lock()
_bombs: dict[str, bytes] = {}


def bomb_entity(coding: str) -> bytes:
    """The 1 GiB bombs, built on first use and kept (about 1.2 MB in all)."""
    builders = {"gzip": build_gzip_bomb, "br": build_brotli_bomb}
    with _bomb_lock:
        if coding not in _bombs:
            _bombs[coding] = builders[coding]()
        return _bombs[coding]
