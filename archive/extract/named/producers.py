"""Bodies named as the producer of a work outside the reporting-verb grammar.

The reporting-verb patterns want a name right before "said" or after "according
to".  Writers name bodies as producers in more shapes than that, and the shapes
are the same whatever the body:

- the body does something "in its report", "in a statement", "in an advisory",
  the verb being any verb ("X welcomed the verdict in a statement", "X told
  customers in an advisory", "X reported a rise in a filing"), and non-native
  English drops the verb altogether ("so the ministry in its bulletin of
  October", "X in its latest report put India fourth");
- the body "published/issued/released" a work ("X published analysis of …");
- the body "has its own list/data" or "keeps its own register";
- the body takes a stance: "X has been clear that …", "X has long been vocal";
- a possessive without an article names the owner of a work: "Statistics
  Norway's labour force survey", "Vestbane's own annual report", "Acme
  Institute's figures" (with an article the document patterns read it).

Each needs the subject to be a body (a known source, or a name the classifier
calls an organisation or an outlet): a person in the same place is left to the
patterns for people.  A description may stand before the name ("shipping line
Maersk", "Chile's state copper commission Cochilco", "the association X").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import DOC, DOCUMENTS, NAME, UP, VOCAB, alt
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, clean

_BODY_KINDS = ("org", "outlet")
_PUBLISHING = VOCAB["publishing_verbs"]
_STANCE = "clear consistent explicit unequivocal emphatic vocal outspoken blunt adamant"
# A body "has its own list": besides the document nouns, the lists and registers a
# body keeps.
_KEPT = "lists?|registers?|figures|numbers|count|tally|database|tracker"
# What ties a preceding subject to a work.  Every branch opens with a lower-case
# word, so the search runs only where one of the gate words is.
_LINK = re.compile(
    rf"\b(?P<in>in\s+(?:its|their|an?)\s+(?:[\w-]+\s+){{0,4}}?(?:{DOC}))\b"
    rf"|\b(?P<pub>(?:{alt(_PUBLISHING)})\s+(?:(?:an?|its|their|the)\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{DOC}))\b"
    rf"|\b(?P<own>(?:has|have|had|keeps|kept|maintains|maintained|runs|ran)\s+(?:its|their)"
    rf"\s+own\s+(?:[\w-]+\s+){{0,2}}?(?:{DOC}|{_KEPT}))\b"
    rf"|\b(?P<stance>(?:has|have|had)\s+(?:long\s+|always\s+|repeatedly\s+|also\s+)?been"
    rf"\s+(?:{'|'.join(_STANCE.split())}))\b"
)
_GATE_LINK = frozenset({"in", "has", "have", "had", "keeps", "kept", "maintains"}) | _PUBLISHING
# Where a clause may start before the link: the sentence start, a semicolon or colon,
# or a conjunction after a comma ("…, so the ministry in its bulletin").
_CLAUSE = re.compile(r"[;:]\s+|,\s+(?:so|and|but|while|whereas|although|though)\s+|\bso\s+")
_REACH = 200  # characters before the link where the subject may start
_DESC_NOUNS = VOCAB["org_desc_nouns"] | VOCAB["org_nouns_lower"] | VOCAB["body_nouns_lower"]
_SUBJECT = re.compile(
    r"[\W_]*(?:(?:[Aa]lso|[Aa]nd|[Bb]ut|[Mm]eanwhile|[Tt]hen|[Ss]o|[Nn]ow)\s+)?"
    # "Shipping line Maersk", "Chile's state copper commission Cochilco", "the association X"
    rf"(?:(?:[Tt]he\s+)?(?:[{UP}][\w.-]*['’]s\s+)?(?:[A-Za-z][a-z-]*\s+){{0,2}}?"
    rf"(?P<dnoun>{alt(_DESC_NOUNS, capital=True)})\s+(?=[{UP}]))?"
    rf"(?P<the>[Tt]he\s+)?(?P<name>{NAME})(?:\s*\([^()]{{1,60}}\))?"
    r"(?:\s*,\s+(?:an?|the|which|who|whose)\s+[^,]{1,80},)?"
    r"(?P<rest>(?:\s+(?:[a-z][\w'’%-]*|[\d$€£][\w.,%$-]*)){0,10})\s+"
)
# Verbs and adverbs between a subject and "has been clear" or "published".
_ADVERBS = frozenset(
    {"also", "now", "already", "itself", "themselves", "separately", "since", "has", "have", "had"}
)


def _subject(sentence: str, link: re.Match[str]) -> re.Match[str] | None:
    """The body that opens the clause ending where ``link`` starts."""
    lo = max(0, link.start() - _REACH)
    start = lo
    for cut in _CLAUSE.finditer(sentence, lo, link.start()):
        start = cut.end()
    m = _SUBJECT.match(sentence, start, link.start())
    if m is None or m.end() != link.start():
        return None
    rest = m.group("rest").split()
    # Only "in its report" may follow what the body did; the other links follow
    # the subject itself.
    if not link.group("in") and not set(rest) <= _ADVERBS:
        return None
    return m


def _owner_kind(name: str, desc: str | None, the: bool) -> str:
    """A description before the name says what it is ("the association X")."""
    if desc is not None and desc.lower() in VOCAB["org_desc_nouns"]:
        return classify(name, the=True, desc="org", at_start=False)
    return classify(name, the=the, desc=False, at_start=False)


def _subject_hits(sentence: str) -> Iterator[Mention]:
    for link in _LINK.finditer(sentence):
        m = _subject(sentence, link)
        if m is None:
            continue
        name, b, e, the = clean(m.group("name"), m.start("name"))
        kind = _owner_kind(name, m.group("dnoun"), the or m.group("the") is not None)
        if name and kind in _BODY_KINDS:
            yield Mention("named.producer", name, b, e, kind)


_POSSESSED = re.compile(
    rf"(?<![\w'’.-])(?P<name>{NAME})(?:['’]s|(?<=s)['’])\s+(?P<own>own\s+)?"
    rf"(?:[\w:-]+\s+){{0,4}}?(?:{DOC}|lists?)\b"
)


def _possessive_hits(sentence: str) -> Iterator[Mention]:
    """ "Statistics Norway's labour force survey": an owner with no article before it
    (the document patterns read "the X's report").  An unknown single word owns a
    work only with "own" ("Vestbane's own annual report"): a surname's possessive has
    the same shape."""
    for m in _POSSESSED.finditer(sentence):
        name, b, e, the = clean(m.group("name"), m.start("name"))
        if not name:
            continue
        kind = classify(name, the=the, desc=False, at_start=False)
        if kind in ("weak", "single") and m.group("own") and len(name.split()) == 1:
            kind = "org"
        if kind in _BODY_KINDS:
            yield Mention("named.producer", name, b, e, kind)


# "the Swiss team behind GLAMOS, whose annual report said": the body that owns the
# work in a relative clause.
_WHOSE = re.compile(
    rf"(?<![\w'’.-])(?P<name>{NAME})(?:\s*\([^()]{{1,30}}\))?,\s+whose\s+(?:[\w-]+\s+){{0,3}}?"
    rf"(?:{DOC})\b"
)
# "the decision of the Data Protection Commission to fine …", "a ruling by the
# Competition Tribunal": what a regulator, a court or a board decides is cited as its
# own.
_DECIDED = re.compile(
    r"\b(?:decision|decisions|ruling|rulings|judgment|judgement|determination|order|verdict)"
    rf"\s+(?:of|by)\s+(?P<the>the\s+)?(?P<name>{NAME})"
)
# "an analysis of Census Bureau microdata by the Economic Policy Institute": the
# producer after "by", with what the work examined between.
_OF_BY = re.compile(
    rf"\b(?:{DOC})\s+(?:of|on|into)\s+[^,;:()\"“”]{{1,60}}?\s+by\s+(?P<the>the\s+)?(?P<name>{NAME})"
)
_DECISION_WORDS = frozenset(
    {"decision", "decisions", "ruling", "rulings", "judgment", "judgement", "determination"}
    | {"order", "verdict"}
)


def _named_after(pattern: re.Pattern[str], sentence: str) -> Iterator[Mention]:
    for m in pattern.finditer(sentence):
        name, b, e, the = clean(m.group("name"), m.start("name"))
        article = the or ("the" in pattern.groupindex and m.group("the") is not None)
        kind = classify(name, the=article, desc=False, at_start=False) if name else ""
        if kind in _BODY_KINDS:
            yield Mention("named.producer", name, b, e, kind)


def producer_hits(sentence: str, wordset: frozenset[str]) -> Iterator[Mention]:
    """A body as the producer of a work where no reporting verb follows it."""
    if "whose" in wordset:
        yield from _named_after(_WHOSE, sentence)
    if "by" in wordset and not wordset.isdisjoint(DOCUMENTS):
        yield from _named_after(_OF_BY, sentence)
    if not wordset.isdisjoint(_DECISION_WORDS):
        yield from _named_after(_DECIDED, sentence)
    documents = not wordset.isdisjoint(DOCUMENTS)
    if (documents or "been" in wordset or "own" in wordset) and not wordset.isdisjoint(_GATE_LINK):
        yield from _subject_hits(sentence)
    if (documents or "list" in wordset) and ("'" in sentence or "’" in sentence):
        yield from _possessive_hits(sentence)
