"""Books by their author and title, list entries of a work, papers named journal first.

A book is cited by its author and its title, in prose ("a history of the port
by local historian Michael Twomey, "Harbour of the Deep Water"", "Mary
Blake's 2015 memoir The Salt Road", "The Salt Road, a 2015 history by Mary
Blake") and in the lists of show notes and further reading ("Jon Gertner,
The Ice at the End of the World (Random House, 2019)").  One author is cited
as a person for the book, with its title as the work, as ``authored`` cites
"In her 2015 book The Salt Road, Blake argues"; several authors are cited as
the work.  The publisher is where it appeared, never a source.
A body before a title in such a line ("IPCC, Special Report on … (2019)") is
that body's work.

A paper is named journal first as often as authors first: "Writing in the
Journal of X, A and B described …", "In a study published in 2024 in the
journal Y, A and colleagues found …".  The authors are the work's name and the
journal its container; the span covers both, so a reading of the journal and
the authors as one speaker's name gives way to it.

Each form is tried only when the sentence holds its key words, and each is
matched from those words, found with ``str.find``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.authored import BOOK_TITLE, journal_like
from archive.extract.named.grammar import AUTHORS, NAME, TITLE, UP, VERBS, VOCAB, YEAR, alt, is_verb
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, clean, person_like, split_title
from archive.extract.named.sources import lookup_source

_BOOK_NOUNS = VOCAB["book_works"]
_OPEN = '“"*_‘'
_CLOSE = '”"*_’'
# A title in quotes or emphasis, or capitalised words up to a stop, a comma or a bracket.
_QUOTED = rf"[{_OPEN}](?P<qtitle>[{UP}0-9][^”\"*_\n]{{2,150}}?)[{_CLOSE}]"
_BARE = rf"(?P<title>{BOOK_TITLE})(?=\s*(?:[,.;:(]|$)|\s+[a-z])"
_A_TITLE = rf"(?:{_QUOTED}|{_BARE})"
# After an author's name a bare title needs its comma ("by Mary Blake in the Journal of
# X" goes on with the author's sentence, not a title) and runs to the next comma or
# bracket, lower-case words of other languages included ("Stemmer fra dalen").
_TO_COMMA = rf"(?P<title>[{UP}0-9][^,;()\n“”\"]{{1,120}}?)(?=\s*(?:[,;(]|\.\s|\.?$))"
_AUTHOR_TITLE = rf"(?:,?\s+{_QUOTED}|,\s+{_TO_COMMA})"
# "a history of the port by local historian Michael Twomey, "Harbour of the Deep Water"":
# read from the book noun to the title.
_BY_AUTHOR = re.compile(
    rf"(?P<noun>{alt(_BOOK_NOUNS)})(?:\s+(?:of|about|on)\s+[^,;:()]{{1,50}}?)?\s+by\s+"
    r"(?:(?:the|a|an|[a-z][\w-]+)\s+){0,3}?"
    rf"(?P<author>{NAME}){_AUTHOR_TITLE}"
)
# "Mary Blake's 2015 memoir The Salt Road", read back from the noun to the owner.
_OWNER = re.compile(
    rf"(?<![\w'’-])(?P<author>{NAME})['’]s?\s+(?:(?:{YEAR}|new|latest|first|last|own)\s+)*$"
)
_TITLE_AFTER = re.compile(rf",?\s+{_A_TITLE}")
# "The Salt Road, a 2015 history by Mary Blake": the title before the noun.
_TITLE_BEFORE = re.compile(
    rf"(?:^|(?<=[\s(]))(?:{_QUOTED}|(?P<title>{TITLE})),\s+an?\s+(?:{YEAR}\s+)?(?:[a-z]+\s+)?$"
)
_AUTHOR_AFTER = re.compile(rf"\s+by\s+(?:(?:the|[a-z][\w-]+)\s+){{0,2}}?(?P<author>{NAME})")
_REACH = 120
# "Jon Gertner, The Ice at the End of the World (Random House, 2019)": a line that opens
# with a name, a title and a year in brackets, with the publisher before the year.
_ENTRY = re.compile(
    rf"\W{{0,3}}(?P<name>{AUTHORS}|{NAME}),\s+(?:{_QUOTED}|{_TO_COMMA})\s*,?\s*"
    rf"\((?:(?P<pub>[{UP}][^()\d\n]{{1,60}}?),\s*)?{YEAR}\)"
)
# "Writing in the Journal of X, A and B described …"; "In a 2024 study published in the
# journal Y, A and colleagues found …".  A journal's name in another language keeps its
# words in lower case ("Revue française de science politique"): it runs to the comma.
_JOURNAL_FIRST = re.compile(
    r"(?:[Ww]riting\s+in|[Ii]n\s+(?:an?|their|his|her)\s+(?:[\w-]+\s+){0,2}?"
    rf"(?:{alt(VOCAB['scholarly_works'])})\s+(?:(?:which|that)\s+(?:she|he|they)\s+)?"
    rf"(?:published|which\s+appeared|appearing)(?:\s+(?:in\s+)?{YEAR})?\s+in)"
    r"\s+(?:the\s+(?:journal\s+)?)?(?P<open>[*_“\"]?)"
    rf"(?P<c>[{UP}][^,;:()\n]{{1,80}}?)(?P<close>[*_”\"]?),\s+(?P<authors>{AUTHORS})\s+"
    r"(?P<verb>[a-z]+)"
)
# "Reyes and colleagues reported in Science that …", "Okafor et al. wrote in the Journal
# of X": the authors, a verb of reporting, then "in" and the journal; read back from
# " in ".
_REPORTED_IN = re.compile(
    rf"(?<![\w'’-])(?P<authors>{AUTHORS})(?:\s*\(\s*{YEAR}\s*\))?\s+"
    r"(?:(?:have|has|had|also|recently|first|later)\s+)?(?P<verb>[a-z]+)\s+$"
)
_IN_JOURNAL = re.compile(
    rf"in\s+(?:the\s+(?:journal\s+)?)?(?P<open>[*_“\"]?)(?P<c>{NAME})(?P<close>[*_”\"]?)"
)
_NOT_VERBS = frozenset({"of", "at", "from", "in", "and", "for", "with", "on", "to"})
_KEYS = _BOOK_NOUNS | frozenset({"writing", "published", "appeared", "appearing"})
# The words a sentence must hold for these patterns to be tried (the driver's gate); a
# list entry is tried on any sentence with a bracket, which the gate lets through.
BOOK_KEYS = _KEYS


def book_hits(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    """Books by author and title, list entries of a work, papers named journal first."""
    head = sentence.lstrip(" -*•\t")[:1]
    if head.isupper() and "(" in sentence and ", " in sentence:
        yield from _entry(sentence)
    if "in" in words and not VERBS.isdisjoint(words):
        yield from reported_in_hits(sentence)
    if _KEYS.isdisjoint(words):
        return
    for noun in _BOOK_NOUNS & words:
        at = sentence.find(noun)
        while at > 0:
            if (
                not sentence[at - 1].isalnum()
                and not sentence[at + len(noun) : at + len(noun) + 1].isalnum()
            ):
                yield from _book_at(sentence, at, noun)
            at = sentence.find(noun, at + len(noun))
    if not words.isdisjoint({"writing", "published", "appeared", "appearing"}):
        yield from _journal_first(sentence)


def reported_in_hits(sentence: str) -> Iterator[Mention]:
    """Authors who report in a scholarly journal: their paper is the work."""
    at = sentence.find(" in ")
    while at > 0:
        yield from _reported_in(sentence, at)
        at = sentence.find(" in ", at + 1)


def _title(m: re.Match[str]) -> str:
    return " ".join((m.group("qtitle") or m.group("title")).split()).strip(" ,")


def _a_person(name: str) -> bool:
    kind = classify(name, the=False, desc=False, at_start=False)
    return kind == "person" or (kind in ("weak", "single") and person_like(name))


def _book(author: str, start: int, end: int, title: str, publisher: str | None) -> Mention:
    """A group of authors is cited as the work; one author as a person, for the book
    (as ``authored`` cites "In her 2015 book The Salt Road, Blake argues")."""
    # "And Nadia Eghbal's book", "by journalist Miriam Castell": the discourse word and
    # the role are not the author's name
    cleaned, start, _, _ = clean(author, start)
    role, name = split_title(cleaned)
    start += len(cleaned) - len(name)
    group = " and " in name or " et al" in name or "," in name or "&" in name
    kind = "work" if group else "person"
    return Mention("named.book", name, start, end, kind, title, container=publisher, role=role)


def _book_at(sentence: str, at: int, noun: str) -> Iterator[Mention]:
    m = _BY_AUTHOR.match(sentence, at)
    if m is not None and m.group("noun") == noun and _a_person(m.group("author")):
        yield _book(m.group("author"), m.start("author"), m.end(), _title(m), None)
        return
    lo = max(0, at - _REACH)
    owner = _OWNER.search(sentence, lo, at)
    after = _TITLE_AFTER.match(sentence, at + len(noun)) if owner else None
    if owner is not None and after is not None and _a_person(owner.group("author")):
        yield _book(owner.group("author"), owner.start("author"), after.end(), _title(after), None)
        return
    before = _TITLE_BEFORE.search(sentence, lo, at)
    by = _AUTHOR_AFTER.match(sentence, at + len(noun)) if before else None
    if before is not None and by is not None and _a_person(by.group("author")):
        yield _book(by.group("author"), before.start(), by.end(), _title(before), None)


def _entry(sentence: str) -> Iterator[Mention]:
    """Each line of the sentence that opens as a list entry of a work: the lines of a
    list with no stop between them are one sentence."""
    at = 0
    while at >= 0:
        yield from _entry_at(sentence, at)
        at = sentence.find("\n", at + 1)


def _entry_at(sentence: str, at: int) -> Iterator[Mention]:
    m = _ENTRY.match(sentence, at)
    if m is None:
        return
    name, title = m.group("name"), _title(m)
    publisher = m.group("pub")
    known = lookup_source(name)
    if known is not None and known.kind not in ("news", "journal"):
        # "IPCC, Special Report on the Ocean and Cryosphere … (2019)": the body's work
        yield Mention("named.book", name, m.start("name"), m.end(), "org", title)
    elif " and " in name or " et al" in name or _a_person(name):
        yield _book(name, m.start("name"), m.end(), title, publisher)


def _reported_in(sentence: str, at: int) -> Iterator[Mention]:
    # cheap tests first: a reporting verb right before " in ", a capital after it
    if not is_verb(sentence[sentence.rfind(" ", 0, at) + 1 : at] or "-"):
        return
    after = sentence[at + 4 : at + 9]
    if not (after[:1].isupper() or after[:1] in '*_“"' or after.startswith("the ")):
        return
    back = _REPORTED_IN.search(sentence, max(0, at - _REACH), at + 1)
    if back is None or not is_verb(back.group("verb")):
        return
    m = _IN_JOURNAL.match(sentence, at + 1)
    if m is None or not _scholarly(m.group("c"), bool(m.group("open") and m.group("close"))):
        return
    authors = back.group("authors")
    if not (person_like(authors) or _a_person(authors)):
        return  # "The Commission argued in the Official Journal": a body, not authors
    # spanning the journal too: a reading of the authors as speakers "in" an outlet
    # gives way to it
    yield Mention(
        "named.work-by", authors, back.start("authors"), m.end(), "work", None, m.group("c")
    )


def _scholarly(name: str, emphasised: bool) -> bool:
    """A journal, not a newspaper: "reported in Science", not "told in the Guardian"."""
    known = lookup_source(name)
    if known is not None:
        return known.kind == "journal"
    return emphasised or bool({w.lower() for w in name.split()} & VOCAB["journal_words"])


def _journal_first(sentence: str) -> Iterator[Mention]:
    for m in _JOURNAL_FIRST.finditer(sentence):
        journal = m.group("c")
        emphasised = bool(m.group("open") and m.group("close"))
        if not journal_like(journal, emphasised) or m.group("verb") in _NOT_VERBS:
            continue  # the authors' clause goes on: "…, A and B of the university"
        authors = m.group("authors")
        if not (person_like(authors) or _a_person(authors)):
            continue
        yield Mention(
            "named.work-by", authors, m.start("c"), m.end("authors"), "work", None, journal
        )
