"""Citations in an HTML page: the links and bare references of its main content.

A news page links to its home page, its sections, share buttons and legal
notices far more often than to its sources, so the page is first reduced to
its main content with trafilatura.  Three things are done around it:

* trafilatura resolves relative links against the site root, ignoring the
  page path and ``<base>``; links are therefore made absolute beforehand, and
  the ones that are not citations (``mailto:``, ``javascript:``, in-page
  fragments, the page itself) lose their ``href`` so they are never reported.
* trafilatura drops link-dense blocks as boilerplate, and a "Sources" or
  "References" list of bare links is exactly such a block.  Such sections are
  found in the page beforehand (by heading text or by class/id, outside
  navigation and the page footer) and their links added when trafilatura
  left them out.
* when trafilatura finds no article it keeps the page's text without its
  links; a line it kept verbatim gets its links back (``restore_stripped``).

A page too large or nested too deep for trafilatura in reasonable time is
read whole, minus navigation and other furniture, and a warning says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import unquote, urlsplit

from lxml import etree  # type: ignore[import-untyped, unused-ignore]
from trafilatura import bare_extraction
from w3lib.html import get_base_url

from archive.errors import InputError
from archive.extract.decode import decode_bytes
from archive.extract.furniture import furniture_heading, without_furniture_links
from archive.extract.htmltree import (
    Link,
    parse_html,
    render_element,
    restore_stripped,
    tree_depth,
)
from archive.extract.types import ExtractedCitation, Extraction
from archive.extract.urlforms import citation_for_url, normalize_url, resolve_link
from archive.extract.urls import ContextIndex, find_in_text, merge_spans, overlaps

__all__ = ["extract_html"]

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)

_FURNITURE = frozenset({"nav", "aside", "header", "footer", "form", "menu"})
# A class or id token that starts with one of these words ("share-tools",
# "related-posts") or is one of the site-* names.  Tokens that merely end in
# one ("content-with-sidebar") are layout wrappers, not furniture.
_FURNITURE_CLASS = re.compile(
    r"(?:^|\s)(?:(?:nav|navbar|navigation|menu|sidebar|share|sharing|social|breadcrumbs?|"
    r"comments?|related|promo|advert|ads?|cookie|newsletter|subscribe)(?:[-_]\S*)?|"
    r"(?:site|main|global|top)[-_](?:nav|navigation|header|footer|menu)|social[-_]share)"
    r"(?=$|\s)",
    re.I,
)
_REF_CLASS = re.compile(
    r"(?:^|[\s_-])(?:references?|reflist|footnotes?|endnotes?|bibliography|citations?|"
    r"sources|works[\s_-]cited)(?:$|[\s_-])",
    re.I,
)
_REF_HEADING = re.compile(
    r"^\s*(?:sources?|references?|notes(?: and references)?|footnotes|endnotes|bibliography|"
    r"citations|works cited|further reading|links|external links)\s*:?\s*$",
    re.I,
)
_SHORT_PAGE, _FAST_ABOVE = 1000, 256_000
# Main-content detection takes time in proportion to elements times depth
# (jusText and trafilatura look at every element's ancestors): past these it
# is skipped.  libxml2's own default nesting limit, and a mean depth that
# real pages (15 to 40) stay far below.
_DEEP, _DEEP_MEAN = 256, 64
_HEAD_SCAN = 512_000  # <base> is in <head>; heads with inline styles and scripts run long
# trafilatura holds about 25 bytes per byte of article text at its peak.
_TRAFILATURA_MAX = 8_000_000
# Elements that trafilatura always discards (a subset of its MANUALLY_CLEANED).
_NEVER_CONTENT_TAGS = "script style noscript template svg iframe object embed canvas video audio"
_NEVER_CONTENT = (*_NEVER_CONTENT_TAGS.split(), "nav", "menu", "aside", "footer", "select")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _is_furniture(elem: etree._Element) -> bool:
    """Whether ``elem`` sits in navigation, a sidebar or the page-level footer."""
    node: etree._Element | None = elem
    in_content = False
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("article", "main"):
            in_content = True
        if tag in _FURNITURE and not (tag in ("footer", "header") and in_content):
            return True
        if _FURNITURE_CLASS.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
        node = node.getparent()
    return False


def _headed_sections(
    doc: etree._Element, heads: Callable[[str], object]
) -> Iterator[list[etree._Element]]:
    """The elements after each heading whose text ``heads`` accepts, up to the next
    heading of its level or above (navigation and sidebars among them left out)."""
    for elem in doc.iter(*_HEADINGS):
        if not heads(elem.text_content() or "") or _is_furniture(elem):
            continue
        level = int(elem.tag[1])
        group: list[etree._Element] = []
        sibling = elem.getnext()
        while sibling is not None:
            tag = sibling.tag if isinstance(sibling.tag, str) else ""
            if tag in _HEADINGS and int(tag[1]) <= level:
                break
            if not _is_furniture_tag(sibling):
                group.append(sibling)
            sibling = sibling.getnext()
        if group:
            yield group


def _unlink_furniture_sections(doc: etree._Element) -> None:
    """Links under a "Related", "Listen on" or "Blogs I read" heading are furniture.

    They lose their ``href`` before main-content detection, which keeps such
    a box's lines but not always its heading.
    """
    for group in _headed_sections(doc, furniture_heading):
        for elem in group:
            for a in elem.iter("a"):
                a.attrib.pop("href", None)


def _reference_sections(doc: etree._Element) -> list[list[etree._Element]]:
    """Groups of elements that form a "Sources"/"References" section of the page."""
    sections: list[list[etree._Element]] = []
    seen: set[etree._Element] = set()
    for group in _headed_sections(doc, _REF_HEADING.match):
        sections.append(group)
        seen.update(group)
    for elem in doc.iter("ol", "ul", "div", "section", "aside", "footer", "dl"):
        if elem in seen or not _REF_CLASS.search(f"{elem.get('class', '')} {elem.get('id', '')}"):
            continue
        if any(a in seen for a in elem.iterancestors()):
            continue
        parent = elem.getparent()
        if parent is not None and _is_furniture(parent):
            continue
        sections.append([elem])
        seen.add(elem)
    return sections


def _page_urls(doc: etree._Element, base_url: str | None) -> list[str]:
    """Every URL the page goes by: where it was fetched, its canonical and og:url."""
    urls = [base_url] if base_url else []
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        for value in doc.xpath(xpath):
            if urlsplit(str(value).strip()).scheme in ("http", "https"):
                urls.append(str(value).strip())
    return urls


def _title(doc: etree._Element) -> str | None:
    for value in doc.xpath('//meta[@property="og:title"]/@content'):
        if str(value).strip():
            return " ".join(str(value).split())
    title = doc.findtext(".//title")
    return " ".join(title.split()) if title and title.strip() else None


def _page_path(url: str) -> str:
    """Cheap stand-in for ``normalize_url`` that never misses a match, used as a filter."""
    cut = min((i for i in (url.find("#"), url.find("?")) if i != -1), default=len(url))
    return unquote(url[:cut].split("://", 1)[-1].lower()).rstrip("/")


def _prepare_links(doc: etree._Element, base: str | None, page_urls: list[str]) -> int:
    """Make every ``<a href>`` absolute, or remove it if it is not a citation.

    Returns how many relative links had to be dropped for want of a base URL.
    Menus make pages with thousands of links common, so the full
    normalisation that recognises the page itself only runs on candidates.
    """
    unresolved = 0
    self_keys = {normalize_url(url) for url in page_urls}
    self_paths = {_page_path(url) for url in page_urls}
    # Menus repeat the same hrefs in header, body and footer.
    seen: dict[str, tuple[str | None, bool]] = {}
    for a in doc.iter("a"):
        href = a.get("href") or ""
        known = seen.get(href)
        if known is None:
            absolute, relative = resolve_link(href, base)
            if absolute is not None and _page_path(absolute) in self_paths:
                absolute = None if normalize_url(absolute) in self_keys else absolute
            known = seen[href] = (absolute, relative)
        absolute, relative = known
        unresolved += relative
        if absolute is None:
            a.attrib.pop("href", None)
        else:
            a.set("href", absolute)
    return unresolved


def _without_furniture(doc: etree._Element) -> etree._Element | None:
    """The page's body minus navigation, headers, footers and sidebars."""
    body = doc.find("body")
    if body is None:
        return None
    furniture = [elem for elem in body.iter() if elem is not body and _is_furniture_tag(elem)]
    for elem in furniture:
        if elem.getparent() is not None:
            elem.drop_tree()
    return body


def _main_content(doc: etree._Element, *, size: int, deep: bool) -> tuple[str, list[Link]]:
    # trafilatura deletes these itself, but only after copying the whole tree
    # (more than once, for its fallback extractors): dropping them first
    # halves its time and memory on script-heavy pages.
    etree.strip_elements(doc, *_NEVER_CONTENT, with_tail=False)
    if size <= _TRAFILATURA_MAX and not deep:
        # On large pages trafilatura's second opinion (readability and jusText
        # on a further copy of the tree) doubles time and memory and rarely
        # changes the links found; small pages, where it matters, still get it.
        result = bare_extraction(
            doc,
            include_links=True,
            include_tables=True,
            include_comments=False,
            fast=size > _FAST_ABOVE,
        )
        body = getattr(result, "body", None)
        if body is not None and len(body):
            text, links = render_element(body, "ref", "target")
            if links or len(text) >= _SHORT_PAGE:
                page = _without_furniture(doc)
                if page is None:
                    return text, links
                return text, restore_stripped(text, links, *render_element(page, "a", "href"))
    # Too short for trafilatura (whose fallback for short pages keeps no links)
    # or too large or too deep for it: the whole body minus page furniture.
    page = _without_furniture(doc)
    return ("", []) if page is None else render_element(page, "a", "href")


def _is_furniture_tag(elem: etree._Element) -> bool:
    tag = elem.tag if isinstance(elem.tag, str) else ""
    return tag in _FURNITURE or bool(
        _FURNITURE_CLASS.search(f"{elem.get('class', '')} {elem.get('id', '')}")
    )


def _trim_span(text: str, link: Link) -> tuple[int, int]:
    seg = text[link.start : link.end]
    return link.start + len(seg) - len(seg.lstrip()), link.end - len(seg) + len(seg.rstrip())


def extract_html(data: bytes, *, base_url: str | None = None) -> Extraction:
    """Citations of an HTML page; ``base_url`` is where the page was fetched from."""
    decoded = decode_bytes(data, html=True)
    warnings = decoded.warnings
    source = _XML_DECL.sub("", decoded.text, count=1)
    size, head = len(source), source[:_HEAD_SCAN]
    try:
        doc, parse_warnings = parse_html(source)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(
            f"the HTML document could not be parsed: {exc}",
            hint="check that the file is an HTML page and not empty",
        ) from exc
    # The tree has it all now; the text (up to 4 bytes a character) need not
    # stay alive through trafilatura, the memory peak.
    del decoded, source
    warnings.extend(parse_warnings)

    page_urls = _page_urls(doc, base_url)
    base = get_base_url(head, page_urls[0] if page_urls else "") or None
    if base and not urlsplit(base).netloc:
        base = None
    unresolved = _prepare_links(doc, base, page_urls)
    if unresolved:
        warnings.append(
            f"{unresolved} relative link(s) were skipped because the page's own URL is unknown; "
            "pass the URL the page came from to resolve them"
        )

    # The reference sections' ancestor checks cost elements times depth too.
    depth, mean_depth = tree_depth(doc)
    deep = depth > _DEEP or mean_depth > _DEEP_MEAN
    if not deep:
        _unlink_furniture_sections(doc)
    # Reference sections are read before trafilatura touches the tree.
    sections = [] if deep else [_join_rendered(group) for group in _reference_sections(doc)]
    text, links = _main_content(doc, size=size, deep=deep)
    if size > _TRAFILATURA_MAX or deep:
        what = f"too large ({size / 1e6:.0f} MB)" if size > _TRAFILATURA_MAX else "nested too deep"
        warnings.append(
            f"the page is {what} for main-content detection"
            + (f" ({depth} levels, {mean_depth:.0f} on average)" if deep else "")
            + ": links were taken from the whole page except navigation, headers, footers "
            "and sidebars"
        )
    # A section trafilatura kept is not added twice; one it dropped is appended.
    kept = {link.href for link in links}
    missing = [(t, [x for x in found if x.href not in kept]) for t, found in sections]
    full, section_links = _join_rendered_texts([(text, [])] + [m for m in missing if m[1]], "\n\n")

    contexts = ContextIndex(full, lines=True)
    citations: list[tuple[int, ExtractedCitation]] = []
    anchor_spans: list[tuple[int, int]] = []
    for link, extractor in [(x, "html.anchor") for x in links] + [
        (x, "html.reference-list") for x in section_links
    ]:
        start, end = _trim_span(full, link)
        cit = citation_for_url(
            link.href,
            extractor=extractor,
            span=(start, end),
            context=contexts.context(start, end),
            anchor_text=" ".join(full[start:end].split()) or None,
        )
        citations.append((start, cit))
        anchor_spans.append((link.start, link.end))
    anchor_spans = merge_spans(anchor_spans)
    for cit in find_in_text(full, extractor_prefix="html", contexts=contexts):
        assert cit.span is not None
        if not overlaps(anchor_spans, *cit.span):
            citations.append((cit.span[0], cit))
    citations.sort(key=lambda item: item[0])
    return Extraction(
        format="html",
        citations=without_furniture_links(
            full, [cit for _, cit in citations], page_urls, blank_around_headings=False
        ),
        title=_title(doc),
        media_type="text/html",
        text=full,
        warnings=warnings,
    )


def _join_rendered_texts(pieces: list[tuple[str, list[Link]]], sep: str) -> tuple[str, list[Link]]:
    """Concatenate rendered texts, shifting each one's links to the joined text."""
    texts: list[str] = []
    links: list[Link] = []
    offset = 0
    for text, found in pieces:
        text = text.rstrip("\n")
        if texts:
            offset += len(sep)
        links += [Link(x.start + offset, x.end + offset, x.href) for x in found]
        texts.append(text)
        offset += len(text)
    return sep.join(texts), links


def _join_rendered(group: list[etree._Element]) -> tuple[str, list[Link]]:
    rendered = [render_element(elem, "a", "href") for elem in group]
    return _join_rendered_texts([r for r in rendered if r[0].strip()], "\n")
