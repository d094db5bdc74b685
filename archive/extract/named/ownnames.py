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
from collections.abc import Iterator
from dataclasses import dataclass, field

from archive.extract.named.grammar import NAME, TOK, UP
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
# A masthead or a byline with its parts between bars or dots: "Tokyo Ledger | Analysis",
# "By Khalid Mansour, Markets Desk | The Gulf Ledger | 3 March 2026", "Posted by Ana Ruiz ·
# Notes from Cali · 6 min read".  A part that is a name and nothing else is the
# publication's (or its section's, which no one cites either).
_PARTS = re.compile(r"[ \t]*[|·•][ \t]*")
_PART_NAME = re.compile(rf"\W{{0,3}}(?P<name>{NAME})\W{{0,3}}$")
# A blog's or a show's front matter, flattened to one line by the Markdown reader:
# "title: … author: Ana Ruiz date: 2026-01-24".
_FRONT_MATTER = re.compile(
    rf"\b(?:author|authors|byline|creator|host|hosts)[ \t]*:[ \t]*(?P<names>{_PEOPLE})"
    r"(?=[ \t]+[a-z_]+:|[ \t]*$)",
    re.M,
)
# The newsroom's own people named in its text: "our reporter Camila Soto spoke with …",
# "Our Beirut correspondent, Rami Haddad, …", "my producer Jo Park", "our co-host Lia
# Santos".  Their words are the document's own reporting, not a source's.
_STAFF = re.compile(
    r"(?:[Oo]ur|[Mm]y)\s+(?:own\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"(?:reporter|correspondent|producer|editor|co-?host|host|presenter|anchor|stringer"
    r"|photographer|videographer|camera\s+operator|fixer|intern|researcher|fact-checker)s?"
    rf"[ \t]*,?[ \t]+(?P<names>{_PEOPLE})"
)
# A show's host introduced at the top of its notes: "In this episode, host Ana Ruiz
# speaks with …", "This week, hosts Ana Ruiz and Tom Hale ask …"; a host with a word
# before the role ("talk-show host Joe Rogan said") is someone else's, and a source.
_HOST = re.compile(
    r"(?:^|[.!?:,]\s+)(?:[Hh]osts?|[Cc]o-?hosts?|[Pp]resenters?|[Yy]our\s+hosts?)[ \t]*,?[ \t]+"
    rf"(?P<names>{_PEOPLE})",
    re.M,
)
# The newsroom's contributors at the foot: "Jo Park reported from Lagos; Ana Ruiz from
# Abuja.", "Jo Park contributed reporting from Lagos, and Ana Ruiz contributed research."
_CONTRIBUTORS = re.compile(
    rf"^\W{{0,3}}(?P<names>{_PEOPLE})[ \t]+(?:reported\s+from|contributed)\b(?P<rest>[^\n]*)",
    re.M,
)
_MORE_CONTRIBUTORS = re.compile(
    rf"(?:;|,?\s+and)\s+(?P<names>{_PERSON})\s+(?:(?:reported|contributed)\s+)?(?:from|\w+ing"
    r"|research)\b"
)
# A show naming itself and its host as it opens: "Good morning, this is Gulf Coast Morning,
# I'm Renee Broussard", "I'm Lia Santos and this is Reefline", "Welcome to Night Shift, I'm
# …", "You're listening to Coast Lines, the podcast about …".  A place welcomed to ("Welcome
# to Harlan County, where …") is no show: the host or the show must be named beside it.
_INTRO = re.compile(
    rf"\b(?:[Ww]elcome\s+(?:back\s+)?to|[Yy]ou(?:'re|’re|\s+are)\s+(?:listening|tuned)\s+to)"
    rf"\s+(?:the\s+)?(?P<title>{NAME})(?:\s*[,;.—–-]?\s*(?:and\s+)?I(?:'m|’m|\s+am)\s+"
    rf"(?P<welcomer>{_PERSON}))?"
    rf"|\b[Tt]his\s+is\s+(?P<this>{NAME})\s*[,;.—–-]?\s*(?:and\s+)?I(?:'m|’m|\s+am)\s+"
    rf"(?P<host>{_PERSON})"
    rf"|\bI(?:'m|’m|\s+am)\s+(?P<me>{_PERSON})\s*,?\s*(?:and\s+)?(?:this\s+is|welcome\s+to)"
    rf"\s+(?:the\s+)?(?P<show>{NAME})"
)
_SHOW_WORDS = re.compile(
    r"[^.!?\n]{0,80}?\b(?:I['’]m|I\s+am|my\s+name\s+is|your\s+hosts?|episode|show|podcast"
    r"|programme|program|broadcast|newsletter|channel)\b"
)
_INTRO_REACH = 1500
# An author's bio, the first sentence of a line that opens with one of the document's
# people: the publication they write for ("Haruka Imai covers the economy for the Tokyo
# Ledger", "… is the Gulf Ledger's markets correspondent") and the blog or show they make
# ("Rashid Al-Suwaidi writes Sand & Salt, a blog about …", "… is the editor of Night
# Shift").  What the bio says they did before ("She was previously at Jiji Press") is
# past, and not the document's.
_BIO_LINE = re.compile(rf"^\W{{0,3}}(?P<who>{_PERSON})[ \t]+(?P<rest>[^\n]*)", re.M)
_WRITES_FOR = re.compile(
    r"^(?:covers|writes|reports|edits|presents|hosts|produces|has\s+covered|has\s+reported"
    r"|has\s+written|is\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}?(?:columnist|writer|correspondent"
    r"|editor|reporter|contributor|producer|host|presenter))\b[^.;\n]{0,80}?\b(?:for|at|with)"
    rf"\s+(?:the\s+)?(?P<title>{NAME})"
    rf"|^(?:writes|edits|runs|hosts|presents|produces|publishes|curates|co-hosts)\s+(?P<made>{NAME})"
    r"\s*,\s+(?:a|an|the)\b"
    rf"|^is\s+the\s+(?:editor|founder|host|creator|writer|publisher)\s+of\s+(?P<of>{NAME})"
    rf"|^is\s+(?:the\s+)?(?P<own>{NAME})['’]s\s+(?:[\w'’-]+\s+){{0,3}}?(?:columnist|writer"
    r"|correspondent|editor|reporter|contributor|producer|host|presenter)\b"
)
# A publication describing itself at the start of a sentence: "Apuntes is written in her
# free time", "Valley Notebook is written and edited in Ardmore", "Pantalla Chica is an
# independent podcast from Mexico City".  Near the foot only the independent or
# reader-funded kind says it is a blog or a podcast ("Planet Money is a podcast from NPR"
# may be a source's description); in an author's bio any kind does.
_SELF_DESCRIBED = (
    rf"(?:^|(?<=[.!?*_]\s))\W{{0,2}}(?:[Tt]he\s+)?(?P<title>{NAME})\s+is\s+"
    r"(?:(?:written|edited|produced|made|put\s+together|recorded)(?:\s+and\s+\w+)?"
    r"\s+(?:in|from|at|every|each|weekly|out\s+of)\b"
    r"|an?\s+(?:[\w'’-]+\s+){0,3}?{kind}(?:[\w'’-]+\s+){0,2}?(?:newsletter|blog|podcast|zine"
    r"|substack|show|video\s+series|youtube\s+channel|channel)\b)"
)
_INDEPENDENT = (
    r"(?:independent|reader-supported|listener-supported|reader-funded|listener-funded"
    r"|one-person|self-published)\s+"
)
_SELF_FOOT = re.compile(_SELF_DESCRIBED.replace("{kind}", _INDEPENDENT), re.M)
_SELF_BIO = re.compile(_SELF_DESCRIBED.replace("{kind}", ""), re.M)
# A newsletter prompt names the publication: "Sign up for the Valley Herald's Friday
# briefing", "Sign up to the Coast Brief newsletter", "Subscribe to Night Shift's digest".
_PROMPT = re.compile(
    r"(?i:\b(?:sign\s+up\s+(?:for|to)|subscribe\s+to))\s+(?:the\s+)?"
    rf"(?P<title>{NAME}?)(?:['’]s)?\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?i:newsletter|briefing|digest|bulletin|email)\b"
)


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
    for m in _FRONT_MATTER.finditer(head):
        own.add_people(m.group("names"))
    for m in _CREDITED.finditer(head):
        line_end = head.find("\n", m.end())
        _add_parts(own, head[m.end() : line_end if line_end >= 0 else len(head)])
    lines = [line for line in head.split("\n", 12)[:12] if line.strip()]
    # A short name over a tagline or a byline is the masthead ("Valley Notebook"), with a
    # section after it maybe ("Tokyo Ledger | Analysis").
    under = any(TAGLINE.match(line) or BYLINE.match(line) for line in lines[1:4])
    if under and (m := _MASTHEAD.match(_PARTS.split(lines[0], 1)[0])) is not None:
        own.titles.add(normalise_name(m.group("name")))
    for line in lines[1:4]:
        if (m := TAGLINE.match(line)) is not None:
            own.add_people(line[line.rfind(" by ") + 4 :])
    _said_of_itself(text, head, foot, own)
    return own


def _add_parts(own: OwnNames, rest: str) -> None:
    """The names among the parts of a byline after its people ("| The Gulf Ledger |").

    One word alone is as often the place the piece was filed from ("| Washington |"),
    which may well be a source: it counts only as a known news outlet ("| Reuters |").
    """
    for part in _PARTS.split(rest)[1:]:
        if (m := _PART_NAME.match(part)) is None:
            continue
        name = m.group("name")
        known = lookup_source(name) if " " not in name.strip() else None
        if " " in name.strip() or (known is not None and known.kind == "news"):
            own.titles.add(_title(name))


def _said_of_itself(text: str, head: str, foot: str, own: OwnNames) -> None:
    """The names the document gives itself and its staff in its own sentences: its
    newsroom's people, a show's opening, an author's bio, a newsletter prompt."""
    for m in _staff(text):
        own.add_people(m.group("names"))
    for m in _INTRO.finditer(text, 0, _INTRO_REACH):
        if m.group("title") and not m.group("welcomer") and not _SHOW_WORDS.match(text, m.end()):
            continue
        own.titles.add(_title(m.group("title") or m.group("this") or m.group("show")))
        if host := m.group("host") or m.group("me") or m.group("welcomer"):
            own.add_people(host)
    for m in _HOST.finditer(head):
        own.add_people(m.group("names"))
    for m in _CONTRIBUTORS.finditer(foot or head):
        own.add_people(m.group("names"))
        for more in _MORE_CONTRIBUTORS.finditer(m.group("rest")):
            own.add_people(more.group("names"))
    for m in _SELF_FOOT.finditer(foot or head):
        own.titles.add(_title(m.group("title")))
    for part in (head, foot):
        for m in _PROMPT.finditer(part):
            if m.group("title"):
                own.titles.add(_title(m.group("title")))
        for m in _BIO_LINE.finditer(part) if own.people else ():
            if normalise_name(m.group("who")) not in own.people:
                continue
            bio = _WRITES_FOR.match(m.group("rest"))
            if bio is not None:
                own.titles.add(_title(next(g for g in bio.groups() if g)))
            for said in _SELF_BIO.finditer(m.group("rest")):
                own.titles.add(_title(said.group("title")))


def _staff(text: str) -> Iterator[re.Match[str]]:
    """ "our reporter …" anywhere in the text: the possessive is found by a plain string
    search, far cheaper over a long text than the pattern tried at every position."""
    for word in ("our ", "Our ", "my ", "My "):
        at = text.find(word)
        while at >= 0:
            inside = at and (text[at - 1].isalnum() or text[at - 1] in "'’-")  # "your", "four"
            if not inside and (m := _STAFF.match(text, at)) is not None:
                yield m
            at = text.find(word, at + len(word))


def _title(name: str) -> str:
    """A name read up to its sentence's end ("Kansai Courier. She was …"), folded."""
    return normalise_name(name.split(". ", 1)[0].rstrip("."))
