"""People cited without a reporting verb after a full name: named again by the surname
alone ("Górecki answered"), with a title only ("Mining Minister Aurelio Fuentes told"),
quoted through an outlet ("X was quoted by Politiken as saying"), giving a view that a
pronoun points back to ("According to his words, …", "In her view, …"), or cited for a
work by the surname or given name alone ("Oskar's last comment", "Wrona's letter").

Each pattern is tried only when the sentence holds its anchor words, inside the
sentence; the look back for a full name is bounded (see ``resume``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import NAME, UP, VOCAB, alt
from archive.extract.named.mention import Mention
from archive.extract.named.names import split_title
from archive.extract.named.resume import (
    OWN_WORKS,
    named_before,
    person,
    post_holder,
    resumed,
    short_person,
)

_ADVERBS = r"(?:(?:has|have|had|also|then|later|once|again|herself|himself|[a-z]+ly)\s+)*"
# "Górecki answered", "Mining Minister Aurelio Fuentes told": a name and its title alone
# before the verb, at the start of a clause.
BARE = re.compile(
    rf"(?:^|(?<=[,;:“”\"(—–])|(?<=\band\s)|(?<=\bbut\s))\W*(?P<name>{NAME})\s+{_ADVERBS}$"
)
_PARTICLE = re.compile(r"\s(?:de|van|von|der|den|du|da|di|del|della|dos|das|bin|ibn|binti|bint)\s")
# "Its chair, Lars Winther, was quoted by Politiken as saying", "X is quoted in the
# Times as saying", "X has been quoted as saying": the person is quoted through the
# outlet, which the outlet patterns find.
QUOTED_KEYS = frozenset({"quoted", "cited"})
_QUOTED = re.compile(
    rf"(?<![\w'’-])(?P<name>{NAME})\s*,?\s+(?:was|is|were|has\s+been|had\s+been|being)\s+"
    r"(?:(?:also|widely|later|repeatedly)\s+)?(?:quoted|cited)\s+"
    r"(?:(?:by|in)\s+[^,;:“”\"]{1,60}?\s+)?as\s+(?:saying|telling|warning|arguing|adding)\b"
)
# "According to his words, …", "In her view, …", "in his own estimate": the view of the
# person named just before, said without a verb of saying.
VIEW_NOUNS = frozenset(
    {"words", "view", "views", "opinion", "account", "estimate", "estimation", "assessment"}
) | {"reckoning", "telling", "experience", "judgement", "judgment"}
_IN_VIEW = re.compile(
    r"\b(?:[Aa]ccording\s+to|[Ii]n)\s+(?P<pro>his|her)\s+(?:own\s+)?"
    rf"(?:{alt(VIEW_NOUNS)})\b"
)

# "Oskar's last comment before archiving", "Wrona's open letter": one word of a person's
# name owns a work of theirs.  A work is cited by someone the writer may call by their
# given name (a blogger's subject), so either word of the full name counts.
_OWNED_WORK = re.compile(
    rf"(?<![\w'’.-])(?P<name>[{UP}][\w'’-]+)['’]s\s+"
    r"(?:(?:last|latest|final|first|own|new|recent|earlier|original|open|long|short|public)\s+)?"
    rf"(?P<noun>{alt(OWN_WORKS)})\b"
)

# "according to a note he pinned to the README", "in a letter she sent to staff", "in an
# email he wrote on Sunday": a work of the person a pronoun stands for.
_PRONOUN_WORK = re.compile(
    r"\b(?:[Aa]ccording\s+to|[Ii]n|[Tt]hrough)\s+(?:a|an|the)\s+(?:[a-z]+\s+)?"
    rf"(?P<noun>{alt(OWN_WORKS)})\s+(?:that\s+)?(?P<pro>he|she)\s+"
    r"(?:had\s+|has\s+|later\s+|then\s+)?(?:[a-z]+ed|wrote|sent|gave|put|read|wrote)\b"
)
PRONOUN_KEYS = frozenset({"he", "she"})


def pronoun_work_hits(text: str, at: int, sentence: str) -> Iterator[Mention]:
    for m in _PRONOUN_WORK.finditer(sentence):
        for mention in resumed(text, at, m.start("pro"), m.end("pro")):
            mention.work = m.group("noun")
            yield mention


# "Okafor's numbers from FBref and Opta": the work is about the person and comes from
# the source named after it.
_FROM_ELSEWHERE = re.compile(rf"\s+(?:from|by|via|according\s+to)\s+(?:the\s+)?[{UP}]")


def owned_hits(text: str, at: int, sentence: str) -> Iterator[Mention]:
    for m in _OWNED_WORK.finditer(sentence):
        if _FROM_ELSEWHERE.match(sentence, m.end("noun")):
            continue
        full = named_before(text, at + m.start("name"), m.group("name"), given=True)
        if full is not None:
            b, e = m.start("name"), m.end("noun")
            yield Mention("named.speech-verb", full, b, e, "person", work=m.group("noun"))


# '"…," so the treasurer.', "…, so the chairman Kofi Mensah.", "…, so Brenner in her
# speech": German and Dutch prose attribute with "so" and no verb ("so der Kämmerer").
# The phrase ends the sentence or runs into the work it was said in; "…, so the minister
# resigned" is a consequence, not an attribution.
SO_KEYS = frozenset({"so"})
_ROLE = alt(VOCAB["role_heads"] | VOCAB["roles"])
_SO = re.compile(
    r"(?:[,”\"’]\s*)so\s+(?:(?P<np>[Tt]he\s+(?:[a-z][\w-]*\s+){0,3}?"
    rf"(?P<head>{_ROLE}))\b(?:\s+(?P<named>{NAME}))?|(?P<name>{NAME}))"
    r"(?=\s*(?:[.;]|$)|\s+(?:in|on)\s+(?:his|her|their|a|an|the)\s)"
)
# "In the words of Kofi Mensah, …", "in the words of the chairman, Kofi Mensah,".
WORDS_KEYS = frozenset({"words"})
_WORDS_OF = re.compile(
    r"\b[Ii]n\s+the\s+words\s+of\s+(?:the\s+(?:[a-z][\w-]*\s+){0,3}?"
    rf"(?:{_ROLE}),?\s+)?(?P<name>{NAME})"
)


def so_hits(text: str, at: int, sentence: str) -> Iterator[Mention]:
    for m in _SO.finditer(sentence):
        raw = m.group("named") or m.group("name")
        start = m.start("named") if m.group("named") else m.start("name")
        found = short_person(text, at, raw, start) if raw else None
        if found is not None:
            name, b, e, title = found
            role = " ".join(m.group("np").split()[1:]) if m.group("np") else title
            yield Mention("named.speech-verb", name, b, e, "person", role=role)
        elif m.group("np") and not raw:
            yield post_holder(text, at, m)


def words_of_hits(text: str, at: int, sentence: str) -> Iterator[Mention]:
    return _people_named(_WORDS_OF, text, at, sentence)


def _people_named(pattern: re.Pattern[str], text: str, at: int, sentence: str) -> Iterator[Mention]:
    """The person each match's ``name`` group names, a lone surname included."""
    for m in pattern.finditer(sentence):
        raw, start = m.group("name"), m.start("name")
        found = short_person(text, at, raw, start)
        if found is not None:
            name, b, e, title = found
            yield Mention("named.speech-verb", name, b, e, "person", role=title)


_TITLES = VOCAB["titles"]
_PARTICLES = frozenset({"de", "van", "von", "der", "den", "du", "da", "di", "del", "della"}) | {
    "dos",
    "das",
    "bin",
    "ibn",
    "binti",
    "bint",
}
_OPENERS = frozenset(',:;“”"’—–(')


def bare_worth(near: str, token: str) -> bool:
    """Whether the words before the verb can be a lone surname at the start of a clause,
    or a name with a title or a particle in it: the only bare names ``bare_speaker``
    reads (a plain full name is the general patterns')."""
    i = near.rfind(token)
    prev = near[:i].rstrip()
    if not prev or prev[-1] in _OPENERS or prev.endswith((" and", " but")):
        return True
    words = near.split()[-6:]
    return any(w.strip(".,") in _TITLES for w in words) or any(w in _PARTICLES for w in words)


def bare_speaker(text: str, at: int, m: re.Match[str]) -> Iterator[Mention]:
    """A name with nothing but a title before the verb ("Mining Minister Aurelio Fuentes
    told reporters", "Cllr Tom Brannigan said") is the person without the title; a
    surname alone ("Górecki answered") is the person the text named in full before."""
    raw, at_name = m.group("name"), m.start("name")
    if " " not in raw or split_title(raw)[0] is not None:
        found = short_person(text, at, raw, at_name)
    elif _PARTICLE.search(raw):
        found = person(raw, at_name)  # "Muhammad bin Salman said": one no body's name has
    else:
        return  # "Maria Keane said": the name as it stands, read by the general patterns
    if found is not None:
        name, _, e, title = found
        # the span takes the title in, as the name read as a body's would
        yield Mention("named.speech-verb", name, at_name, e, "person", role=title)


def quoted_hits(text: str, at: int, sentence: str) -> Iterator[Mention]:
    return _people_named(_QUOTED, text, at, sentence)


def view_hits(text: str, at: int, sentence: str) -> Iterator[Mention]:
    for m in _IN_VIEW.finditer(sentence):
        yield from resumed(text, at, m.start("pro"), m.end("pro"))
