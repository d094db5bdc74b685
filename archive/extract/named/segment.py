"""Cutting prose into blocks and sentences, the units every pattern runs in.

Every pattern runs inside one sentence of bounded length, which keeps the
whole pass linear in the size of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import UP

MAX_SENTENCE = 2000
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"“‘(\[]?[0-9" + UP + "])")
_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sen",
        "rep",
        "gov",
        "no",
        "vs",
        "etc",
        "inc",
        "ltd",
        "corp",
        "co",
        "al",
        "eds",
        "ed",
        "vol",
        "pp",
    ]
)
_LAST_WORD = re.compile(r"(\S{1,12})$")
_INITIALS = re.compile(r"[a-z]|(?:[a-z]\.)+[a-z]")
_JOINS_NOT = re.compile(r"[.!?:\"”]$")
_BYLINE_START = re.compile(r"\W{0,3}(?:[Bb]y|[Pp]osted\s+by|[Ww]ritten\s+by)\s+[" + UP + "]")
_LIST_ITEM = re.compile(r"\s*(?:[#>*|+-]|\d+[.)])\s")


def blocks(text: str) -> Iterator[tuple[int, int]]:
    """Paragraph-like runs of lines: wrapped lines join, short lines stand alone.

    Navigation, bylines and sponsor lines are short lines of their own; keeping
    them apart stops them from bleeding into the sentence that follows.
    """
    lines = text.split("\n")
    lines.append("")  # the line after the last: nothing joins it
    start: int | None = None
    pos = 0
    nxt = lines[0]
    for i in range(len(lines) - 1):
        a, raw, nxt = pos, nxt, lines[i + 1]
        pos += len(raw) + 1
        line = raw.strip()
        if not line:
            continue
        start = a if start is None else start
        # Each line is stripped once, not again as the line after the one before.
        after = nxt.strip()
        joins = len(line) >= 40 and not _JOINS_NOT.search(line) and after
        byline = len(after) <= 60 and _BYLINE_START.match(nxt)
        if not joins or _LIST_ITEM.match(nxt) or byline:
            yield start, a + len(raw)
            start = None


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    cut = start
    # Searched within the text's bounds rather than in a copy of the block: the
    # boundary's lookahead and the last word's "$" stop at ``end`` all the same.
    for m in _BOUNDARY.finditer(text, start, end):
        at = m.start()
        if text[at] == ".":
            word = _LAST_WORD.search(text, max(start, at - 12), at)
            if word:
                w = word.group(1).lower().strip("(\"'“‘")
                if w in _ABBREV or _INITIALS.fullmatch(w):
                    continue  # "Mr. Smith", "U.S. officials", "J. Doe", "Klein et al. (2014)"
        yield from _chunks(cut, at + len(m.group().rstrip()))
        cut = m.end()
    yield from _chunks(cut, end)


def _chunks(start: int, end: int) -> Iterator[tuple[int, int]]:
    # A run-on "sentence" (a table, a list without stops) is cut so that the
    # cost of every pattern stays bounded by a constant per character.
    while end - start > MAX_SENTENCE:
        yield start, start + MAX_SENTENCE
        start += MAX_SENTENCE
    if end > start:
        yield start, end
