"""People named again: by a pronoun ("he told me", "her reporting") or by their post
("the governor said"), resolved to the person the text named just before.

Each look back is bounded (a few hundred characters for a pronoun, a page for a
post), so the cost stays linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import DATE_WORDS, DOCUMENTS, NAME, UP, VOCAB, alt
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, clean, split_title
from archive.extract.named.sources import lookup_source
from archive.extract.named.unnamed import PEOPLE

# "her reporting", "his figures": a person's work, after the person is named.
OWN_WORKS = VOCAB["person_works"]
HIS_HER = frozenset({"his", "her"})
_POSSESSED = re.compile(
    r"\b(?P<pro>[Hh]is|[Hh]er)\s+(?:(?:own|new|latest|recent|excellent|great|original)\s+)?"
    rf"(?P<noun>{alt(OWN_WORKS)})\b"
)
# "Mateo Lindqvist is a former budget analyst. He writes …": an author's bio, not a source.
_BIO = re.compile(r"\W{0,3}\s+(?:is|was)\s+(?:a|an|the)\b")
_NEXT_WORD = re.compile(r"\s+([a-z]+)")
_NOUNS = DOCUMENTS | PEOPLE
_ARTICLE_BEFORE = re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+$")
_RESUME_REACH = 300  # characters back to the person a pronoun stands for
_POST_REACH = 1500  # characters back to the person who holds a post
_NAMED_REACH = 6000  # characters back to the full name a surname or given name is short for


def person(raw: str, offset: int) -> tuple[str, int, int, str | None] | None:
    """The person a captured name is, with a title in front as the role, or None."""
    name, b, e, the = clean(raw, offset)
    if not name or the:
        return None  # "the Cheap Seats": a person's name takes no article
    # "Jan de Vries", "Ruud van der Berg", "Muhammad bin Salman": a lower-case particle is
    # one word of the name; the tests of what a name is read the name without it.
    probe = _PARTICLE.sub("", name) if " " in name else name
    title, who = split_title(probe)
    if title:
        who = name[len(title) :].lstrip()
        return who, b + len(name) - len(who), e, title
    if (
        classify(_PREFIXED.sub(_lower_after, probe), the=False, desc=False, at_start=False)
        == "person"
    ):
        return name, b, e, None
    return None


_PARTICLE = re.compile(
    r"(?<=\s)(?:de|van|von|der|den|du|da|di|del|della|dos|das|la|le|ter|ten|bin|ibn|binti"
    r"|bint|y)\s+(?=(?:[a-z]+\s+)?[A-ZÀ-ÖØ-Þ])"
)


# "McDowell", "MacLeod", "DiNapoli", "LeBlanc": a surname prefix before a capital is one
# word of a person's name, read as "Mcdowell" by the test of what a name is.
_PREFIXED = re.compile(r"\b(?P<p>Mc|Mac|Di|De|Le|La|Du|Van|Fitz)(?P<c>[A-Z])(?=[a-z])")


def _lower_after(m: re.Match[str]) -> str:
    return m.group("p") + m.group("c").lower()


# A name right after one of these is where something happened, whose it is or what is
# owned ("arrived from El Geneina", "by the rules of World Athletics", "a company in
# Rotterdam", "its Emergency Watchlist"), not the person a later pronoun stands for;
# "told us Dr. Zakaria" or "Mr. Sanou" keeps a title.
_PLACE_BEFORE = re.compile(
    r"\b(?:from|in|at|to|into|near|of|across|outside|inside|around|through|via|by|for|on"
    r"|its|their|our|your|my)\s+$"
)
# The words of one person's name beside a surname or a given name: "Agnieszka Wrona",
# "the promoter Tunde Abiola-Martins", "Dr. Ulrike Brenner".
_REGIONAL = VOCAB["demonyms"] | {"north", "south", "east", "west", "central", "upper", "lower"}
_LEAD = VOCAB["lead"]
_FORE = re.compile(rf"(?:[{UP}][\w'’.-]*\s+){{1,3}}$")
_AFT = re.compile(rf"(?:\s+[{UP}][\w'’-]*){{1,2}}")


def named_before(text: str, pos: int, word: str, *, given: bool = False) -> str | None:
    """The full name a lone surname at ``pos`` is short for: the nearest person named in
    full before it whose last word it is ("said Wrona" after "the independent candidate
    Agnieszka Wrona").  With ``given`` a first name counts too ("Oskar has un-archived
    the repo" after "Oskar Lindqvist"): prose calls by the given name the people it is
    familiar with, hosts and guests as much as sources, so only a pronoun that quotes
    again reaches back through one.

    A word never named in full is nobody's second mention; the look back is bounded.
    """
    if not word[:1].isupper() or " " in word or word.isupper() or word in DATE_WORDS:
        return None  # "NATO", "Monday": no one's name
    if lookup_source(word) is not None:
        return None  # "Reuters said": a known source, not a surname
    lo = max(0, pos - _NAMED_REACH)
    b = text.rfind(word, lo, pos)
    # nearest first: the first full name found is the one the word is short for
    while b >= 0:
        e = b + len(word)
        if _BOUNDARY.match(text, e) and not _WORDISH.match(text, b - 1 if b else 0, b):
            found = _full_name(text, b, e, word, given)
            if found is not None:
                return found
        b = text.rfind(word, lo, b)
    return None


# "By" in the languages whose bylines reach English pages: it heads a byline, and a
# name never starts with it ("Von Lena Vogt | Steyr" names Lena Vogt).
_BYLINE_WORDS = frozenset({"By", "Von", "Par", "Por", "Door", "Av", "Af", "Fra", "Från"})
_BOUNDARY = re.compile(r"(?![\w'’-])")
_WORDISH = re.compile(r"[\w'’-]")


def _full_name(text: str, b: int, e: int, word: str, given: bool) -> str | None:
    """The full name around the occurrence of ``word`` at ``b``, if it is one."""
    # most occurrences stand alone: a capital right before or after is tested first
    before = b >= 2 and text[b - 1] == " " and text[b - 2] not in ".,;:!?"
    after = given and text[e : e + 1] == " " and text[e + 1 : e + 2].isupper()
    if not (before or after):
        return None
    fore = _FORE.search(text, max(0, b - 60), b) if before else None
    aft = _AFT.match(text, e) if after else None
    for name in (
        text[fore.start() : e] if fore else "",
        text[b : aft.end()] if aft else "",
    ):
        found = person(name, 0) if name and "\n" not in name else None
        if found is not None and found[0].split()[0] in _BYLINE_WORDS:
            found = (found[0].split(" ", 1)[1], *found[1:])  # "Von Lena Vogt": a byline
        if found is None or " " not in found[0] or word not in found[0].split():
            continue
        if not given and found[0].split()[-1] != word:
            continue
        if found[0].split()[0].lower() in _REGIONAL:
            continue  # "Eastern Chad", "South Sudan", "Northern Ireland": a place
        return found[0]
    return None


def short_person(
    text: str, at: int, raw: str, offset: int
) -> tuple[str, int, int, str | None] | None:
    """The person a captured name is, like ``person``, and a surname alone in a sentence
    at ``at`` ("said Wrona", "Abiola-Martins, a trumpeter, said", "according to Mr
    Górecki") as the person the text named in full before; a bare word never named so
    is no one, a titled one stays the person by that name ("Mrs Wrona")."""
    # a lone word is a person's name only as the surname of one named before
    found = person(raw, offset) if " " in raw.strip() else None
    if found is not None and (" " in found[0] or not text):
        return found  # a full name as it stands
    if found is not None:
        full = named_before(text, at + found[1], found[0])
        return (full, *found[1:]) if full is not None else found
    if not text or raw in _LEAD:
        return None  # "However said", "He said": no name
    word, b, e, the = (
        (raw, offset, offset + len(raw), False) if raw.isalpha() else clean(raw, offset)
    )
    if the or " " in word:
        return None
    full = named_before(text, at + b, word)
    return (full, b, e, None) if full is not None else None


def _short_form(text: str, m: re.Match[str]) -> str | None:
    """A one-word name the pronoun may stand for: the full name it is short for."""
    word = m.group()
    if " " in word or word in VOCAB["lead"]:
        return None
    return named_before(text, m.start(), word, given=True)


def resumed(text: str, at: int, start: int, end: int) -> Iterator[Mention]:
    """The person a pronoun stands for: the last full name shortly before it, or the
    last surname or given name that stands for one ("Oskar has … He says")."""
    lo = max(0, at + start - _RESUME_REACH)
    other = _OTHER_GENDER.get(text[at + start : at + end].lower())
    # nearest first: the first name that is a person's is the one the pronoun stands for
    names = list(_NAME.finditer(text, lo, at + start))
    for k in range(len(names) - 1, -1, -1):
        m = names[k]
        name = _resumable(text, m)
        # the gendered words between this name and the next stand for this one
        until = names[k + 1].start() if k + 1 < len(names) else at + start
        if name is not None and other is not None and _told_apart(text, m, until, other):
            continue
        if name is not None:
            yield Mention("named.speech-verb", name, start, end, "person")
            return


# "Judge Khumalo said that Zungu had steered the contract to his brother-in-law. The state
# had proved its case, she said.": the pronouns after a name that stand for it tell
# whether a "she" can stand for it too.
_HIS = re.compile(r"\b(?:[Hh]e|[Hh]is|[Hh]im|[Hh]imself|Mr\.?)\b")
_HER = re.compile(r"\b(?:[Ss]he|[Hh]er|[Hh]ers|[Hh]erself|Mrs\.?|Ms\.?)\b")
_OTHER_GENDER = {"she": (_HIS, _HER), "he": (_HER, _HIS)}


def _told_apart(
    text: str, m: re.Match[str], until: int, other: tuple[re.Pattern[str], ...]
) -> bool:
    """Whether the words from just before the name to ``until`` give the name the other
    gender ("Mr. Zungu", "Zungu … his brother-in-law") and never the pronoun's own."""
    opposite, same = other
    between = text[max(0, m.start() - 5) : until]
    return opposite.search(between) is not None and same.search(between) is None


def _resumable(text: str, m: re.Match[str]) -> str | None:
    """The person a name before a pronoun is, if the pronoun can stand for them."""
    found = person(m.group(), 0)
    if found is None or " " not in found[0]:
        if _PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            return None  # "worked with camels in Dubai": a place, not "Dubai Camel Racing Club"
        short = _short_form(text, m)
        return short if short is not None and not _BIO.match(text, m.end()) else None
    if _BIO.match(text, m.end()):
        return None
    after = _NEXT_WORD.match(text, m.end())
    if _ARTICLE_BEFORE.search(text, max(0, m.start() - 5), m.start()) or (
        after is not None and after.group(1) in _NOUNS
    ):
        return None  # "a West German statistician", "the 1987 West German census": adjectives
    if found[3] is None and _PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
        return None
    return found[0]


_NAME = re.compile(rf"(?<![\w'’-]){NAME}")


_HOLDER_AFTER = re.compile(rf"(?:\s+(?:of|for)\s+[a-z][\w\s]{{0,30}}?)?,?\s+(?P<name>{NAME})")
_HOLDER_BEFORE = re.compile(rf"(?P<name>{NAME})\s*,\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){{0,3}}$")


def post_holder(text: str, at: int, m: re.Match[str]) -> Mention:
    """ "The governor said": the person the text gave the post before, or the post."""
    head = m.group("head")
    lo = max(0, at + m.start() - _POST_REACH)
    holder = None
    for post in re.finditer(rf"(?i:\b{head}\b)", text[lo : at + m.start()]):
        # The post's holder stands right by it: "Minister Jean Morel", "the finance
        # minister, Jean Morel", "Jean Morel, the finance minister"; a name further off
        # is someone else's ("the minister met Anna Berg").
        after = _HOLDER_AFTER.match(text, lo + post.end())
        before = _HOLDER_BEFORE.search(text, max(0, lo + post.start() - 80), lo + post.start())
        for n in (after, before):
            found = person(n.group("name"), 0) if n is not None else None
            if found is not None and " " in found[0]:
                holder = found[0]
    np = " ".join(m.group("np").split())
    if holder is not None:
        return Mention("named.speech-verb", holder, m.start(), m.end("np"), "person", role=np)
    name = "the" + np[3:] if np.startswith("The ") else np
    return Mention("named.speech-verb", name, m.start(), m.end("np"), "person", role=name)


def their_work(text: str, at: int, sentence: str) -> Iterator[Mention]:
    """ "we'll link her reporting", "we use his figures": the work of the person the
    text named just before."""
    for m in _POSSESSED.finditer(sentence):
        for mention in resumed(text, at, m.start("pro"), m.end("pro")):
            mention.work = m.group("noun")
            yield mention
