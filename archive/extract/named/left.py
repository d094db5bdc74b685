"""Sources before their verb: "X said in a statement", "Deputy Minister Y told reporters".

The pattern is tried only in windows around the reporting verbs that a
capital letter or a comma precedes, and only where a name can start, so a
sentence costs a bounded number of attempts per verb.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.described import appositive_kind, described_as, make_mention, org_head
from archive.extract.named.grammar import (
    ADV,
    DATE_WORDS,
    DESC,
    DOC,
    DOCUMENTS,
    LEFT_HEADS,
    MOD,
    NAME,
    SPEECH,
    TITLE,
    UP,
    VERB,
    VERBS,
    VOCAB,
    WHEN,
    alt,
    is_strong,
    is_verb,
)
from archive.extract.named.joined import fields_of, parts
from archive.extract.named.left_windows import last_start, left_heads, verb_places, windows
from archive.extract.named.mention import Mention
from archive.extract.named.names import ACCEPT, affiliated, classify, post_word
from archive.extract.named.not_people import opening_place, person_or_not, without_writer

Words = list[tuple[str, int]]

_APPOSITIVE = (
    r"(?P<appos>\s*,\s+(?:(?:which|who|whose|citing|a|an|the|its|one\s+of"
    r"|in\s+(?:its|their|his|her|an?|the))\b(?:[^,]|,(?=\d)){1,80}"
    r"|(?!like\b|such\b|including\b|and\b|or\b)[a-z][\w'’-]*(?:\s+[\w'’-]+){1,6}"
    # one word only when it is a participle or an adverb ("Lord Penhallow, dissenting,
    # argued"), never a subject ("The EU, officials said, …")
    r"|[a-z]+(?:ing|ly)|however|meanwhile|though|too|instead"
    r"|[A-Z][\w'’-]*(?:\s+[a-z][\w'’-]*){1,3}"
    # "Caroline Douglass, Executive Director for Flood Risk at the Agency, said"
    # (the roles as a trie: which role matches cannot move the comma that ends the appositive)
    rf"|[^,]{{0,60}}\b(?i:{alt(VOCAB['roles'])})\b[^,]{{0,100}}),)?"
)
_LEFT = (
    rf"(?<![\w'’.-])(?=[{UP}]|[Tt]he\s)(?P<list>(?:{NAME}\s*,\s*(?:the\s+)?){{1,3}})?"
    # A description ("the Israeli daily Haaretz") only after "the": tried at
    # every capitalised word it cost more than the rest of the pattern.
    rf"(?:(?P<art>[Tt]he\s+){DESC})?(?P<name>{NAME})(?:\s+\([A-Z][A-Za-z]{{1,7}}\))?"
    rf"(?:\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{alt(VOCAB['staff_nouns'])}))?"
    # "Analyst Tran Quoc Bao of the bank VNDirect said": the person, then where they work
    rf"(?:\s+(?:from|of|at|with)\s+the\s+[a-z]+(?:\s+[a-z]+)?(?:\s+{NAME})?"
    r"(?=\s+(?:said|told|says)))?"
    rf"<DOC>{_APPOSITIVE}(?:\s*,(?:\s+(?:which|who|he|she|they))?)?(?:\s+{ADV}){{0,3}}\s+{VERB}"
)
# With and without a document noun after the name ("the Fed's staff report
# found"): the first reading can swallow the verb ("has published guidance").
# The document noun is any lower-case word here, checked against DOCUMENTS in
# code: an alternation of hundreds of nouns tried after every name was most of
# the cost of the pass.
_LEFT_RE = re.compile(
    _LEFT.replace("<DOC>", r"(?:\s+(?:[a-z][\w-]*\s+){0,2}?(?P<doc>[a-z][\w-]*))?")
)
_LEFT_PLAIN = re.compile(_LEFT.replace("<DOC>", ""))
# And without the list in front, when a list reading ate a lone name before an
# appositive ("Caroline Douglass, Executive Director for …, said").
_LEFT_SOLO = re.compile(
    _LEFT.replace("<DOC>", "").replace(
        rf"(?P<list>(?:{NAME}\s*,\s*(?:the\s+)?){{1,3}})?", "(?P<list>)"
    )
)
# And without the staff noun, when that reading ate the verb ("Ilona Varga said the board
# would meet" is no "Ilona Varga said the board" whose verb is "meet").
_STAFF = rf"(?:\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{alt(VOCAB['staff_nouns'])}))?"
assert _STAFF in _LEFT
_LEFT_BARE = re.compile(_LEFT.replace("<DOC>", "").replace(_STAFF, ""))
_STAFF_WORDS = VOCAB["staff_nouns"]
_LEFT_DOCS = re.compile(_LEFT.replace("<DOC>", rf"(?:\s+(?:[a-z][\w-]*\s+){{0,2}}?(?P<doc>{DOC}))"))
_LIST_NAME = re.compile(rf"(?:(?P<the>the)\s+)?(?P<n>{NAME})")
_LEFT_REACH = 240  # characters before a verb where its source may start
_PASSIVE = re.compile(rf"{WHEN}\s+by\s+(?:the\s|[{UP}])")  # not "said by telephone"
_AFTER_VERB = re.compile(
    rf"(?:\s+(?:[a-z]+\s+){{0,3}}?)?\s*(?:in|on|via)\s+(?:(?P<art>an?|its|their|his|her|the)\s+)?"
    rf"(?P<work>(?:{MOD}\s+){{0,2}}(?:[\w-]+\s+){{0,2}}?{DOC}|{TITLE})"
    rf"|\s+(?:an?|its|their|his|her|the)\s+(?P<object>(?:{MOD}\s+){{0,2}}(?:[\w-]+\s+){{0,2}}?{DOC})\b"
)


def _work_after(sentence: str, at: int) -> str | None:
    m = _AFTER_VERB.match(sentence, at)
    if m is None:
        return None
    work = " ".join((m.group("work") or m.group("object")).split())
    return None if work.split()[0] in DATE_WORDS or re.fullmatch(r"\d+", work) else work


def left_hits(sentence: str, words: Words, heads: list[int]) -> Iterator[Mention]:
    """``heads``: the indices in ``words`` of the words in ``LEFT_HEADS``, in order."""
    lead = len(sentence) - len(sentence.lstrip(" \t\n\"'“‘*_#>-"))
    places: list[int] | None = None
    for lo, hi in windows(left_heads(sentence, words, heads), LEFT_HEADS, _LEFT_REACH, 40):
        pos = lo
        places = verb_places(sentence, words, heads) if places is None else places
        limit = last_start(sentence, places, lo, hi)
        while (found := _left_search(sentence, pos, limit, hi)) is not None:
            # Resume after the name, not after the verb: a misread verb ("Marcus
            # mentions the startup X, which says") must not swallow the next name.
            pos = max(found.end("name"), found.start() + 1)
            m = _verified(sentence, found, hi)
            if m is None:
                continue
            if _PASSIVE.match(sentence, m.end("verb")):
                continue  # "the dataset maintained by X": X is the source, not the name
            if _addressed(sentence, m) or _container_before(sentence, m.start()):
                continue
            if SAID_LITTLE.match(sentence, m.end("verb")):
                continue  # "Governor X has said little in public": no statement to find
            first = sentence[max(0, m.start("verb") - 8) : m.start("verb")].rstrip()
            strong = is_strong(m.group("verb")) or first.endswith("first")
            speech = m.group("verb").split()[0] in SPEECH
            accept = (
                ACCEPT["speaker"]
                | ({"weak"} if strong else set())
                | ({"single"} if speech else set())
            )
            items = [(m.group("name"), m.start("name"), bool(m.group("art")))]
            joined = fields_of(sentence, m)
            if joined is not None:  # "The Ministry of Health, Labour and Welfare said"
                items = [(sentence[joined : m.end("name")], joined, bool(m.group("art")))]
            elif m.group("list"):
                employer = False
                for it in _LIST_NAME.finditer(m.group("list")):
                    if _employer(it.group("n")):
                        employer = True  # "Northfield's Pro-Vice-Chancellor, Professor X, said"
                        continue
                    at = m.start("list") + it.start("n")
                    if opening_place(sentence, at):
                        employer = True  # "In Wellington, Jacinda Ardern said": a place, apart
                        continue
                    items.append((it.group("n"), at, bool(it.group("the"))))
                people = ("person", "weak", "single")
                if not employer and all(
                    classify(n, the=t, desc=False, at_start=False) in people for n, _, t in items
                ):
                    start = m.start("list")
                    items = [(sentence[start : m.end("name")], start, False)]
            work = _doc_appositive(m) or _work_after(sentence, m.end("verb"))
            for raw, offset, the_raw in items:
                affiliation = affiliated(raw)
                raw = affiliation[0] if affiliation else raw
                if _after_work_noun(sentence, offset) and not _body_name(raw):
                    continue  # "her guidebook Street Food of the Southern Cone": a title
                for name, b, e, the in parts(raw, offset, the_raw):
                    at_start = b == offset and offset - len(m.group("art") or "") <= lead
                    desc = described_as(m)
                    kind = classify(name, the=the, desc=desc, at_start=at_start)
                    if kind in ("single", "weak"):
                        kind = appositive_kind(m.group("appos") or "") or kind
                    elif kind == "person" and org_head(m.group("appos") or ""):
                        kind = "org"  # "Veltmark Nord, the federation of grocers, says"
                    if "," in name and " and " in name and joined is None:
                        kind = "person"  # "Okafor, Lind and Berg": authors, not a body
                    if kind == "person" and _titled_work(sentence, m, b):
                        continue  # "Restaurants Canada's latest Foodservice Facts report"
                    if kind == "person":  # "mills in Alabama and Arkansas have added"
                        name, e = without_writer(name, b, e)
                        kind = person_or_not(sentence, b, e, name)
                    if kind in accept:
                        pos = max(pos, m.end("verb"))  # its appositive holds no other source
                        yield make_mention(sentence, "named.speech-verb", name, b, e, kind, work)


# "has said little in public", "wrote almost nothing about it": a verb that states nothing.
SAID_LITTLE = re.compile(
    r"\s+(?:(?:very|remarkably|relatively|so|too|surprisingly)\s+)?"
    r"(?:little|nothing|next\s+to\s+nothing|almost\s+nothing|hardly\s+anything)\b"
    # "said little had changed": what was said, not how much
    r"(?!\s+(?:had|has|have|was|were|is|are|would|will|could|can|should|did|does|changed)\b)"
)


_OWNER_BEFORE = re.compile(r"['’]s\s+(?:[a-z][\w-]*\s+){0,2}$")


def _titled_work(sentence: str, m: re.Match[str], start: int) -> bool:
    """A name between a possessive and a document noun is the title of the owner's work
    ("Restaurants Canada's latest Foodservice Facts report estimates"), not a person."""
    if "doc" not in m.re.groupindex or not m.group("doc"):
        return False
    return _OWNER_BEFORE.search(sentence, max(0, start - 40), start) is not None


# "The residents of Cobden Terrace are advised that …", "Staff were told to leave": the
# passive of a verb of telling makes the name the one told, not the one telling.
_TOLD = frozenset(
    {"advised", "told", "informed", "warned", "urged", "asked", "briefed", "instructed"}
    | {"reminded", "notified", "encouraged", "cautioned", "assured", "promised"}
)
_BE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:[a-z]+ly\s+)?$")


def _addressed(sentence: str, m: re.Match[str]) -> bool:
    at = m.start("verb")
    return m.group("verb").split()[0] in _TOLD and bool(
        _BE_BEFORE.search(sentence, max(0, at - 24), at)
    )


# "A 2011 study by Koskinen and Saari in Annales Zoologici Fennici examined …": the
# journal a work appeared in, after "in", is where it was published; the work is the
# subject of the verb.
_IN_AFTER_WORK = re.compile(rf"\b(?:{DOC})\b[^;:.()]{{0,80}}\sin\s+(?:the\s+)?[*_]{{0,2}}$")


def _container_before(sentence: str, at: int) -> bool:
    if sentence[at:].split(maxsplit=1)[0].strip(",") in DATE_WORDS:
        return False  # "published in February, the Department … estimated"
    return sentence[max(0, at - 4) : at].rstrip(" *_").endswith(" in") and bool(
        _IN_AFTER_WORK.search(sentence, max(0, at - 120), at)
    )


_LAST_WORD = re.compile(
    r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Mm]y|[Oo]ur|[Tt]he|an?)\s+"
    r"(?:(?!(?:of|for|on|at|in)\b)[\w'’-]+\s+){0,2}?"
    r"(?P<noun>[a-z][\w-]*)\s+$"
)
# Nouns that describe the name after them ("the travel guide Lonely Planet", "the
# tracker Layoffs.fyi"): a source, not a title.
_DESCRIBING = VOCAB["outlet_nouns"] | VOCAB["org_desc_nouns"]


_POSSESSED = re.compile(r"['’]s?\s+(?P<rest>.+)$")


def _employer(item: str) -> bool:
    """ "Northfield's Pro-Vice-Chancellor for Education": a body and a post in it, put
    before the person who holds the post; the person is the source, not the body."""
    m = _POSSESSED.search(item)
    return m is not None and any(
        post_word(part) for token in m.group("rest").split() for part in token.split("-")
    )


def _body_name(raw: str) -> bool:
    """A known source or a name with a body's word: "the report Oxfam published" names
    its producer, not a title."""
    return classify(raw, the=False, desc=False, at_start=False) in ("outlet", "org")


_EXAMINED = re.compile(rf"\b(?:{alt(VOCAB['examined_with_of'])})s?\s+of\s+(?:the\s+)?$", re.I)


def _after_work_noun(sentence: str, at: int) -> bool:
    """ "her guidebook Street Food of the Southern Cone": the name is the work's title;
    "an inspection of the Orvin Dam": what the work examined."""
    if _EXAMINED.search(sentence, max(0, at - 40), at):
        return True
    before = _LAST_WORD.search(sentence, max(0, at - 50), at)
    noun = before.group("noun") if before else ""
    return noun in DOCUMENTS and noun not in _DESCRIBING


# Where ``_LEFT_RE`` can start: its own search runs the whole pattern's
# lookbehind at every character, which cost more than the attempts themselves.
_LEFT_START = re.compile(rf"[{UP}]|the\s")


def _left_search(sentence: str, pos: int, limit: int, hi: int) -> re.Match[str] | None:
    """``_LEFT_RE.search(sentence, pos, hi)``, tried only where it can start and
    where a reading of it can still be verified (before ``limit``)."""
    for start in _LEFT_START.finditer(sentence, pos, hi):
        if start.start() >= limit:
            return None
        m = _LEFT_RE.match(sentence, start.start(), hi)
        if m is not None:
            return m
    return None


def _verified(sentence: str, m: re.Match[str], hi: int) -> re.Match[str] | None:
    """The reading of a left match whose verb is a reporting verb, if any.

    The fast pattern takes any lower-case word after the name for a document
    noun ("the Reuters report found"); when that word is not one, or the verb
    is not one, the name is read again without it, with the full list of
    document nouns, and without a list of names in front.
    """
    for c in _readings(sentence, m, hi):
        if c and _dangling(sentence, c):
            continue
        if c and (is_verb(c.group("verb")) or _perfect(sentence, c) or _doc_appositive(c)):
            return c
    return None


def _dangling(sentence: str, m: re.Match[str]) -> bool:
    """ "… in Germany and Italy, data from Eurostat showed on Thursday, adding to signs":
    a participle after a comma belongs to the clause before it, not to the name."""
    verb = m.group("verb").split()[0]
    if not verb.endswith("ing"):
        return False
    before = sentence[max(0, m.start("verb") - 12) : m.start("verb")]
    return before.rstrip().endswith(",") and _AUX_BEFORE.search(before) is None


# "has forecast", "had mapped": after an auxiliary a form that is mostly a noun
# ("the forecast", "the map") can only be the verb.
_AUX_BEFORE = re.compile(r"\b(?:has|have|had|having|was|were|been|is|are|will|would)\s+$")


def _perfect(sentence: str, m: re.Match[str]) -> bool:
    verb = m.group("verb").split()[0]
    at = m.start("verb")
    return verb in VERBS and _AUX_BEFORE.search(sentence, max(0, at - 12), at) is not None


def _readings(sentence: str, m: re.Match[str], hi: int) -> Iterator[re.Match[str] | None]:
    """The readings ``_verified`` tries, in order, each read only when the ones before fail."""
    doc = m.group("doc")
    if not (doc and doc not in DOCUMENTS):
        yield m
    if doc:
        after = sentence[m.end("name") : m.end("name") + 40].lower().split()[:3]
        if DOCUMENTS.intersection(w.strip(",.;:") for w in after):
            yield _LEFT_DOCS.match(sentence, m.start(), hi)
        yield _LEFT_PLAIN.match(sentence, m.start(), hi)
    if m.group("list"):
        yield _LEFT_SOLO.match(sentence, m.start(), hi)
    between = sentence[m.end("name") : m.start("verb")].split()
    if not _STAFF_WORDS.isdisjoint(between):  # only a staff noun can have eaten the verb
        yield _LEFT_BARE.match(sentence, m.start(), hi)


# "The Commission, in its winter forecast, had trimmed …": a document in the
# appositive makes any verb an attribution to the name before it.
_DOC_APPOS = re.compile(
    rf"\s*,\s+in\s+(?:its|their|his|her|an?|the)\s+(?P<work>(?:[\w'’-]+\s+){{0,4}}?{DOC})\b"
)


def _doc_appositive(m: re.Match[str]) -> str | None:
    appos = m.group("appos")
    doc = _DOC_APPOS.match(appos) if appos else None
    return " ".join(doc.group("work").split()) if doc else None
