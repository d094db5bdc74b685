"""Links that sit in page furniture: navigation, link lists, listen and support lines.

A page links to its own home and sections, to other blogs it likes, to the
platforms its show is on and to its own other articles far more often than a
reader notices, and none of those links is a source the text relies on.  What
tells them apart is where they stand, not where they point:

* a **furniture section**: a short heading ("Related", "Read next", "Listen
  on", "Blogs I read", "Press images") or a line that opens with such a label
  ("More on this: …"); its short lines are furniture up to the next heading
  or paragraph of prose;
* a **link line**: a line that is its links and little else ("Home · News ·
  Housing", "← Previous post: …").  Such a line is navigation when its links
  go to the site's own pages, a blogroll when they go to other sites' home
  pages, and a listen/subscribe line when they go to podcast platforms, feeds
  or support pages;
* a **support page** (Patreon, Ko-fi) is asked for, never cited, wherever
  it stands; a site's own "join" or "donate" page, on a link line.

A link in a sentence of prose stays a citation whatever it points to: "as we
reported in [March](own site)" is the site citing itself, and a Spotify
episode named in a sentence is a source.  A line under a "Sources" or
"References" heading is never furniture.  DOIs and arXiv ids are never
furniture.  What a link points to (platform, support page, home, section,
index page) is read in ``archive.extract.linktargets``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from archive.extract.linktargets import (
    INDEX_PATH,
    SECTION_PATH,
    WORD,
    Target,
    call_to_act,
    people_page,
    platform,
    site_host,
    social,
    support,
)
from archive.extract.named.furniture import heading, source_section
from archive.extract.types import ExtractedCitation

__all__ = ["furniture_heading", "without_furniture_links"]

# Headings (and line labels before a colon or dash) after which links are furniture.
_SECTIONS = frozenset(
    " ".join(WORD.findall(phrase.lower()))
    for phrase in """
    related|related posts|related stories|related articles|related reading|related coverage
    related content|related episodes|more on this|more on this story|more on this topic
    more from|more from us|more like this|read next|read more|up next|what to read next
    you might also like|you may also like|also on this blog|also on this site
    elsewhere on the site|most read|most popular|recommended|popular posts|recent posts
    previous episodes|more episodes|from the archive|from our archive|in this series
    blogroll|blogs i read|blogs i follow|sites i read|friends of the blog|friends
    other blogs|other blogs i like|listen on|listen|listen and subscribe
    listen & subscribe|subscribe|subscribe and listen|where to listen|find us on
    follow us|follow|follow the show|support the show|support us|support|become a patron
    press images|press kit|media kit|images for press|media assets
    tags|tagged|categories|filed under|share|share this|navigation|menu
    previous post|next post|older post|newer post|older posts|newer posts|previously
    external links|external link|weblinks
    """.replace("\n", "|").split("|")
) - {""}
# Labels that go on with the site's or show's name ("More from the Courier").
_SECTION_STARTS = (
    "more from ",
    "more on ",
    "related ",
    "listen on ",
    "listen to ",
    "listen and ",
    "listen now ",
    "available on ",
    "watch on ",
    "subscribe ",
    "follow us ",
    "follow the ",
    "read more ",
    "elsewhere on ",
    "find us on ",
    "also on ",
    "also in this ",
    "press images ",
    "media kit ",
    "blogs i ",
    "sites i ",
    "friends of ",
    "support the ",
)
# The words before a byline's or a credit's link ("Hosted by [Mara Quist]").
_BY_LABELS = frozenset(
    """by|posted by|written by|words by|hosted by|presented by|produced by|edited by
    reported by|story by|text by|photos by|photo by|interview by|with|host|hosts|author
    authors|written and produced by|hosted and produced by""".replace("\n", "|").split("|")
)
_LEAD_WORDS = 6  # "Listen and subscribe on", "Follow the show on": a label, not a sentence
_LABEL = re.compile(r"\W{0,3}([A-Za-z][A-Za-z &'’]{1,40}?)\s*(?::|—|–|-\s)")
_PROSE_LINE = 200  # a line this long is a paragraph: the section above it has ended
_LABEL_WORDS = 4  # "← Previous post:", "Listen on:" — a link line's own words at most
# "← Older post", "Next »": a pager between a site's own posts.
_ARROWS = re.compile("[←→«»‹›]")
# "Press images are available at …": press assets, in a press release's notes.
_ASSETS = re.compile(
    r"(?i)\b(?:press|media)\s+(?:images?|photos?|photographs|pictures|kit|pack|assets)\b"
    r"|\bhigh[- ]res(?:olution)?\s+(?:images?|photos?|photographs|pictures)\b|\bb-roll\b"
)
# "For more information, visit www.company.com": the boilerplate's pointer home.
_VISIT = re.compile(
    r"(?i)\b(?:for\s+(?:more|further)\s+information|to\s+(?:learn|find\s+out)\s+more|"
    r"learn\s+more|find\s+out\s+more|more\s+information)\b[^.\n]{0,40}?"
    r"\b(?:visit|at|see|go\s+to|head\s+to)\s*:?\s*$"
)


def furniture_heading(text: str) -> bool:
    """A heading after which links are furniture ("Related", "Listen on", "Blogs I read")."""
    return _furniture_words(_section_words(text))


def _furniture_words(words: str | None) -> bool:
    """ "related", "more from the courier", "listen on": the words of a furniture label."""
    return words is not None and (words in _SECTIONS or words.startswith(_SECTION_STARTS))


def _section_words(line: str) -> str | None:
    words = heading(line)
    if words is None:
        return None
    return " ".join(WORD.findall(words))


# A sponsor read's offer: the link goes with the discount code, not with a claim.
_PROMO = re.compile(
    r"(?i)\b(?:(?:promo|discount|coupon|offer|voucher)\s+code|(?:with|use|using|enter)\s+"
    r"(?:the\s+)?code\s+[A-Z0-9]|\d{1,2}\s?%\s+off\b|\bper\s?cent\s+off\b|free\s+trial"
    r"|(?:listeners|readers|viewers|subscribers)\s+(?:can\s+)?get\b)"
)
# Where the reader is sent to follow along or to act, not what the text relies on:
# a page updated live ("results will be published live at"), tickets or entries
# ("tickets are available at"), and the same article in the language it was written
# in ("the German original here", when the line says it was translated).
_POINTER = re.compile(
    r"(?i)(?:\blive\b[^.!?]{0,20}?"
    r"|\b(?:tickets?|registration|bookings?|entries|entry\s+forms?)\b[^.!?]{0,40}?"
    r"\b(?:available|open|on\s+sale|can\s+be\s+(?:bought|made|booked))\b[^.!?]{0,30}?)"
    r"\b(?:at|on|via|here|from|through)\s*:?\s*$"
)
_ORIGINAL = re.compile(
    r"(?i)\boriginal(?:ly)?\b[^.!?]{0,40}?(?:\b(?:at|on|via|here|from|you\s+find|is|version"
    r"|article|text|story|edition))\s*:?\s*$"
)
_TRANSLATED = re.compile(r"(?i)\btranslat(?:ed|ion|or)\b|\boriginal\s+(?:language|version)\b")


def _alone(lines: list[str], row: int, cited_rows: set[int]) -> bool:
    """A line that stands as a heading: a blank line (or the text's edge) above it, and
    below it a blank line or, in plain text, straight away the links it heads."""
    if row > 0 and lines[row - 1].strip():
        return False
    below = row + 1 == len(lines) or not lines[row + 1].strip() or row + 1 in cited_rows
    return below or lines[row].rstrip().endswith(":")


def _labelled(line: str) -> bool:
    """A line that opens with a furniture label: "Related: …", "Listen on — …"."""
    m = _LABEL.match(line)
    return m is not None and _furniture_words(" ".join(WORD.findall(m.group(1).lower())))


def without_furniture_links(
    text: str,
    citations: list[ExtractedCitation],
    page_urls: Iterable[str | None] = (),
    *,
    blank_around_headings: bool = True,
) -> list[ExtractedCitation]:
    """``citations`` of ``text`` (spans are offsets into it) minus page furniture.

    ``page_urls``: where the document was fetched from and what it says its
    own address is; their sites are the document's own.
    ``blank_around_headings``: headings stand between blank lines (Markdown,
    plain text); text rendered from HTML puts every block on one line.
    """
    own = {host for host in map(site_host, page_urls) if host}
    drop = _furniture_indices(text, citations, own, blank_around_headings)
    return [c for i, c in enumerate(citations) if i not in drop] if drop else citations


def _furniture_indices(
    text: str, citations: Sequence[ExtractedCitation], own: set[str], blank_around: bool
) -> set[int]:
    """The positions in ``citations`` of the URL links that are page furniture."""
    by_line: dict[int, list[int]] = {}
    line_starts: list[int] = []
    lines = text.split("\n")
    pos = 0
    for line in lines:
        line_starts.append(pos)
        pos += len(line) + 1
    cited_rows: set[int] = set()
    for i, cit in enumerate(citations):
        if cit.span is None or cit.kind == "named":
            continue
        row = bisect_right(line_starts, cit.span[0]) - 1
        cited_rows.add(row)
        if cit.kind == "url" and cit.url:
            by_line.setdefault(row, []).append(i)

    link_rows = {
        row
        for row, indices in by_line.items()
        if _link_line(lines[row], line_starts[row], [citations[i] for i in indices])
    }
    targets = {i: Target.of(citations[i]) for found in by_line.values() for i in found}
    own |= _own_sites(by_line, link_rows, targets)
    own |= _masthead(lines, by_line, link_rows, targets)

    drop: set[int] = set()
    mode = ""
    for row, line in enumerate(lines):
        words = (
            _section_words(line)
            if (not blank_around or _alone(lines, row, cited_rows)) and row not in cited_rows
            else None
        )
        if words is not None:
            if source_section(line):
                mode = "sources"
            elif _furniture_words(words):
                mode = "furniture"
            elif mode == "furniture" and len(words.split()) <= _LABEL_WORDS:
                mode = ""
            continue
        if len(line.strip()) >= _PROSE_LINE:
            mode = ""
        on_line = by_line.get(row)
        if not on_line or mode == "sources":
            continue
        in_section = mode == "furniture" and len(line.strip()) < _PROSE_LINE
        labelled = len(line.strip()) < _PROSE_LINE and (
            _labelled(line) or _lead_label(line, line_starts[row], citations[on_line[0]])
        )
        link_line = row in link_rows
        pager = link_line and _ARROWS.search(line) is not None
        for i in on_line:
            to = targets[i]
            if (
                in_section
                or labelled
                or pager
                or support(to, link_line)
                or (to.home and _pointer_home(line, line_starts[row], citations[i]))
                or (link_line and platform(to))
                or (link_line and to.host in own and not to.bare)
                or (link_line and _home_run(row, by_line, link_rows, targets))
                or (link_line and bool(INDEX_PATH.search(to.path)))
                or (link_line and (social(to) or people_page(to)))
                or call_to_act(to)
                or _in_sentence(_ASSETS, line, line_starts[row], citations[i])
                or _in_sentence(_PROMO, line, line_starts[row], citations[i])
                or _pointer(line, line_starts[row], citations[i])
            ):
                drop.add(i)
    return drop


def _own_sites(
    by_line: dict[int, list[int]], link_rows: set[int], targets: dict[int, Target]
) -> set[str]:
    """The sites that a menu shows to be the document's own.

    A menu is words linked to one site's pages: on one line to its home and
    sections ("Home · News · Housing"), or as a list of link lines that takes in
    the site's home page.
    Addresses written out are a list of what is cited, never a menu.
    """
    own: set[str] = set()
    runs: list[list[int]] = []
    for row in sorted(link_rows):
        if runs and runs[-1][-1] == row - 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    for run in runs:
        found = [targets[i] for row in run for i in by_line[row]]
        if len(found) < 2 or any(to.bare for to in found):
            continue
        hosts = {to.host for to in found}
        if len(hosts) != 1 or "" in hosts:
            continue
        # On one line, a menu goes to the site's home and its sections, and its items
        # name them ("News" → /news); words linked to other pages of one site ("2019",
        # "2020" → its reports) are what a sentence or a list cites.
        # A breadcrumb goes deeper, but starts at the home page and names each step.
        shallow = all(to.home or SECTION_PATH.fullmatch(to.path) for to in found) or (
            any(to.home for to in found) and all(to.names_its_section for to in found)
        )
        named = 2 * sum(to.names_its_section for to in found) > len(found)
        if (len(run) == 1 and shallow and named) or (len(run) > 1 and any(to.home for to in found)):
            own |= hosts
    return own


def _masthead(
    lines: list[str],
    by_line: dict[int, list[int]],
    link_rows: set[int],
    targets: dict[int, Target],
) -> set[str]:
    """The site whose home page a link line above the first paragraph names: the
    masthead ("# [Milton Street](https://miltonstreet.example/)"), alone or as the
    first step of a breadcrumb ("[The Ledger](/) · [Business](/business)")."""
    for row, line in enumerate(lines):
        if len(line.strip()) >= _PROSE_LINE:
            break
        if row in link_rows:
            to = targets[by_line[row][0]]
            if to.home and not to.bare and to.host:
                return {to.host}
    return set()


def _sentence_around(line: str, at: int, cit: ExtractedCitation) -> tuple[int, int, int]:
    """Where the sentence holding ``cit`` starts and ends in ``line``, and where the link
    starts."""
    assert cit.span is not None
    start, end = cit.span[0] - at, cit.span[1] - at
    before = max(line.rfind(". ", 0, start), line.rfind("! ", 0, start), line.rfind("? ", 0, start))
    after = [i for i in (line.find(". ", end), line.find("! ", end)) if i != -1]
    return before + 1, min(after, default=len(line)), start


def _in_sentence(pattern: re.Pattern[str], line: str, at: int, cit: ExtractedCitation) -> bool:
    begin, end, _ = _sentence_around(line, at, cit)
    return pattern.search(line, begin, end) is not None


def _pointer(line: str, at: int, cit: ExtractedCitation) -> bool:
    """A link the words before it send the reader to: a page still to come, tickets, a
    live stream, or the original of a translated article (when the line says so)."""
    begin, _, start = _sentence_around(line, at, cit)
    if _POINTER.search(line, begin, start) is not None:
        return True
    return _ORIGINAL.search(line, begin, start) is not None and _TRANSLATED.search(line) is not None


def _lead_label(line: str, at: int, first: ExtractedCitation) -> bool:
    """The words before a line's first link are a furniture or byline label without a
    colon ("Listen and subscribe on …", "Hosted by …", "Follow us on …")."""
    assert first.span is not None
    lead = line[: first.span[0] - at]
    if len(lead) > 60:
        return False
    words = " ".join(WORD.findall(lead.lower()))
    if not words or len(words.split()) > _LEAD_WORDS:
        return False
    return words in _BY_LABELS or _furniture_words(words)


def _pointer_home(line: str, at: int, cit: ExtractedCitation) -> bool:
    assert cit.span is not None
    return _VISIT.search(line, 0, max(0, cit.span[0] - at)) is not None


def _link_line(line: str, at: int, found: list[ExtractedCitation]) -> bool:
    """A line that is its links and a label at most ("Home · News", "Previous post: …")."""
    rest = []
    last = 0
    for cit in sorted(found, key=lambda c: c.span or (0, 0)):
        assert cit.span is not None
        start, end = cit.span[0] - at, cit.span[1] - at
        rest.append(line[last:start])
        last = max(last, end)
    rest.append(line[last:])
    outside = " ".join(rest)
    return len(WORD.findall(outside)) <= _LABEL_WORDS


def _home_run(
    row: int,
    by_line: dict[int, list[int]],
    link_rows: set[int],
    targets: dict[int, Target],
) -> bool:
    """A run of link lines to other sites' home pages: a blogroll, not sources."""

    def homes(r: int) -> bool:
        return r in link_rows and all(targets[i].home for i in by_line[r])

    if not homes(row):
        return False
    return len(by_line[row]) >= 2 or homes(row - 1) or homes(row + 1)
