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
"References" heading is never furniture, but for a support page (Patreon,
Ko-fi).  DOIs and arXiv ids are never furniture.  What a link points to
(platform, support page, home, section, index page) is read in
``archive.extract.linktargets``; the words of headings and labels in
``archive.extract.linklabels``; what a link's own sentence says of it (a
pointer, an offer, press assets) in ``archive.extract.linkpointers``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from archive.extract.linklabels import (
    LABEL_WORDS,
    furniture_heading,
    furniture_words,
    label_ends,
    labelled,
    lead_label,
    section_words,
)
from archive.extract.linkpointers import assets, pointer, pointer_home, promo
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
    support_site,
)
from archive.extract.named.furniture import source_section
from archive.extract.types import ExtractedCitation

__all__ = ["furniture_heading", "without_furniture_links"]

_PROSE_LINE = 200  # a line this long is a paragraph: the section above it has ended
# "← Older post", "Next »": a pager between a site's own posts.
_ARROWS = re.compile("[←→«»‹›]")


def _alone(lines: list[str], row: int, cited_rows: set[int]) -> bool:
    """A line that stands as a heading: a blank line (or the text's edge) above it, and
    below it a blank line or, in plain text, straight away the links it heads."""
    if row > 0 and lines[row - 1].strip():
        return False
    below = row + 1 == len(lines) or not lines[row + 1].strip() or row + 1 in cited_rows
    return below or lines[row].rstrip().endswith(":")


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
            section_words(line)
            if (not blank_around or _alone(lines, row, cited_rows)) and row not in cited_rows
            else None
        )
        if words is not None:
            if source_section(line):
                mode = "sources"
            elif furniture_words(words):
                mode = "furniture"
            elif mode == "furniture" and len(words.split()) <= LABEL_WORDS:
                mode = ""
            continue
        if len(line.strip()) >= _PROSE_LINE:
            mode = ""
        on_line = by_line.get(row)
        if not on_line:
            continue
        if mode == "sources":
            # a sources list cites what it lists, but never the page asking for money
            drop.update(i for i in on_line if support_site(targets[i]))
            continue
        in_section = mode == "furniture" and len(line.strip()) < _PROSE_LINE
        label_line = len(line.strip()) < _PROSE_LINE and (
            labelled(line) or lead_label(line, line_starts[row], citations[on_line[0]])
        )
        link_line = row in link_rows
        pager = link_line and _ARROWS.search(line) is not None
        if ":" in line:
            drop |= _after_label(line, line_starts[row], [(i, citations[i]) for i in on_line])
        for i in on_line:
            to = targets[i]
            if (
                in_section
                or label_line
                or pager
                or support(to, link_line)
                or (to.home and pointer_home(line, line_starts[row], citations[i]))
                or (link_line and platform(to))
                or (link_line and to.host in own and not to.bare)
                or (link_line and _home_run(row, by_line, link_rows, targets))
                or (link_line and bool(INDEX_PATH.search(to.path)))
                or (link_line and (social(to) or people_page(to)))
                or call_to_act(to)
                or assets(line, line_starts[row], citations[i])
                or promo(line, line_starts[row], citations[i])
                or pointer(line, line_starts[row], citations[i])
            ):
                drop.add(i)
    return drop


def _after_label(line: str, at: int, found: list[tuple[int, ExtractedCitation]]) -> set[int]:
    """The links of a run that a furniture label opens inside a line, with nothing but
    separators between them: "… opinions are her own. Also on this blog: [A] · [B]"."""
    run: set[int] = set()
    for last in label_ends(line):
        for i, cit in sorted(found, key=lambda item: item[1].span or (0, 0)):
            assert cit.span is not None
            start, end = cit.span[0] - at, cit.span[1] - at
            if start < last:
                continue
            if WORD.search(line, last, start):
                break  # words between: the run has ended
            run.add(i)
            last = end
    return run


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
    return len(WORD.findall(outside)) <= LABEL_WORDS


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
