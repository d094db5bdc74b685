"""The URLs a stylesheet makes a browser fetch.

A regular expression over the whole text would also pick up ``url(...)`` that
sits inside a comment or a quoted string (``content: "url(x)"``), so the
scanner consumes comments and strings as tokens of their own and only
``url()``, ``@import`` and ``image-set()`` yield URLs.  Escapes are undone the
way CSS defines them, because ``url(a\\(1\\).png)`` names ``a(1).png``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_STRING = r""""(?:[^"\\\n]|\\.|\\\n)*+"?|'(?:[^'\\\n]|\\.|\\\n)*+'?"""
# An unquoted URL cannot hold "(" (CSS makes that a bad-url), which also keeps a
# hostile "url(url(url(..." linear; possessive matching does the same for escapes.
_BARE = r"""(?:[^()"'\s\\]|(?>\\[0-9a-fA-F]{1,6}[ \t\r\n\f]?)|\\.)*+"""


def _url_body(name: str) -> str:
    """``( "quoted" )`` or ``( bare )`` after ``url``, captured as ``<name>q`` / ``<name>u``."""
    return rf"\(\s*(?:(?P<{name}q>{_STRING})|(?P<{name}u>{_BARE}))\s*\)"


_TOKENS = re.compile(
    r"(?P<comment>/\*.*?(?:\*/|\Z))"
    r"|(?P<import>@import\s*(?:url"
    + _url_body("iu")
    + rf"|(?P<is>{_STRING})))"
    + r"|(?P<imageset>(?<![\w-])(?:-webkit-)?image-set\((?P<set>[^()]*(?:\([^()]*\)[^()]*)*)\))"
    + r"|(?P<url>(?<![\w-])url"
    + _url_body("u")
    + ")"
    + rf"|(?P<string>{_STRING})",
    re.DOTALL | re.IGNORECASE,
)
_INNER = re.compile(
    r"(?<![\w-])url" + _url_body("u") + rf"|(?P<s>{_STRING})",
    re.DOTALL | re.IGNORECASE,
)
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\\r?\n|\\(.)", re.DOTALL)
_CHARSET = re.compile(rb'^@charset "([A-Za-z0-9_.:-]{1,40})";')


@dataclass(frozen=True, slots=True)
class CssRefs:
    """URL references as written in a stylesheet, still relative."""

    imports: list[str]
    resources: list[str]


def _unescape(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return match.group(2) or ""

    return _ESCAPE.sub(one, value)


def _unquote(token: str) -> str:
    if token[:1] in ("'", '"'):
        token = token[1:-1] if len(token) > 1 and token[-1] == token[0] else token[1:]
    return _unescape(token).strip()


def _pick(match: re.Match[str], name: str) -> str | None:
    quoted = match.group(name + "q")
    if quoted is not None:
        return _unquote(quoted)
    bare = match.group(name + "u")
    return _unescape(bare).strip() if bare is not None else None


# Sheets are scanned a piece at a time; a token still open near the end of a
# piece (a comment, a string, url( without its ")") is scanned again with the
# next piece.  Like libxml2 with a text node, the scan gives up on a token
# longer than _MAX_TOKEN, and it stops after _MAX_SHEET characters: the
# scanner's time grows with the characters, it runs in the reactor's thread,
# where no deadline can interrupt it, so these bound the time a hostile sheet
# (a gigabyte-long comment in a decompression bomb) can take.
_PIECE = 1024 * 1024
_TAIL = 64 * 1024
_MAX_TOKEN = 1024 * 1024
_MAX_SHEET = 8 * 1024 * 1024


def _scan(text: str, refs: CssRefs, allow_imports: bool, final: bool) -> int | None:
    """Add the references of ``text``; where the next piece resumes (None: stop here)."""
    settled = len(text) if final else len(text) - _TAIL
    resume = 0
    for match in _TOKENS.finditer(text):
        if match.end() > settled:
            return match.start() if len(text) - match.start() <= _MAX_TOKEN else None
        resume = match.end()
        if match.group("import") is not None:
            ref = _pick(match, "iu")
            if ref is None and match.group("is") is not None:
                ref = _unquote(match.group("is"))
            if ref and allow_imports:
                refs.imports.append(ref)
        elif match.group("imageset") is not None:
            for inner in _INNER.finditer(match.group("set")):
                ref = _pick(inner, "u") if inner.group("s") is None else _unquote(inner.group("s"))
                if ref:
                    refs.resources.append(ref)
        elif match.group("url") is not None:
            ref = _pick(match, "u")
            if ref:
                refs.resources.append(ref)
        # comments and plain strings are matched only so that they are skipped
    return max(resume, settled)


def scan_css_stream(pieces: Iterable[str], *, allow_imports: bool = True) -> CssRefs:
    """``scan_css`` over a sheet that arrives in pieces, holding about two pieces at most."""
    refs = CssRefs(imports=[], resources=[])
    carry, scanned = "", 0
    for piece in pieces:
        text = carry + piece
        scanned += len(piece)
        resume = _scan(text, refs, allow_imports, final=False)
        if resume is None or scanned > _MAX_SHEET:
            return refs
        carry = text[resume:]
    _scan(carry, refs, allow_imports, final=True)
    return refs


def scan_css(text: str, *, allow_imports: bool = True) -> CssRefs:
    """Split a stylesheet's references into imported sheets and other resources.

    ``allow_imports`` is off for ``style=""`` attributes, where ``@import`` is
    not valid CSS and a browser would ignore it.
    """
    refs = CssRefs(imports=[], resources=[])
    _scan(text, refs, allow_imports, final=True)
    return refs


def _charset_of(head: bytes, http_charset: str | None) -> tuple[str, int]:
    """The encoding browsers would choose (BOM, HTTP, @charset) and the BOM's length."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8", 3
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return codec, 2
    charset = http_charset
    if not charset:
        declared = _CHARSET.match(head)
        charset = declared.group(1).decode("ascii") if declared else None
    try:
        codecs.lookup(charset or "utf-8")
    except LookupError:
        return "utf-8", 0
    return charset or "utf-8", 0


def css_texts(chunks: Iterable[bytes], http_charset: str | None) -> Iterator[str]:
    """Decode a stylesheet stream in pieces of about ``_PIECE`` characters."""
    pending: list[bytes] = []
    size = 0
    decoder: codecs.IncrementalDecoder | None = None
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size < _PIECE:
            continue
        data = b"".join(pending)
        pending, size = [], 0
        if decoder is None:
            charset, skip = _charset_of(data, http_charset)
            decoder, data = codecs.getincrementaldecoder(charset)("replace"), data[skip:]
        yield decoder.decode(data)
    data = b"".join(pending)
    if decoder is None:
        charset, skip = _charset_of(data, http_charset)
        decoder, data = codecs.getincrementaldecoder(charset)("replace"), data[skip:]
    yield decoder.decode(data, True)


def css_text(body: bytes, http_charset: str | None) -> str:
    """Decode a stylesheet the way browsers choose its encoding (HTTP, BOM, @charset)."""
    return "".join(css_texts((body,), http_charset))
