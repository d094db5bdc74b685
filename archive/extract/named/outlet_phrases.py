"""Outlets in the phrases that only an outlet fills: "declared to Anadolu Agency that …"
(a reporting verb, then "to"), "L'Équipe's version" (an outlet's piece after its
possessive), "With information from Olé and La Capital" (a desk's credit of material).

Each is found from its own words first (a set intersection), then read by one pattern
bounded by the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import DATE_WORDS, NAME, VERBS
from archive.extract.named.joined import parts
from archive.extract.named.mention import Mention
from archive.extract.named.names import FOREIGN_ARTICLES, classify, clean
from archive.extract.named.sources import lookup_source

Words = frozenset[str]


def phrase_hits(sentence: str, words: Words) -> Iterator[Mention]:
    """Outlets after "VERB to", before a piece they ran, or in a credit of material."""
    if "to" in words and not _TO_WORDS.isdisjoint(words):
        yield from _said_to(sentence)
    if not _PIECES.isdisjoint(words) and ("'" in sentence or "’" in sentence):
        yield from _possessive(sentence)
    if "with" in words and not _CREDIT_NOUNS.isdisjoint(words):
        yield from _credited(sentence)
    if "(" in sentence:
        yield from _bracketed(sentence)


# "declared to the Bild am Sonntag", "evaluated to Anadolu Agency that", "in statements to
# Folha": any reporting verb, in any tense, or a noun of speech, then "to" and the outlet,
# the way Romance, Turkish and Arabic syntax carries into English ("declaró a", "a
# Folha disse"), besides "told".  Only an outlet counts: "said to Congress" names none.
_TO_NOUNS = frozenset(
    {"statement", "statements", "comments", "remarks", "declarations", "interview"}
    | {"spoke", "speaking", "talked", "talking", "interviews", "confidence", "words"}
)
_TO_WORDS = VERBS | _TO_NOUNS
_SAID_TO = re.compile(rf"\b(?P<v>[a-z]+)\s+to\s+(?P<the>the\s+)?[*_\"“]{{0,2}}(?P<name>{NAME})")


def _said_to(sentence: str) -> Iterator[Mention]:
    for m in _SAID_TO.finditer(sentence):
        verb = m.group("v")
        if verb not in _TO_WORDS or verb in ("according", "due", "close", "next"):
            continue
        name, b, e, _ = clean(m.group("name"), m.start("name"))
        # Only a name whose words say it is an outlet: "said to El Informador" may be the
        # page's own paper, whose masthead the text no longer holds.
        if name and _outlet_name(name, titled=False):
            yield Mention("named.told", name, b, e, "outlet")


def _outlet_name(name: str, titled: bool = True) -> bool:
    """A known news outlet, or an unknown name whose words (or, if ``titled``, whose
    article) make it one."""
    known = lookup_source(name)
    if known is not None:
        return known.kind == "news"
    if titled and article_title(name):
        return True
    return classify(name, the=False, desc=False, at_start=False) == "outlet"


# A periodical's name opening with its article ("El Heraldo", "La Capital", "O Globo"):
# where the grammar already says a source stands, such a name of two words is a
# publication's too (of three or more, ``classify`` says so anywhere).  "Los" and "Las"
# open more places than papers in English prose ("Los Angeles") and are not among them.
def article_title(name: str) -> bool:
    tokens = name.split()
    return (
        1 < len(tokens) <= 4
        and tokens[0] in FOREIGN_ARTICLES
        and tokens[1][:1].isupper()
        and classify(name, the=False, desc="outlet", at_start=False) == "outlet"
    )


# An outlet's piece after its possessive: "L'Équipe's version", "the Times's reporting",
# "Nikkei's count", "Globo's footage".  The document nouns the patterns read already
# ("report", "story", "analysis") need no second reading; these are the words for what
# newsrooms produce that are not.
_PIECES = frozenset(
    {"version", "versions", "reporting", "coverage", "scoop", "scoops", "count", "tally"}
    | {"footage", "reconstruction", "headline", "headlines", "front", "exposé", "expose"}
    | {"investigations", "reportage", "visualisation", "visualization", "fact-check"}
)
_POSSESSIVE = re.compile(
    rf"(?<![\w'’-])(?P<the>[Tt]he\s+)?[*_]{{0,2}}(?P<name>{NAME})[*_]{{0,2}}['’]s?\s+"
    r"(?:(?:own|latest|new|recent|original|first|detailed|exclusive|live)\s+)?"
    r"(?P<piece>versions?|reporting|coverage|scoops?|count|tally|footage|reconstruction"
    r"|headlines?|front\s+page|exposé|expose|investigations|reportage|visuali[sz]ation"
    r"|fact-check)\b"
)


def _possessive(sentence: str) -> Iterator[Mention]:
    for m in _POSSESSIVE.finditer(sentence):
        raw = m.group("name")
        name, b, e, _ = clean(raw + "'s", m.start("name"))
        if name and _outlet_name(name):
            piece = " ".join(m.group("piece").split())
            yield Mention("named.document", name, b, e, "outlet", piece)


# A credit line of material: "With information from Olé, La Capital and the club's
# communiqué" (the "con información de" of Spanish and Portuguese desks), "With files
# from The Canadian Press", "With inputs from PTI".  Each name is a source of the text;
# one the grammar cannot type is the publication a desk takes material from.
_CREDIT_NOUNS = frozenset({"information", "files", "inputs", "input", "details", "material"})
_CREDIT = re.compile(
    r"\b[Ww]ith\s+(?:additional\s+|further\s+)?(?:information|files|inputs?|details|material)"
    rf"\s+(?:from|of|by)\s+(?P<list>(?:(?:the\s+)?[*_]{{0,2}}{NAME}[*_]{{0,2}}"
    r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*$|(?=[.;)]))){1,6})"
)
_CREDIT_ITEM = re.compile(rf"(?:(?P<the>the)\s+)?(?P<n>{NAME})")


def _credited(sentence: str) -> Iterator[Mention]:
    for m in _CREDIT.finditer(sentence):
        for it in _CREDIT_ITEM.finditer(m.group("list")):
            at = m.start("list") + it.start("n")
            for name, b, e, the in parts(it.group("n"), at, bool(it.group("the"))):
                kind = classify(name, the=the, desc=False, at_start=False)
                if kind == "reject" or not name:
                    continue
                kind = "org" if kind == "org" and not article_title(name) else "outlet"
                yield Mention("named.source-line", name, b, e, kind)


# A claim with its outlet in brackets after it, the credit of a digest or a live page:
# "… 40 were dead (Reuters).", "… the plant will close (Nikkei, 3 March)."  Only a known
# news outlet, and not the abbreviation after a name ("Agence France-Presse (AFP)").
_BRACKETED = re.compile(
    rf"(?P<before>[\w,.;:!?%’'\"”-])\s*\((?P<name>{NAME})(?:\s*,\s*[\w ,./]{{1,30}})?\)"
    r"(?!\s*[-–—])"  # "LONDON, Nov 18 (Reuters) -": a wire's dateline, the page's own
)


def _bracketed(sentence: str) -> Iterator[Mention]:
    for m in _BRACKETED.finditer(sentence):
        word = sentence[: m.start("before") + 1].split()[-1:] or [""]
        if word[0][:1].isupper() and word[0].strip(".,;:") not in DATE_WORDS:
            continue  # "Agence France-Presse (AFP)", "the Herald (Glasgow)": a name's part
        name, b, e, _ = clean(m.group("name"), m.start("name"))
        known = lookup_source(name) if name else None
        if known is not None and known.kind == "news" and not known.plain_word:
            yield Mention("named.source-line", name, b, e, "outlet")
