"""URLs, DOIs and arXiv ids in running text.

Every prose extractor (HTML, plain text, Markdown, PDF) ends up with a string of
text in which sources are cited bare, so the rules for recognising them live
here once.  linkify-it-py does the URL grammar (it already trims trailing
punctuation and keeps balanced parentheses, as in Wikipedia article URLs); what
is added on top is what citations need and linkify does not give:

* typographic quotes around a URL are swapped for ASCII quotes of the same
  length before matching, so offsets into the original text stay valid;
* scheme-less ("fuzzy") matches are kept only when they look like a web
  address rather than a file name ("www." prefix or a path), because prose is
  full of ``setup.py`` and ``Node.js``;
* links to doi.org and arxiv.org become one ``doi``/``arxiv`` citation, with
  the URL as cited kept alongside, instead of a URL plus an identifier.

What is done to a URL once found (trimming, the doi/arxiv reading, the form
used to deduplicate) is in ``archive.extract.urlforms``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from linkify_it import LinkifyIt

from archive.extract.types import ExtractedCitation
from archive.extract.urlforms import ARXIV_ID, arxiv_url, citation_for_url, doi_url, trim_url

__all__ = [
    "CONTEXT_CHARS",
    "ContextIndex",
    "find_in_text",
    "merge_spans",
    "overlaps",
]

CONTEXT_CHARS = 300

# One typographic character for one ASCII character: offsets survive.
_QUOTES = str.maketrans(
    "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2019\u201a\u201b\u2039\u203a", '""""""' + "'" * 6
)
_HAS_QUOTES = re.compile("[\u201c-\u201f\u00ab\u00bb\u2018-\u201b\u2039\u203a]")

_SCHEMES = {"http:", "https:", "ftp:", ""}

_DOI = re.compile(r"10\.\d{4,9}/[^\s\"]+")
_DOI_PREFIX = re.compile(r"(?<![\w.])doi\s*:?\s*$", re.IGNORECASE)
_ARXIV = re.compile(r"\barxiv\s*[:\s]\s*(" + ARXIV_ID + r")(?![\w/]|\.\w)", re.IGNORECASE)

# A full stop followed by space ends a sentence unless the word before it is
# an abbreviation or an initial ("e.g.", "et al.", "J. Smith").
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=\S)|\n[ \t\r]*\n\s*|\f\s*")
_LINE_END = re.compile(r"[.!?][\"'”’)\]]*[ \t]+(?=\S)|\s*[\n\f]\s*")
_ABBREV_WORDS = (
    "e.g i.e cf vs al Dr Mr Mrs Ms Prof St No Nos Fig Figs pp p vol Vol "
    "Inc Ltd Co Jr Sr Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
_ABBREV = frozenset(_ABBREV_WORDS.split())

# Literal-led so the regex engine can skip ahead; ignoring case would defeat that.
_CANDIDATE = re.compile(r"://|www\.|WWW\.|\.[A-Za-z]{2,63}/")
_SCHEME_BEFORE = re.compile(r"(?<![\w.:/@-])(https?|ftp)$", re.I)
_MAX_URL = 4096
_LINKIFY = LinkifyIt(options={"fuzzy_link": True, "fuzzy_email": False, "fuzzy_ip": False})


class ContextIndex:
    """Sentence boundaries of one text, found once, looked up by bisection.

    Documents cite hundreds of sources; scanning outwards from every match for
    the sentence around it would make large documents quadratic.  With
    ``lines`` set, every line break ends a sentence: right for text rendered
    from markup (one block per line), wrong for plain text and PDF, where lines
    wrap inside sentences and only a blank line is a break.
    """

    def __init__(self, text: str, *, lines: bool = False) -> None:
        self.text = text
        starts = [0]
        for m in (_LINE_END if lines else _SENTENCE_END).finditer(text):
            gap = m.group()
            if gap[0] == "." and gap.count("\n") < 2 and "\f" not in gap:
                tail = text[max(0, m.start() - 5) : m.start()].rsplit(None, 1) or [""]
                word = tail[-1].lstrip("([\"'")
                if word in _ABBREV or (len(word) == 1 and word.isupper()):
                    continue
            starts.append(m.end())
        self._starts = starts

    def context(self, start: int, end: int, limit: int = CONTEXT_CHARS) -> str:
        """The sentence(s) around ``text[start:end]``, whitespace collapsed, cut to ``limit``."""
        text, starts = self.text, self._starts
        s = starts[bisect_right(starts, start) - 1]
        i = bisect_right(starts, max(start, end - 1))
        e = starts[i] if i < len(starts) else len(text)
        left_cut = right_cut = False
        if e - s > limit:
            budget = max(limit - (end - start), 0)
            left = max(s, start - budget // 2)
            right = min(e, end + budget - (start - left))
            left = max(s, right - limit) if right - left < limit else left
            if left > s:
                space = text.find(" ", left, start)
                left = space + 1 if space != -1 else left
                left_cut = True
            if right < e:
                space = text.rfind(" ", end, right)
                right = space if space != -1 else right
                right_cut = True
            s, e = left, right
        snippet = " ".join(text[s:e].split())
        return ("… " if left_cut else "") + snippet + (" …" if right_cut else "")


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping version of ``spans``, as ``overlaps`` needs."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans`` (sorted, non-overlapping)."""
    i = bisect_left(spans, (start, start))
    return (i < len(spans) and spans[i][0] < end) or (i > 0 and spans[i - 1][1] > start)


def _token_bounds(text: str, pos: int) -> tuple[int, int]:
    """The whitespace-delimited stretch around ``pos`` (bounded: URLs are not that long)."""
    lo, hi = max(0, pos - _MAX_URL), min(len(text), pos + _MAX_URL)
    left = max(text.rfind(" ", lo, pos), text.rfind("\n", lo, pos), text.rfind("\t", lo, pos))
    rights = [i for i in (text.find(" ", pos, hi), text.find("\n", pos, hi)) if i != -1]
    return (left + 1 if left != -1 else lo), min(rights, default=hi)


def _accept(text: str, start: int, end: int, schema: str) -> tuple[int, int, str] | None:
    """Trim a linkify match and decide whether it is a citable URL."""
    raw = trim_url(text[start:end])
    if not raw or schema not in _SCHEMES:
        return None
    if schema:
        return start, start + len(raw), raw
    _host, _slash, path = raw.partition("/")
    if not (raw.lower().startswith("www.") or path):
        return None
    if start > 0 and text[start - 1] in "@.":
        return None
    return start, start + len(raw), "http://" + raw


def _url_matches(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, fetchable url) of every acceptable URL in ``text``.

    Running linkify over a whole document is slow: its scheme-less pattern
    is tried at every position.  Cheap signposts
    (``http://``, ``www.``, ``.tld/``) are found first; a scheme is validated
    in place with linkify's own grammar, and the full matcher only runs on
    the word around a scheme-less signpost.
    """
    claimed = 0
    for m in _CANDIDATE.finditer(text):
        start = m.start()
        if start < claimed:
            continue
        if m.group() == "://":
            scheme = _SCHEME_BEFORE.search(text, max(0, start - 6), start)
            if scheme is None:
                continue
            schema = scheme.group(1).lower() + ":"
            length = _LINKIFY.test_schema_at(text, schema, start + 1)
            if length:
                claimed = start + 1 + length
                found = _accept(text, scheme.start(), claimed, schema)
                if found:
                    yield found
            continue
        left, right = _token_bounds(text, start)
        for lm in _LINKIFY.match(text[left:right]) or ():
            if left + lm.index >= claimed:
                found = _accept(text, left + lm.index, left + lm.last_index, lm.schema)
                if found:
                    yield found
        claimed = right


def find_in_text(
    text: str,
    *,
    extractor_prefix: str,
    base_offset: int = 0,
    contexts: ContextIndex | None = None,
) -> list[ExtractedCitation]:
    """URLs, DOIs and arXiv ids cited in ``text``, in document order.

    ``contexts`` may be passed when the caller has already indexed the same
    text (for its own anchors); spans are offsets into ``text`` plus
    ``base_offset``.  A DOI or arXiv id inside a URL is part of that URL's
    citation, never a second one.
    """
    if not text:
        return []
    scan = text.translate(_QUOTES) if _HAS_QUOTES.search(text) else text
    index = contexts or ContextIndex(text)
    found: list[tuple[int, ExtractedCitation]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, cit: ExtractedCitation) -> None:
        cit.span = (start + base_offset, end + base_offset)
        cit.context = index.context(start, end)
        found.append((start, cit))

    # "arXiv:math.GT/0309136" also looks like a scheme-less link to math.gt.
    arxiv = list(_ARXIV.finditer(scan)) if "arxiv" in scan.lower() else []
    arxiv_spans = [(m.start(), m.end()) for m in arxiv]
    if "." in scan and ("/" in scan or "www" in scan.lower()):
        for start, end, fetchable in _url_matches(scan):
            fuzzy = scan[start:end] != fetchable
            if fuzzy and overlaps(arxiv_spans, start, end):
                continue
            cit = citation_for_url(
                text[start:end], extractor=f"{extractor_prefix}.bare-url", capture_url=fetchable
            )
            add(start, end, cit)
            taken.append((start, end))
    if "10." in scan:
        doi_spans: list[tuple[int, int]] = []
        for m in _DOI.finditer(scan):
            start, end = m.start(), m.start() + len(trim_url(m.group()))
            if start > 0 and (scan[start - 1].isalnum() or scan[start - 1] in "_./-"):
                continue
            if overlaps(taken, start, end):
                continue
            doi = text[start:end]
            prefix = _DOI_PREFIX.search(scan, max(0, start - 8), start)
            start = prefix.start() if prefix else start
            cit = ExtractedCitation(
                kind="doi", extractor=f"{extractor_prefix}.doi", doi=doi, capture_url=doi_url(doi)
            )
            add(start, end, cit)
            doi_spans.append((start, end))
        taken = sorted(taken + doi_spans)
    for m in arxiv:
        if overlaps(taken, m.start(), m.end()):
            continue
        aid = m.group(1)
        cit = ExtractedCitation(
            kind="arxiv",
            extractor=f"{extractor_prefix}.arxiv",
            arxiv_id=aid,
            capture_url=arxiv_url(aid),
        )
        add(m.start(), m.end(), cit)
    found.sort(key=lambda item: item[0])
    return [cit for _, cit in found]
