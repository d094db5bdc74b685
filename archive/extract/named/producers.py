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
  Institute's figures" (with an article the document patterns read it);
- a relative clause or a noun of deciding names the owner: "X, whose annual
  report said", "the decision of X to fine", "an analysis of tax records by X",
  "polling by X", "complaints received by X" (the body keeps the record);
- the data of a body named earlier in the sentence by its head word: "copper on
  the London Metal Exchange fell, according to exchange data".

Each needs the subject to be a body (a known source, or a name the classifier
calls an organisation or an outlet): a person in the same place is left to the
patterns for people.  A description may stand before the name ("shipping line
Maersk", "Chile's state copper commission Cochilco", "the association X"), and a
body named by what it does in lower case ("the organisers", "the administration")
takes the "in its statement" shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.bodies import OFFICE_OF_POST
from archive.extract.named.grammar import DOC, DOCUMENTS, NAME, UP, VOCAB, alt
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, clean

_BODY_KINDS = ("org", "outlet")
_PUBLISHING = VOCAB["publishing_verbs"]
_STANCE = "clear consistent explicit unequivocal emphatic vocal outspoken blunt adamant"
_STANCE_WORDS = frozenset(_STANCE.split())
# A body "has its own list": besides the document nouns, the lists and registers a
# body keeps.
_KEPT = "lists?|registers?|figures|numbers|count|tally|database|tracker"
# What ties a preceding subject to a work, one pattern a shape, each tried only when
# its words are in the sentence.  "in its" is searched as a near-literal, which the
# search skips through the text to; the document noun is matched after it.
_IN_LINK = re.compile(r" in (?:its|their|an?)\s+")
_IN_REST = re.compile(rf"(?:[\w-]+\s+){{0,4}}?(?:{DOC})\b")
_IN_WORDS = frozenset({"its", "their", "a", "an"})
# What follows a publishing verb ("published analysis of", "issued a report"): matched
# at each of the sentence's publishing verbs, found as plain substrings.
_PUB_REST = re.compile(rf"\s+(?:(?:an?|its|their|the)\s+)?(?:[\w-]+\s+){{0,2}}?(?:{DOC})\b")
_OWN_LINK = re.compile(
    r"\b(?:has|have|had|keeps|kept|maintains|maintained|runs|ran)\s+(?:its|their)"
    rf"\s+own\s+(?:[\w-]+\s+){{0,2}}?(?:{DOC}|{_KEPT})\b"
)
_STANCE_LINK = re.compile(
    r"\b(?:has|have|had)\s+(?:long\s+|always\s+|repeatedly\s+|also\s+)?been"
    rf"\s+(?:{'|'.join(_STANCE.split())})\b"
)
# Where a clause may start before the link: the sentence start, a semicolon or colon,
# or a conjunction after a comma ("…, so the ministry in its bulletin").
_CLAUSE = re.compile(r"[;:]\s+|,\s+(?:so|and|but|while|whereas|although|though)\s+|\bso\s+")
_REACH = 200  # characters before the link where the subject may start
# Bodies that non-native and spoken English names by what they do, in lower case, in
# the same shape: "so the organisers in their statement of Sunday", "the administration
# in its draft budget", "the mayor's office … in a statement".
_COLLECTIVE = frozenset(
    {"organisers", "organizers", "administration", "management", "municipality", "secretariat"}
)
_DESC_NOUNS = VOCAB["org_desc_nouns"] | VOCAB["org_nouns_lower"] | VOCAB["body_nouns_lower"]
_SUBJECT = re.compile(
    r"[\W_]*(?:(?:[Aa]lso|[Aa]nd|[Bb]ut|[Mm]eanwhile|[Tt]hen|[Ss]o|[Nn]ow)\s+)?"
    # "Shipping line Maersk", "Chile's state copper commission Cochilco", "the association X"
    rf"(?:(?:[Tt]he\s+)?(?:[{UP}][\w.-]*['’]s\s+)?(?:[A-Za-z][a-z-]*\s+){{0,2}}?"
    rf"(?P<dnoun>{alt(_DESC_NOUNS, capital=True)})\s+(?=[{UP}]))?"
    rf"(?:[Tt]he\s+(?P<collective>{alt(_COLLECTIVE)}|{OFFICE_OF_POST})"
    rf"|(?P<the>[Tt]he\s+)?(?P<name>{NAME}))"
    r"(?:\s*\([^()]{1,60}\))?"
    r"(?:\s*,\s+(?:an?|the|which|who|whose)\s+[^,]{1,80},)?"
    r"(?P<rest>(?:\s+(?:[a-z][\w'’%-]*|[\d$€£][\w.,%$-]*)){0,10})\s+"
)
# Verbs and adverbs between a subject and "has been clear" or "published".
_ADVERBS = frozenset(
    {"also", "now", "already", "itself", "themselves", "separately", "since", "has", "have", "had"}
)


def _subject(sentence: str, at: int, acted: bool) -> re.Match[str] | None:
    """The body that opens the clause ending at ``at``.

    ``acted``: the link is "in its report", which may follow what the body did
    ("welcomed the verdict in a statement"); the other links follow the subject.
    """
    lo = max(0, at - _REACH)
    start = lo
    for cut in _CLAUSE.finditer(sentence, lo, at):
        start = cut.end()
    m = _SUBJECT.match(sentence, start, at)
    if m is None or m.end() != at:
        return None
    if not acted and not set(m.group("rest").split()) <= _ADVERBS:
        return None
    return m


def _owner_kind(name: str, desc: str | None, the: bool) -> str:
    """A description before the name says what it is ("the association X")."""
    if desc is not None and desc.lower() in VOCAB["org_desc_nouns"]:
        return classify(name, the=True, desc="org", at_start=False)
    return classify(name, the=the, desc=False, at_start=False)


def _links(sentence: str, wordset: frozenset[str], documents: bool) -> Iterator[tuple[int, bool]]:
    """Where each link starts, and whether it is "in its report"."""
    if documents and "in" in wordset and not wordset.isdisjoint(_IN_WORDS):
        for m in _IN_LINK.finditer(sentence):
            if _IN_REST.match(sentence, m.end()):
                yield m.start() + 1, True
    published = documents and not wordset.isdisjoint(_PUBLISHING)
    for verb in wordset & _PUBLISHING if published else ():
        at = sentence.find(verb)
        while at >= 0:
            end = at + len(verb)
            if (at == 0 or not sentence[at - 1].isalnum()) and _PUB_REST.match(sentence, end):
                yield at, False
            at = sentence.find(verb, end)
    if "own" in wordset:
        yield from ((m.start(), False) for m in _OWN_LINK.finditer(sentence))
    if "been" in wordset and not wordset.isdisjoint(_STANCE_WORDS):
        yield from ((m.start(), False) for m in _STANCE_LINK.finditer(sentence))


def _subject_hits(sentence: str, wordset: frozenset[str], documents: bool) -> Iterator[Mention]:
    for at, acted in _links(sentence, wordset, documents):
        m = _subject(sentence, at, acted)
        if m is None:
            continue
        if m.group("collective"):
            if acted:
                b, e = m.start("collective"), m.end("collective")
                yield Mention("named.producer", m.group("collective"), b, e, "org")
            continue
        name, b, e, the = clean(m.group("name"), m.start("name"))
        kind = _owner_kind(name, m.group("dnoun"), the or m.group("the") is not None)
        if name and kind in _BODY_KINDS:
            yield Mention("named.producer", name, b, e, kind)


# The possessive and the work after it, searched from the apostrophe (a literal the
# search skips to); the owner's name is then read back from there.
_POSSESSED = re.compile(rf"['’]s?\s+(?P<own>own\s+)?(?:[\w:-]+\s+){{0,4}}?(?:{DOC}|lists?)\b")
_OWNER = re.compile(rf"(?<![\w'’.-])(?P<name>{NAME})$")
_OWNER_REACH = 100  # characters before the apostrophe where the owner's name may start


def _possessive_hits(sentence: str) -> Iterator[Mention]:
    """ "Statistics Norway's labour force survey": an owner with no article before it
    (the document patterns read "the X's report").  An unknown single word owns a
    work only with "own" ("Vestbane's own annual report"): a surname's possessive has
    the same shape."""
    for m in _POSSESSED.finditer(sentence):
        at = m.start()
        bare = sentence[at + 1 : at + 2] != "s"  # "the Philippines' …": after a plural only
        if at == 0 or not sentence[at - 1].isalpha() or (bare and sentence[at - 1] != "s"):
            continue
        word = sentence.rfind(" ", 0, at) + 1
        if not sentence[word : word + 1].isupper():
            continue  # "the company's report": no name ends at the apostrophe
        owner = _OWNER.search(sentence, max(0, at - _OWNER_REACH), at)
        if owner is None:
            continue
        name, b, e, the = clean(owner.group("name"), owner.start("name"))
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
_DECISION_WORDS = frozenset(
    {"decision", "decisions", "ruling", "rulings", "judgment", "judgement", "determination"}
    | {"verdict"}
)
_DECIDED = re.compile(
    rf"\b(?:{alt(_DECISION_WORDS)})\s+(?:of|by)\s+(?P<the>the\s+)?(?P<name>{NAME})"
)
# "an analysis of Census Bureau microdata by the Economic Policy Institute": the
# producer after "by", with what the work examined between.  Searched from "by" (a
# literal), the work read back from there.
_BY = re.compile(rf"by\s+(?P<the>the\s+)?(?P<name>{NAME})")
_EXAMINED = re.compile(rf"\b(?:{DOC})\s+(?:of|on|into)\s+[^,;:()\"“”]{{1,60}}?\s+$")
_OF_WORDS = frozenset({"of", "on", "into"})
_EXAMINED_REACH = 90  # characters before "by" where the work may start


def _name_hit(m: re.Match[str], group: str | int = "name") -> Iterator[Mention]:
    name, b, e, the = clean(m.group(group), m.start(group))
    article = the or ("the" in m.re.groupindex and m.group("the") is not None)
    kind = classify(name, the=article, desc=False, at_start=False) if name else ""
    if kind in _BODY_KINDS:
        yield Mention("named.producer", name, b, e, kind)


def _examined_by(sentence: str) -> Iterator[Mention]:
    for m in _BY.finditer(sentence):
        at = m.start()
        if at and sentence[at - 1].isalnum():
            continue
        if _EXAMINED.search(sentence, max(0, at - _EXAMINED_REACH), at) is not None:
            yield from _name_hit(m)


# "Copper on the London Metal Exchange fell 3%, according to exchange data": the data
# of a body named earlier in the sentence by the last word of its name.
_HEAD_DATA = re.compile(
    r"according\s+to\s+(?:the\s+)?(?P<head>[a-z]+)\s+(?:data|figures|statistics|records)\b"
)
_HEAD_DATA_WORDS = frozenset({"data", "figures", "statistics", "records"})
# A run of capitalised words joined only by the connectors inside bodies' names ("Bank
# of England", "Institut für Weltwirtschaft"): "Nickel on the Orran Metals Exchange" is
# two names.
_NAMES = re.compile(
    rf"(?<![\w'’.-])(?:[{UP}][\w&'’.-]*\s+(?:(?:of|for|and|&|de|du|des|der|für)\s+(?:the\s+)?)?)"
    rf"{{0,6}}[{UP}][\w&'’.-]*"
)


def _head_data(sentence: str) -> Iterator[Mention]:
    for m in _HEAD_DATA.finditer(sentence):
        head = m.group("head")
        before = [
            n for n in _NAMES.finditer(sentence, 0, m.start()) if n.group().lower().endswith(head)
        ]
        if before and m.group("head") not in VOCAB["common_subjects"]:
            yield from _name_hit(before[-1], group=0)


# "complaints received by the Land Commission", "applications lodged with the Patent
# Office": the body that keeps the record of what it received.
_RECEIVED_BY = re.compile(
    r"\b(?i:complaints|applications|claims|requests|petitions|reports|submissions|referrals)"
    r"\s+(?:[a-z]+\s+)?(?:received|lodged|filed|registered)\s+(?:by|with)\s+"
    rf"(?P<the>the\s+)?(?P<name>{NAME})"
)
_RECEIVED_WORDS = frozenset({"received", "lodged", "filed", "registered"})
# "Polling by the Lowy Institute", "fieldwork by Ipsos": research named by its activity,
# then its producer.
_ACTIVITY_WORDS = frozenset({"polling", "fieldwork", "modelling", "modeling", "surveying"})
_ACTIVITY_BY = re.compile(
    rf"\b(?i:{alt(_ACTIVITY_WORDS)})\s+(?:(?:conducted|carried\s+out|done)\s+)?by\s+"
    rf"(?P<the>the\s+)?(?P<name>{NAME})"
)


def producer_hits(sentence: str, wordset: frozenset[str]) -> Iterator[Mention]:
    """A body as the producer of a work where no reporting verb follows it."""
    documents = not wordset.isdisjoint(DOCUMENTS)
    if "whose" in wordset:
        for m in _WHOSE.finditer(sentence):
            yield from _name_hit(m)
    if "by" in wordset and documents and not wordset.isdisjoint(_OF_WORDS):
        yield from _examined_by(sentence)
    if "by" in wordset and not wordset.isdisjoint(_ACTIVITY_WORDS):
        for m in _ACTIVITY_BY.finditer(sentence):
            yield from _name_hit(m)
    if not wordset.isdisjoint(_RECEIVED_WORDS):
        for m in _RECEIVED_BY.finditer(sentence):
            yield from _name_hit(m)
    if not wordset.isdisjoint(_DECISION_WORDS):
        for m in _DECIDED.finditer(sentence):
            yield from _name_hit(m)
    yield from _subject_hits(sentence, wordset, documents)
    if "according" in wordset and not wordset.isdisjoint(_HEAD_DATA_WORDS):
        yield from _head_data(sentence)
    if (documents or "list" in wordset) and ("'" in sentence or "’" in sentence):
        yield from _possessive_hits(sentence)
