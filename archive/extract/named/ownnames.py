"""The document's own names: its publisher, its masthead and the people who made it.

A page names itself and its people in its dateline, masthead, bylines, host
and author lines, taglines, bios and copyright line.  Wherever the text names
them again ("told Harbour Wire after the hearing", "Ana said she had never
seen one") it names itself, not a source, so the named pass drops every
mention of them.  The lines that name them are read here; ``furniture.py``
skips the same lines as furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.extract.named.grammar import TOK, UP
from archive.extract.named.sources import lookup_source, normalise_name

__all__ = ["BYLINE", "TAGLINE", "OwnNames", "own_names"]

BYLINE = re.compile(
    # "Analysis · Health · By …", "Market Update | Written by …": labels may come first
    r"\W{0,3}(?:[^|·•\n]{1,30}\s*[|·•]\s*){0,3}"
    rf"(?:(?i:posted|written|published|reported|analysis|commentary|opinion|words"
    rf"|text|story|interview|photos?|video|story)\s+)?[Bb]y\s+(?:the\s+)?"
    rf"[{UP}][\w.'’-]*(?:\s+[{UP}][\w.'’-]*){{0,3}}\s*(?:[,|*_·•–—-]|and\b|on\b|$)"
)
# A person's name as bylines spell it, with the particles of surnames ("Els van der Berg").
_PERSON = (
    rf"[{UP}][\w.'’-]*(?:[ \t]+(?:(?:de|van|von|der|den|da|di|del|della|du|la|le|bin|binti|al"
    rf"|el|ter|ten|dos|das)[ \t]+)*[{UP}][\w.'’-]*){{1,3}}"
)
_PEOPLE = rf"{_PERSON}(?:[ \t]*(?:,[ \t]*|[ \t](?:and|&)[ \t]+|,[ \t]+and[ \t]+){_PERSON}){{0,3}}"
# A blog's or a newsletter's tagline: what it is, then whose ("Notes on a small city's
# buses, by Jo Park", "A newsletter about rail freight, by Els van der Berg", "Weekly
# dispatches from the statehouse — by Sam Ode").
TAGLINE = re.compile(
    r"\W{0,3}[^\n]{0,60}?\b(?i:notes|newsletter|blog|column|dispatch(?:es)?|thoughts|musings"
    r"|essays|writing|letters|diary|podcast|observations|reflections|ramblings|digest|briefing"
    r"|weekly|daily|monthly|fortnightly)\b[^\n]{0,80}?(?:,|\s[—–-])?\s+by\s+"
    rf"{_PEOPLE}\W{{0,3}}$"
)
# The document's own names: its publisher, its masthead and the people its bylines,
# host lines and author lines credit.  Wherever the text names them again ("told Harbour
# Wire after the hearing", "Ana said she had never seen one", a bio under the post) it names
# itself, not a source.  Bylines and mastheads stand at the top, bios, credits and
# copyright lines at the foot: only so much of each end is read.
_EDGE = 3000
# "VALDREN, Norway, March 12 (Reuters) -": a wire dateline names the document's publisher.
_DATELINE = re.compile(
    rf"^\W{{0,3}}[{UP}][{UP}\s.'’-]{{1,40}}(?:,[^()\n]{{1,40}})?\s*"
    r"\((?P<pub>[A-Z][\w.&' -]{1,30})\)\s*[-–—]",
    re.M,
)
_DATELINE_REACH = 1500
# "By …", "Posted by …", "Hosted by …", and the labels other habits use ("From Lena
# Vogt · 3 May", "Author: …", "Words: …"): the names end where the line does or
# where a date, a role or a place follows.
_CREDITED = re.compile(
    r"^\W{0,3}(?:(?:(?i:posted|written|words|hosted|presented|reported|story|text|produced"
    r"|hosted\s+and\s+produced|written\s+and\s+produced)\s+)?[Bb]y\s*:?"
    r"|(?i:from|von|authors?|words|text|reporter|writer|host|hosts|presenter"
    r"|presenters|interviewer|written\s+by)\s*:?)[ \t]+"
    rf"(?P<names>{_PEOPLE})(?=[ \t]*(?:[,·|•—–(\-*_]|(?:on|in|at|for)\b|\d|$))",
    re.M,
)
# "Night Shift is presented by Ana Ruiz and Tom Hale", "… is hosted and produced by
# Sam Ode": the show's credit in a sentence names its own people.
_HOSTED = re.compile(
    r"\b(?:is|are)\s+(?:co-)?(?:hosted|presented)(?:\s+and\s+(?:produced|edited))?\s+by\s+"
    rf"(?P<names>{_PEOPLE})"
)
# "Ada Obi(1) and Kemi Lawal(2)": a paper's authors under its title, each
# with the mark of an affiliation.
_MARK = r"(?:\(\d{1,2}\)|\d{1,2}(?:,\d{1,2})*|[*†‡¹²³⁴⁵⁶⁷⁸⁹]+)"
_JOIN = r"(?:,[ \t]*|[ \t]+(?:and|&)[ \t]+|,[ \t]+and[ \t]+)"
_AUTHORS = re.compile(
    rf"^\W{{0,3}}(?P<names>{_PERSON}[ \t]?{_MARK}(?:{_JOIN}{_PERSON}(?:[ \t]?{_MARK})?){{0,11}})"
    r"[ \t]*$",
    re.M,
)
_AUTHORS_REACH = 800
# "© Harbour Wire", "(c) 2026 Harbour Wire", "Copyright 2019-2026 Valley Notebook": "(c)" and
# "copyright" only with a year, so that a list's item "(c) The Treasury …" or the "Copyright
# Office" are not a copyright line.
_YEARS = r"\d{4}(?:\s*[-–]\s*\d{4})?"
_COPYRIGHT = re.compile(
    rf"(?:©(?:\s*{_YEARS})?|(?:\([cC]\)|\b(?i:copyright)(?:\s*©)?)\s*{_YEARS})[ \t]+"
    rf"(?P<name>{TOK}(?:[ \t]+{TOK}){{0,4}})"
)
_ROLES = frozenset(
    [
        "editor",
        "correspondent",
        "reporter",
        "writer",
        "producer",
        "host",
        "presenter",
        "columnist",
        "staff",
        "desk",
        "contributor",
        "analyst",
    ]
)
_NAME_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s+&\s+)")
_MARKS = re.compile(rf"\s*{_MARK}")
_MASTHEAD = re.compile(rf"\W{{0,3}}(?P<name>{TOK}(?:\s+{TOK}){{0,4}})\W{{0,3}}$")


@dataclass(slots=True)
class OwnNames:
    """What the document calls itself and the people who made it."""

    titles: set[str] = field(default_factory=set)  # folded: "harbour wire", "valley notebook"
    people: set[str] = field(default_factory=set)  # folded full names
    parts: set[str] = field(default_factory=set)  # their first names and surnames

    def named(self, name: str) -> bool:
        """``name`` is one of the document's own, or the first name or surname of one
        of its people ("Ana" for the host Ana Ruiz)."""
        folded = normalise_name(name)
        if folded in self.titles or folded in self.people:
            return True
        if " " not in folded and folded in self.parts:
            return True
        known = lookup_source(name) if self.titles else None
        return known is not None and normalise_name(known.name) in self.titles

    def add_people(self, names: str) -> None:
        for person in _NAME_SPLIT.split(_MARKS.sub("", names)):
            folded = normalise_name(person)
            if " " not in folded or folded.rsplit(" ", 1)[-1] in _ROLES:
                continue  # one word is not a byline's name, "Economics Editor" is its role
            self.people.add(folded)
            words = folded.split()
            self.parts.update(w for w in (words[0], words[-1]) if len(w) > 2)


def own_names(text: str) -> OwnNames:
    """The document's own names, read off its dateline, bylines, host and author lines,
    taglines, masthead and copyright line."""
    own = OwnNames()
    head, foot = text[:_EDGE], text[-_EDGE:] if len(text) > _EDGE else ""
    if (m := _DATELINE.search(text, 0, _DATELINE_REACH)) is not None:
        own.titles.add(normalise_name(m.group("pub")))
        known = lookup_source(m.group("pub"))
        if known is not None:
            own.titles.add(normalise_name(known.name))
    for part in (head, foot):
        for m in _CREDITED.finditer(part):
            own.add_people(m.group("names"))
        for m in _HOSTED.finditer(part):
            own.add_people(m.group("names"))
        for m in _COPYRIGHT.finditer(part):
            # "© 2026 Harbour Wire. All rights reserved.": the name ends at its full stop.
            own.titles.add(normalise_name(m.group("name").split(". ")[0]))
    for m in _AUTHORS.finditer(text, 0, _AUTHORS_REACH):
        own.add_people(m.group("names"))
    lines = [line for line in head.split("\n", 12)[:12] if line.strip()]
    # A short name over a tagline or a byline is the masthead ("Valley Notebook").
    under = any(TAGLINE.match(line) or BYLINE.match(line) for line in lines[1:4])
    if under and (m := _MASTHEAD.match(lines[0])) is not None:
        own.titles.add(normalise_name(m.group("name")))
    for line in lines[1:4]:
        if (m := TAGLINE.match(line)) is not None:
            own.add_people(line[line.rfind(" by ") + 4 :])
    return own
