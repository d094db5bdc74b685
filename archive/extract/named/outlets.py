"""Outlets named in lists and lines: a newspaper's article in a references list
(""Headline". Outlet. Date."), a reporter or a title with the outlet it ran in
("Matt Slater, The Athletic"), a line that is only a publication's name, and a piece
named in prose with the periodical it ran in after what it is about."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from archive.extract.named.grammar import (
    DATE_WORDS,
    DOC,
    DOCUMENTS,
    MONTH,
    MONTH_SHORT,
    NAME,
    NUMERIC_DATE,
    UP,
    YEAR,
)
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, clean, person_like
from archive.extract.named.outlet_phrases import article_title
from archive.extract.named.sources import lookup_source

Words = frozenset[str]
_QUOTES = frozenset("\"“‘'")
_OUTLET_LINE = re.compile(
    rf"\W{{0,3}}(?P<dash>[—–-]+\s*)?(?P<name>(?:[Tt]he\s+)?{NAME})\s*"
    rf"(?P<tail>[,–—-]\s*[\w ,./]{{0,30}})?\W*$"
)
# "Matt Slater, The Athletic", "Matt Slater (The Athletic)", "Matt Slater — The Athletic,
# 30 June": a person with the outlet they wrote in, one entry.
_PERSON_OUTLET = re.compile(
    rf"\W{{0,3}}(?P<name>{NAME})\s*(?:,|\(|\s[-–—]\s)\s*(?P<outlet>(?:[Tt]he\s+)?{NAME})\)?"
    rf"(?:\s*,\s*(?P<date>[\w ,./]{{1,30}}))?\W*$"
)
# "How swap deals work — The Athletic, 3 July": a title, then the outlet it ran in.
_TITLE_OUTLET = re.compile(
    r"\W{0,3}[\"“*_]*(?P<title>[^—–\n]{3,160}?)[\"”*_]*\s+[—–-]\s+"
    rf"(?P<outlet>(?:[Tt]he\s+)?{NAME})(?:\s*,\s*(?P<date>[\w ,./]{{1,30}}))?\W*$"
)
# A newspaper's or website's article in a references list or a note, the form of citation
# styles for news ("cite news", Harvard's and Chicago's newspaper entries): a quoted
# headline, then the periodical it ran in, then at most a place, a date and a page —
#   "Police blame early gate opening". Vanguard. 11 December 2022.
#   "Dalens stemmer". Klassekampen, 22 November 2014.
#   Harmon, Leah (24 November 2023). "Crew warned …". The Seattle Times.
#   "Glaciers are vanishing," The Seattle Times, Aug. 2025
# The periodical is the source and the headline its work; a reporter is cited beside it
# only where the entry is also an author-date one ("Vestby, Tone (2014)").  A volume or
# pages after the name ("Marine Policy. 171: 106402", "Journal 4: 41–67") make it a
# journal article, which the author-date forms read.  The headline stands in double
# quotes, or in single ones (British style) whose apostrophes ("Europe's") are followed
# by a letter.
_HEADLINE = (
    r"(?:[\"“](?P<title>[^\"”\n]{3,200}?)[.,?!]?[\"”]"
    r"|[‘'](?P<single>(?:[^'’\n]|['’](?=\w)){3,200}?)[.,?!]?['’](?!\w))[.,]?"
)
_NEWS_ENTRY = re.compile(
    r"\W{0,3}(?:\[\d+\]|\d+[.)])?\s*"
    rf"(?:(?P<author>[{UP}][^\"“()\n]{{1,100}}?)\s*(?:\([^()\n]{{4,40}}\))?[.,]?\s*)?"
    rf"{_HEADLINE}\s+(?:\((?:in\s+)?[A-Z][a-z]+\)\.?\s+)?(?P<em>[*_]{{1,2}})?(?P<outlet>(?:[Tt]he\s+)?{NAME})"
    r"(?P<tail>[^\n]{0,120})$"
)
# What may follow the periodical's name: a place, a date, a page, an access note.
_NEWS_TAIL = re.compile(
    rf"(?:[.,;]?\s*(?:[{UP}][\w'’-]+(?:,\s+[{UP}][\w'’-]+)?(?=[.,]\s)"
    rf"|(?:\d{{1,2}}\s+)?(?:{MONTH}|{MONTH_SHORT})(?:\s+\d{{1,2}})?,?(?:\s+{YEAR})?|{YEAR}"
    rf"|{NUMERIC_DATE}|pp?\.\s*[\w–-]+|(?:[Rr]etrieved|[Aa]ccessed)\b[^\n]{{0,40}}"
    r"|https?://\S+))*[.,;]?"
)
_LINE_DATE = re.compile(rf"\b(?:{MONTH}|{MONTH_SHORT}|{YEAR})(?!\w)|{NUMERIC_DATE}")


def _outlet(name: str) -> bool:
    known = lookup_source(name)
    if known is not None:
        return known.kind in ("news", "journal")
    return classify(name, the=True, desc=False, at_start=False) == "outlet"


def outlet_entry(line: str, pos: int = 0) -> Mention | None:
    """A person with the outlet they wrote in (the outlet is the container), or a title
    with the outlet it ran in; ``pos``: where the entry starts after its number."""
    m = _PERSON_OUTLET.match(line, pos)
    if m is not None and person_like(m.group("name")) and _outlet(m.group("outlet")):
        name, outlet = m.group("name"), m.group("outlet")
        return Mention(
            "named.source-list", name, m.start("name"), m.end("name"), "person", container=outlet
        )
    m = _TITLE_OUTLET.match(line, pos)
    if m is not None and _outlet(m.group("outlet")):
        outlet = re.sub(r"^[Tt]he\s+", "", m.group("outlet"))
        title = " ".join(m.group("title").split())
        start = m.end("outlet") - len(outlet)
        return Mention("named.source-list", outlet, start, m.end("outlet"), "outlet", title)
    return _outlet_on(line, pos)


# An outlet, then what of it is cited, in the words of a list of show notes or a blog's
# sources: "Transfermarkt market values, accessed 1 February", "The Athletic on the sale
# of the club (December)", "The Swiss Ramble on the club's accounts (blog thread)".  The
# outlet is known, or a note in brackets says what it is (a blog, a thread, a column).
_ON_ENTRY = re.compile(
    rf"\W{{0,3}}(?P<name>(?:[Tt]he\s+)?[{UP}][\w&'’.-]*(?:\s+[{UP}0-9][\w&'’.-]*){{0,4}})\s+"
    r"(?P<work>(?:on|about)\s+[^\n()]{3,120}?|[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,4}?)"
    r"(?:\s*\((?P<note>[^()\n]{1,60})\))?(?:\s*,\s*(?P<date>[\w ,./]{1,40}))?\W*$"
)
_NOTE_OUTLET = re.compile(
    r"\b(?:blog|thread|column|newsletter|podcast|video|vlog|substack|post|episode|feature"
    r"|article|story|site|website)s?\b",
    re.I,
)


def _outlet_on(line: str, pos: int) -> Mention | None:
    m = _ON_ENTRY.match(line, pos)
    if m is None:
        return None
    raw = m.group("name")
    name = re.sub(r"^[Tt]he\s+", "", raw)
    known = lookup_source(name)
    if known is not None and known.kind != "news":
        return None
    if known is None and not (m.group("note") and _NOTE_OUTLET.search(m.group("note"))):
        return None
    if known is None and m.group("work")[:3] not in ("on ", "abo"):
        return None  # "Harbour Council budget papers": a body's own document, not an outlet's
    if known is None and classify(name, the=False, desc=False, at_start=False) in (
        "org",
        "reject",
    ):
        return None
    work = " ".join(m.group("work").split())
    start = m.end("name") - len(name)
    # a blogger or a columnist on a subject: the person wrote it ("The" opens no person's)
    person = known is None and name == raw and person_like(name)
    kind = "person" if person else "outlet"
    return Mention("named.source-list", name, start, m.end("name"), kind, work)


# The words of an access date, which follows a title where a periodical would.
_ACCESS_WORDS = frozenset({"retrieved", "accessed", "archived", "viewed", "consulted"})


def news_entry(line: str) -> Mention | None:
    """A headline in quotes, then the newspaper or website it ran in (``_NEWS_ENTRY``)."""
    if not _QUOTES & set(line):
        return None
    m = _NEWS_ENTRY.match(line)
    if m is None:
        return None
    # A name may hold dots ("U.S. News"), but a dot before a space ends it: "Vanguard. 11
    # December 2022." is the name, then the date.
    outlet = re.split(r"\.(?=\s|$)", m.group("outlet"))[0]
    if outlet.split()[0].lower() in _ACCESS_WORDS or outlet.split()[0] in DATE_WORDS:
        # "Retrieved 20 January 2023": when it was read; '"Certification …," August 4,
        # 2026': when it came out; neither is where it ran
        return None
    rest = line[m.start("outlet") + len(outlet) :].rstrip()
    if m.group("em"):
        rest = rest.removeprefix(m.group("em"))  # "*El Heraldo*. 9 February 2024."
    rest = re.sub(r"^\s*\([^()\n]{2,30}\)", "", rest)  # "The Guardian (Nigeria)"
    if not _NEWS_TAIL.fullmatch(rest):
        return None
    known = lookup_source(outlet)
    the = outlet[:4] in ("The ", "the ")
    kind = classify(outlet, the=the, desc=False, at_start=False)
    dated = _LINE_DATE.search(rest) is not None
    # A lone unknown word is a periodical only with the date; so is a name in
    # italics, the mark of a periodical's title in every citation style, or one opening
    # with the article of a paper's name ("El Heraldo", "La Capital"), which the name's
    # shape alone would take for a person's.
    titled = bool(m.group("em")) or article_title(outlet)
    if kind not in ("outlet", "org") and not (
        dated and (kind in ("weak", "single") or (kind == "person" and titled))
    ):
        return None
    name = re.sub(r"^[Tt]he\s+", "", outlet) if known is None else outlet
    kind = "org" if known is not None and known.kind not in ("news", "journal") else "outlet"
    title = " ".join((m.group("title") or m.group("single")).split())
    end = m.start("outlet") + len(outlet)
    return Mention("named.source-list", name, end - len(name), end, kind, title)


# A piece and the periodical it ran in, with what the piece is about between them: "a
# good analysis of how that worked in the Pharmaceutical Journal", "a series of articles
# on the ferry in The Seattle Times", "an investigation into the contracts in Le Monde".
# Only a publication ends it: "a report on conditions in the Netherlands" names a place.
# Found at its "in" followed by a capital, the name read and tested first (most such
# names are places and dates) and the piece looked for only then, in the words before.
_IN_NAME = re.compile(
    rf"\bin\s+(?P<name>(?:[Tt]he\s+)?[{UP}][\w&'’.-]*(?:\s+(?:of|the|and|&|[{UP}][\w&'’.-]*)){{0,5}})"
)
_DOC_BEFORE = re.compile(
    rf"\b(?P<doc>(?i:{DOC}))\s+(?:of|on|into|about|from)\s+(?:[\w,'’-]+\s+){{1,6}}?$"
)
_DOC_IN_KEYS = frozenset({"of", "on", "into", "about", "from"})
_DOC_REACH = 90  # characters before "in" where the piece and what it is about stand


# A headline in quotes, then the paper and the date, where a list of links was
# read as prose: "… record them," The Seattle Times, Aug. 2025.  The date after the
# name is what tells it from a quotation with its speaker ("… ," the minister said).
_AFTER_QUOTE = re.compile(
    rf"[.,?!][\"”]\s+(?P<name>(?:[Tt]he\s+)?{NAME})\s*[,.]\s+"
    rf"(?:\d{{1,2}}\s+)?(?:{MONTH}|{MONTH_SHORT})(?:\s+\d{{1,2}},?)?\s+{YEAR}\b"
)


# A journalist with the paper they report for, where their reporting is cited: "Helen
# Branswell at STAT has been great on this", "Martin Wolf of the Financial Times argued".
# The paper is a source beside the reporter; only a paper the list knows counts, since
# "a former reporter at the Courier" may name no source at all.  Found at the
# preposition, the paper first (a dictionary look-up), the person before it only then.
_AT_NAME = re.compile(rf"\s(?:at|of|from)\s+(?P<name>(?:[Tt]he\s+)?{NAME})")
_PERSON_BEFORE = re.compile(
    rf"(?<![\w'’-])(?P<person>[{UP}][\w'’-]+(?:\s+[{UP}][\w'’.-]+){{1,2}})$"
)
_AT_KEYS = frozenset({"at", "of", "from"})
_REPORTING = frozenset(
    {"reported", "reports", "reporting", "wrote", "writes", "written", "story", "stories"}
    | {"piece", "article", "column", "coverage", "revealed", "covered", "investigation"}
    | {"podcast", "interview", "interviewed", "says", "said", "told", "explained", "argued"}
    | {"noted", "found", "great", "excellent", "work"}
)


def outlet_hits(sentence: str, words: Words) -> Iterator[Mention]:
    """Outlets named after a piece and what it is about, after a quoted headline, or
    with a journalist whose reporting is cited."""
    yield from _doc_in_outlet(sentence, words)
    if not (_AT_KEYS.isdisjoint(words) or _REPORTING.isdisjoint(words)):
        yield from _journalists_outlet(sentence)
    if ('"' in sentence or "”" in sentence) and _LINE_DATE.search(sentence):
        for m in _AFTER_QUOTE.finditer(sentence):
            name, b, e, _ = clean(m.group("name"), m.start("name"))
            if name and _outlet(name):
                yield Mention("named.source-list", name, b, e, "outlet")


def _journalists_outlet(sentence: str) -> Iterator[Mention]:
    for m in _AT_NAME.finditer(sentence):
        known = lookup_source(m.group("name"))
        if known is None or known.kind != "news":
            continue
        person = _PERSON_BEFORE.search(sentence, max(0, m.start() - 60), m.start())
        if person is not None and person_like(person.group("person")):
            name, b, e, _ = clean(m.group("name"), m.start("name"))
            yield Mention("named.reporting-by", name, b, e, "outlet")


def _doc_in_outlet(sentence: str, words: Words) -> Iterator[Mention]:
    if "in" not in words or _DOC_IN_KEYS.isdisjoint(words) or DOCUMENTS.isdisjoint(words):
        return
    for m in _IN_NAME.finditer(sentence):
        raw = re.sub(r"(?:['’]s?|\.)$", "", m.group("name"))
        if not _outlet_name(raw):
            continue
        name, b, e, the = clean(raw, m.start("name"))
        piece = _DOC_BEFORE.search(sentence, max(0, m.start() - _DOC_REACH), m.start())
        if piece and classify(name, the=the, desc=False, at_start=False) != "person":
            yield Mention("named.published-in", name, b, e, "outlet", piece.group("doc"))


@functools.lru_cache(maxsize=4096)  # "in March", "in London": the same names recur
def _outlet_name(raw: str) -> bool:
    name = clean(raw, 0)[0]
    return bool(name) and _outlet(name)


def outlet_line_hit(line: str) -> Iterator[Mention]:
    """A line that is only a known publication's name, perhaps with a dash and a date."""
    m = _OUTLET_LINE.match(line)
    if m is None:
        return
    known = lookup_source(m.group("name"))
    # An unknown name counts when it is plainly a publication's ("Harbor City Business
    # Journal, 9/30/2025") and the line has the dash or the date of a credit line.
    marked = m.group("dash") or _LINE_DATE.search(m.group("tail") or "")
    if (known is not None and known.kind in ("news", "journal")) or (
        known is None
        and marked
        and classify(m.group("name"), the=False, desc=False, at_start=False) == "outlet"
    ):
        name = re.sub(r"^[Tt]he\s+", "", m.group("name"))
        at = m.end("name") - len(name)
        yield Mention("named.source-line", name, at, m.end("name"), "outlet")
