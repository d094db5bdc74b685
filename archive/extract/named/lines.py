"""A sources line: "Sources: X, Y", "Reporting by A; additional reporting by B",
"Links: the X explainer, Y" — each item of the list is a source."""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import NAME
from archive.extract.named.joined import parts
from archive.extract.named.mention import Mention
from archive.extract.named.names import ACCEPT, classify

_SOURCE_LINE = re.compile(
    r"(?:^\W{0,3}|[—–]\s*|\s--?\s*)(?i:sources?|data(?:\s+sources?)?|(?:with\s+|additional\s+)?"
    r"reporting\s+(?:by|from)|based\s+on\s+reporting\s+(?:by|from)|compiled\s+from"
    # Show notes and posts: "Links: X explainer, Y", "Mentioned in this episode: …"
    # (these only with their colon: "Links between the two …" is a sentence)
    r"|(?:(?:show\s+)?links|further\s+reading|resources"
    r"|mentioned(?:\s+in\s+(?:this|the)\s+(?:episode|video|show|post))?)\s*:)"
    r"\s*:?\s+(?P<rest>\S.*)$",
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
    r"|article|charts?|dashboard|tracker|thread|newsletter))?\W*"
)


def line_hits(sentence: str, wordset: frozenset[str]) -> Iterator[Mention]:
    if not LINE_WORDS & wordset:
        return  # the pattern scans every position: most sentences have none of its words
    line = _SOURCE_LINE.search(sentence)
    if not line:
        return
    for piece in re.finditer(r"[^,;/]+", line.group("rest")):
        text = re.sub(r"\s+in\s+[A-Z].*$|[\s.]+$", "", piece.group(), flags=re.S)
        item = _LINE_ITEM.fullmatch(text.lstrip())
        if not item:
            continue
        offset = line.start("rest") + piece.start() + len(text) - len(text.lstrip())
        the = item.start("name") > 0
        for name, b, e, the_part in parts(item.group("name"), offset + item.start("name"), the):
            kind = classify(name, the=the_part, desc=False, at_start=False)
            if kind in ACCEPT["line"]:
                yield Mention("named.source-line", name, b, e, kind)
