"""Cutting prose into blocks and sentences, the units every pattern runs in.

Every pattern runs inside one sentence of bounded length, which keeps the
whole pass linear in the size of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.entries import entry_line
from archive.extract.named.grammar import UP

MAX_SENTENCE = 2000
# A stop, any closing quote, bracket or emphasis mark ("thin.**", "said.”"), space, and
# a capital or a figure, perhaps behind an opening one ("**Aino", "“The", "(3").
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]*_]*\s+(?=[\"“‘(\[*_]{0,3}[0-9" + UP + "])")
# Abbreviations writers put before a name: titles, ranks and offices ("Dr.", "Gov.",
# "Sen.", "Lt. Col.", "Mme."), and the company and body words that stand inside one
# ("Warner Bros. Discovery", "the Dept. of Health").  A stop after them ends nothing.
_BEFORE_NAMES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "messrs",
        "dr",
        "drs",
        "prof",
        "profs",
        "st",
        "ste",
        "mt",
        "ft",
        "jr",
        "sr",
        "gen",
        "brig",
        "col",
        "lt",
        "capt",
        "cmdr",
        "cdr",
        "adm",
        "maj",
        "sgt",
        "cpl",
        "pvt",
        "sen",
        "sens",
        "rep",
        "reps",
        "gov",
        "govs",
        "pres",
        "supt",
        "insp",
        "det",
        "rev",
        "fr",
        "msgr",
        "hon",
        "rt",
        "amb",
        "atty",
        "cllr",
        "mme",
        "mlle",
        "sra",
        "srta",
        "dra",
        "dott",
        "ing",
        "vs",
        "etc",
        "inc",
        "ltd",
        "corp",
        "co",
        "bros",
        "dept",
        "univ",
        "assn",
        "govt",
        "intl",
        "natl",
        "al",
        "eds",
        "ed",
        "cf",
    ]
)
# Abbreviations writers put before a figure: numbers, episodes, volumes, pages,
# figures, sections and articles, estimates, and the months of a date ("Ep. 41",
# "No. 10", "Nos. 3 and 4", "Vol. 12", "approx. 40", "Jan. 5", "est. 1990").  Before
# a capital they may well end a sentence ("The answer was no. The board …").
_BEFORE_FIGURES = frozenset(
    [
        "no",
        "nos",
        "nr",
        "ep",
        "eps",
        "vol",
        "vols",
        "pp",
        "p",
        "fig",
        "figs",
        "tab",
        "eq",
        "eqs",
        "ch",
        "chap",
        "sec",
        "art",
        "arts",
        "para",
        "paras",
        "pt",
        "pts",
        "approx",
        "ca",
        "est",
        "ser",
        "iss",
        "ref",
        "refs",
        "op",
        "tel",
        "ex",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_FIGURE_NEXT = re.compile(r"[\"“‘(\[*_#]{0,3}(?:\d|[IVXLC]{2,}\b)")
_WORD_MARKS = "(\"'“‘*_["
_LAST_WORD = re.compile(r"(\S{1,12})$")
_INITIALS = re.compile(r"[a-z]|(?:[a-z]\.)+[a-z]")
_JOINS_NOT = re.compile(r"[.!?:\"”]$")
# A byline or a show's credit line ("Hosted by …", "Presented by …") stands alone.
_BYLINE_START = re.compile(
    r"\W{0,3}(?:[Bb]y|(?:[Pp]osted|[Ww]ritten|[Hh]osted|[Pp]resented|[Pp]roduced)\s+by)\s+["
    + UP
    + "]"
)
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
        if not joins or _LIST_ITEM.match(nxt) or byline or _short_byline(line):
            yield start, a + len(raw)
            start = None


def _short_byline(line: str) -> bool:
    """A byline is a line of its own: the line after it does not join it."""
    return len(line) <= 60 and _BYLINE_START.match(line) is not None


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    if entry_line(text, start, end):
        # "Marsh H, Okoro B. Title. Journal. 2025;12:1-9.": one reference is one unit.
        line_end = text.find("\n", start, end)
        line_end = end if line_end < 0 else line_end
        yield from _chunks(start, line_end)
        start = line_end
    cut = start
    # Searched within the text's bounds rather than in a copy of the block: the
    # boundary's lookahead and the last word's "$" stop at ``end`` all the same.
    for m in _BOUNDARY.finditer(text, start, end):
        at = m.start()
        if text[at] == ".":
            word = _LAST_WORD.search(text, max(start, at - 12), at)
            if word:
                # Emphasis and quote marks around the word do not matter: "**Dr.** Aino
                # Kallio", "_Prof._ Lindqvist", "“Dr.” Okafor".
                w = word.group(1).lower().lstrip(_WORD_MARKS)
                if w in _BEFORE_NAMES or _INITIALS.fullmatch(w):
                    continue  # "Mr. Smith", "U.S. officials", "J. R. R. Tolkien", "et al."
                if w in _BEFORE_FIGURES and _FIGURE_NEXT.match(text, m.end(), end):
                    continue  # "Ep. 41", "No. 10 Downing Street", "Jan. 5"
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
