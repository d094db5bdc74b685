"""HTML trees: parsing a page without silent cuts, and rendering a tree as text.

libxml2's HTML parser has resource limits, and when one is hit it stops
reading and returns what it has, without an exception: by default at 256
levels of nesting or at a text node or attribute of 10 MB, after which the
rest of the page is simply gone (a page nested 100,000 deep, or with one
12 MB paragraph, gave no citations at all).  ``huge_tree`` lifts the size
limits -- documents are already capped by ``max_document_bytes`` -- and
raises the depth limit to 2048, libxml2's hard maximum.  A page nested
deeper than that is still cut there; ``parse_html`` then says so in a
warning that counts the links lost.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import lxml.html  # type: ignore[import-untyped, unused-ignore]
from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from archive.extract.urls import merge_spans, overlaps

__all__ = [
    "MAX_DEPTH",
    "Link",
    "parse_html",
    "render_element",
    "restore_stripped",
    "tree_depth",
]

# libxml2's nesting limit with XML_PARSE_HUGE (fixed in the library).
MAX_DEPTH = 2048
_ANCHOR = re.compile(r"<a[\s>]", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def parse_html(
    source: str, *, fragment: bool = False, what: str = "the page"
) -> tuple[etree._Element, list[str]]:
    """The tree of ``source`` (a whole document, or a fragment under a ``div``).

    The warnings name any part libxml2 stopped before; ``etree.ParserError``
    and ``ValueError`` pass through for sources with nothing to parse.
    """
    parser = lxml.html.HTMLParser(huge_tree=True)
    if fragment:
        root = lxml.html.fragment_fromstring(source, create_parent="div", parser=parser)
    else:
        root = lxml.html.document_fromstring(source, parser=parser)
    fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
    if not fatal:
        return root, []
    error = fatal[0]
    if "depth" in error.message.lower():
        cause = f"{what} nests elements more than {MAX_DEPTH} levels deep"
    else:
        cause = f"the HTML parser gave up on {what} ({error.message.strip()})"
    in_source = sum(1 for _ in _ANCHOR.finditer(source))
    lost = max(0, in_source - sum(1 for _ in root.iter("a")))
    return root, [
        f"{cause}: reading stopped at line {error.line}, and what follows was skipped"
        + (f", with {lost} of its {in_source} links (<a> elements)" if lost else "")
    ]


# HTML block elements, then trafilatura's output vocabulary.
_BLOCK_TAGS = (
    "p div li ul ol dl dt dd blockquote pre table tr h1 h2 h3 h4 h5 h6 section article main "
    "header footer aside nav figure figcaption address form fieldset details summary "
    "head list item quote row code"
)
_BLOCKS = frozenset(_BLOCK_TAGS.split())
_CELLS, _BREAKS = frozenset({"td", "th", "cell"}), frozenset({"br", "lb"})
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "select", "button"})


@dataclass(slots=True)
class Link:
    start: int
    end: int
    href: str


def render_element(root: etree._Element, link_tag: str, link_attr: str) -> tuple[str, list[Link]]:
    """Plain text of ``root`` and where each link's text sits in it.

    Iterative (``iterwalk``) rather than recursive: broken pages nest
    thousands of elements deep.
    """
    parts: list[str] = []
    pos = 0
    at_line_start = True
    links: list[Link] = []
    opened: dict[etree._Element, int] = {}
    skipping: etree._Element | None = None

    def emit(chunk: str | None) -> None:
        nonlocal pos, at_line_start
        if not chunk:
            return
        chunk = _SPACE.sub(" ", chunk)
        if at_line_start:
            chunk = chunk.lstrip(" ")
        elif parts and parts[-1].endswith(" ") and chunk.startswith(" "):
            chunk = chunk[1:]
        if chunk:
            parts.append(chunk)
            pos += len(chunk)
            at_line_start = False

    def newline() -> None:
        nonlocal pos, at_line_start
        if parts and not at_line_start:
            parts.append("\n")
            pos += 1
            at_line_start = True

    for event, elem in etree.iterwalk(root, events=("start", "end")):
        tag = elem.tag if isinstance(elem.tag, str) else ""
        if skipping is not None:
            if event == "end" and elem is skipping:
                skipping = None
                if elem is not root:
                    emit(elem.tail)
            continue
        if event == "start":
            if tag in _SKIP or not tag:
                skipping = elem
                continue
            if tag in _BLOCKS:
                newline()
            elif tag in _CELLS and not at_line_start:
                emit(" ")
            if tag == link_tag and elem.get(link_attr):
                opened[elem] = pos
            emit(elem.text)
        else:
            if tag in _BREAKS:
                newline()
            if elem in opened:
                links.append(Link(opened.pop(elem), pos, elem.get(link_attr, "")))
            if tag in _BLOCKS:
                newline()
            if elem is not root:
                emit(elem.tail)
    return "".join(parts), links


def tree_depth(root: etree._Element) -> tuple[int, float]:
    """How deep the tree under ``root`` nests: the deepest element and the mean.

    ``root`` alone is one level deep.
    """
    depth = deepest = total = count = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            deepest = max(deepest, depth)
            total += depth
            count += 1
        else:
            depth -= 1
    return deepest, total / max(count, 1)


def restore_stripped(
    text: str, links: list[Link], page_text: str, page_links: list[Link]
) -> list[Link]:
    """``links`` plus those of the page whose line trafilatura kept without its link.

    When trafilatura's main extractor finds no article (a page that is only
    a list of linked paragraphs) it falls back to the page's plain text,
    links stripped: every line is kept and every citation lost.  A line of
    the page (furniture removed) that trafilatura kept verbatim is main
    content, and so are its links; equal lines are paired in page order.
    """
    kept = {link.href for link in links}
    lost = [link for link in page_links if link.href not in kept]
    if not lost:
        return links
    starts: dict[str, list[int]] = {}
    pos = 0
    for line in text.split("\n"):
        starts.setdefault(line, []).append(pos)
        pos += len(line) + 1
    breaks = [m.start() for m in re.finditer("\n", page_text)]
    used: dict[str, int] = {}
    placed: dict[int, int] = {}  # page line start -> kept line start (-1: not kept)
    spans = merge_spans((link.start, link.end) for link in links)
    restored: list[Link] = []
    for link in lost:
        i = bisect_right(breaks, link.start - 1)
        line_start = breaks[i - 1] + 1 if i else 0
        line_end = breaks[i] if i < len(breaks) else len(page_text)
        if link.end > line_end:
            continue
        if line_start not in placed:
            line = page_text[line_start:line_end]
            options, n = starts.get(line, []), used.get(line, 0)
            placed[line_start] = options[n] if n < len(options) else -1
            used[line] = n + 1
        at = placed[line_start]
        start, end = at + link.start - line_start, at + link.end - line_start
        if at >= 0 and not overlaps(spans, start, end):
            restored.append(Link(start, end, link.href))
    return sorted(links + restored, key=lambda link: link.start)
