"""The static part of the test site: every body it serves from memory.

Each image or file is distinct (a different colour, comment or text), so that
payload-digest deduplication in the crawler can only merge what really is the
same resource fetched twice.
"""

from __future__ import annotations

import base64
import hashlib
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from tests.sites import encodings as enc

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Expected:
    """What a route sends, for tests that check the crawler's records independently.

    ``body`` is the representation once content-decoded; ``entity`` is the
    message body after de-chunking but still content-coded, which is what a
    WARC payload digest covers; ``wire`` adds the chunked framing when there is
    one, i.e. the exact bytes after the header block.
    """

    path: str
    status: int
    content_type: str | None
    body: bytes
    entity: bytes
    content_encoding: str | None = None
    chunks: tuple[bytes, ...] | None = None

    @property
    def chunked(self) -> bool:
        return self.chunks is not None

    @property
    def wire(self) -> bytes:
        return enc.chunked_wire(self.chunks) if self.chunks is not None else self.entity


def _plain(path: str, content_type: str | None, body: bytes, status: int = 200) -> Expected:
    return Expected(path, status, content_type, body, body)


# --- tiny but valid media ----------------------------------------------------------


def _colour(seed: str) -> bytes:
    return hashlib.sha256(seed.encode()).digest()[:3]


def png(seed: str) -> bytes:
    """A 1x1 RGB PNG whose colour depends on ``seed``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" + _colour(seed))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg(comment: str) -> bytes:
    """A 1x1 mid-grey baseline JPEG; the comment segment keeps each file distinct."""

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload

    one_code = bytes([1] + [0] * 15) + b"\x00"  # a Huffman table with the single symbol 0
    return b"".join(
        [
            b"\xff\xd8",
            segment(0xFE, comment.encode()),
            segment(0xDB, b"\x00" + b"\x01" * 64),
            segment(0xC0, struct.pack(">BHHB", 8, 1, 1, 1) + b"\x01\x11\x00"),
            segment(0xC4, b"\x00" + one_code),  # DC: only "difference 0"
            segment(0xC4, b"\x10" + one_code),  # AC: only end-of-block
            segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
            b"\x3f",  # DC "0", EOB "0", padded with ones
            b"\xff\xd9",
        ]
    )


# A 1x1 lossless WebP (the one browsers' feature tests use).
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")


def ico(seed: str) -> bytes:
    """An ICO holding one PNG image, as Windows Vista and every browser accept."""
    image = png(seed)
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", 1, 1, 0, 0, 1, 32, len(image), 6 + 16)
    return header + entry + image


def mp4() -> bytes:
    """An ISO-BMFF file with ``ftyp`` and a movie header: well-formed, zero tracks."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload) + 8) + kind + payload

    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = (
        struct.pack(">IIIII", 0, 0, 0, 1000, 0)
        + struct.pack(">IH", 0x10000, 0x100)
        + b"\x00" * 10
        + matrix
        + b"\x00" * 24
        + struct.pack(">I", 1)
    )
    return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + box(b"moov", box(b"mvhd", mvhd))


# The WOFF2 signature and header fields only: enough to be typed as a font, not to render.
WOFF2 = b"wOF2" + struct.pack(">IIHHIHHIIIII", 0x00010000, 48, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0)


def pdf(text: str) -> bytes:
    """A one-page PDF with correct cross-reference offsets, so strict readers open it."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- pages -----------------------------------------------------------------------


def page(title: str, body: str, head: str = "") -> bytes:
    return (
        f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
    ).encode()


INDEX = page(
    "citevault test site",
    "<h1>citevault test site</h1>\n<ul>\n"
    '<li><a href="/page/plain.html">plain</a></li>\n'
    '<li><a href="/page/requisites.html">requisites</a></li>\n'
    '<li><a href="/page/requisites2.html">requisites 2</a></li>\n'
    '<li><a href="/doc.pdf">a PDF</a></li>\n'
    '<li><a href="/data.json">some JSON</a></li>\n'
    '<li><a href="/private/page.html">private</a></li>\n</ul>',
)

PLAIN = page(
    "Plain page",
    "<h1>Plain page</h1>\n<p>Nothing here but text — with some non-ASCII: naïve café.</p>",
)

REQUISITES_PAGE = page(
    "Every requisite",
    '<img src="/img/logo.png" alt="logo">\n'
    '<img src="/img/a-1x.png" srcset="/img/a-1x.png 1x, /img/a-2x.png 2x" alt="a">\n'
    '<picture><source srcset="/img/p.webp" type="image/webp">'
    '<img src="/img/p.png" alt="p"></picture>\n'
    '<video poster="/img/poster.jpg" controls>'
    '<source src="/media/clip.mp4" type="video/mp4"></video>\n'
    '<iframe src="/page/iframe.html" title="frame"></iframe>\n'
    "<div style=\"background-image:url('/img/attr-bg.png')\">styled</div>\n"
    '<p>Not a requisite: <a href="/page/plain.html">a plain page</a>.</p>\n'
    '<script src="/js/app.js"></script>',
    head='<link rel="stylesheet" href="/css/main.css">\n'
    '<link rel="icon" href="/favicon.ico">\n'
    "<style>body { background: url(/img/inline-bg.png); }</style>\n",
)

REQUISITES2_PAGE = page(
    "Shared requisites",
    '<img src="/img/p.png" alt="p again">\n<img src="/img/second.png" alt="second">',
    head='<link rel="stylesheet" href="/css/main.css">\n',
)

# A cited article as a reader sees it: text and a figure (a PNG drawn large), for
# tests that look at a replayed page in a browser.
ARTICLE_PAGE = page(
    "A cited article",
    "<h1>A cited article</h1>\n<p>The figure below is what the citing document refers to.</p>\n"
    '<figure><img src="/img/figure.png" alt="figure 1" width="320" height="180">'
    "<figcaption>Figure 1: a flat colour.</figcaption></figure>",
    head='<link rel="stylesheet" href="/css/main.css">\n',
)

IFRAME_PAGE = page("In a frame", '<img src="/img/in-iframe.png" alt="framed">')
PRIVATE_PAGE = page("Private", "<p>robots.txt disallows this page.</p>")

MAIN_CSS = (
    b'@import url("/css/imported.css");\n'
    b'@font-face { font-family: "Test"; src: url(/fonts/f.woff2) format("woff2"); }\n'
    b'body { background: url(/img/bg.png) no-repeat; font-family: "Test", sans-serif; }\n'
)
IMPORTED_CSS = b"h1 { background-image: url(../img/from-import.png); }\n"
APP_JS = b'document.documentElement.dataset.app = "loaded";\n'

ROBOTS = b"User-agent: *\nDisallow: /private/\n"
DATA_JSON = b'{"site": "citevault test site", "items": [1, 2, 3], "ok": true}\n'
DOC_PDF = pdf("citevault test document")

# What a crawler capturing page requisites must fetch, and must not.
REQUISITES_DIRECT = frozenset(
    {
        "/img/logo.png",
        "/img/a-1x.png",
        "/img/a-2x.png",
        "/img/p.webp",
        "/img/p.png",
        "/img/poster.jpg",
        "/media/clip.mp4",
        "/page/iframe.html",
        "/img/attr-bg.png",
        "/img/inline-bg.png",
        "/css/main.css",
        "/favicon.ico",
        "/js/app.js",
    }
)
REQUISITES_NESTED = frozenset(
    {
        "/css/imported.css",
        "/img/bg.png",
        "/fonts/f.woff2",
        "/img/from-import.png",
        "/img/in-iframe.png",
    }
)
REQUISITES_ALL = REQUISITES_DIRECT | REQUISITES_NESTED
REQUISITES2_ALL = frozenset(
    {"/img/p.png", "/img/second.png", "/css/main.css"}
    | {"/css/imported.css", "/img/bg.png", "/fonts/f.woff2", "/img/from-import.png"}
)
NOT_REQUISITES = frozenset({"/page/plain.html"})

_PNGS = [p for p in REQUISITES_ALL | REQUISITES2_ALL if p.endswith(".png")]


# --- encoded pages ----------------------------------------------------------------


def _encoded_page(path: str) -> bytes:
    rows = "\n".join(f"<p>Paragraph {i} of {path}: façade, résumé, 日本語.</p>" for i in range(60))
    return page(f"Encoded {path}", rows)


def _encoded(path: str, coding: str | None, chunk_parts: int | None) -> Expected:
    body = _encoded_page(path)
    coders: dict[str | None, Callable[[bytes], bytes]] = {
        None: bytes,
        "gzip": enc.gzip_bytes,
        "br": enc.brotli_bytes,
        "deflate": enc.deflate_bytes,
    }
    entity = coders[coding](body)
    chunks = enc.split_chunks(entity, chunk_parts) if chunk_parts else None
    return Expected(path, 200, HTML, body, entity, coding, chunks)


# --- status pages ---------------------------------------------------------------


def status_page(code: int, path: str | None = None) -> Expected:
    where = path or f"/status/{code}"
    if code in (204, 304) or code < 200:
        return Expected(where, code, None, b"", b"")
    return _plain(where, HTML, page(f"Status {code}", f"<h1>{code}</h1>"), code)


def _build() -> dict[str, Expected]:
    table = [
        ("/", HTML, INDEX),
        ("/page/plain.html", HTML, PLAIN),
        ("/page/requisites.html", HTML, REQUISITES_PAGE),
        ("/page/requisites2.html", HTML, REQUISITES2_PAGE),
        ("/page/iframe.html", HTML, IFRAME_PAGE),
        ("/page/article.html", HTML, ARTICLE_PAGE),
        ("/private/page.html", HTML, PRIVATE_PAGE),
        ("/css/main.css", "text/css; charset=utf-8", MAIN_CSS),
        ("/css/imported.css", "text/css; charset=utf-8", IMPORTED_CSS),
        ("/js/app.js", "text/javascript; charset=utf-8", APP_JS),
        ("/img/p.webp", "image/webp", WEBP),
        ("/img/poster.jpg", "image/jpeg", jpeg("poster")),
        ("/img/photo.jpg", "image/jpeg", jpeg("photo")),
        ("/media/clip.mp4", "video/mp4", mp4()),
        ("/fonts/f.woff2", "font/woff2", WOFF2),
        ("/favicon.ico", "image/x-icon", ico("/favicon.ico")),
        ("/robots.txt", "text/plain; charset=utf-8", ROBOTS),
        ("/doc.pdf", "application/pdf", DOC_PDF),
        ("/data.json", "application/json", DATA_JSON),
    ]
    table += [(p, "image/png", png(p)) for p in [*_PNGS, "/img/figure.png"]]
    routes = {path: _plain(path, ctype, body) for path, ctype, body in table}
    for path, coding, parts in [
        ("/enc/gzip.html", "gzip", None),
        ("/enc/br.html", "br", None),
        ("/enc/deflate.html", "deflate", None),
        ("/enc/chunked.html", None, 5),
        ("/enc/gzip-chunked.html", "gzip", 4),
    ]:
        routes[path] = _encoded(path, coding, parts)
    for code in (204, 404, 500):
        routes[f"/status/{code}"] = status_page(code)
    return routes


STATIC: dict[str, Expected] = _build()


def expected(target: str) -> Expected:
    """The response for a static route, ``/status/N``, ``/big?bytes=N`` or ``/slow?seconds=N``.

    Tests recompute digests from this rather than from the crawler's own
    records, so a crawler bug cannot confirm itself.

    Redirects, ``/hang``, ``/cookie`` and the bombs have no single body to
    compare: see ``tests.sites.handler.chain_target`` and
    ``tests.sites.encodings.bomb_entity`` instead.
    """
    path, _, query = target.partition("?")
    params = dict(part.partition("=")[::2] for part in query.split("&") if part)
    if path in STATIC:  # the site ignores queries on static routes (cache-busting URLs)
        return STATIC[path]
    if path.startswith("/status/") and path[8:].isdigit():
        return status_page(int(path[8:]))
    if path == "/big" and params.get("bytes", "").isdigit():
        return _plain(target, "application/octet-stream", enc.big_body(int(params["bytes"])))
    if path == "/slow" and "seconds" in params:
        return _plain(target, "text/plain; charset=utf-8", enc.slow_body(float(params["seconds"])))
    raise KeyError(f"no fixed expected response for {target!r}")
