"""What a page needs to be shown as it was: its page requisites.

The set is at least what ``wget --page-requisites`` fetches (images with
``srcset`` and ``<picture>``, stylesheets and what they import, scripts,
icons, fonts, media posters and sources, ``background`` attributes, inline
``<style>`` and ``style=""``) plus the documents of frames, which a reader of
the archived page sees as part of it.  Everything is resolved against the
document URL and ``<base href>`` and reduced to the form Scrapy requests it
in, so the same resource found twice is fetched once.

The module knows nothing about Scrapy: it takes bytes and URLs, so that it is
tested on its own and can be reused by anything that wants the same set.
"""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin

from lxml import etree  # type: ignore[import-untyped, unused-ignore]
from w3lib.encoding import html_to_unicode, read_bom
from w3lib.url import safe_url_string

from crawler.css import CssRefs, css_texts, scan_css, scan_css_stream

STYLESHEET = "stylesheet"
DOCUMENT = "document"
RESOURCE = "resource"

_ICON_RELS = frozenset(
    {"icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon", "fluid-icon"}
)
_PRELOAD_RELS = frozenset({"preload", "modulepreload"})
# element -> attributes holding one URL of a resource the element loads
_SRC_ATTRS: dict[str, tuple[str, ...]] = {
    "img": ("src",),
    "script": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "source": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "body": ("background",),
    "table": ("background",),
    "tr": ("background",),
    "td": ("background",),
    "th": ("background",),
}
_SRCSET_TAGS = frozenset({"img", "source"})
_FRAME_TAGS = frozenset({"iframe", "frame"})
_SNIFF_BYTES = 4096  # where BOMs and <meta charset> are looked for
_MAX_STYLE_CHARS = 8 * 1024 * 1024  # of one <style> element


@dataclass(frozen=True, slots=True)
class Requisite:
    """One URL to fetch and how to treat the answer (stylesheets are parsed in turn)."""

    url: str
    kind: str


@dataclass(slots=True)
class Found:
    """Requisites in document order, each URL once."""

    items: list[Requisite] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)

    def add(self, url: str | None, kind: str) -> None:
        if url is None or url in self._seen:
            return
        self._seen.add(url)
        self.items.append(Requisite(url, kind))


def absolute(base: str, ref: str) -> str | None:
    """The fetchable http(s) URL ``ref`` denotes, without fragment, or None.

    ``safe_url_string`` is what Scrapy applies to every request URL; using it
    here makes the requisite list match the WARC-Target-URI of the records.
    """
    ref = ref.strip()
    if not ref or ref.startswith("#"):
        return None
    try:
        joined = urljoin(base, ref)
    except ValueError:
        return None
    scheme = joined.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        return None
    return urldefrag(safe_url_string(joined))[0] or None


def parse_srcset(value: str) -> list[str]:
    """The candidate URLs of a ``srcset``, split the way the HTML standard does.

    URLs may contain commas (``a.png?x=1,2``), so splitting on commas is wrong;
    a candidate URL runs to the next whitespace and a trailing comma ends it.
    """
    urls: list[str] = []
    pos, end = 0, len(value)
    while pos < end:
        while pos < end and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < end and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while pos < end:
                char = value[pos]
                if char == "(":
                    depth += 1
                elif char == ")":
                    depth = max(0, depth - 1)
                elif char == "," and depth == 0:
                    break
                pos += 1
        if url:
            urls.append(url)
    return urls


Source = bytes | Iterable[bytes]


def _chunks(source: Source) -> Iterable[bytes]:
    return (source,) if isinstance(source, bytes) else source


def _add_css(found: Found, text: str, base: str, *, allow_imports: bool = True) -> None:
    _add_refs(found, scan_css(text, allow_imports=allow_imports), base)


def _add_refs(found: Found, refs: CssRefs, base: str) -> None:
    for ref in refs.imports:
        found.add(absolute(base, ref), STYLESHEET)
    for ref in refs.resources:
        found.add(absolute(base, ref), RESOURCE)


def css_requisites(body: Source, url: str, http_charset: str | None = None) -> list[Requisite]:
    """What a stylesheet pulls in: imported sheets (parsed in turn) and resources.

    ``body`` is the sheet's bytes, whole or as a stream of decoded chunks.
    """
    found = Found()
    _add_refs(found, scan_css_stream(css_texts(_chunks(body), http_charset)), url)
    return found.items


class _Reader:
    """A file-like view of a chunk stream, re-encoded as UTF-8, for libxml2 to pull from.

    libxml2 pulls what it parses and lets go of what it has parsed; its push
    parser (``feed``) keeps every byte fed.  Both keep a text node or an
    attribute in one piece, but without ``huge_tree`` refuse one past 10 MB
    and stop there, so the memory a page can take while parsed is bounded.
    """

    def __init__(self, chunks: Iterable[bytes], content_type: str | None) -> None:
        self._chunks = iter(chunks)
        self._content_type = content_type
        self._decoder: codecs.IncrementalDecoder | None = None
        self._buffer = b""
        self._done = False
        self.empty = True

    def _start(self) -> None:
        head = b""
        for chunk in self._chunks:  # enough to find a BOM or a <meta charset>
            head += chunk
            if len(head) >= _SNIFF_BYTES:
                break
        encoding, _ = html_to_unicode(self._content_type, head[:_SNIFF_BYTES])
        bom = read_bom(head)
        if bom[1]:
            head = head[len(bom[1]) :]
        try:
            self._decoder = codecs.getincrementaldecoder(encoding)("replace")
        except LookupError:
            self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._push(head)

    def _push(self, data: bytes, final: bool = False) -> None:
        assert self._decoder is not None
        text = self._decoder.decode(data, final)
        if text.strip():
            self.empty = False
        self._buffer += text.encode("utf-8", "surrogatepass")

    def read(self, size: int = -1) -> bytes:
        if self._decoder is None:
            self._start()
        want = size if size > 0 else _SNIFF_BYTES
        while len(self._buffer) < want and not self._done:
            chunk = next(self._chunks, None)
            if chunk is None:
                self._done = True
                self._push(b"", final=True)
            else:
                self._push(chunk)
        out, self._buffer = self._buffer[:want], self._buffer[want:]
        return out


class _Events:
    """An lxml parser target: requisites from start tags, ``<style>`` text, ``<base>``.

    URLs are kept as written and resolved at the end, because ``<base href>``
    applies to the whole document wherever it stands.
    """

    def __init__(self, frames: bool) -> None:
        self.frames = frames
        self.refs: list[tuple[str, str, bool]] = []  # (ref, kind, is a CSS text)
        self.base: str | None = None
        self.srcdocs: list[tuple[int, str]] = []
        self._style: list[str] | None = None
        self._style_size = 0

    def _ref(self, value: str | None, kind: str) -> None:
        if value:
            self.refs.append((value, kind, False))

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if not isinstance(tag, str):
            return
        tag = tag.lower()
        if tag == "base" and self.base is None and attrib.get("href"):
            self.base = attrib["href"]
        elif tag == "link":
            self._link(attrib)
        elif tag == "style":
            self._style, self._style_size = [], 0
        elif tag in _FRAME_TAGS:
            if self.frames:
                self._ref(attrib.get("src"), DOCUMENT)
                if attrib.get("srcdoc"):
                    self.srcdocs.append((len(self.refs), attrib["srcdoc"]))
        else:
            image_input = tag != "input" or (attrib.get("type") or "").lower() == "image"
            for name in _SRC_ATTRS.get(tag, ()) if image_input else ():
                self._ref(attrib.get(name), RESOURCE)
            if tag in _SRCSET_TAGS and attrib.get("srcset"):
                for ref in parse_srcset(attrib["srcset"]):
                    self._ref(ref, RESOURCE)
        if attrib.get("style"):
            self.refs.append((attrib["style"], "style-attr", True))

    def _link(self, attrib: dict[str, str]) -> None:
        rels = set((attrib.get("rel") or "").lower().split())
        href = attrib.get("href")
        if href:
            if "stylesheet" in rels:
                self._ref(href, STYLESHEET)
            elif rels & _ICON_RELS:
                self._ref(href, RESOURCE)
            elif rels & _PRELOAD_RELS:
                as_style = (attrib.get("as") or "").lower() == "style"
                self._ref(href, STYLESHEET if as_style else RESOURCE)
            if attrib.get("imagesrcset"):
                for ref in parse_srcset(attrib["imagesrcset"]):
                    self._ref(ref, RESOURCE)

    def data(self, text: str) -> None:
        if self._style is not None and self._style_size < _MAX_STYLE_CHARS:
            self._style.append(text)
            self._style_size += len(text)

    def end(self, tag: str) -> None:
        if tag == "style" and self._style is not None:
            self.refs.append(("".join(self._style), "style", True))
            self._style = None

    def close(self) -> None:
        return None


def _parse(source: Iterable[bytes], content_type: str | None, frames: bool) -> _Events:
    events = _Events(frames)
    reader = _Reader(source, content_type)
    parser = etree.HTMLParser(target=events, encoding="utf-8", no_network=True)
    with contextlib.suppress(etree.XMLSyntaxError, etree.ParserError, ValueError):
        etree.parse(reader, parser)
    if events._style is not None:  # a stylesheet cut by the end of the body
        events.end("style")
    return events


def _collect(found: Found, events: _Events, base: str) -> None:
    srcdocs = dict(events.srcdocs)
    for index, (value, kind, is_css) in enumerate(events.refs):
        if index in srcdocs:
            _srcdoc(found, srcdocs.pop(index), base)
        if is_css:
            _add_css(found, value, base, allow_imports=kind == "style")
        else:
            found.add(absolute(base, value), kind)
    for srcdoc in srcdocs.values():
        _srcdoc(found, srcdoc, base)


def _srcdoc(found: Found, srcdoc: str, base: str) -> None:
    inner = _parse((srcdoc.encode("utf-8"),), "text/html; charset=utf-8", frames=False)
    _collect(found, inner, base)


def html_requisites(
    body: Source, url: str, content_type: str | None = None, *, frames: bool = True
) -> list[Requisite]:
    """Requisites of an HTML document; frame documents only when ``frames``.

    ``body`` is the page's bytes, whole or as a stream of decoded chunks, read
    once and never held whole.  ``frames`` is off for the documents inside
    ``srcdoc``, which are part of the page itself.
    """
    events = _parse(_chunks(body), content_type, frames)
    base = url
    if events.base is not None:
        base = absolute(url, events.base) or url
    found = Found()
    _collect(found, events, base)
    return found.items


def looks_like_html(content_type: str | None, body: bytes) -> bool:
    """Whether to parse a response as HTML: by its type, or by sniffing when untyped."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in ("text/html", "application/xhtml+xml"):
        return True
    if mime and mime not in ("text/plain", "application/octet-stream"):
        return False
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def looks_like_css(content_type: str | None, expected: bool) -> bool:
    """Stylesheets are parsed when typed text/css, or untyped where a sheet was expected."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime == "text/css":
        return True
    return expected and mime in ("", "text/plain", "application/octet-stream")
