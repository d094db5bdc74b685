"""MediaWiki wikitext reader built on mwparserfromhell.

The parse tree is walked by hand rather than with ``filter_*`` because the
walk needs what the filters do not give: each node's character offset (for
spans), whether it sits inside a ``<ref>``, and which template holds a link.
Cite templates are read whole and never descended into, which is what keeps
their ``url=`` from also turning up as a bare link; links inside any other
template are found.  mwparserfromhell reads an unclosed ``{{`` or ``<ref>`` as
plain text: those leftovers are what the warnings report.  A cite template
is read into a citation by ``archive.extract.wikicite``.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import mwparserfromhell
from mwparserfromhell.definitions import is_visible
from mwparserfromhell.nodes import ExternalLink, Heading, Tag, Template, Text, Wikilink

from archive.extract.csl import build_citation, clean_arxiv, clean_doi
from archive.extract.decode import decode_bytes
from archive.extract.furniture import furniture_heading
from archive.extract.types import ExtractedCitation, Extraction
from archive.extract.urls import find_in_text
from archive.extract.wikicite import cite_template, prose_text, raw_text, template_name

__all__ = ["extract_wikitext"]

_CONTEXT_CHARS = 300
# Links in code samples and formulas are not citations.
_SKIPPED_TAGS = frozenset(
    {"nowiki", "pre", "syntaxhighlight", "source", "math", "code", "chem", "score", "graph"}
)
_WEB_LINK_RE = re.compile(r"\s*(?:(?:https?|ftp):)?//", re.IGNORECASE)
_ID_TEMPLATES = frozenset({"doi", "arxiv"})
_LINK_TEMPLATES = frozenset({"url", "official website", "official url"})
# A free link swallows "|title=..." when the template around it is unclosed.
_TEMPLATE_RESIDUE_RE = re.compile(r"\|\s*[\w-]+\s*=.*$", re.DOTALL)
_NON_PROSE_LINK_RE = re.compile(r"\s*(?:category|file|image)\s*:", re.IGNORECASE)
_LEFTOVERS = (
    ("{{", "unbalanced template ('{{' without '}}'); read as plain text"),
    ("}}", "unbalanced template ('}}' without '{{')"),
    ("<ref", "unclosed <ref>; its links are read as links outside references"),
)
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def _contents_offset(tag: Tag) -> int:
    closing = (tag.closing_wiki_markup or "") if tag.wiki_markup else f"</{tag.closing_tag}>"
    return len(str(tag)) - len(str(tag.contents)) - len(closing)


def _last_sentence(text: str) -> str | None:
    """The sentence a reference marker follows: text after the last sentence end."""
    text = " ".join(text.split())
    starts = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
    sentence = text[starts[-1] :] if starts else text
    if len(sentence) > _CONTEXT_CHARS:
        tail = sentence[-_CONTEXT_CHARS:]
        sentence = "… " + tail[tail.find(" ") + 1 :]
    return sentence or None


@dataclass(slots=True)
class _Ref:
    name: str | None
    context: str | None
    limit: int
    citations: list[ExtractedCitation] = field(default_factory=list)


class _Reader:
    def __init__(self, text: str, base_url: str | None) -> None:
        self.text = text
        self.base_url = base_url
        self.citations: list[ExtractedCitation] = []
        self.warnings: list[str] = []
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._defined: set[tuple[str, str]] = set()
        self._first_context: dict[tuple[str, str], str] = {}
        self._needs_context: list[tuple[tuple[str, str], _Ref]] = []

    def line(self, offset: int) -> int:
        return bisect_right(self._newlines, offset - 1) + 1

    def scan(self, code: Any, base: int, ref: _Ref | None) -> None:
        offset = base
        # The level of a section headed as furniture ("External links", "See also"):
        # what it links is where to read on, not what the page cites, down to the
        # next heading of that level or above.
        furniture: int | None = None
        for index, node in enumerate(code.nodes):
            start, offset = offset, offset + len(str(node))
            if isinstance(node, Heading):
                if furniture is not None and node.level <= furniture:
                    furniture = None
                if furniture is None and furniture_heading(str(node.title).strip()):
                    furniture = node.level
            if furniture is not None:
                continue
            if isinstance(node, Tag):
                self._tag(node, start, code, index, ref)
            elif isinstance(node, Template):
                self._template(node, start, code, index, ref)
            elif isinstance(node, ExternalLink):
                self._link(node, start, self._context(code, index, ref), ref)
            elif isinstance(node, Wikilink) and node.text is not None:
                self.scan(node.text, start + 3 + len(str(node.title)), ref)
            elif isinstance(node, Text):
                self._check_text(str(node), start)

    def finish(self) -> None:
        """List-defined refs get the context of the place that uses them."""
        for key, ref in self._needs_context:
            for citation in ref.citations:
                citation.context = citation.context or self._first_context.get(key)

    def _context(self, code: Any, index: int, ref: _Ref | None) -> str | None:
        if ref is not None:
            return ref.context
        pieces: list[str] = []
        for node in reversed(code.nodes[:index]):
            if isinstance(node, Heading):
                break
            if isinstance(node, Tag) and str(node.tag).strip().lower() == "ref":
                continue
            written = str(node)
            if isinstance(node, Text) and "\n" in written:
                pieces.append(written.rsplit("\n", 1)[1])
                break
            if "\n" in written or sum(map(len, pieces)) > 4 * _CONTEXT_CHARS:
                break
            stripped = node.__strip__(normalize=True, collapse=True, keep_template_params=False)
            pieces.append(str(stripped) if stripped else "")
        before = "".join(reversed(pieces))
        # Markup left over from an unclosed <ref> or {{ is not prose.
        unclosed = max(before.lower().rfind("<ref"), before.rfind("{{"))
        return _last_sentence(before[:unclosed] if unclosed >= 0 else before)

    def _emit(self, citation: ExtractedCitation, ref: _Ref | None) -> None:
        if ref is not None:
            if citation.span is not None:
                citation.span = (citation.span[0], min(citation.span[1], ref.limit))
            if ref.name:
                citation.identifiers = {**(citation.identifiers or {}), "ref_name": ref.name}
            if any(c.url and c.url == citation.url for c in ref.citations):
                return
            ref.citations.append(citation)
        self.citations.append(citation)

    def _tag(self, node: Tag, start: int, code: Any, index: int, ref: _Ref | None) -> None:
        name = str(node.tag).strip().lower()
        if name in _SKIPPED_TAGS or node.invalid or (node.self_closing and name != "ref"):
            return
        if name != "ref" or ref is not None:
            self.scan(node.contents, start + _contents_offset(node), ref)
            return
        attrs = {str(a.name).strip().lower(): str(a.value or "").strip() for a in node.attributes}
        key = (attrs.get("group", ""), attrs["name"]) if attrs.get("name") else None
        context = self._context(code, index, None)
        if key is not None and context:
            self._first_context.setdefault(key, context)
        if node.self_closing or not str(node.contents).strip() or key in self._defined:
            return  # a reuse of a named ref, or a second definition of it
        contents_start = start + _contents_offset(node)
        if key is not None:
            self._defined.add(key)
        limit = contents_start + len(str(node.contents))
        current = _Ref(attrs.get("name"), context, limit)
        self.scan(self._repaired(node.contents, contents_start), contents_start, current)
        if not current.citations and not attrs.get("group"):
            self._ref_text(node.contents, (contents_start, limit), current)
        if key is not None and not context:
            self._needs_context.append((key, current))

    def _repaired(self, contents: Any, start: int) -> Any:
        written = str(contents)
        missing = written.count("{{") - written.count("}}")
        if missing <= 0 or not any(isinstance(n, Text) and "{{" in str(n) for n in contents.nodes):
            return contents
        self.warnings.append(
            f"line {self.line(start)}: unclosed template inside <ref>; read as if closed at </ref>"
        )
        return mwparserfromhell.parse(written.rstrip() + "}}" * missing)

    def _ref_text(self, contents: Any, span: tuple[int, int], ref: _Ref) -> None:
        """A ref without a link or template still names a source: keep it."""
        text = prose_text(contents)
        if not text:
            return
        citation = build_citation(
            "wiki.ref-text",
            doi=clean_doi(text) if "doi" in text.lower() else None,
            arxiv_id=clean_arxiv(text),
            base_url=self.base_url,
            context=ref.context,
            span=span,
        )
        citation.source_name = text[:_CONTEXT_CHARS]
        self._emit(citation, ref)

    def _template(
        self, node: Template, start: int, code: Any, index: int, ref: _Ref | None
    ) -> None:
        name = template_name(node)
        span = (start, start + len(str(node)))
        if name in ("citation", "cite") or name.startswith(("cite ", "vcite ")):
            citation = cite_template(
                node, name, span, self._context(code, index, ref), self.base_url
            )
            self._emit(citation, ref)
        elif name in _ID_TEMPLATES or name in _LINK_TEMPLATES:
            value = raw_text(node.get(1).value) if node.has(1) else None
            if value is None:
                return
            kind = name if name in _ID_TEMPLATES else None
            link = "wiki.ref-link" if ref is not None else "wiki.external-link"
            citation = build_citation(
                f"wiki.{kind}-template" if kind else link,
                url=None if kind else value if "//" in value else "http://" + value,
                doi=value if kind == "doi" else None,
                arxiv_id=value if kind == "arxiv" else None,
                base_url=self.base_url,
                context=self._context(code, index, ref),
                span=span,
            )
            self._emit(citation, ref)
        elif name == "webarchive":
            self._attach_archive(
                raw_text(node.get("url").value) if node.has("url") else None, start
            )
        else:
            position = start + 2 + len(str(node.name))
            for param in node.params:
                value_start = position + 1 + (len(str(param.name)) + 1 if param.showkey else 0)
                self.scan(param.value, value_start, ref)
                position += 1 + len(str(param))

    def _attach_archive(self, archive_url: str | None, start: int) -> None:
        """``{{webarchive}}`` belongs to the link just before it on the same line."""
        if not archive_url or not self.citations:
            return
        last = self.citations[-1]
        if last.span and last.archive_url is None and "\n" not in self.text[last.span[1] : start]:
            last.archive_url = archive_url

    def _link(self, node: ExternalLink, start: int, context: Any, ref: _Ref | None) -> None:
        written = str(node.url) if node.brackets else _TEMPLATE_RESIDUE_RE.sub("", str(node.url))
        if not _WEB_LINK_RE.match(written):
            return  # mailto:, irc:, news: and the like cite nothing that can be archived
        end = start + (len(str(node)) if node.brackets else len(written))
        outside = "wiki.external-link" if node.brackets else "wiki.bare-url"
        citation = build_citation(
            "wiki.ref-link" if ref is not None else outside,
            url=html.unescape(written.strip()),
            base_url=self.base_url,
            anchor_text=prose_text(node.title) if node.title is not None else None,
            context=context,
            span=(start, end),
        )
        self._emit(citation, ref)

    def _check_text(self, text: str, start: int) -> None:
        """Markup the parser gave up on survives as text: that is the damage to report."""
        for marker, problem in _LEFTOVERS:
            at = text.lower().find(marker)
            if at >= 0:
                self.warnings.append(f"line {self.line(start + at)}: {problem}")


def _title(code: Any) -> str | None:
    headings = code.filter_headings(recursive=False)
    first = next((h for h in headings if h.level == 1), headings[0] if headings else None)
    return " ".join(first.title.strip_code().split()) or None if first is not None else None


def _plain_text(code: Any) -> str:
    """Article prose for the named-reference finder; ``strip_code`` alone would run
    every ref's text into its sentence and keep the category links."""
    parts: list[str] = []
    for node in code.nodes:
        is_ref = isinstance(node, Tag) and str(node.tag).strip().lower() == "ref"
        if is_ref or (isinstance(node, Wikilink) and _NON_PROSE_LINK_RE.match(str(node.title))):
            continue
        if isinstance(node, Tag):
            visible = node.contents is not None and is_visible(str(node.tag).strip())
            parts.append(_plain_text(node.contents) if visible else "")
            continue
        stripped = node.__strip__(normalize=True, collapse=True, keep_template_params=False)
        parts.append(str(stripped) if stripped else "")
    return re.sub(r"\n{3,}", "\n\n", "".join(parts))


def extract_wikitext(data: bytes, *, base_url: str | None = None) -> Extraction:
    """Read MediaWiki source: cite templates, links in refs, links in the text.

    Named refs count once, however often they are reused.  A damaged page
    gives whatever is readable, with warnings; this function does not raise
    on bad markup.
    """
    decoded = decode_bytes(data)
    result = Extraction(format="wikitext", media_type="text/x-wiki", warnings=decoded.warnings)
    reader = _Reader(decoded.text, base_url)
    try:
        code = mwparserfromhell.parse(decoded.text)
    except (RecursionError, mwparserfromhell.parser.ParserError) as exc:
        # mwparserfromhell builds its tree recursively: with no tree there
        # are no templates or references, but the URLs are still there.
        result.warnings.append(
            f"wikitext nests too deeply to parse ({exc}): its URLs were read as plain "
            "text, without cite templates or references"
        )
        result.text = decoded.text
        result.citations = find_in_text(decoded.text, extractor_prefix="wiki")
        return result
    try:
        reader.scan(code, 0, None)
        reader.finish()
        result.title = _title(code)
        result.text = _plain_text(code).strip()
    except (RecursionError, mwparserfromhell.parser.ParserError) as exc:
        result.warnings.append(f"wikitext nests too deeply to read completely ({exc})")
        result.text = result.text or decoded.text
    result.citations = reader.citations
    result.warnings.extend(dict.fromkeys(reader.warnings))
    return result
