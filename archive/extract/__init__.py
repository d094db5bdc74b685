"""Extraction: from a document's bytes to the sources it cites.

``extract`` is the single entry point for ingest, the CLI and the API.  Each
format has its own module with the same signature ``(data, *, base_url)``;
they are imported only when needed so that one format's dependency problem
never stops the others, and so that a missing optional module is reported as
"format not available" rather than breaking every import of this package.

Named references (sources a text names without linking) are looked for in the
prose formats only; bibliographic formats already list their sources.  A name
that is itself the text of a link ("published by <a>WikiLeaks</a>") is the
same citation as the link: the name is recorded on the link's citation as
``source_name`` instead of being reported twice.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import cast

from archive.errors import InputError
from archive.extract.csl import ACCESSED_RE, iso_date
from archive.extract.detect import check_not_binary, detect_format
from archive.extract.types import ExtractedCitation, Extraction

__all__ = ["FORMATS", "MEDIA_TYPES", "ExtractedCitation", "Extraction", "extract"]

FORMATS: tuple[str, ...] = (
    "html",
    "text",
    "markdown",
    "pdf",
    "wikitext",
    "bibtex",
    "ris",
    "csl-json",
)

MEDIA_TYPES: dict[str, str] = {
    "html": "text/html",
    "text": "text/plain",
    "markdown": "text/markdown",
    "pdf": "application/pdf",
    "wikitext": "text/x-wiki",
    "bibtex": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csl-json": "application/vnd.citationstyles.csl+json",
}

_PROSE = frozenset({"html", "text", "markdown", "pdf"})

# format -> (module, function)
_EXTRACTORS: dict[str, tuple[str, str]] = {
    "html": ("archive.extract.html", "extract_html"),
    "text": ("archive.extract.text", "extract_text"),
    "markdown": ("archive.extract.markdown", "extract_markdown"),
    "pdf": ("archive.extract.pdf", "extract_pdf"),
    "wikitext": ("archive.extract.wiki", "extract_wikitext"),
    "bibtex": ("archive.extract.bib", "extract_bibtex"),
    "ris": ("archive.extract.ris", "extract_ris"),
    "csl-json": ("archive.extract.csl", "extract_csl_json"),
}

_ALIASES = {
    "htm": "html",
    "txt": "text",
    "plain": "text",
    "md": "markdown",
    "wiki": "wikitext",
    "mediawiki": "wikitext",
    "bib": "bibtex",
    "csl": "csl-json",
    "csljson": "csl-json",
}

Extractor = Callable[..., Extraction]
NamedFinder = Callable[[str], list[ExtractedCitation]]


def _resolve_format(format: str) -> str:
    name = format.strip().lower()
    name = _ALIASES.get(name, name)
    if name not in FORMATS:
        raise InputError(
            f"unknown document format {format!r}",
            hint="use one of: " + ", ".join(FORMATS),
        )
    return name


def _extractor(fmt: str) -> Extractor:
    module_name, func_name = _EXTRACTORS[fmt]
    # Imported when first needed: a command that extracts nothing need not load every parser.
    return cast(Extractor, getattr(importlib.import_module(module_name), func_name))


def _named_references(text: str, fmt: str) -> list[ExtractedCitation]:
    module = importlib.import_module("archive.extract.named")
    finder = cast(NamedFinder, module.find_named_references)
    found = finder(text)
    if fmt == "pdf":
        # Pages are separated by form feeds in the PDF text.
        breaks = [m.start() for m in re.finditer("\f", text)]
        for cit in found:
            if cit.span is not None and cit.page is None:
                cit.page = bisect_right(breaks, cit.span[0]) + 1
    return found


_FOLD_GAP = 100  # "the OECD's review of data portals (https://…)": the link is the work
_CLAUSE_END = re.compile(r"[.;!?]\s|\n\n|,\s+(?:and|but|while|whereas)\s")


def _drop_furniture_links(extraction: Extraction, *, bare_only: bool = False) -> None:
    """Links on share, subscribe and follow lines of Markdown or plain text are buttons.

    ``bare_only``: in HTML the markup already told buttons from citations for
    anchors; only an address written out in the text ("Try it free at
    brilliant.org/show" in a sponsor read) is judged by its line.
    """
    if not extraction.text:
        return
    module = importlib.import_module("archive.extract.named")
    spans = cast(Callable[[str], list[tuple[int, int]]], module.furniture_spans)(extraction.text)
    starts = [a for a, _ in spans]

    def furniture(c: ExtractedCitation) -> bool:
        if c.kind != "url" or c.span is None:
            return False
        if bare_only and not c.extractor.endswith("bare-url"):
            return False
        i = bisect_right(starts, c.span[0]) - 1
        return i >= 0 and c.span[1] <= spans[i][1]

    extraction.citations = [c for c in extraction.citations if not furniture(c)]


def _host(
    text: str, ref: ExtractedCitation, located: list[tuple[int, int, int]], starts: list[int]
) -> int | None:
    """The link a named reference sits on, or names just before in its clause."""
    if ref.span is None:
        return None
    i = bisect_right(starts, ref.span[1] - 1) - 1
    # Link spans do not overlap one another, so their ends are sorted too.
    if i >= 0 and located[i][1] > ref.span[0]:
        return located[i][2]
    if i + 1 < len(located):
        start, _, index = located[i + 1]
        gap = text[ref.span[1] : start]
        if len(gap) <= _FOLD_GAP and not _CLAUSE_END.search(gap):
            return index
    return None


def _merge_named(
    text: str, citations: list[ExtractedCitation], named: list[ExtractedCitation]
) -> None:
    """Append named references, folding those that sit on or just before a link into it."""
    located = sorted(
        ((c.span[0], c.span[1], i) for i, c in enumerate(citations) if c.span is not None),
    )
    starts = [start for start, _, _ in located]
    hosts = [_host(text, ref, located, starts) for ref in named]
    # A reference on its link's text takes the link before one that only precedes it:
    # "weak output in Germany, <a>data from Eurostat showed</a>" is Eurostat's link.
    on_link = [
        i is not None and _on(ref, citations[i]) for ref, i in zip(named, hosts, strict=True)
    ]
    for first in (True, False):
        for ref, index, on in zip(named, hosts, on_link, strict=True):
            if on != first:
                continue
            if index is None:
                citations.append(ref)
                continue
            host = citations[index]
            if host.source_name is None:
                _fold(host, ref)
            elif (
                not first and ref.work_title and not _same_source(host.source_name, ref.source_name)
            ):
                # "the Ordnance Survey 25-inch map, which you can compare with <a>…</a>":
                # another source's own work named before the link is a citation of its own
                citations.append(ref)


def _on(ref: ExtractedCitation, host: ExtractedCitation) -> bool:
    return (
        ref.span is not None
        and host.span is not None
        and ref.span[0] < host.span[1]
        and host.span[0] < ref.span[1]
    )


def _same_source(a: str | None, b: str | None) -> bool:
    module = importlib.import_module("archive.extract.named")
    normalise = cast(Callable[[str], str], module.normalise_name)
    return normalise(a or "") == normalise(b or "")


def _fold(host: ExtractedCitation, ref: ExtractedCitation) -> None:
    """The link takes over what the named reference knew of the source: every field,
    since a reference-list entry ("Publisher, *Title*, date. URL") is one citation."""
    host.source_name = ref.source_name
    host.source_type = ref.source_type
    host.date_hint = host.date_hint or ref.date_hint
    work = ref.work_title
    if work is not None and ACCESSED_RE.match(work):
        work = None  # "Retrieved 5 April 2024" read as the entry's title: a date, no title
    host.work_title = host.work_title or work
    host.container = host.container or ref.container
    host.speaker = host.speaker or ref.speaker
    host.speaker_role = host.speaker_role or ref.speaker_role
    if host.claim is None:
        host.claim, host.claim_span = ref.claim, ref.claim_span
    host.mentions = host.mentions or ref.mentions
    if ref.extractor == "named.source-list":  # an entry's title and date are the work's
        host.title = host.title or work
        host.date = host.date or ref.date_hint


def _access_dates(text: str, citations: list[ExtractedCitation]) -> None:
    """ "https://… (accessed 3 March 2024)": the date a reference-list entry gives after
    its link, up to the line's end or its next link, is when the author read it.

    Runs after named references are folded into their links, and takes back a date
    that the named pass read as the entry's own date.
    """
    linked = sorted(
        (c for c in citations if c.kind != "named" and c.span is not None),
        key=lambda c: c.span or (0, 0),
    )
    for i, cit in enumerate(linked):
        assert cit.span is not None
        end = text.find("\n", cit.span[1])
        end = len(text) if end < 0 else end
        if i + 1 < len(linked):
            following = linked[i + 1].span
            if following is not None and following[0] < end:
                end = following[0]
        found = ACCESSED_RE.search(text, cit.span[1], end)
        if found is None:
            continue
        accessed = iso_date(found.group(1))
        cit.access_date = cit.access_date or accessed
        if iso_date(cit.date_hint) == accessed:
            cit.date_hint = None
        if iso_date(cit.date) == accessed:
            cit.date = None


def extract(
    data: bytes,
    *,
    filename: str | None = None,
    format: str | None = None,
    base_url: str | None = None,
) -> Extraction:
    """Read one document and return what it cites.

    ``format`` overrides detection (one of ``FORMATS``); ``filename`` helps
    detection when the content is ambiguous; ``base_url`` is where the
    document came from, used to resolve its relative links.
    """
    if format is not None:
        fmt = _resolve_format(format)
        if fmt != "pdf":
            check_not_binary(data, expected=fmt)
        elif not data:
            check_not_binary(data)
    else:
        fmt = detect_format(data, filename)
    try:
        extraction = _extractor(fmt)(data, base_url=base_url)
        extraction.format = fmt
        extraction.media_type = MEDIA_TYPES[fmt]
        if fmt in ("markdown", "text"):
            _drop_furniture_links(extraction)
        elif fmt == "html":
            _drop_furniture_links(extraction, bare_only=True)
        if fmt in _PROSE and extraction.text:
            _merge_named(
                extraction.text, extraction.citations, _named_references(extraction.text, fmt)
            )
            _access_dates(extraction.text, extraction.citations)
    except RecursionError as exc:
        # A parser that recurses per level of nesting met a document nested
        # past Python's stack: the document is refused as a whole rather than
        # stored with citations missing and no word said.
        raise InputError(
            f"the {fmt} document nests too deeply to be read ({exc})",
            hint="no real document nests this deep; check that the file is what it claims to be",
        ) from exc
    return extraction
