"""Names joined by "and": one source or several.

"Eyler and Weatherby" are two authors cited together for one work, "Ecology and
Society" is one journal, "the Globe and Mail and the Toronto Star" are two
papers.  Every rule that reads a name before or after a verb splits it here, so
that a list of sources is read the same way wherever it stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.branches import regional_service
from archive.extract.named.grammar import UP, VOCAB
from archive.extract.named.names import clean
from archive.extract.named.sources import lookup_source

_AND = re.compile(r"\s+(?:and|&)\s+(?:(?P<the>the|The)\s+)?")
_LIST_SEP = re.compile(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+")


# Words that say what kind of body a name is, not only what it deals in.
BODY_KINDS = (VOCAB["org_words"] | VOCAB["outlet_words"]) - VOCAB["field_words"]
_OWNED_AND = re.compile(r"['’]s?\s+[^,&]*?\s(?:and|&)\s")


def _separate(raw: str, pieces: list[str]) -> bool:
    """Whether "A and B" names two sources rather than one ("Ecology and Society").

    Known sources, "X and the Y", or two names that each carry an outlet or
    organisation word are separate; people listed as authors stay together, and
    so does a title owned by a possessive before it ("the Valdren Statistics
    Office's Opinion and Lifestyle Survey").
    """
    if all(lookup_source(p) for p in pieces) or re.search(r"\s(?:and|&)\s+[Tt]he\s", raw):
        return True
    if _OWNED_AND.search(raw):
        return False
    # Each piece must say what kind of body it is: "Oman Power and Water Procurement
    # Company", "Ministry of New and Renewable Energy" and "Department of Cooperative
    # Governance and Traditional Affairs" join fields of one body, and the piece after
    # the "and" names no body of its own.
    return all(len(p.split()) > 1 and set(p.lower().split()) & BODY_KINDS for p in pieces)


def _known_pair(raw: str) -> re.Match[str] | None:
    """The "and" between two known sources whose own names may hold one ("the Globe and
    Mail and the Toronto Star"), where splitting at every "and" would break them."""
    for sep in _AND.finditer(raw):
        left, right = clean(raw[: sep.start()], 0)[0], clean(raw[sep.end() :], 0)[0]
        if _known_or_service(left) and _known_or_service(right):
            return sep
    return None


def _known_or_service(name: str) -> bool:
    tokens = name.split()
    return bool(tokens) and (lookup_source(name) is not None or regional_service(tokens))


def parts(raw: str, offset: int, the: bool) -> Iterator[tuple[str, int, int, bool]]:
    """A name, or the names joined by "and" when the whole is not one known name.

    Authors joined by "and" stay one source ("Eyler and Weatherby"): they
    are cited together, for one work.
    """
    name, start, end, had_the = clean(raw, offset)
    if not name or lookup_source(name) or not _AND.search(raw):
        yield name, start, end, the or had_the
        return
    pair = _known_pair(raw)
    if pair is not None:  # "the Press and Journal and BBC Alba": two known outlets
        for a, b in ((0, pair.start()), (pair.end(), len(raw))):
            name, start, end, had_the = clean(raw[a:b], offset + a)
            yield name, start, end, (the if a == 0 else bool(pair.group("the"))) or had_the
        return
    pieces = [clean(p, 0)[0] for p in _LIST_SEP.split(raw) if p and p not in ("the", "The")]
    if not _separate(raw, pieces):
        yield name, start, end, the or had_the
        return
    cut = 0
    for sep in _AND.finditer(raw):
        name, start, end, had_the = clean(raw[cut : sep.start()], offset + cut)
        yield name, start, end, the or had_the
        cut, the = sep.end(), bool(sep.group("the"))
    name, start, end, had_the = clean(raw[cut:], offset + cut)
    yield name, start, end, the or had_the


# "The Ministry of Health, Labour and Welfare", "the Department of the Environment,
# Climate and Communications": a body's name may list its fields after "of" with commas,
# the last two joined by "and".  Fields that name no kind of body continue the name
# before the comma; "the Ministry of Health, the Treasury and the Bank of England" and
# "Ofgem, Ofwat and the Competition and Markets Authority" list bodies.
_ARTICLE_LAST = re.compile(r",\s*the\s+$", re.I)
_FIELD_PIECE = re.compile(r"\s*,\s*|\s+(?:and|&)\s+")
_OF_END = re.compile(
    rf"(?:^|\s)(?:of|for|on)\s+(?:the\s+)?[{UP}][^\s,]*(?:\s+[{UP}][^\s,]*)?\s*,\s*$"
)


def fields_of(sentence: str, m: re.Match[str]) -> int | None:
    """Where the body's name starts when the list before a name and the name are one
    name; ``m`` is a match of a pattern with groups "list", "art" and "name"."""
    listed, name = m.group("list"), m.group("name")
    if not listed or " and " not in name or m.group("art") or _ARTICLE_LAST.search(listed):
        return None
    comma = listed.rstrip().rstrip(",").rfind(",")
    last_start = m.start("list") + (comma + 1 if comma >= 0 else 0)
    if not _OF_END.search(sentence, last_start, m.start("name")):
        return None
    pieces = [p for p in _FIELD_PIECE.split(name) if p]
    if any(set(p.lower().split()) & BODY_KINDS for p in pieces):
        return None
    return last_start
