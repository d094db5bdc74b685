"""Outlets that the prose says are outlets: a noun beside the name ("local broadcaster
TVBS showed footage", "Tempo magazine reported", "according to a count by the newsletter
Poder360", "an interview with the Brazilian daily Folha"), and outlets whose verb is one
of coverage rather than speech ("Variety covered the dispute", "Globo aired the video").

A noun that makes a name a publication ("newspaper", "daily", "broadcaster", "news
site", "newsletter") stands before the name or after it in every register: news
writing puts it before ("the Israeli daily Haaretz"), translated and South and East
Asian English after ("Kompas newspaper", "the Kathimerini newspaper").  The name need
not be known: the noun says what it is.  A mention alone cites nothing ("she worked for
the newspaper Clarín"), so the name counts only with an attribution beside it: a word
that introduces a source just before the description ("according to", "by", "told", "to",
"with", "in", "from", "citing"; "on" for broadcasters), a reporting or coverage verb
just after the name, or a possessive with the piece it ran ("the daily Folha's count").

Found from the nouns and verbs themselves (a set intersection first), each read in a
window of the sentence, so the cost stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import DOCUMENTS, NAME, UP, VERBS, VOCAB
from archive.extract.named.joined import parts
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, clean
from archive.extract.named.outlet_phrases import phrase_hits
from archive.extract.named.sources import lookup_source

Words = frozenset[str]

# Nouns that make the name beside them a publication; "site", "agency", "station" and
# "network" only with the word that makes them a newsroom's ("news site", "radio station").
_NOUNS = frozenset(
    {"newspaper", "daily", "weekly", "magazine", "tabloid", "broadsheet", "broadcaster"}
    | {"newsletter", "portal", "website", "blog", "outlet", "channel", "forum", "newsweekly"}
    | {"site", "agency", "station", "network", "programme", "program", "show"}
)
_NEEDS_QUALIFIER = frozenset({"site", "agency", "station", "network", "programme", "program"})
_NEEDS_QUALIFIER |= {"show"}
_QUALIFIERS = r"(?:news|radio|television|tv|TV|TTV|cable|web|online|current-affairs)"
_NOUN = (
    r"(?:(?:news|radio|television|tv|TV|online|business|financial|sports?|investigative"
    r"|fan|fans|public|state|private|local|national|regional|economic|evening|morning)\s+)?"
    r"(?:newspaper|daily|weekly|magazine|tabloid|broadsheet|broadcaster|newsletter|portal"
    r"|website|blog|outlet|channel|forum|newsweekly)"
    rf"|{_QUALIFIERS}\s+(?:site|agency|station|network|programme|program|show)"
)
# Broadcasters are heard "on" them: "said on the broadcaster NHK", "appeared on channel 2".
_BROADCAST = frozenset({"broadcaster", "channel", "station", "network", "programme", "program"})
_BROADCAST |= {"show"}

# The description before the name: "the Brazilian daily", "local broadcaster", "the forum
# of fans", then the name, perhaps in quotes or emphasis.
_BEFORE = re.compile(
    rf"(?P<noun>{_NOUN})(?:\s+of\s+[a-z]+(?:\s+[a-z]+)?)?,?\s+[\"“‘*_]{{0,2}}(?P<name>{NAME})"
)
# A name then the noun: "Tempo magazine", "the Kathimerini newspaper".
_NAME_BEFORE = re.compile(
    rf"(?<![\w'’.-])(?P<name>[{UP}][\w&'’.-]*(?:\s+(?:of|de|del|do|da|la|el|al|[{UP}][\w&'’.-]*)){{0,5}})"
    r"\s+$"
)
_NOUN_AFTER = re.compile(
    r"\s+(?P<noun>(?:newspaper|daily|weekly|magazine|tabloid|broadsheet|broadcaster|newsletter"
    r"|portal|website|newsweekly|news\s+(?:site|agency|portal|website|channel|outlet)"
    r"|(?:TV|television|radio)\s+(?:channel|station|network)))\b"
)
_NAME_NEXT = re.compile(rf"\s+[\"“‘*_]{{0,2}}[{UP}0-9]")
# What introduces a source just before its description, up to three words of it between
# ("according to the influential Brazilian daily").
_TRIGGER = re.compile(
    r"(?i:\b(?P<t>according\s+to|by|told|tells|telling|to|with|in|from|citing|cited|quoting"
    r"|quoted|via|per|on))\s+"
)
_BETWEEN = re.compile(r"(?:(?:the|a|an)\s+)?(?:[\w'’-]+\s+){0,3}")
_WORD_BEFORE = re.compile(r"(?P<before>[\w'’-]+)\s+$")
# Prepositions that cite only after a word of speech, writing or a document ("said to",
# "an interview with", "data from", "writing in", "appeared on", "a count by", "first
# reported by"), or opening the sentence ("In the newspaper X, …"): "an agreement with",
# "a stake in", "sold to", "owned by", "bought by" cite nothing.
_AFTER_WORD = frozenset({"to", "with", "in", "from", "on", "by"})
_SPEECH_WORDS = (
    VERBS
    | DOCUMENTS
    | {"appeared", "appearing", "appears", "appearance", "spoke", "speaking", "talking"}
    | {"talked", "talk", "talks", "chat", "conversation", "conversations", "interview"}
    | {"interviews", "comments", "remarks", "quoted", "cited", "ran", "aired", "carried"}
    | {"shown", "broadcast", "published", "printed", "reported", "wrote", "told", "said"}
    | {"count", "counts", "tally", "reconstruction", "poll", "polls", "footage", "coverage"}
    | {"commissioned", "conducted", "revealed", "obtained", "written", "first"}
)
# Between the name and its verb: an acronym in brackets, an appositive, adverbs, a time.
_VERB_AFTER = re.compile(
    r"(?:\s*\([^()\n]{1,40}\))?(?:\s*,\s*[^,;:.]{1,80},)?"
    r"(?:\s+(?:has|have|had|also|first|later|recently|then|once|previously|earlier|was|were"
    r"|last\s+(?:week|month|year|night)|on\s+[A-Z][a-z]+day|in\s+[A-Z][a-z]+))*"
    r"\s+(?P<verb>[a-z]+)\b"
)
_POSSESSIVE_PIECE = re.compile(
    r"['’]s?\s+(?:(?:own|latest|new|recent|original|first|front-page|[a-z]+-page)\s+)?"
    r"(?P<piece>version|account|report|reporting|coverage|story|scoop|investigation|count"
    r"|tally|analysis|survey|poll|editorial|interview|piece|article|headline|front\s+page"
    r"|figures|data|estimate|calculation|reconstruction|ranking|review|exposé|expose|podcast"
    r"|documentary|footage|broadcast|report)\b"
)
# What an outlet does with a story, besides what the reporting verbs say of any source.
_COVERAGE = frozenset(
    {"covered", "covers", "cover", "covering", "aired", "airs", "airing", "ran", "runs"}
    | {"carried", "carries", "carrying", "broadcast", "broadcasts", "broadcasting"}
    | {"showed", "shows", "shown", "showing", "printed", "prints", "headlined", "splashed"}
    | {"featured", "features", "profiled", "interviewed", "interviews", "quoted", "quotes"}
    | {"broke", "breaks", "obtained", "obtains", "published", "publishes", "revealed"}
    | {"picked", "filmed", "photographed", "exposed", "uncovered", "leaked"}
)
# Those that only an outlet does (a list of outlets before them needs no description);
# "showed", "published", "revealed" follow a poll or a body as often.
_COVERAGE_GATE = frozenset(
    {"covered", "aired", "carried", "broadcast", "printed", "headlined", "splashed", "profiled"}
    | {"filmed", "covers", "airs", "carries", "broadcasts", "ran", "learnt", "learned"}
)
_REPORTING = VERBS | _COVERAGE
_REACH = 90  # characters before a description where its trigger may stand


def described_outlet_hits(sentence: str, words: Words) -> Iterator[Mention]:
    """Outlets named with a noun that says they are one, or with a verb of coverage."""
    if not _NOUNS.isdisjoint(words):
        yield from _noun_before(sentence)
        yield from _noun_after(sentence)
    if not _COVERAGE_GATE.isdisjoint(words):
        yield from _coverage(sentence)
    yield from phrase_hits(sentence, words)


_EXTRACTOR = {"told": "named.told", "tells": "named.told", "telling": "named.told"}
_EXTRACTOR["according to"] = "named.according-to"
_DESCRIBED = "named.described-outlet"


def _attributed(
    sentence: str, start: int, end: int, broadcast: bool
) -> tuple[str, str | None] | None:
    """Whether the described name at ``start:end`` is cited: a trigger before the
    description, a reporting or coverage verb after it, or its piece after a possessive.
    The attribution's extractor, and what the piece is when it is named."""
    triggers = list(_TRIGGER.finditer(sentence, max(0, start - _REACH), start))
    # the nearest trigger whose words reach the description: "according to a count by the"
    trig = next(
        (t for t in reversed(triggers) if _BETWEEN.fullmatch(sentence, t.end(), start)), None
    )
    if trig is not None and _cites(sentence, trig, broadcast):
        word = " ".join(trig.group("t").lower().split())
        return _EXTRACTOR.get(word, _DESCRIBED), None
    piece = _POSSESSIVE_PIECE.match(sentence, end)
    if piece is not None:
        return _DESCRIBED, " ".join(piece.group("piece").split())
    verb = _VERB_AFTER.match(sentence, end)
    if verb is not None and _finite(verb.group("verb")):
        return _DESCRIBED, None
    return None


# Base forms that are their own past too: "the broadcaster NHK broadcast the footage".
_SAME_PAST = frozenset({"put", "broadcast", "forecast", "read", "cut", "set"})


def _finite(verb: str) -> bool:
    """A reporting or coverage verb that a publication's name, singular, can take: a
    bare base form there is a noun the name qualifies ("the weekly Top 10 list")."""
    if verb not in _REPORTING:
        return False
    return verb not in VOCAB["verbs"] or verb in _SAME_PAST


def _cites(sentence: str, trig: re.Match[str], broadcast: bool) -> bool:
    word = trig.group("t").lower()
    if word == "on" and not broadcast:
        return False  # "on the website X": a platform as often as a newsroom
    if word not in _AFTER_WORD:
        return True
    prior = _WORD_BEFORE.search(sentence, max(0, trig.start() - 30), trig.start())
    if prior is not None:
        return prior.group("before").lower() in _SPEECH_WORDS
    return not sentence[: trig.start("t")].strip(" \t\n\"'“‘*_-")  # opens the sentence


# Words that may follow a publication's name: its verb, a clause, a time, a preposition.
_AFTER_NAME_OK = _REPORTING | {
    "has", "have", "had", "was", "is", "were", "are", "also", "first", "which", "who", "that",
    "and", "or", "on", "in", "of", "for", "to", "with", "at", "from", "last", "this", "earlier",
    "recently", "later", "then", "as", "by", "said", "says", "reports", "newspaper", "daily",
    "magazine", "website", "broadcaster", "channel", "portal", "newsletter", "weekly", "itself",
    "a", "an", "the", "its", "their", "his", "her", "one", "two", "some", "several", "many",
}  # fmt: skip
_NEXT_WORD = re.compile(r"[\"”’*_]*\s+(?P<w>[a-z][\w-]*)")


def _modifies(sentence: str, end: int) -> bool:
    """ "the daily Kremlin briefing", "the weekly Focus survey", "the weekly Top 10 list": a
    name followed by a lower-case noun qualifies that noun ("daily" and "weekly" are
    adjectives too); a document noun there is the noun, not a verb ("survey", "list")."""
    nxt = _NEXT_WORD.match(sentence, end)
    if nxt is None:
        return False
    word = nxt.group("w")
    return word not in _AFTER_NAME_OK or (word in DOCUMENTS and not word.endswith("ed"))


def _mention(raw: str, at: int, sentence: str, start: int, broadcast: bool) -> Mention | None:
    raw = re.sub(r"['’]s?$|[\"”’*_]+$", "", raw)
    name, b, e, the = clean(raw, at)
    if not name or _modifies(sentence, at + len(raw)):
        return None
    if classify(name, the=the, desc="outlet", at_start=False) != "outlet":
        return None  # a place, a date, a nationality: "the daily in March"
    found = _attributed(sentence, start, e, broadcast)
    if found is None:
        return None
    return Mention(found[0], name, b, e, "outlet", found[1])


def _noun_before(sentence: str) -> Iterator[Mention]:
    for m in _BEFORE.finditer(sentence):
        noun = m.group("noun").split()
        if len(noun) == 1 and noun[0] in _NEEDS_QUALIFIER:
            continue
        start = m.start("noun")
        found = _mention(m.group("name"), m.start("name"), sentence, start, noun[-1] in _BROADCAST)
        if found is not None:
            yield found


def _noun_after(sentence: str) -> Iterator[Mention]:
    for m in _NOUN_AFTER.finditer(sentence):
        if _NAME_NEXT.match(sentence, m.end()):
            continue  # "the Communist Party newspaper People's Daily": the name follows
        before = _NAME_BEFORE.search(sentence, max(0, m.start() - 60), m.start() + 1)
        if before is None:
            continue
        raw = before.group("name")
        # "the Japanese Nikkei newspaper": the nationality describes, the rest names
        tokens = raw.split()
        while tokens and tokens[0].lower() in VOCAB["demonyms"]:
            tokens.pop(0)
        if not tokens:
            continue
        at = before.start("name") + raw.index(tokens[0])
        name, b, e, the = clean(" ".join(tokens), at)
        if not name or classify(name, the=False, desc=False, at_start=False) == "org":
            continue  # "the Army newspaper", "the Ministry of Defence website": theirs
        if classify(name, the=the, desc="outlet", at_start=False) != "outlet":
            continue
        broadcast = m.group("noun").split()[-1] in _BROADCAST
        found = _attributed(sentence, before.start("name"), m.end(), broadcast)
        if found is not None:
            yield Mention(found[0], name, b, e, "outlet", found[1])


# Outlets listed before a verb of coverage: "Anime News Network and Variety covered the
# dispute", "Globo, SBT and Record aired the footage".  Every name must be an outlet.
_LIST_BEFORE = re.compile(
    rf"(?<![\w'’-])(?P<list>[*_]{{0,2}}(?:[Tt]he\s+)?{NAME}[*_]{{0,2}}"
    rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)){{0,4}}[*_]{{0,2}}(?:[Tt]he\s+)?(?P<last>{NAME})[*_]{{0,2}}"
    r"(?:\s+(?:has|have|had|also|first|later|widely|both|all))?\s+$"
)
_ITEM = re.compile(rf"(?:[Tt]he\s+)?(?P<n>{NAME})")


def _newsroom(name: str) -> bool:
    """A known news outlet, or a name with a newsroom's word ("Anime News Network")."""
    known = lookup_source(name)
    if known is not None:
        return known.kind == "news"
    return not _NEWSROOM_WORDS.isdisjoint(name.lower().split())


_NEWSROOM_WORDS = VOCAB["outlet_words"] - {"review", "policy", "affairs", "studies", "brief"}


def _coverage(sentence: str) -> Iterator[Mention]:
    for m in re.finditer(r"\b[a-z]+\b", sentence):
        if m.group() not in _COVERAGE_GATE:
            continue
        lo = max(0, m.start() - 160)
        listed = _LIST_BEFORE.search(sentence, lo, m.start())
        if listed is None:
            continue
        items = []
        for it in _ITEM.finditer(listed.group()):
            for name, b, e, _ in parts(it.group("n"), listed.start() + it.start("n"), False):
                if " for " in name or " to " in name or not _newsroom(name):
                    return  # a name that is not plainly a newsroom's may be anything
                items.append((name, b, e))
        for name, b, e in items:
            yield Mention(_DESCRIBED, name, b, e, "outlet")
