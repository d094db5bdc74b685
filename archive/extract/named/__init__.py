"""Sources that prose names without linking ("told the Times of Israel").

News analysis, reports, opinion and show notes cite most of their sources by
name.  What finds them is the attribution grammar of the prose — "according
to X", "X said in a statement", "a 2019 paper by A and B in <journal>",
"two people familiar with the talks", "in my previous video", a trailing
"Sources:" list — held as data in ``archive/data/attribution.toml``, plus a
test of what the name is: an outlet, an organisation, a person, a work, an
unnamed source or the author's own work.  Page furniture (bylines, bios,
credits, sponsor reads, related boxes) is dropped first.

Every pattern runs inside one sentence of bounded length, anchored at the
words that can start an attribution, so the work is linear in the size of
the text.
"""

from __future__ import annotations

import re
from itertools import accumulate

from archive.extract.named.authored import authored_hits
from archive.extract.named.bodies import body_hits
from archive.extract.named.books import book_hits
from archive.extract.named.collective import collective_hits
from archive.extract.named.corporate import corporate_hits
from archive.extract.named.described_outlets import described_outlet_hits
from archive.extract.named.furniture import (
    furniture_block,
    furniture_section,
    furniture_sentence,
    heading,
    own_names,
    source_section,
)
from archive.extract.named.grammar import (
    LEFT_HEADS,
    MONTH,
    MONTH_SHORT,
    NUMERIC_DATE,
    RIGHT_HEADS,
    UP,
    YEAR,
)
from archive.extract.named.its import its_hits
from archive.extract.named.left import left_hits
from archive.extract.named.lines import LINE_WORDS, line_hits
from archive.extract.named.mention import Mention
from archive.extract.named.merge import merge
from archive.extract.named.others import (
    KEYS,
    anaphor_hits,
    anonymous_hits,
    author_year_hits,
    entry_hits,
    inverted_hits,
    lower_org_hits,
    outlet_hits,
    outlet_line_hit,
    reference_entry,
    self_hits,
    study_hits,
    titled_hits,
    vancouver_hits,
)
from archive.extract.named.patterns import right_hits
from archive.extract.named.people import people_hits
from archive.extract.named.producers import producer_hits
from archive.extract.named.segment import blocks, sentences
from archive.extract.named.sources import KnownSource, lookup_source, normalise_name
from archive.extract.named.titles import title_hits
from archive.extract.named.works import made_hits, owned_title_hits
from archive.extract.types import ExtractedCitation

__all__ = [
    "KnownSource",
    "find_named_references",
    "furniture_spans",
    "lookup_source",
    "normalise_name",
]

_WORD_SPLIT = re.compile(r"([^\W\d_][\w'’-]*)")
Anchors = tuple[list[tuple[str, int]], list[int]]  # the words with offsets; the heads' indices
_SHORT = 200  # a block this short after a furniture heading is still furniture
_ENTRY_MAX = 300
_TRAILING = 0.7  # a bare publication line counts in the last 30% of the text


# Either pattern's head words: one set intersection tells the sentences that
# need word offsets (about two thirds of prose) from those that need none.
_HEADS = RIGHT_HEADS | LEFT_HEADS
# Every pattern's gate words: a sentence with none of them (and no parenthesis,
# which the author-year pattern needs) can hold no attribution, so neither the
# patterns nor the furniture test run on it (about a quarter of prose).
# The producer-holds-a-work pattern needs a document noun and the inverted one a
# reporting verb, both head words already.
_ANCHORS = _HEADS | KEYS | LINE_WORDS


def _anchored(lowered: str) -> tuple[list[str], Anchors, Anchors]:
    """The sentence's words, and for each anchored pattern its words and head words.

    Splitting on the word pattern and summing the piece lengths gives every
    offset without a match object per word, which cost more than any pattern
    that reads them.  The heads' indices come from one pass over the words
    once the intersection says there are any: two intersections and a
    ``list.index`` search per head word cost more than the pass.
    """
    pieces = _WORD_SPLIT.split(lowered)
    tokens = pieces[1::2]
    if _HEADS.isdisjoint(tokens):
        return tokens, ([], []), ([], [])
    heads = [(k, w) for k, w in enumerate(tokens) if w in _HEADS]
    right = [k for k, w in heads if w in RIGHT_HEADS]
    left = [k for k, w in heads if w in LEFT_HEADS]
    # the pieces alternate gap, word, gap, …, gap: a word starts where the text before it ends
    words = list(zip(tokens, list(accumulate(map(len, pieces[:-1])))[0::2], strict=True))
    return tokens, (words, right), (words, left)


def _sentence_hits(
    text: str,
    at: int,
    sentence: str,
    anchored: tuple[Anchors, Anchors],
    wordset: frozenset[str],
) -> list[Mention]:
    right, left = anchored
    hits = [
        *authored_hits(sentence, wordset),
        *people_hits(text, at, sentence, wordset),
        *anonymous_hits(sentence, wordset),
        *anaphor_hits(text, at, sentence, wordset),
        *self_hits(sentence, wordset),
        *author_year_hits(sentence, wordset),
        *titled_hits(sentence, wordset),
        *described_outlet_hits(sentence, wordset),  # before the patterns: its type wins
        *right_hits(sentence, *right),
        *left_hits(sentence, *left),
        *lower_org_hits(sentence, wordset),
        *body_hits(sentence, wordset),
        *line_hits(sentence, wordset),
        *made_hits(sentence, wordset),
        *inverted_hits(sentence, wordset),
        *owned_title_hits(sentence, wordset),
        *vancouver_hits(sentence, wordset),
        *study_hits(sentence, wordset),
        *outlet_hits(sentence, wordset),
        *producer_hits(sentence, wordset),
        *book_hits(sentence, wordset),
        *corporate_hits(sentence, wordset),
        *its_hits(sentence, wordset),
        *title_hits(sentence, wordset),
        *collective_hits(sentence, wordset),
    ]
    if not hits:
        return hits  # most sentences: no sorting or container check to do
    kept: list[Mention] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        inside = [k for k in kept if k.start <= hit.start and hit.end <= k.end]
        if inside:
            if hit.work and not inside[0].work:  # "the memo" inside "a leaked EMA memo"
                inside[0].work = hit.work
            continue
        if hit.name:
            kept.append(hit)
    # "a paper by A and B in Ecology and Society": the journal is where the work
    # appeared, not a second source.
    containers = {normalise_name(k.container) for k in kept if k.container}
    if not containers:
        return kept  # most sentences: no name to fold and compare
    return [k for k in kept if normalise_name(k.name) not in containers]


# "— Canary Media, 4 March" under a quote, "Yorkshire Evening Post, 6 March" after a
# summary: a publication line with a dash before it or a date after it attributes the
# paragraph above, wherever it stands after the first paragraph of prose.  Above that
# paragraph it is the page's own masthead or dateline.
_DASHED_OR_DATED = re.compile(
    rf"\W{{0,3}}[—–]|.*,\s*(?:(?:\d{{1,2}}\s+)?(?:{MONTH}|{MONTH_SHORT}|{YEAR})\b|{NUMERIC_DATE})",
    re.S,
)
_PARAGRAPH = 200  # a block this long is prose, not a headline, standfirst or byline


def _attribution_line(block: str, after_prose: bool) -> bool:
    return after_prose and _DASHED_OR_DATED.match(block) is not None


def _shift(hits: list[Mention], start: int, end: int) -> list[Mention]:
    for hit in hits:
        hit.start += start
        hit.end += start
        hit.sentence = (start, end)
    return hits


def _entries(text: str, start: int, end: int, mentions: list[Mention]) -> str:
    """The lines of a sources list; a heading of furniture among them ends it.

    A line in reference form ("Cull, R. … (2018). Title.") is one entry.  Any
    other line is read as prose first: show notes list sources as phrases and
    sentences ("The 2021 study by A and colleagues at B, which found …",
    "Health Canada's guidance on smoke"), and the grammar finds what the line
    cites; only when it finds nothing is the line taken as "Publisher, Title".
    Credits and sponsor reads among the lines are skipped.
    """
    at = start
    for line in text[start:end].split("\n"):
        if furniture_section(line):
            return "furniture"
        if not line.strip() or furniture_block(line) or furniture_sentence(line):
            at += len(line) + 1
            continue
        hits = [] if reference_entry(line) else _prose(text, at, at + len(line))
        mentions += hits or _shift(list(entry_hits(line)), at, at + len(line))
        at += len(line) + 1
    return "sources"


def _prose(text: str, start: int, end: int) -> list[Mention]:
    """What the grammar finds in the sentences of ``text[start:end]``."""
    found: list[Mention] = []
    for s_start, s_end in sentences(text, start, end):
        sentence = text[s_start:s_end]
        lowered = sentence.lower()
        tokens, right, left = _anchored(lowered)
        wordset = frozenset(tokens)
        possessive = "'s" in lowered or "’s" in lowered
        if possessive:
            wordset |= frozenset(w[:-2] for w in tokens if w.endswith(("'s", "’s")))
        # A possessive may open a titled work ("Sarah Rose's For All the Tea in China").
        if wordset.isdisjoint(_ANCHORS) and "(" not in sentence and not possessive:
            continue
        if furniture_sentence(sentence, wordset):
            continue
        hits = _sentence_hits(text, s_start, sentence, (right, left), wordset)
        found += _shift(hits, s_start, s_end)
    return found


def _furniture_start(text: str, a: int, b: int) -> bool:
    """A block that opens as furniture: the whole block is, its wrapped lines too."""
    first = next(sentences(text, a, b), (a, a))
    return furniture_block(text[a:b]) or furniture_sentence(text[first[0] : first[1]])


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Where the text has lines of furniture ("Share: Facebook · X", "Sign up for …").

    The links on them are buttons, not citations; formats without markup to
    tell them apart (Markdown, plain text) drop those links with this.
    """
    spans = []
    for a, b in blocks(text):
        if _furniture_start(text, a, b):
            spans.append((a, b))  # a sponsor read's "Go to …" line is the read's too
    return spans


_NUMBER_AFTER = re.compile(r"\s*\[(?P<n>\d{1,3})\]")
_ENTRY_NUMBER = re.compile(r"\W{0,3}\[?(?P<n>\d{1,3})[\].)]")


def _own_entries(text: str, mentions: list[Mention]) -> None:
    """ "what Zieliński found in our earlier study [8]": entry [8] of the references is
    the authors' own earlier work, not another source."""
    own = set()
    for m in mentions:
        if m.kind == "self" and (after := _NUMBER_AFTER.match(text, m.end)) is not None:
            own.add(after.group("n"))
    for m in mentions if own else ():
        if m.extractor != "named.source-list":
            continue
        line_start = text.rfind("\n", 0, m.start) + 1
        number = _ENTRY_NUMBER.match(text, line_start, m.start)
        if number is not None and number.group("n") in own:
            m.kind = "self"


def find_named_references(text: str) -> list[ExtractedCitation]:
    """Named, unlinked sources in ``text``, one per source and work, in document order."""
    mentions = _mentions(text)
    _own_entries(text, mentions)
    # The document naming itself or its own people: its dateline's wire, its masthead,
    # its bylines and hosts ("told Harbour Wire", "Ana said she had never seen one").
    own = own_names(text)
    mentions = [m for m in mentions if m.kind == "self" or not own.named(m.name)]
    return merge(text, mentions)


def _mentions(text: str) -> list[Mention]:
    mentions: list[Mention] = []
    mode = ""
    after_prose = False
    for b_start, b_end in blocks(text):
        block = text[b_start:b_end]
        if furniture_section(block):
            mode = "furniture"
            continue
        if source_section(block):
            mode = "sources"
            continue
        if mode == "furniture" and heading(block) is not None and len(block.split()) <= 4:
            mode = ""  # another heading ("Show notes") ends the furniture section
        if mode == "furniture" and len(block.strip()) <= _SHORT:
            continue
        if mode == "sources" and _furniture_start(text, b_start, b_end):
            mode = ""  # "This page was last edited …" after the references ends them
            continue
        if mode == "sources" and len(block.strip()) <= _ENTRY_MAX * block.count("\n") + _ENTRY_MAX:
            mode = _entries(text, b_start, b_end, mentions)
            continue
        mode = ""
        if furniture_block(block):
            continue
        if len(block) <= 80 and (
            b_start >= _TRAILING * len(text) or _attribution_line(block, after_prose)
        ):
            line = _shift(list(outlet_line_hit(block)), b_start, b_end)
            if line:
                mentions += line
                continue
        if heading(block) is not None and len(block.split()) <= 4:
            continue  # a heading ("Show notes") states no attribution
        after_prose = after_prose or len(block) >= _PARAGRAPH
        mentions += _prose(text, b_start, b_end)
    return mentions


assert UP  # the grammar is loaded at import: a broken data file fails here, not per call
