"""Citations in Markdown: inline, reference-style and auto links, and bare URLs.

markdown-it-py parses the document (CommonMark, with linkify so that bare URLs
become link tokens as they would on a rendered page), and the token stream is
flattened into plain text while the position of every link is recorded.  The
plain text, not the Markdown source, is what ``Extraction.text`` holds: the
named-reference rules read prose and would otherwise trip over ``](``.

Link destinations are kept as written (markdown-it's percent-encoding of
destinations is turned off) because a citation records the URL as cited.
Code spans and fenced code are not citations: an example endpoint in a README
is not a source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree  # type: ignore[import-untyped, unused-ignore]
from markdown_it import MarkdownIt
from markdown_it.token import Token

from archive.extract.decode import decode_bytes
from archive.extract.furniture import without_furniture_links
from archive.extract.htmltree import parse_html, render_element
from archive.extract.types import ExtractedCitation, Extraction
from archive.extract.urlforms import citation_for_url, normalize_url, resolve_link, trim_url
from archive.extract.urls import ContextIndex, find_in_text, merge_spans, overlaps

__all__ = ["extract_markdown"]

_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_FIRST_HEADING = re.compile(r"^#{1,2}[ \t]+(.+?)[ \t#]*$", re.M)


class _VerbatimLinks(MarkdownIt):
    """Keeps link destinations and bare URLs as written instead of re-encoding them."""

    def normalizeLink(self, url: str) -> str:  # noqa: N802 - markdown-it's name
        return url.strip()

    def normalizeLinkText(self, link: str) -> str:  # noqa: N802 - markdown-it's name
        """A bare URL's text is the URL as cited: percent-escapes stay as written."""
        return link


# markdown-it stops reading a block nested past maxNesting and drops the rest
# of it; extraction says so in a warning.  The commonmark preset's 20 levels
# are kept: link labels (``[[[[...``) cost about length times this limit.
_MAX_NESTING = 20
_MD = _VerbatimLinks("commonmark", {"linkify": True, "maxNesting": _MAX_NESTING}).enable(
    ["linkify", "table", "strikethrough"]
)


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    href: str
    extractor: str


@dataclass
class _Flattener:
    """Plain text of a token stream plus the spans of links and code in it."""

    parts: list[str] = field(default_factory=list)
    pos: int = 0
    links: list[_Found] = field(default_factory=list)
    code: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def emit(self, chunk: str) -> None:
        if chunk:
            self.parts.append(chunk)
            self.pos += len(chunk)

    def breaks(self, count: int) -> None:
        """End the current block with ``count`` newlines (no blank lines at the start)."""
        if not self.parts:
            return
        have = 0
        for part in reversed(self.parts):  # the newlines may be in several parts
            kept = part.rstrip("\n")
            have += len(part) - len(kept)
            if kept:
                break
        if have < count:
            self.emit("\n" * (count - have))

    def inline(self, children: list[Token], defined: set[str]) -> None:
        open_link: tuple[int, str, str] | None = None
        for tok in children:
            if tok.type == "text":
                self.emit(tok.content)
            elif tok.type == "softbreak":
                # A wrapped source line, not a break in the prose.
                self.emit(" ")
            elif tok.type == "hardbreak":
                self.emit("\n")
            elif tok.type == "code_inline":
                self.code.append((self.pos, self.pos + len(tok.content)))
                self.emit(tok.content)
            elif tok.type == "image":
                self.emit(tok.content)
            elif tok.type == "link_open":
                href = str(tok.attrGet("href") or "")
                if tok.markup == "linkify":
                    kind = "markdown.bare-url"
                elif tok.markup == "autolink":
                    kind = "markdown.autolink"
                else:
                    kind = "markdown.reference-link" if href in defined else "markdown.link"
                open_link = (self.pos, href, kind)
            elif tok.type == "link_close" and open_link is not None:
                start, href, kind = open_link
                self.links.append(_Found(start, self.pos, href, kind))
                open_link = None
            elif tok.type == "html_inline":
                m = _HREF.match(tok.content)
                if m:
                    href = next(g for g in m.groups() if g is not None)
                    open_link = (self.pos, href, "markdown.html-anchor")
                elif tok.content.lower().startswith("</a") and open_link is not None:
                    start, href, kind = open_link
                    self.links.append(_Found(start, self.pos, href, kind))
                    open_link = None

    def html_block(self, source: str) -> None:
        try:
            root, warnings = parse_html(source, fragment=True, what="an HTML block")
        except (etree.ParserError, ValueError):
            return
        self.warnings.extend(warnings)
        text, links = render_element(root, "a", "href")
        offset = self.pos
        self.emit(text.rstrip("\n"))
        for link in links:
            self.links.append(
                _Found(link.start + offset, link.end + offset, link.href, "markdown.html-anchor")
            )


def _flatten(tokens: list[Token], defined: set[str]) -> _Flattener:
    flat = _Flattener()
    for tok in tokens:
        if tok.type == "inline":
            flat.inline(tok.children or [], defined)
        elif tok.type in ("paragraph_close", "heading_close"):
            flat.breaks(1 if tok.hidden else 2)
        elif tok.type in ("list_item_close", "tr_close", "hr"):
            flat.breaks(1)
        elif tok.type in ("heading_open", "bullet_list_close", "ordered_list_close"):
            # A heading, and the end of a list, stand apart from the block before them
            # as they do in the source, so that a heading is still read as one.
            flat.breaks(2)
        elif tok.type in ("th_close", "td_close"):
            flat.emit(" ")
        elif tok.type in ("fence", "code_block"):
            flat.breaks(2)
        elif tok.type == "html_block":
            flat.html_block(tok.content)
            flat.breaks(2)
    return flat


def _accept_linkify(cited: str) -> bool:
    """linkify's fuzzy matches include file names; keep only web-address shapes."""
    if _SCHEME.match(cited):
        return True
    _host, _slash, path = cited.partition("/")
    return cited.lower().startswith("www.") or bool(path)


def extract_markdown(data: bytes, *, base_url: str | None = None) -> Extraction:
    """Citations of a Markdown document; relative links resolve against ``base_url``."""
    decoded = decode_bytes(data)
    warnings = list(decoded.warnings)
    env: dict[str, object] = {}
    tokens = _MD.parse(decoded.text, env)
    refs = env.get("references")
    definitions: dict[str, str] = {}
    if isinstance(refs, dict):
        definitions = {label: str(ref["href"]) for label, ref in refs.items()}
    flat = _flatten(tokens, set(definitions.values()))
    warnings.extend(flat.warnings)
    deepest = max(tokens, key=lambda tok: tok.level, default=None)
    if deepest is not None and deepest.level >= _MAX_NESTING - 1:
        line = f" at line {deepest.map[0] + 1}" if deepest.map else ""
        warnings.append(
            f"the document nests lists or block quotes more than {_MAX_NESTING - 1} levels "
            f"deep{line}: what is nested deeper, and the rest of that outermost block, "
            "was not read"
        )
    text = "".join(flat.parts).rstrip("\n")
    contexts = ContextIndex(text, lines=True)
    page_key = normalize_url(base_url) if base_url else None

    found: list[tuple[int, ExtractedCitation]] = []
    claimed: list[tuple[int, int]] = list(flat.code)
    used: set[str] = set()
    unresolved = 0
    for link in flat.links:
        claimed.append((link.start, link.end))
        cited = fetchable = link.href
        if link.extractor == "markdown.bare-url":
            # linkify keeps closing typographic quotes; trim as for plain text.
            cited = trim_url(text[link.start : link.end])
            link.end = link.start + len(cited)
            if not cited or not _accept_linkify(cited):
                claimed.pop()
                continue
            fetchable = cited if _SCHEME.match(cited) else "http://" + cited
        used.add(link.href)
        absolute, relative = resolve_link(fetchable, base_url)
        unresolved += relative
        if absolute is None or (page_key is not None and normalize_url(absolute) == page_key):
            continue
        anchor = " ".join(text[link.start : link.end].split()) or None
        cit = citation_for_url(
            cited if fetchable != cited else absolute,
            capture_url=absolute,
            extractor=link.extractor,
            span=(link.start, link.end),
            context=contexts.context(link.start, link.end),
            anchor_text=anchor,
        )
        found.append((link.start, cit))
    claimed = merge_spans(claimed)
    for cit in find_in_text(text, extractor_prefix="markdown", contexts=contexts):
        assert cit.span is not None
        if not overlaps(claimed, *cit.span):
            found.append((cit.span[0], cit))
    found.sort(key=lambda item: item[0])
    citations = [cit for _, cit in found]
    for href in definitions.values():
        if href in used:
            continue
        used.add(href)
        absolute, relative = resolve_link(href, base_url)
        unresolved += relative
        if absolute is not None:
            citations.append(citation_for_url(absolute, extractor="markdown.reference-definition"))
    if unresolved:
        warnings.append(
            f"{unresolved} relative link(s) were skipped because the document's own URL is "
            "unknown; pass the URL it came from to resolve them"
        )
    heading = _FIRST_HEADING.search(decoded.text)
    return Extraction(
        format="markdown",
        citations=without_furniture_links(text, citations, [base_url]),
        title=heading.group(1).strip() if heading else None,
        media_type="text/markdown",
        text=text,
        warnings=warnings,
    )
