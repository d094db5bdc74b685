"""What ``tests.sites.hostile.HostileServer`` answers, path by path, as raw bytes.

Bomb sizes are a parameter of the server, so that tests use small ones and
``bench/hostile.py`` the 1 GiB ones.
"""

from __future__ import annotations

import socket
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import brotli

from tests.sites.encodings import _crc32_repeat, crc32_combine, gzip_bytes

if TYPE_CHECKING:
    from tests.sites.hostile import HostileServer

TICK = 0.2  # seconds between the bytes of the slow routes
CHUNK = 64 * 1024

BEFORE = "/hostile/before.png"  # named before the filler of every bomb: must be fetched
AFTER = "/hostile/after.png"  # named after it: past any sane ceiling, must not be
NORMAL_PAGE = "/ok.html"
NORMAL_IMAGE = "/ok.png"
NORMAL_HTML = (
    b'<!doctype html><html><head><title>ok</title></head><body><p>fine</p><img src="/ok.png">'
    b"</body></html>"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def bomb_parts(kind: str) -> tuple[bytes, bytes, bytes]:
    """(prefix, filler unit, suffix) of a bomb: a page of spaces or of tiny tags, or a sheet."""
    if kind == "css":
        return (
            f'@import "{BEFORE}.css";\n/*'.encode(),
            b" ",
            f'*/ p {{ background: url("{AFTER}") }}\n'.encode(),
        )
    prefix = f'<!doctype html><html><body><img src="{BEFORE}"><p>'.encode()
    fill = b"<b>a</b>" if kind == "tags" else b" "
    return prefix, fill, f'</p><img src="{AFTER}"></body></html>'.encode()


def _filler(fill: bytes, size: int) -> bytes:
    """``size`` bytes of repeated ``fill`` (a multiple of it for the 1 MiB blocks)."""
    return (fill * (size // len(fill) + 1))[:size]


def _raw_deflate_bomb(prefix: bytes, fill: bytes, suffix: bytes, size: int) -> tuple[bytes, int]:
    """Raw deflate of prefix + fill * n + suffix (``size`` bytes in all), and its CRC-32.

    After a full flush deflate output no longer refers to earlier input, so one
    compressed megabyte of filler is repeated: milliseconds for any size.
    """
    block = 1 << 20
    times, rest = divmod(size - len(prefix) - len(suffix), block)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    filler = _filler(fill, block)
    unit = compressor.compress(filler) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail_plain = _filler(fill, rest) + suffix
    tail = compressor.compress(tail_plain) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    crc = crc32_combine(crc, _crc32_repeat(zlib.crc32(filler), block, times), times * block)
    crc = zlib.crc32(tail_plain, crc)
    return head + unit * times + tail, crc


def build_bomb(coding: str, kind: str, size: int) -> bytes:
    """A page or stylesheet of ``size`` bytes once decoded, encoded as ``coding`` says.

    ``gzip, gzip`` is a gzip bomb gzipped again (both layers are undone);
    ``deflate`` is raw deflate, as some servers send it.
    """
    prefix, fill, suffix = bomb_parts(kind)
    if coding == "br":
        compressor = brotli.Compressor(quality=1)
        out = [compressor.process(prefix)]
        times, rest = divmod(size - len(prefix) - len(suffix), 1 << 20)
        filler = _filler(fill, 1 << 20)
        out += [compressor.process(filler) for _ in range(times)]
        out += [compressor.process(_filler(fill, rest) + suffix), compressor.finish()]
        return b"".join(bytes(part) for part in out)
    deflated, crc = _raw_deflate_bomb(prefix, fill, suffix, size)
    if coding == "deflate":
        return deflated
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    member = (
        header
        + deflated
        + (crc & 0xFFFFFFFF).to_bytes(4, "little")
        + (size & 0xFFFFFFFF).to_bytes(4, "little")
    )
    if coding == "gzip":
        return member
    if coding == "gzip, gzip":
        return gzip_bytes(member)
    raise ValueError(f"no bomb for {coding!r}")


Route = Callable[["HostileServer", socket.socket, str], bool]


def _head(status_line: bytes, headers: list[tuple[bytes, bytes]]) -> bytes:
    lines = [status_line, *(name + b": " + value for name, value in headers)]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _html(
    body: bytes, status: bytes = b"HTTP/1.1 200 OK", extra: list[tuple[bytes, bytes]] | None = None
) -> bytes:
    headers = [
        (b"Content-Type", b"text/html; charset=utf-8"),
        (b"Content-Length", str(len(body)).encode()),
    ]
    return _head(status, headers + (extra or [])) + body


# --- routes: each writes a response; True keeps the connection open for the next -----


def _normal(server: HostileServer, conn: socket.socket, path: str) -> bool:
    if path == NORMAL_IMAGE or path.endswith(".png"):
        conn.sendall(
            _head(
                b"HTTP/1.1 200 OK",
                [(b"Content-Type", b"image/png"), (b"Content-Length", str(len(PNG)).encode())],
            )
            + PNG
        )
    elif path.endswith(".css"):
        conn.sendall(
            _head(b"HTTP/1.1 200 OK", [(b"Content-Type", b"text/css"), (b"Content-Length", b"0")])
        )
    else:
        conn.sendall(_html(NORMAL_HTML))
    return True


def _status(line: bytes) -> Route:
    def route(server: HostileServer, conn: socket.socket, path: str) -> bool:
        conn.sendall(_html(NORMAL_HTML, status=line))
        return True

    return route


def _odd_headers(server: HostileServer, conn: socket.socket, path: str) -> bool:
    body = NORMAL_HTML
    headers = [
        (b"Content-Type", b"text/html; charset=utf-8"),
        (b"X-Latin1", b"caf\xe9 \xff\xfe"),
        (b"X-Control", b"a\x01b\x7fc"),
        (b"X-Empty", b""),
        (b"X-Long", b"v" * 12_000),
        (b"Set-Cookie", b"\xff\xfe=\x00; Path=/"),
        (b"Content-Length", str(len(body)).encode()),
    ]
    conn.sendall(_head(b"HTTP/1.1 200 Fine\xe9", headers) + body)
    return True


def _many_headers(server: HostileServer, conn: socket.socket, path: str) -> bool:
    body = NORMAL_HTML
    head = [b"HTTP/1.1 200 OK", b"Content-Type: text/html", b"Content-Length: %d" % len(body)]
    conn.sendall(b"\r\n".join(head) + b"\r\n")
    for start in range(0, 200_000, 1000):  # 200,000 headers, each named differently
        conn.sendall(b"".join(b"X-Many-%d: %d\r\n" % (i, i) for i in range(start, start + 1000)))
    conn.sendall(b"\r\n" + body)
    return True


def _endless_chunked(server: HostileServer, conn: socket.socket, path: str) -> bool:
    conn.sendall(
        _head(
            b"HTTP/1.1 200 OK",
            [(b"Content-Type", b"text/plain"), (b"Transfer-Encoding", b"chunked")],
        )
    )
    frame = b"%x\r\n" % CHUNK + b"z" * CHUNK + b"\r\n"
    while server.wait(0):
        conn.sendall(frame)
    return False


def _length_short(server: HostileServer, conn: socket.socket, path: str) -> bool:
    """Announces 100,000 bytes, sends 1,000, hangs up."""
    conn.sendall(
        _head(
            b"HTTP/1.1 200 OK", [(b"Content-Type", b"text/plain"), (b"Content-Length", b"100000")]
        )
        + b"s" * 1000
    )
    return False


def _length_long(server: HostileServer, conn: socket.socket, path: str) -> bool:
    """Announces 10 bytes and sends 5,000: the rest must not be read as the next response."""
    extra = _html(b"<html><body>smuggled</body></html>")
    conn.sendall(
        _head(b"HTTP/1.1 200 OK", [(b"Content-Type", b"text/plain"), (b"Content-Length", b"10")])
        + b"0123456789"
        + extra
        + b"L" * 4000
    )
    return True


def _slow_headers(server: HostileServer, conn: socket.socket, path: str) -> bool:
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while server.wait(TICK):
        conn.sendall(b"a")
    return False


def _slow_body(server: HostileServer, conn: socket.socket, path: str) -> bool:
    conn.sendall(
        _head(
            b"HTTP/1.1 200 OK", [(b"Content-Type", b"text/plain"), (b"Content-Length", b"1000000")]
        )
    )
    while server.wait(TICK):
        conn.sendall(b".")
    return False


def _slow_image(server: HostileServer, conn: socket.socket, path: str) -> bool:
    conn.sendall(
        _head(
            b"HTTP/1.1 200 OK", [(b"Content-Type", b"image/png"), (b"Content-Length", b"1000000")]
        )
        + PNG
    )
    while server.wait(TICK):
        conn.sendall(b"\x00")
    return False


def _bomb(server: HostileServer, conn: socket.socket, path: str) -> bool:
    # /bomb/<coding>.<html|tags|css>, coding one of gzip, br, deflate, gzip-gzip
    name = path.rsplit("/", 1)[-1]
    stem, _, kind = name.partition(".")
    coding = stem.replace("-", ", ")
    entity = server.bomb(coding, kind)
    ctype = b"text/css" if kind == "css" else b"text/html"
    headers = [
        (b"Content-Type", ctype),
        (b"Content-Encoding", coding.encode()),
        (b"Content-Length", str(len(entity)).encode()),
    ]
    conn.sendall(_head(b"HTTP/1.1 200 OK", headers))
    view = memoryview(entity)
    for start in range(0, len(entity), CHUNK):
        conn.sendall(view[start : start + CHUNK])
    return True


def _requisite_bombs(server: HostileServer, conn: socket.socket, path: str) -> bool:
    conn.sendall(
        _html(
            b"<!doctype html><html><head>"
            b'<link rel="stylesheet" href="/bomb/gzip-gzip.css"></head><body>'
            b'<iframe src="/bomb/br.html"></iframe><img src="/ok.png"></body></html>'
        )
    )
    return True


def _number(path: str) -> int:
    digits = "".join(ch for ch in path.rsplit("/", 1)[-1] if ch.isdigit())
    return int(digits or "1")


def _import_trap(server: HostileServer, conn: socket.socket, path: str) -> bool:
    """Every sheet imports two new ones and names an image of its own: no end."""
    n = _number(path)
    body = (
        f'@import "{2 * n}.css";\n@import "{2 * n + 1}.css";\n'
        f"h{n} {{ background: url(img-{n}.png) }}\n"
    ).encode()
    conn.sendall(
        _head(
            b"HTTP/1.1 200 OK",
            [(b"Content-Type", b"text/css"), (b"Content-Length", str(len(body)).encode())],
        )
        + body
    )
    return True


def _frame_trap(server: HostileServer, conn: socket.socket, path: str) -> bool:
    n = _number(path)
    frames = f'<iframe src="{2 * n}.html"></iframe><iframe src="{2 * n + 1}.html"></iframe>'
    body = f"<html><body>{frames}</body></html>"
    conn.sendall(_html(body.encode()))
    return True


def _trap_page(server: HostileServer, conn: socket.socket, path: str) -> bool:
    if path.startswith("/trap/import"):
        conn.sendall(
            _html(
                b'<html><head><link rel="stylesheet" href="/trap/css/1.css"></head>'
                b"<body></body></html>"
            )
        )
    else:
        conn.sendall(_html(b'<html><body><iframe src="/trap/frame/1.html"></iframe></body></html>'))
    return True


def _many_images(server: HostileServer, conn: socket.socket, path: str) -> bool:
    imgs = "".join(f'<img src="/img/{i}.png">' for i in range(500))
    conn.sendall(_html(f"<html><body>{imgs}</body></html>".encode()))
    return True


def _big_images(server: HostileServer, conn: socket.socket, path: str) -> bool:
    imgs = "".join(f'<img src="/big/{i}.png">' for i in range(20))
    conn.sendall(_html(f"<html><body>{imgs}</body></html>".encode()))
    return True


def _big_image(server: HostileServer, conn: socket.socket, path: str) -> bool:
    size = 1 << 20
    conn.sendall(
        _head(
            b"HTTP/1.1 200 OK",
            [(b"Content-Type", b"image/png"), (b"Content-Length", str(size).encode())],
        )
    )
    block = b"\x00" * CHUNK
    for _ in range(size // CHUNK):
        conn.sendall(block)
    return True


def _slow_images(server: HostileServer, conn: socket.socket, path: str) -> bool:
    imgs = "".join(f'<img src="/slow-image/{i}.png">' for i in range(10))
    conn.sendall(_html(f"<html><body>{imgs}</body></html>".encode()))
    return True


def _redirect_onwards(server: HostileServer, conn: socket.socket, path: str) -> bool:
    """A redirect to a URL never seen before, for ever."""
    location = f"/redirect/onwards/{_number(path) + 1}".encode()
    conn.sendall(_html(b"moved", status=b"HTTP/1.1 302 Found", extra=[(b"Location", location)]))
    return True


_EXACT: dict[str, Route] = {
    "/status/huge": _status(b"HTTP/1.1 9999999999999999999 WHAT"),
    "/status/negative": _status(b"HTTP/1.1 -1 Negative"),
    "/status/garbage": _status(b"HTTP/1.1 abc WHAT"),
    "/status/nothing": _status(b"HTTP/1.1"),
    "/headers/odd": _odd_headers,
    "/headers/many": _many_headers,
    "/chunked/endless": _endless_chunked,
    "/length/short": _length_short,
    "/length/long": _length_long,
    "/slow/headers": _slow_headers,
    "/slow/body": _slow_body,
    "/requisite-bombs.html": _requisite_bombs,
    "/trap/import.html": _trap_page,
    "/trap/frames.html": _trap_page,
    "/many-images.html": _many_images,
    "/big-images.html": _big_images,
    "/slow-images.html": _slow_images,
}
_PREFIXES: list[tuple[str, Route]] = [
    ("/bomb/", _bomb),
    ("/trap/css/", _import_trap),
    ("/trap/frame/", _frame_trap),
    ("/big/", _big_image),
    ("/slow-image/", _slow_image),
    ("/redirect/onwards/", _redirect_onwards),
]


def route(path: str) -> Route:
    if path.startswith("/trap/") and path.endswith(".png"):
        return _normal
    if path in _EXACT:
        return _EXACT[path]
    for prefix, route in _PREFIXES:
        if path.startswith(prefix):
            return route
    return _normal
