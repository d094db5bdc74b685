"""Works cited through their authors: papers, studies and books in citation form.

Academic and science writing names a work by its authors and, often, the
journal or publisher it appeared in: "a 2022 paper by A and B in the Journal
of X", "A and colleagues, writing in Nature Medicine", "set out by Oke in his
1982 paper in the Quarterly Journal of …", "A and B's 2019 study", "in their
2018 book The Narrow Corridor, A and B argue", "The Lancet published a study
by researchers at Imperial College".  The citation is the work: its name is
the authors as cited (or the producing body when only researchers "at" it
are named), the journal is its container, never a second source.

Each form is tried only when the sentence holds one of the scholarly work
nouns, and each pattern is matched from that noun or from a few anchor words
found with ``str.find``, so a sentence costs a bounded number of attempts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import (
    AUTHORS,
    DATE_WORDS,
    MOD,
    NAME,
    TITLE,
    VOCAB,
    YEAR,
    alt,
    is_verb,
)
from archive.extract.named.joined import parts
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify
from archive.extract.named.sources import lookup_source
from archive.extract.named.works import document_hits

SCHOLARLY = VOCAB["scholarly_works"]
# Plurals read as the same work noun: "two papers by A and B".
_NOUNS = SCHOLARLY | frozenset(n + "s" for n in SCHOLARLY if not n.endswith("s"))
# Nouns a single author is cited through as a work (with a year or a journal):
# a book, a talk or a report by one person is that person's ("as X wrote in <book>").
_PAPERS = VOCAB["paper_works"]
_NOUN = rf"(?P<noun>(?i:{alt(_NOUNS)}))"
# The journal or publisher, as written: "in the *Journal of X*", "in Nature".
_MARK = r"[*_“\"‘']{0,2}"
_CONTAINER = (
    rf"\s+(?:(?:published|appearing|which\s+appeared)\s+)?in\s+(?:[Tt]he\s+)?(?P<open>{_MARK})"
    rf"(?P<c>{NAME})(?P<close>{_MARK})"
)
_GROUP = r"(?:et\s+al\.?|and\s+(?:colleagues|co-?authors|others)|\s[Aa]nd\s|&|,)"
# The words between an article and the noun: "a 2018 paper", "a recent systematic review".
_LEAD = re.compile(
    rf"(?:^|(?<=\s))(?:[Aa]n?|[Tt]he|[Oo]ne|[Tt]wo|[Tt]hree|[Ss]everal|[Tt]his|[Tt]hat|[Ll]ater"
    r"|[Rr]ecent|[Ee]arlier)\s+"
    rf"(?P<words>(?:(?:{MOD}|{YEAR}|[a-z][\w-]*)\s+){{0,3}})$"
)
_BY = re.compile(
    rf"(?:\s*,?\s+(?:published|released|posted)(?:\s+in\s+{YEAR}|\s+last\s+year)?)?"
    rf"(?:{_CONTAINER})?"
    rf"\s+(?P<prep>by|of|from)\s+(?:(?P<team>(?:a\s+team\s+of\s+)?(?:researchers|scientists"
    rf"|economists|academics|scholars|epidemiologists|a\s+team)\s+(?:at|from)\s+(?:the\s+)?)"
    rf"(?P<org>{NAME})|(?P<authors>{AUTHORS}))"
    rf"(?:\s*\(\s*{YEAR}\s*\))?(?:{_CONTAINER.replace('?P<', '?P<b')})?"
)
# "Ballester and colleagues, writing in Nature Medicine": read back from "writing in".
_WRITING = re.compile(
    rf",\s+writing\s+in\s+(?:the\s+)?(?P<open>{_MARK})(?P<c>{NAME})(?P<close>{_MARK})"
)
_WRITER = re.compile(rf"(?<![\w'’-])(?P<authors>{AUTHORS})(?:\s*\(\s*{YEAR}\s*\))?$")
# A book's title takes the prepositions of titles too ("Rockets over the Ness", "Bridges
# over the Vistula", "Notes from Underground").
BOOK_TITLE = TITLE.replace(
    "without|from|at",
    "without|from|at|over|under|after|before|into|through|between|beyond|against|behind"
    "|across|around|among|upon|about|beneath|toward|towards",
)
# "Oke in his 1982 paper in the Quarterly Journal …": read back from the possessive pronoun.
_IN_OWN = re.compile(
    rf"\s*,?\s+in\s+(?:his|her|their)\s+(?P<words>(?:(?:{MOD}|{YEAR}|[a-z][\w-]*)\s+){{0,2}})"
    rf"{_NOUN}\b(?:\s*,?\s+[“\"*_]?(?P<title>{BOOK_TITLE}))?(?:{_CONTAINER})?"
)
_IN_OWN_AUTHOR = re.compile(rf"(?<![\w'’-])(?P<authors>{AUTHORS})(?:\s+(?P<verb>[a-z]+))?$")
# "In their 2018 book The Narrow Corridor, Acemoglu and Robinson argue".
_LEADING_OWN = re.compile(
    rf"[Ii]n\s+(?:his|her|their)\s+(?P<words>(?:(?:{MOD}|{YEAR}|[a-z][\w-]*)\s+){{0,2}})"
    rf"{_NOUN}\s*,?\s+[“\"*_]?(?P<title>{TITLE})[”\"*_]?\s*,\s+(?P<authors>{AUTHORS})\s+[a-z]"
)
# "A and B's 2019 paper in the Journal of X", "Garcia et al.'s review": up to the noun.
_POSSESSIVE = re.compile(
    rf"(?<![\w'’-])(?P<authors>{AUTHORS})['’]s?\s+"
    rf"(?P<words>(?:(?:{MOD}|{YEAR}|[a-z][\w-]*)\s+){{0,2}})$"
)
_CONTAINER_AT = re.compile(_CONTAINER)
# "The Lancet published a study by …": the journal first, then the work and its authors.
_PUBLISHER = re.compile(
    rf"(?<![\w'’-])(?:[Tt]he\s+)?(?P<c>{NAME})\s+(?:has\s+|also\s+|recently\s+)?published\s+"
    rf"(?:an?|the|one)\s+(?:(?:{MOD}|{YEAR}|[a-z][\w-]*)\s+){{0,3}}$"
)
_NOUN_AT = re.compile(rf"(?<![\w-]){_NOUN}(?![\w-])")
_REACH = 120
_BODY_WORDS = VOCAB["org_words"] | VOCAB["outlet_words"]
_YEAR_RE = re.compile(YEAR)
# Words of a journal's name rather than a newspaper's ("Annals of …", "… Letters").
_JOURNAL_WORDS = VOCAB["journal_words"]


def authored_hits(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    """Works named by their authors, with the journal they appeared in, and documents
    named by the words the text uses (``works.document_hits``)."""
    yield from document_hits(sentence, words)
    if _NOUNS.isdisjoint(words) and "writing" not in words:
        return
    lowered = sentence.lower()
    if "writing" in words:
        yield from _writing(sentence, lowered)
    if _NOUNS.isdisjoint(words):
        return
    possessive = "'" in sentence or "’" in sentence
    by = not _BY_WORDS.isdisjoint(words)
    places = _noun_places(sentence, lowered, words) if by or possessive else []
    for m in places if by else ():
        if lowered.startswith(_AFTER_NOUN, m.end()):
            yield from _by(sentence, m)
    if not _OWN_WORDS.isdisjoint(words):
        yield from _in_own(sentence, lowered)
    for m in places if possessive else ():
        yield from _possessive(sentence, m)
    if "with" in words and not _PRONOUNS.isdisjoint(words):
        yield from _with_coauthor(sentence, lowered)


# "In a study which she published together with Markus Feld in 2024 in the journal
# Zeitschrift für Kommunalfinanzen", "a paper he co-wrote with Ana Ruiz in Nature": the
# author named before is a pronoun here; the co-authors and the journal name the work.
_PRONOUNS = frozenset({"she", "he", "they"})
_WITH_COAUTHOR = re.compile(
    r"(?:[Ss]he|[Hh]e|[Tt]hey)\s+(?:(?:has|had|have|also|recently|later)\s+)?"
    r"(?:published|wrote|co-wrote|co-authored|authored|wrote\s+up|presented)\s+"
    r"(?:(?:it|them)\s+)?(?:together\s+|jointly\s+)?with\s+(?:(?:the|her|his|their)\s+)?"
    r"(?:(?:[a-z]+\s+){0,2}?)"
    rf"(?P<authors>{AUTHORS})(?:\s+in\s+{YEAR})?\s+in\s+(?:[Tt]he\s+)?(?:journal\s+)?"
    rf"(?P<open>{_MARK})(?P<c>{NAME})(?P<close>{_MARK})"
)


def _with_coauthor(sentence: str, lowered: str) -> Iterator[Mention]:
    for pronoun in ("she ", "he ", "they "):
        at = lowered.find(pronoun)
        while at >= 0:
            if at == 0 or not lowered[at - 1].isalnum():
                m = _WITH_COAUTHOR.match(sentence, at)
                container = _container(m) if m is not None else None
                found = _authors(m.group("authors"), m.start("authors")) if m else None
                if m is not None and container is not None and found is not None:
                    name, b, _, _ = found
                    # spanning the journal too: "Feld in … Kommunalfinanzen" is no speaker
                    yield Mention("named.work-by", name, b, m.end(), "work", None, container)
            at = lowered.find(pronoun, at + 1)


_BY_WORDS = frozenset({"by", "of", "from"})
# What ``_BY`` can read after the noun: a cheap test before the pattern runs.
_AFTER_NOUN = (" by ", " of ", " from ", " published", " released", " posted", ", ", " in ")
_OWN_WORDS = frozenset({"his", "her", "their"})
_BOOKS = VOCAB["book_works"]


def _noun_places(sentence: str, lowered: str, words: frozenset[str]) -> list[re.Match[str]]:
    """Each scholarly noun of the sentence, in lower case in the text (a capitalised
    one is part of a name: "the Review of Economic Studies")."""
    found = []
    for noun in _NOUNS & words:
        at = lowered.find(noun)
        while at >= 0:
            if sentence[at].islower() and (at == 0 or not lowered[at - 1].isalnum()):
                m = _NOUN_AT.match(sentence, at)
                if m is not None and m.end() == at + len(noun):
                    found.append(m)
            at = lowered.find(noun, at + len(noun))
    return sorted(found, key=lambda m: m.start())


def _work_words(sentence: str, noun: re.Match[str]) -> str | None:
    """ "2018 paper" from "a 2018 paper": the words the text uses for the work."""
    lead = _LEAD.search(sentence, max(0, noun.start() - 60), noun.start())
    if lead is None:
        return None
    return " ".join((lead.group("words") + noun.group("noun")).split())


def _container(m: re.Match[str], prefix: str = "") -> str | None:
    name = m.group(prefix + "c")
    if not name:
        return None
    emphasised = bool(m.group(prefix + "open") and m.group(prefix + "close"))
    return name if journal_like(name, emphasised) else None


def journal_like(name: str, emphasised: bool) -> bool:
    """Whether a name after "in" is where a work appeared, not a place or a date.

    A known journal or newspaper, a name with a journal's words ("Annals of …",
    "… Review"), an italic or quoted title, or a long run of capitalised words
    ("Annales Zoologici Fennici"); "in Kenya", "in New York" and "in March" are not.
    """
    words = name.split()
    if words[0] in DATE_WORDS:
        return False
    known = lookup_source(name)
    if known is not None:
        return known.kind in ("journal", "news")
    if {w.lower() for w in words} & (_JOURNAL_WORDS | VOCAB["outlet_words"]):
        return True
    if {w.lower() for w in words} & VOCAB["org_words"]:
        return False  # "in the Ministry of Health": a body, not a journal
    return emphasised or len(words) >= 3


_AUTHOR_SEP = re.compile(r"\s*(?:,|\band\b|&|\bet\s+al\b\.?)\s*")
_NAME_GOES_ON = re.compile(r"\s+(?:(?:the|of|for|and)\s+)?[A-Z]")


def _authors(name: str, at: int, after: str = "") -> tuple[str, int, int, bool] | None:
    """The authors as one cited group, or None when the words name bodies or places.

    ``after`` is the text that follows: "Oxfam and Save the Children" goes on after
    the words the author pattern took, so it is no list of surnames.
    """
    if _NAME_GOES_ON.match(after):
        return None
    for piece in _AUTHOR_SEP.split(name):
        words = {w.lower() for w in piece.split()}
        if piece and (lookup_source(piece) or words & _BODY_WORDS):
            return None
    pieces = list(parts(name, at, False))
    if len(pieces) != 1:
        return None  # "Oxfam and Save the Children": bodies, for the other patterns
    text, b, e, _ = pieces[0]
    kind = classify(text, the=False, desc=False, at_start=False)
    if kind not in ("person", "weak", "single"):
        return None
    group = re.search(_GROUP, text) is not None
    return text, b, e, group


def _as_work(noun: str, group: bool, year: bool, container: str | None) -> bool:
    """A group of authors always cites a work; one author through a paper or study
    with a year or a journal ("Oke's 1982 paper"), else the person is the source."""
    return group or (noun.lower().rstrip("s") in _PAPERS and (year or container is not None))


def _by(sentence: str, noun: re.Match[str]) -> Iterator[Mention]:
    m = _BY.match(sentence, noun.end())
    if m is None:
        return
    work = _work_words(sentence, noun)
    if m.group("prep") != "by" and (work is None or m.group("org")):
        return  # "a study of Kenyan households", "data from the World Bank"
    container = _container(m) or _container(m, "b") or _publisher(sentence, noun.start())
    if m.group("org"):
        org = m.group("org")
        if classify(org, the=True, desc=False, at_start=False) not in ("org", "outlet"):
            return  # "researchers at" a body: its name may hold a journal's word ("Chemistry")
        yield Mention("named.work-by", org, m.start("org"), m.end("org"), "work", work, container)
        return
    found = _authors(
        m.group("authors"), m.start("authors"), sentence[m.end("authors") : m.end("authors") + 40]
    )
    if found is None:
        return
    _, b, e, group = found
    if m.group("prep") != "by" and not (group and container):
        return  # "a paper of Tramblay and colleagues in Nature Reviews …" only
    year = bool(work and _YEAR_RE.search(work)) or "(" in m.group()
    if _as_work(noun.group("noun"), group, year, container):
        e = max(e, m.end("authors"))
        yield Mention("named.work-by", sentence[b:e], b, e, "work", work, container)


def _publisher(sentence: str, at: int) -> str | None:
    m = _PUBLISHER.search(sentence, max(0, at - _REACH), at)
    return m.group("c") if m is not None and journal_like(m.group("c"), False) else None


def _writing(sentence: str, lowered: str) -> Iterator[Mention]:
    at = lowered.find(", writing in")
    while at >= 0:
        m = _WRITING.match(sentence, at)
        writer = _WRITER.search(sentence, max(0, at - _REACH), at) if m else None
        if m is not None and writer is not None:
            found = _authors(writer.group("authors"), writer.start("authors"))
            name = m.group("c")
            emphasised = bool(m.group("open") and m.group("close"))
            journal = journal_like(name, emphasised) and _scholarly(name)
            if found is not None and (found[3] or journal):
                _, b, e, _ = found
                e = max(e, writer.end("authors"))
                yield Mention("named.work-by", sentence[b:e], b, e, "work", None, name)
        at = lowered.find(", writing in", at + 1)


def _scholarly(name: str) -> bool:
    """A journal rather than a newspaper: a columnist "writing in the Guardian" is a
    person cited through an outlet, a team "writing in Nature Medicine" a paper."""
    known = lookup_source(name)
    if known is not None:
        return known.kind == "journal"
    return bool({w.lower() for w in name.split()} & _JOURNAL_WORDS)


def _in_own(sentence: str, lowered: str) -> Iterator[Mention]:
    for pronoun in ("his", "her", "their"):
        at = lowered.find(f"in {pronoun} ")
        while at >= 0:
            if at == 0 or not lowered[at - 1].isalnum():
                yield from _in_own_at(sentence, at - 1) if at else ()
                yield from _leading_own(sentence, at)
            at = lowered.find(f"in {pronoun} ", at + 1)


def _leading_own(sentence: str, at: int) -> Iterator[Mention]:
    """ "In their 2018 book The Narrow Corridor, Acemoglu and Robinson argue"."""
    m = _LEADING_OWN.match(sentence, at)
    if m is not None:
        found = _authors(m.group("authors"), m.start("authors"))
        if found is None:
            return
        name, b, e, group = found
        title = " ".join(m.group("title").split())
        if group:
            yield Mention("named.work-by", sentence[b:e], b, e, "work", title)
        else:
            yield Mention("named.work-by", name, b, e, "person", title)


def _in_own_at(sentence: str, at: int) -> Iterator[Mention]:
    start = at
    while start > 0 and sentence[start - 1] in " ,":
        start -= 1
    m = _IN_OWN.match(sentence, start)
    author = _IN_OWN_AUTHOR.search(sentence, max(0, start - _REACH), start) if m else None
    if m is None or author is None or (author.group("verb") and not is_verb(author.group("verb"))):
        return  # "As A and B argued in their 2012 article": a reporting verb may come between
    found = _authors(author.group("authors"), author.start("authors"))
    if found is None:
        return
    _, b, e, group = found
    noun = m.group("noun")
    work = " ".join((m.group("words") + noun).split())
    title = m.group("title")
    container = _container(m)
    if _as_work(noun, group, bool(_YEAR_RE.search(work)), container):
        e = max(e, author.end("authors"))
        yield Mention("named.work-by", sentence[b:e], b, e, "work", title or work, container)
    elif title and noun.lower() in _BOOKS:
        # "as the critic X shows in her book Scissors on the Nile (2019)": one author of
        # a book is cited as a person for it; the span takes the title, whose last words
        # before the year are no author of their own
        yield Mention("named.work-by", sentence[b:e], b, m.end(), "person", title.strip())


def _possessive(sentence: str, noun: re.Match[str]) -> Iterator[Mention]:
    """ "A and B's 2019 paper in the Journal of X", read back from the noun."""
    lo = max(0, noun.start() - _REACH)
    window = sentence[lo : noun.start()]
    if "'" not in window and "’" not in window:
        return
    m = _POSSESSIVE.search(sentence, lo, noun.start())
    if m is None:
        return
    found = _authors(m.group("authors"), m.start("authors"))
    if found is None:
        return
    name, b, e, group = found
    work = " ".join((m.group("words") + noun.group("noun")).split())
    after = _CONTAINER_AT.match(sentence, noun.end())
    container = _container(after) if after is not None else None
    if group and _as_work(noun.group("noun"), group, False, container):
        e = max(e, m.end("authors"))
        yield Mention("named.work-by", sentence[b:e], b, e, "work", work, container)
    elif container is not None and _as_work(noun.group("noun"), False, True, container):
        yield Mention("named.work-by", name, b, e, "work", work, container)
