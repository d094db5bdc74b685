"""A body as the author of a work cited by its date: "(Statistics Canada, 2022)",
"Aga Khan Trust for Culture (2019). Documentation Survey.", "Tokyo Metropolitan
Labour Relations Commission (26 September 2026). "Mediation concluded"".

Academic prose and reference lists cite reports, plans and statistics by the
body that wrote them the way they cite people: the name, then the year in
brackets, or name and year together inside the brackets.  The author-year
pattern reads people's names, which have no small words and at most three
capitalised ones; a body's name is longer ("Harwell Regional Health Authority")
and joins its words with "of", "for" and "and" ("Aga Khan Trust for Culture"),
and reference lists give a full date as often as a year.  Only a name that is a
body by its words, its acronym or the known sources is taken here: a person in
the same place is the author-year pattern's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.branches import folded_words
from archive.extract.named.grammar import DOCUMENTS, MONTH, NAME, VOCAB, YEAR
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, clean
from archive.extract.named.sources import lookup_source, normalise_name

# The year, a page and the bracket or semicolon that closes a citation:
# "2021, p. 4)", "2019a;", "2009)".
_CITED_YEAR = rf"(?:{YEAR}[a-z]?|n\.d\.)(?:,\s*pp?\.\s*[\w–-]{{1,12}})?(?=[;)])"
_DATE = rf"(?:\d{{1,2}}\s+(?:{MONTH})\s+|(?:{MONTH})\s+(?:\d{{1,2}},?\s+)?)?{YEAR}[a-z]?"
_CORPORATE = re.compile(
    # in the brackets: "(Harwell Regional Health Authority, 2021, p. 4)", "; UNFPA 2020)"
    rf"(?:\(|;\s)(?:(?:e\.g\.|see(?:\s+also)?|cf\.),?\s+)?(?P<inner>{NAME}),?\s+{_CITED_YEAR}"
    # before them: "Aga Khan Trust for Culture (2019)", "… Commission (26 September 2026)"
    rf"|(?<![\w'’.-])(?P<outer>{NAME})\.?\s+\({_DATE}\)"
)
# The words that point a reader at a citation, not part of its author's name:
# "See Instituto Nacional de Salud Pública (2021)", "Cf. United Nations Statistics Division".
SIGNALS = frozenset({"The", "See", "Cf", "Cf.", "Compare", "Contra"})
_QUICK = re.compile(rf"{YEAR}[a-z]?(?:[;)]|,\s*pp?\.)")
# A title's head word as the name's head makes it a work, not its author: "the Annual Report
# of the Harbour Board (2019)", "the Port Strategy (2020)".
_WORK_WORDS = DOCUMENTS | {w.lower() for w in VOCAB["titled_heads"]}
_TITLE_NOUNS = DOCUMENTS | VOCAB["self_nouns"]


def corporate_hits(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    """``words``: the sentence's words in lower case, for the cheap test first."""
    if "(" not in sentence or not _QUICK.search(sentence):
        return
    for m in _CORPORATE.finditer(sentence):
        group = "inner" if m.group("inner") else "outer"
        raw, at = m.group(group), m.start(group)
        first = raw.split(maxsplit=1)[0]
        if " " in raw and (first in SIGNALS or first in VOCAB["lead"]):
            raw, at = (
                raw[len(first) + 1 :].lstrip(),
                at + len(raw) - len(raw[len(first) + 1 :].lstrip()),
            )
        name, b, e, the = clean(raw, at)
        lowered = folded_words(name)
        if " " not in name or _head(name) in _WORK_WORDS or _titled(sentence, m.start(group)):
            continue  # one word is the author-year pattern's; a title is a work
        by_words = lowered & VOCAB["org_words"] or lookup_source(name) is not None
        kind = classify(name, the=the, desc=False, at_start=False)
        if (by_words and kind == "org") or (_national(name) and kind != "reject"):
            yield Mention("named.author-year", name, b, e, "org")


def _national(name: str) -> bool:
    """A country's name in front makes a body of that country ("United States Coast
    Guard (2025)", "United Kingdom Hydrographic Office (2019)"), whose own words need
    not be a body's."""
    tokens = name.split()
    return len(tokens) > 2 and any(
        normalise_name(" ".join(tokens[:n])).replace(" ", "_") in VOCAB["not_sources"]
        for n in (1, 2)
    )


def _head(name: str) -> str:
    """The name's head word, before "of" or "for": "Report" in "Annual Report of the
    Harbour Board", "Institute" in "Institute for Fiscal Studies"."""
    tokens = name.split()
    cut = next((i for i, t in enumerate(tokens) if t in ("of", "for", "on")), len(tokens))
    return tokens[max(cut, 1) - 1].lower().strip(".,")


_BEFORE = re.compile(r"([\w'’]+)\W{0,2}$")


def _titled(sentence: str, at: int) -> bool:
    """A work's title, not a body: set in italics or quotes ("*Tides of Obligation*
    (2017)", "<em>Scissors on the Nile</em> (2019)") or after the noun of a work
    ("in her book The Northern Ports (1998)")."""
    if at and sentence[at - 1] in "*_\"“‘'>":
        return True
    before = _BEFORE.search(sentence, max(0, at - 30), at)
    return before is not None and before.group(1).lower() in _TITLE_NOUNS
