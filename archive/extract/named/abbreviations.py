"""Abbreviations spelled out: a source named by one is cited under its full name.

"the Federal Statistical Office (Destatis)", "the ICCO (International Cocoa
Organization)", "Engineers and Geoscientists British Columbia (EGBC, 2017)": the
text defines it.  "the AZA's latest survey" in a text that names the Association of
Zoos and Aquariums elsewhere: the one name of the text whose words' initials spell
it.  A reader looks a source up by its full name, and its later mentions by the
abbreviation are the same source.
"""

from __future__ import annotations

import re

from archive.extract.named.grammar import CONNECTORS, NAME, UP, VOCAB, YEAR
from archive.extract.named.mention import Mention
from archive.extract.named.names import clean
from archive.extract.named.sources import lookup_source

_ABBR = re.compile(rf"[{UP}](?:[^\W\d_]|-){{1,9}}")
_PAREN = re.compile(r"\((?P<in>[^()\n]{2,80})\)")
_NAME_END = re.compile(rf"(?P<name>{NAME})\s*$")
_ABBR_END = re.compile(rf"(?<![\w-])(?P<abbr>[{UP}](?:[^\W\d_]|-){{1,9}})\s*$")
_FULL = re.compile(rf"(?:[Tt]he\s+)?{NAME}")
# "(EGBC, 2017)", "(OPWP 2024; …)": an abbreviation as the author of a citation
_CITED = re.compile(rf"(?P<abbr>[{UP}](?:[^\W\d_]|-){{1,9}}),?\s+{YEAR}[a-z]?\b")
# In capitals only: "AZA", "DHMİ", "OPWP".  "Destatis" or "Ofgem" are spelled out only
# where the text defines them.
_ACRONYM = re.compile(rf"[{UP}]{{2,6}}")
_WORD_CHAR = re.compile(r"[\w'’-]")
_CONN = "|".join(sorted(CONNECTORS - {"the"}))


def expansions(text: str, mentions: list[Mention]) -> dict[str, str]:
    short = {
        m.name
        for m in mentions
        if _ABBR.fullmatch(m.name) and m.kind not in ("person", "anonymous", "self", "work")
    }
    out: dict[str, str] = {}
    for p in _PAREN.finditer(text) if short else ():
        inner = p.group("in").strip()
        cited = _CITED.match(inner)
        if cited is not None and cited.group("abbr") in short:
            inner = cited.group("abbr")
            full = _name_before(text, p.start())
            full = full if abbreviates(inner, full) else ""
        elif inner in short:
            full = _name_before(text, p.start())
        else:
            prev = _ABBR_END.search(text, max(0, p.start() - 12), p.start())
            inner, full = (prev.group("abbr"), inner) if prev else ("", "")
            full = clean(full, 0)[0] if inner in short and _FULL.fullmatch(full) else ""
        if len(full.split()) > 1 and inner not in out:
            out[inner] = full
    for abbr in sorted(short - out.keys()):
        if _ACRONYM.fullmatch(abbr) and lookup_source(abbr) is None:
            spelled = _spelled_out(text, abbr)
            if spelled is not None:
                out[abbr] = spelled
    return out


def _name_before(text: str, at: int) -> str:
    """The name that ends where ``at`` starts; a word that opens the clause rather
    than the name ("According to the General Directorate …") is read past."""
    start = max(0, at - 150)
    while (before := _NAME_END.search(text, start, at)) is not None:
        name = clean(before.group("name"), 0)[0]
        if name:
            return name
        start = before.start() + len(before.group().split()[0])
    return ""


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in CONNECTORS and w[:1].isupper())


def abbreviates(abbr: str, full: str) -> bool:
    """Whether the capitals of ``abbr`` are the initials of ``full``'s words, in order,
    from its first word ("EGBC": Engineers and Geoscientists British Columbia), one
    body word at the end left out ("OPWP": Oman Power and Water Procurement Company)."""
    initials = _initials(full).casefold()
    letters = "".join(c for c in abbr if c.isupper()).casefold()
    return bool(letters) and (
        initials == letters or (initials[:-1] == letters and _body_word_last(full))
    )


def _body_word_last(full: str) -> bool:
    return full.split()[-1].lower() in VOCAB["org_words"]


def _spelled_out(text: str, abbr: str) -> str | None:
    """The one name in ``text`` whose words' initials spell ``abbr``; None for none or
    several.  One pattern per abbreviation, built from its letters, so the text is
    read once for it and not at every capital."""
    letters = [c for c in abbr if c.isupper()]
    gap = rf"\s+(?:(?:{_CONN})\s+(?:the\s+)?)?"
    words = gap.join(rf"{re.escape(c)}[\w'’-]*" for c in letters)
    # The pattern opens on the first letter itself, not on a look-behind, so that the
    # regex engine skips to each place the letter stands instead of trying every one.
    pattern = re.compile(rf"(?P<name>{words})(?P<last>\s+[{UP}][\w'’-]*)?(?![\w'’-])")
    found = set()
    for m in pattern.finditer(text):
        if m.start() and _WORD_CHAR.match(text, m.start() - 1):
            continue  # inside a word
        for name in (m.group(), m.group("name")) if m.group("last") else (m.group(),):
            if _NAME_END.fullmatch(name) is not None and abbreviates(abbr, name):
                found.add(name)
                break
    return found.pop() if len(found) == 1 else None
