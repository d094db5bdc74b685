"""Mentions renamed before they are grouped, from what the rest of the text says.

A body's lower-case noun ("the council's report") stands for the one body of
that name, and a name read on past a title's end for what follows the title;
abbreviations are spelled out in ``abbreviations``.
"""

from __future__ import annotations

import re

from archive.extract.named.grammar import CONNECTORS, UP, VOCAB
from archive.extract.named.mention import Mention
from archive.extract.named.names import clean

# "the council's consultation report" in a text that names Kelbridge City Council, "the
# authority's implementation plan" after the Harwell Regional Health Authority: a body
# named by its lower-case noun is the one body of the text whose name ends in that
# noun ("… Council", "… Authority") or opens with it ("Ministry of …").  The body is
# the source and the document its work; with no such name, or several, the document
# stays the citation, named by the words the text uses.
_OWNED_DOC = re.compile(
    rf"(?:[Tt]he\s+)?(?P<owner>{'|'.join(sorted(VOCAB['document_owners']))})['’]s\s+"
    r"(?:own\s+)?(?P<doc>.+)"
)
_BODY_WORD = rf"[{UP}][\w'’.&-]*"
_HEAD_OF = re.compile(
    rf"\s+(?:of|for)\s+(?:the\s+)?(?:{_BODY_WORD}\s+(?:and\s+)?){{0,3}}{_BODY_WORD}(?![\w-])"
)
_BEFORE_HEAD = re.compile(rf"(?<![\w'’.-])(?:{_BODY_WORD}\s+(?:(?:of|for|and|on)\s+)?){{1,5}}$")


def _body_named(text: str, owner: str) -> str | None:
    """The one capitalised name in ``text`` with ``owner`` as its head noun.

    Read from each place the capitalised head stands (``str.find``), back to the
    words before it or on to an "of" after it: a scan of the whole text from every
    capital letter cost more than the rest of the merge.
    """
    head = owner.capitalize()
    found = set()
    at = text.find(head)
    while at >= 0:
        end = at + len(head)
        if (at == 0 or not text[at - 1].isalnum()) and not text[end : end + 1].isalnum():
            tail = _HEAD_OF.match(text, end)
            back = None if tail else _BEFORE_HEAD.search(text, max(0, at - 80), at)
            raw = text[at : tail.end()] if tail else text[back.start() : end] if back else ""
            # "Harrowfield Council and Leeds City Council": two bodies, not one name
            pieces = raw.split(" and ") if raw.count(head) > 1 else [raw]
            for piece in pieces:
                name = clean(piece, 0)[0] if piece else ""
                if len(name.split()) > 1 and name.split()[0].lower() not in CONNECTORS:
                    found.add(name)
        at = text.find(head, end)
    # "Harrowfield Council" and "Harrowfield Borough Council" would be two bodies; the
    # same name with and without a word in front ("Kelbridge City Council", "City
    # Council") is one.
    longest = max(found, key=len, default=None)
    if longest is None or any(not longest.endswith(n) for n in found):
        return None
    return longest


def owned_documents(text: str, mentions: list[Mention]) -> None:
    bodies: dict[str, str | None] = {}  # one scan of the text per owner noun, not per mention
    for m in mentions:
        if m.extractor != "named.document-noun" or m.kind != "work":
            continue
        owned = _OWNED_DOC.fullmatch(m.name)
        if owned is None:
            continue
        owner = owned.group("owner")
        if owner not in bodies:
            bodies[owner] = _body_named(text, owner)
        body = bodies[owner]
        if body is not None:
            m.name, m.kind, m.work = body, "org", owned.group("doc")


_TITLED = frozenset({"named.study", "named.book"})


def cut_at_titles(text: str, mentions: list[Mention]) -> None:
    """ "Using the 2003 and 2008 Demographic and Health Surveys, Adebowale and Ibrahim
    (2017) found": a name read from inside a title to past its end is what follows
    the title; the title's own words are the title's."""
    titles: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        if m.extractor in _TITLED:
            titles.setdefault(m.sentence, []).append(m)
    for m in mentions if titles else ():
        if m.extractor in _TITLED or m.sentence not in titles:
            continue
        if " ".join(text[m.start : m.end].split()) != m.name:
            continue
        for t in titles[m.sentence]:
            if t.start < m.start < t.end < m.end:
                rest = text[t.end : m.end]
                cut = rest.lstrip(" ,;:")
                if cut[:1].isupper():
                    m.name, m.start = " ".join(cut.split()), m.end - len(cut)


# "A 2022 paper by Hina Farooq and Imran Khattak in the journal Urban Climate found",
# "argued in a 2024 paper in the Journal of Rural Studies that …", "a study by the
# institute, published in Ecology Letters": a name right after a paper of the same
# sentence and "in" is the journal it appeared in, the work's container, not a second
# source.  Only papers: "said in a statement in the Financial Times" quotes the person
# through an outlet, and both are sources.
_FIRST_PERSON = frozenset({"I", "me", "we", "We", "us", "my", "My", "our", "Our"})
_JOURNAL_NOUN = r"(?:(?:journal|magazine|periodical|review)\s+)"
_IN_JOURNAL = re.compile(rf"\s*,?\s*(?:published\s+)?in\s+(?:the\s+)?{_JOURNAL_NOUN}?")
_PAPERS = "|".join(sorted(VOCAB["paper_works"], key=len, reverse=True))
_PAPER_IN = re.compile(
    rf"\b(?:{_PAPERS})s?(?:\s+[\w-]+){{0,2}}?\s*,?\s+(?:published\s+)?in\s+(?:the\s+)?"
    rf"{_JOURNAL_NOUN}?$",
    re.I,
)


def fold_containers(text: str, mentions: list[Mention]) -> list[Mention]:
    sentences: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        sentences.setdefault(m.sentence, []).append(m)
    folded: set[int] = set()
    for group in sentences.values():
        if len(group) < 2:
            continue
        for work in group:
            if work.kind != "work" and not _paper(work.work):
                continue
            if _FIRST_PERSON & set(work.name.split()):
                continue  # "Ruth Alvarez and I": the journal is what a reader can look up
            for journal in group:
                if journal is work or journal.start < work.end or id(journal) in folded:
                    continue
                if journal.kind in ("anonymous", "self", "work") or journal.start - work.end > 160:
                    continue
                gap = text[work.end : journal.start]
                if _IN_JOURNAL.fullmatch(gap) or _PAPER_IN.search(gap):
                    work.container = work.container or journal.name
                    folded.add(id(journal))
    return [m for m in mentions if id(m) not in folded] if folded else mentions


def _paper(work: str | None) -> bool:
    head = work.split()[-1].lower() if work else ""
    return head in VOCAB["paper_works"] or head[:-1] in VOCAB["paper_works"]
