"""Sources the prose describes without naming them.

Journalism hides a source behind a description ("two people familiar with the
talks", "a senior EU diplomat, speaking on condition of anonymity", "one farmer
in the delta told me"); a reader can't look such a source up, but it is cited,
so it is kept and marked ``anonymous``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import (
    _DATA,
    VOCAB,
    _inflect,
    alt,
    phrases_by_key,
)
from archive.extract.named.mention import Mention

Words = frozenset[str]


def _plurals(nouns: frozenset[str]) -> frozenset[str]:
    out = set(nouns)
    for n in nouns:
        if n.endswith("man"):
            out.add(n[:-3] + "men")  # "fisherman", "chairman"
        elif n.endswith("person"):
            out.add(n[:-6] + "people")
        elif re.search(r"[^aeiou]y$", n):
            out.add(n[:-1] + "ies")
        elif n.endswith(("s", "x", "ch", "sh")):
            out.add(n + "es")
        else:
            out.add(n + "s")
    return frozenset(out)


PEOPLE = _plurals(VOCAB["people_nouns"])


def speaking(key: str) -> frozenset[str]:
    """The verbs of the vocabulary list ``key`` in every tense ("said", "tells", "has warned")."""
    return _inflect(VOCAB[key], str(_DATA["irregular_verbs"]))


SPEAKING = speaking("resuming_verbs")


_ANON = phrases_by_key(VOCAB["anonymous_markers"])
# The noun phrase an anonymity marker belongs to: "two people", "a senior EU
# diplomat, who", "One of your former colleagues, who".  It does not reach across a
# comma: "preparing a sale, people familiar with the matter" is the people, not the sale.
_ANON_HEAD = re.compile(
    r"(?i:\b(?:an?|one|two|three|four|five|several|some|many|other|multiple|people|sources?"
    r"|officials?|persons?|insiders?)\b)[^,.;:!?\"“”]{0,80}?"
    r"(?=,?\s*(?:who|speaking|because|and)?\s*$)"
)
_OBJECT = re.compile(
    r"(?:\s+(?:the|a|an|his|her|their|its)\b)?(?:\s+[\w-]+){1,2}?"
    r"(?=[,.;:)]|\s+(?:said|say|says|told|describe|described|who|and))"
)
# Markers that say outright that the source is kept unnamed: any clause before them is
# the source.  The others ("close to", "familiar with") need a person's noun before them:
# "a house close to the river" is no source.
_EXPLICIT = re.compile(
    r"anonym|\bnamed?\b|\bname\b|identified|^who\b|authori[sz]ed|permitted|allowed|cleared"
    r"|condition|withheld|\bgive\b",
    re.I,
)
_LOWER_WORDS = re.compile(r"[a-z]+")

# An unnamed speaker by description: an indefinite article or a number, up to three
# words that qualify ("senior", "EU", "administration"), a person's noun, where they
# are or work, then a reporting verb ("A senior EU diplomat said", "one farmer in Tra
# Vinh told me", "Sources close to the minister say").  "The farmer said" is left out:
# "the" points back at someone the text has named.
_DET = r"(?:an?|one|two|three|four|five|six|several|some|multiple|other|a\s+few|a\s+couple\s+of)"
_QUALIFIERS = (
    r"(?:(?!(?:by|of|to|from|with|in|at|for|on|and|or|the|that|which|who|whose|said|says"
    r"|told|this|these|those|its|their|his|her|is|was|are|were|has|had|have"
    # a conjunction or a preposition of time ends the noun phrase: "watched by a panel
    # after residents complained" has no unnamed speaker
    r"|after|before|since|because|when|while|until|during|as|than|if|over|against|under"
    r"|about|into|through)\b)[\w'’.-]+\s+){0,3}?"
)
_WHERE = (
    r"(?:\s+(?:in|at|of|from|with|for|inside|within|on|to|close\s+to|near)\s+"
    r"(?:(?:the|a|an|one|his|her|their|its|my|our)\s+)?(?:[\w'’.&-]+\s+){0,3}?[\w'’.&-]+)?"
)
_MET = (
    r"\s+(?:that\s+|whom\s+)?(?:I|we)\s+(?:have\s+|had\s+|'ve\s+|’ve\s+)?"
    r"(?:spoken|spoke|talked|interviewed|met|asked|visited|contacted|reached)\b"
    r"(?:\s+(?:to|with)\b)?"
)
_UNNAMED = re.compile(
    rf"(?<![\w'’-])(?P<np>(?i:{_DET})\s+{_QUALIFIERS}(?P<noun>(?i:{alt(PEOPLE)}))\b{_WHERE})"
    rf"(?P<met>{_MET})?"
    r"(?:\s*,\s+(?:who|speaking|because|asked|when)\b[^,]{0,120},)?"
    r"\s+(?:(?:also|later|then|separately|privately|however|have|has|had)\s+)?"
    r"(?P<verb>[a-z]+)\b"
)
# The same noun phrase with nothing after it, for a verb before it ("according to a source,").
_UNNAMED_NP = re.compile(
    rf"(?<![\w'’-])(?P<np>(?i:{_DET})\s+{_QUALIFIERS}(?P<noun>(?i:{alt(PEOPLE)}))\b{_WHERE})"
    r"(?!\s+(?:called|named)\s)"
)
_PLURAL = PEOPLE - VOCAB["people_nouns"]
# Plural nouns a journalist uses bare: "Sources said", "insiders say", "Farmers I spoke to".
_BARE = re.compile(
    rf"(?<![\w'’-])(?P<np>(?i:sources|insiders)\b{_WHERE})"
    r"(?:\s*,\s+(?:who|speaking|because)\b[^,]{0,120},)?\s+(?P<verb>[a-z]+)\b"
    rf"|(?<![\w'’-])(?P<np2>(?:[\w'’-]+\s+){{0,2}}?(?i:{alt(_PLURAL)}){_WHERE}{_MET})"
)
# The verb before an unnamed speaker: "said a senior official", "according to a source",
# "was told by an industry source".
# The verb is any word, checked against SPEAKING in code: an alternation of every
# form of every verb cost more to compile than the rest of the module.
_VERB_BEFORE_RE = re.compile(
    r"(?:(?P<open>\baccording\s+to|\b(?P<by>[a-z]+)\s+by)"
    r"|\b(?P<verb>[a-z]+)(?:\s+(?:me|us|reporters|journalists))?)\s+$",
    re.I,
)


def _verb_before(sentence: str, at: int) -> re.Match[str] | None:
    """ "said a senior official", "according to a source", "was told by a source"."""
    m = _VERB_BEFORE_RE.search(sentence, max(0, at - 40), at)
    if m is None:
        return None
    verb = m.group("by") or m.group("verb")
    if verb is not None and verb.lower() not in SPEAKING:
        return None
    return m


_DET_AT = re.compile(rf"(?<![\w'’-]){_DET}\s")
_BARE_KEYS = frozenset({"sources", "insiders", "spoke", "spoken", "talked", "interviewed", "met"})
# A described speaker needs one of these: a verb of saying, "according to", "told
# by", "I spoke to", "sources said".
_SAYING = SPEAKING | {"according", "spoke", "spoken", "talked", "interviewed", "met", "by"}
_CALLED = re.compile(r"\s+(?:called|named)\s+[A-Z]")
_CLAUSE_END = re.compile(r"\s*(?:[,.;:!?”\"]|$)")
_NOT_SPEECH = re.compile(r"\s+to\s+(?:be|have)\b")
_ANON_KEYS = frozenset(_ANON)


def anonymous_hits(sentence: str, words: Words) -> Iterator[Mention]:
    if not (_ANON_KEYS & words or PEOPLE & words):
        return
    if keys := _ANON_KEYS & words:
        yield from _marked(sentence, keys)
    if not PEOPLE.isdisjoint(words) and not _SAYING.isdisjoint(words):
        yield from _described(sentence, words)


# A marker that ends before its object: "familiar with [the talks]", "declined to be
# [identified]", "with direct knowledge [of the matter]".
_OPEN_ENDS = frozenset({"with", "to", "on", "of", "the", "about", "in", "be", "knowledge"})


def _speaks(sentence: str, noun: str, verb: str | None, end: int) -> bool:
    """A reporting verb that agrees with the noun: "sources of official reports" has a
    plural noun before a singular verb form, so "reports" is a noun there."""
    if verb is None or verb not in SPEAKING or _NOT_SPEECH.match(sentence, end):
        return False
    plural = noun.lower() not in VOCAB["people_nouns"]
    return not (plural and verb.endswith("s") and not verb.endswith("ss"))


_HYPOTHETICAL = re.compile(r"(?i:\b(?:when|whenever|if|unless|suppose|imagine)\b)[^,.;]*$")


def word_places(lowered: str, nouns: frozenset[str]) -> list[int]:
    """Where the nouns stand as whole words: ``str.find`` reaches them far faster than
    a pattern's scan of every position."""
    places = []
    for noun in nouns:
        at = lowered.find(noun)
        while at >= 0:
            end = at + len(noun)
            if (at == 0 or not lowered[at - 1].isalnum()) and (
                end == len(lowered) or not lowered[end].isalnum()
            ):
                places.append(at)
            at = lowered.find(noun, end)
    return sorted(places)


def _span(m: re.Match[str]) -> tuple[int, int]:
    return m.start(), -m.end()


def _marked(sentence: str, keys: frozenset[str]) -> Iterator[Mention]:
    markers = sorted((m for k in keys for m in _ANON[k].finditer(sentence)), key=_span)
    for m in markers:
        head = _ANON_HEAD.search(sentence, max(0, m.start() - 100), m.start())
        explicit = _EXPLICIT.search(m.group()) is not None
        if head is None and explicit:
            # Only a marker that says so outright makes any clause an unnamed source:
            # "He is familiar with the area" is not one.
            head = _clause_head(sentence, m.start())
        if head is None or not (
            explicit or not PEOPLE.isdisjoint(_LOWER_WORDS.findall(head.group().lower()))
        ):
            continue
        end = m.end()
        if m.group().split()[-1].lower() in _OPEN_ENDS:
            tail = _OBJECT.match(sentence, end)
            end = tail.end() if tail else end
        name = " ".join(sentence[head.start() : end].split())
        name = re.sub(r"^(?i:one of (?:your|our|their|his|her|the)\s+)", "", name)
        # "A logistics manager at a retailer, who spoke on condition …": the person, not the terms
        name = re.sub(r",?\s+(?:who\s+(?:spoke|was\s+speaking|talked)|speaking)\b.*$", "", name)
        if " " in name and name.rsplit(None, 1)[1] in SPEAKING:
            name = name.rsplit(None, 1)[0]  # "a senior EU official said, speaking …"
        yield Mention("named.anonymous", name, head.start(), end, "anonymous")


def _described(sentence: str, words: Words) -> Iterator[Mention]:
    lowered = sentence.lower()
    for noun_at in word_places(lowered, PEOPLE & words):
        for det in _DET_AT.finditer(lowered, max(0, noun_at - 60), noun_at):
            m = _UNNAMED.match(sentence, det.start()) or _UNNAMED_NP.match(sentence, det.start())
            if m is None or m.start("noun") != noun_at:
                continue
            if _CALLED.match(sentence, m.end("np")):
                break  # "a journalist called Brian Okinda": a named person
            verb = m.groupdict().get("verb")
            said = _speaks(sentence, m.group("noun"), verb, m.end("verb") if verb else 0)
            before = _verb_before(sentence, m.start())
            if (
                before
                and not (before.group("open") or before.group("by"))
                and not _CLAUSE_END.match(sentence, m.end("np"))
            ):
                before = None  # "said three people were hurt": they are what was said
            if _HYPOTHETICAL.search(sentence, max(0, m.start() - 60), m.start()):
                break  # "When a reporter writes that an official told Reuters": no one said it
            met = m.groupdict().get("met")
            if said or met or before:
                end = m.end("met") if met else m.end("np")
                name = " ".join(sentence[m.start("np") : end].split())
                yield Mention("named.anonymous", name, m.start("np"), end, "anonymous")
            break
    if not _BARE_KEYS & words:
        return
    for m in _BARE.finditer(sentence):
        group = "np" if m.group("np") else "np2"
        if group == "np":
            verb = m.group("verb")
            before = _verb_before(sentence, m.start())
            if (
                before
                and not (before.group("open") or before.group("by"))
                and not _CLAUSE_END.match(sentence, m.end("np"))
            ):
                before = None
            spoken = _speaks(sentence, m.group("np").split()[0], verb, m.end("verb"))
            if not (spoken or before):
                continue
        name = " ".join(m.group(group).split())
        yield Mention("named.anonymous", name, m.start(group), m.end(group), "anonymous")


_CLAUSE_HEAD = re.compile(
    r"(?:^|[,;:(]\s*|\b(?:and|but)\s+)(?P<head>[A-Za-z][^,;:()]{2,60}?)"
    r"(?:,\s*(?:who|speaking|because)\b[^,;:()]*)?[,\s]*$"
)
_HEAD_SPAN = re.compile(r".+", re.S)


def _clause_head(sentence: str, end: int) -> re.Match[str] | None:
    """ "Traders we spoke to, who did not want to be named": the clause before the marker."""
    window_start = max(0, end - 120)
    m = _CLAUSE_HEAD.search(sentence, window_start, end)
    if m is None or len(m.group("head").split()) > 8:
        return None
    return _HEAD_SPAN.match(sentence, m.start("head"), end)


# A sentence with none of these words (nor another pattern's) is never tried; a
# described speaker always comes with a reporting verb, which is such a word already.
UNNAMED_KEYS = _ANON_KEYS
