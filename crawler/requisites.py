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

from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin

import lxml.html  # type: ignore[import-untyped, unused-ignore]
from lxml import etree  # type: ignore[import-untyped, unused-ignore]
from w3lib.encoding import html_to_unicode
from w3lib.url import safe_url_string

from crawler.css import css_text, scan_css

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
# Only these elements can name a requisite; selecting them in libxml2 spares
# visiting every element of a page in Python (document order is kept).
_CANDIDATES = etree.XPath(
    " | ".join(
        f"//{tag}" for tag in sorted({*_SRC_ATTRS, *_SRCSET_TAGS, *_FRAME_TAGS, "link", "style"})
    )
    + " | //*[@style]"
)


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


def _add_css(found: Found, text: str, base: str, *, allow_imports: bool = True) -> None:
    refs = scan_css(text, allow_imports=allow_imports)
    for ref in refs.imports:
        found.add(absolute(base, ref), STYLESHEET)
    for ref in refs.resources:
        found.add(absolute(base, ref), RESOURCE)


def css_requisites(body: bytes, url: str, http_charset: str | None = None) -> list[Requisite]:
    """What a stylesheet pulls in: imported sheets (parsed in turn) and resources."""
    found = Found()
    _add_css(found, css_text(body, http_charset), url)
    return found.items


def _document(body: bytes, content_type: str | None) -> etree._Element | None:
    _, text = html_to_unicode(content_type, body)
    if not text.strip():
        return None
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _base_url(doc: etree._Element, url: str) -> str:
    for href in doc.iter("base"):
        value = href.get("href")
        if value:
            resolved = absolute(url, value)
            return resolved or url
    return url


def _link(found: Found, element: etree._Element, base: str) -> None:
    rels = set((element.get("rel") or "").lower().split())
    href = element.get("href")
    if not href:
        return
    if "stylesheet" in rels:
        found.add(absolute(base, href), STYLESHEET)
    elif rels & _ICON_RELS:
        found.add(absolute(base, href), RESOURCE)
    elif rels & _PRELOAD_RELS:
        kind = STYLESHEET if (element.get("as") or "").lower() == "style" else RESOURCE
        found.add(absolute(base, href), kind)
    if element.get("imagesrcset"):
        for ref in parse_srcset(element.get("imagesrcset") or ""):
            found.add(absolute(base, ref), RESOURCE)


def _walk(found: Found, doc: etree._Element, base: str, *, frames: bool) -> None:
    for element in _CANDIDATES(doc):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        tag = tag.lower()
        if tag == "link":
            _link(found, element, base)
        elif tag == "style":
            _add_css(found, element.text_content(), base)
        elif tag in _FRAME_TAGS:
            if frames:
                src = element.get("src")
                if src:
                    found.add(absolute(base, src), DOCUMENT)
                srcdoc = element.get("srcdoc")
                if srcdoc:
                    inner = _document(srcdoc.encode("utf-8"), "text/html; charset=utf-8")
                    if inner is not None:
                        _walk(found, inner, base, frames=False)
        else:
            image_input = tag != "input" or (element.get("type") or "").lower() == "image"
            for attr in _SRC_ATTRS.get(tag, ()) if image_input else ():
                value = element.get(attr)
                if value:
                    found.add(absolute(base, value), RESOURCE)
            if tag in _SRCSET_TAGS and element.get("srcset"):
                for ref in parse_srcset(element.get("srcset") or ""):
                    found.add(absolute(base, ref), RESOURCE)
        style = element.get("style")
        if style:
            _add_css(found, style, base, allow_imports=False)


def html_requisites(
    body: bytes, url: str, content_type: str | None = None, *, frames: bool = True
) -> list[Requisite]:
    """Requisites of an HTML document; frame documents only when ``frames``.

    ``frames`` is off for the documents of frames themselves: frames are
    followed one level deep, as far as a reader of the page sees them.
    """
    doc = _document(body, content_type)
    if doc is None:
        return []
    found = Found()
    _walk(found, doc, _base_url(doc, url), frames=frames)
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
