"""A sources line: "Sources: X, Y", "Reporting by A; additional reporting by B",
"Links: the X explainer, Y" — each item of the list is a source."""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import DOC, DOCUMENTS, NAME, VOCAB
from archive.extract.named.joined import parts
from archive.extract.named.mention import Mention
from archive.extract.named.names import ACCEPT, classify
from archive.extract.named.sources import lookup_source

_SOURCE_LINE = re.compile(
    r"(?:^\W{0,3}|[—–]\s*|\s--?\s*)(?i:sources?|data(?:\s+sources?)?|(?:with\s+|additional\s+)?"
    r"reporting\s+(?:by|from)|based\s+on\s+reporting\s+(?:by|from)|compiled\s+from"
    # Show notes and posts: "Links: X explainer, Y", "Mentioned in this episode: …"
    # (these only with their colon: "Links between the two …" is a sentence)
    r"|(?:(?:show\s+)?links|further\s+reading|resources"
    r"|mentioned(?:\s+in\s+(?:this|the)\s+(?:episode|video|show|post))?)\s*:)"
    # "**Sources:**", "__Data:__": the line's own emphasis around its colon
    r"\s*:?[*_]{0,2}\s+(?P<rest>\S.*)$",
    re.S,
)
# The words ``_SOURCE_LINE`` cannot match without, each a whole word of the sentence.
LINE_WORDS = frozenset(
    {"source", "sources", "data", "reporting", "compiled", "links", "reading", "resources"}
    | {"mentioned"}
)
_LINE_ITEM = re.compile(
    rf"(?:[Tt]he\s+)?(?P<name>{NAME})(?:\s+\([A-Z][A-Za-z]{{1,7}}\))?(?:\s+(?:data|reports?|reporting|staff|figures|archives?"
    r"|website|statistics|and\s+agencies|agencies|explainer|analysis|study|survey|paper|piece"
    r"|article|charts?|dashboard|tracker|thread|newsletter)"
    # "Iwami Kotsu service notice", "Orran Harbour Board annual report": the publisher,
    # then its document in lower case
    rf"|\s+(?P<doc>(?:[a-z][\w-]*\s+){{0,3}}?{DOC}))?\W*"
)
# What closes an item and is no part of its name: a place after "in", a bracketed year.
_ITEM_END = re.compile(r"\s+in\s+[A-Z].*$|\s*\([^)]*\)[\s.]*$|[\s.]+$", re.S)


# A source credit in brackets after a figure: "(source: Eurocontrol)", "(data: Cirium;
# Eurocontrol)"; the colon is needed here ("(data were revised)" is prose).
_PAREN_LINE = re.compile(r"\((?i:sources?|data(?:\s+sources?)?)\s*:\s*(?P<rest>[^()]{1,200})\)")


def line_hits(sentence: str, wordset: frozenset[str]) -> Iterator[Mention]:
    if not LINE_WORDS & wordset:
        return  # the pattern scans every position: most sentences have none of its words
    line = _SOURCE_LINE.search(sentence)
    if line:
        yield from _items(line.group("rest"), line.start("rest"))
    for paren in _PAREN_LINE.finditer(sentence) if "(" in sentence else ():
        yield from _items(paren.group("rest"), paren.start("rest"))


def _items(rest: str, at: int) -> Iterator[Mention]:
    """The sources of a list's items, ``rest`` starting at ``at`` in the sentence."""
    for piece in re.finditer(r"[^,;/]+", rest):
        text = _ITEM_END.sub("", piece.group())
        item = _LINE_ITEM.fullmatch(text.lstrip())
        if not item:
            continue
        offset = at + piece.start() + len(text) - len(text.lstrip())
        the = item.start("name") > 0
        for name, b, e, the_part in parts(item.group("name"), offset + item.start("name"), the):
            work = item.group("doc")
            if name and name.split()[-1].lower() in _TITLE_HEADS and not lookup_source(name):
                # "WHO Global Air Quality Guidelines (2021)": a known body's titled work
                owner = _known_prefix(name)
                if owner is None:
                    continue
                name, e, work = owner, b + len(owner), name[len(owner) :].strip()
            kind = classify(name, the=the_part, desc=False, at_start=False)
            if kind in ACCEPT["line"]:
                yield Mention("named.source-line", name, b, e, kind, work)


_TITLE_HEADS = DOCUMENTS | {w.lower() for w in VOCAB["titled_heads"]}


def _known_prefix(name: str) -> str | None:
    """The longest run of the name's first words that is a known source."""
    tokens = name.split()
    for n in range(len(tokens) - 1, 0, -1):
        if lookup_source(" ".join(tokens[:n])) is not None:
            return " ".join(tokens[:n])
    return None
