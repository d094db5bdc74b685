"""Sources the prose describes without naming, and the author's own earlier work.

Journalism hides a source behind a description ("two people familiar with the
talks", "a senior EU diplomat, speaking on condition of anonymity", "one farmer
in the delta told me"); a reader can't look such a source up, but it is cited,
so it is kept and marked ``anonymous``.  Authors point at their own earlier work
("my previous video", "vlog #31", "as I wrote last year", "our own analysis"),
which is kept as ``self``, one citation per earlier work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import (
    _DATA,
    AUTHORS,
    MONTH,
    UP,
    VOCAB,
    YEAR,
    _inflect,
    alt,
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
    bases = VOCAB[key]
    # only the irregular forms of the list's own verbs: "write" is no verb of quoting
    lines = str(_DATA["irregular_verbs"]).strip().splitlines()
    return _inflect(bases, "\n".join(line for line in lines if line.split()[0] in bases))


SPEAKING = speaking("resuming_verbs")


def _by_key(markers: frozenset[str]) -> dict[str, re.Pattern[str]]:
    """The markers grouped by their longest word, one pattern a group: a sentence is
    searched only with the groups whose word it holds, which costs far less than one
    alternation of every marker tried at every position."""
    groups: dict[str, list[str]] = {}
    for marker in markers:
        groups.setdefault(max(marker.lower().split(), key=len), []).append(marker)
    return {
        key: re.compile(
            "(?i:"
            + "|".join(
                re.escape(p).replace(r"\ ", r"\s+") + (r"\b" if p[-1].isalnum() else "")
                for p in sorted(group, key=len, reverse=True)
            )
            + ")"
        )
        for key, group in groups.items()
    }


_ANON = _by_key(VOCAB["anonymous_markers"])
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
_PEOPLE_WORD = re.compile(rf"(?i:\b(?:{alt(PEOPLE)})\b)")
_TRAILING_VERB = re.compile(rf"\s+(?:{alt(SPEAKING)})$")

# An unnamed speaker by description: an indefinite article or a number, up to three
# words that qualify ("senior", "EU", "administration"), a person's noun, where they
# are or work, then a reporting verb ("A senior EU diplomat said", "one farmer in Tra
# Vinh told me", "Sources close to the minister say").  "The farmer said" is left out:
# "the" points back at someone the text has named.
_DET = r"(?:an?|one|two|three|four|five|six|several|some|multiple|other|a\s+few|a\s+couple\s+of)"
_QUALIFIERS = (
    r"(?:(?!(?:by|of|to|from|with|in|at|for|on|and|or|the|that|which|who|whose|said|says"
    r"|told|this|these|those|its|their|his|her|is|was|are|were|has|had|have)\b)[\w'’.-]+\s+){0,3}?"
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
_VERB_BEFORE = re.compile(
    rf"(?:(?P<open>\baccording\s+to|\b(?:{alt(SPEAKING)})\s+by)"
    rf"|\b(?:{alt(SPEAKING)})(?:\s+(?:me|us|reporters|journalists))?)\s+$",
    re.I,
)
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
        if head is None or not (explicit or _PEOPLE_WORD.search(head.group())):
            continue
        end = m.end()
        if m.group().split()[-1].lower() in _OPEN_ENDS:
            tail = _OBJECT.match(sentence, end)
            end = tail.end() if tail else end
        name = " ".join(sentence[head.start() : end].split())
        name = re.sub(r"^(?i:one of (?:your|our|their|his|her|the)\s+)", "", name)
        # "A logistics manager at a retailer, who spoke on condition …": the person, not the terms
        name = re.sub(r",?\s+(?:who\s+(?:spoke|was\s+speaking|talked)|speaking)\b.*$", "", name)
        name = _TRAILING_VERB.sub("", name) or name
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
            before = _VERB_BEFORE.search(sentence, max(0, m.start() - 40), m.start())
            if before and not before.group("open") and not _CLAUSE_END.match(sentence, m.end("np")):
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
            before = _VERB_BEFORE.search(sentence, max(0, m.start() - 40), m.start())
            if before and not before.group("open") and not _CLAUSE_END.match(sentence, m.end("np")):
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


# ---- the author's own earlier work -------------------------------------------------

_SELF_NOUNS = alt(VOCAB["self_nouns"])
_SERIES = alt(VOCAB["self_series"])
_NUMBER = r"(?:#\s?|[Nn]o\.?\s*)?(?P<num>\d{1,4})"
_SELF = re.compile(
    # "my [earlier post on drip timers](…)": a link around the work's words
    rf"\b(?i:(?:my|our)\s+\[?(?:own\s+)?(?P<when>(?:earlier|previous|last|recent|first|older|past"
    rf"|other|{YEAR}|last\s+(?:year|week|month)['’]?s?)\s+)?(?P<noun>{_SELF_NOUNS})\b"
    rf"(?:\s+{_NUMBER})?)"
    # "my video from last year (vlog #31)": the number the work goes by
    rf"(?:(?:\s+from\s+(?:last\s+\w+|{YEAR}|(?:{MONTH})(?:\s+{YEAR})?))?"
    rf"\s*\((?P<label>(?i:{_SERIES}))\.?\s*(?:#\s?|[Nn]o\.?\s*)?(?P<lnum>\d{{1,4}})\b)?"
    rf"(?:(?:\s+(?:of|on|about|in|into|with)\s+[^().;]{{1,60}}?)?\s*\((?P<cite>{AUTHORS}),?\s+{YEAR}\))?"
)
# "(see Sunday links #97)", "in episode 41", "vlog #31": a numbered instalment, the
# author's own when the sentence speaks in the first person.
_NUMBERED = re.compile(
    rf"(?<![\w'’-])(?P<label>(?i:{_SERIES})|[{UP}][\w'’-]*(?:\s+[\w'’-]+){{0,2}}?(?=\s*#))"
    rf"\.?\s*{_NUMBER}\b"
)
_NOT_EARLIER = re.compile(r"(?i:\b(?:this|today['’]?s|the\s+current|next|upcoming)\s+$)")
_FIRST_PERSON = frozenset({"i", "we", "my", "our", "me", "us", "i've", "we've", "i’ve", "we’ve"})
_SELF_FIRST = re.compile(
    rf"\b(?:I|[Ww]e|us|me)\b[^.;]{{0,80}}?\b(?:in|for|did|made|recorded|filmed)\s+"
    r"(?:(?:an?|one|this|that|my|our)\s+)?"
    rf"(?:[a-z]+\s+)?(?P<noun>{_SELF_NOUNS})"
    r"(?P<rest>\s+\d{1,4}|\s+(?:last|this)\s+\w+|\s+\w+\s+(?:years?|months?|weeks?)\s+ago)?\b"
)
_AGO = (
    r"(?:\w+\s+(?:years?|months?|weeks?|days?)\s+ago|last\s+(?:year|month|week|spring|summer"
    rf"|autumn|fall|winter)|(?:back\s+)?in\s+(?:{YEAR}|{MONTH})|earlier\s+this\s+\w+|before)"
)
# "a thread I posted in July": the work, then the author's own verb and its time.
_SELF_AFTER = re.compile(
    rf"\b(?P<noun>{_SELF_NOUNS})\s+(?:that\s+)?(?:I|we)\s+(?:first\s+)?"
    rf"(?:posted|wrote|published|recorded|made|did|filmed|ran|gave)\s+{_AGO}\b"
)
# "I wrote two years ago that …": the author's earlier writing, by its time alone.
_SELF_WROTE = re.compile(
    rf"\b(?:I|[Ww]e)\s+(?:first\s+|already\s+|previously\s+|also\s+)?"
    rf"(?:wrote|argued|reported|noted|warned|predicted)\s+(?:about\s+(?:this|that|it)\s+)?{_AGO}\b"
)
# "As I wrote", "as we have reported", "I've written about this before", "as this
# newsletter reported in March": the author or the publication pointing back at what it
# published.  "As I said" and "as noted above" point inside the same text and are left out.
_SELF_AS = re.compile(
    r"\b(?i:as)\s+(?:I|we|this\s+(?:newsletter|column|blog|site|website|paper|newspaper"
    r"|publication|magazine|show|podcast|channel|programme|program|outlet))"
    r"\s+(?:(?:have|has|had|'ve|’ve)\s+)?(?:(?:previously|already|first|often|once|long)\s+)?"
    r"(?:wrote|written|reported|argued|covered|documented|revealed|predicted|warned|explained"
    r"|detailed|noted|disclosed|suggested)\b(?!\s+(?:above|below|earlier\s+in|here)\b)"
    r"|\b(?:I|[Ww]e)\s*(?:have|had|'ve|’ve)\s+(?:(?:already|previously|also)\s+)?"
    r"(?:written|reported|blogged|posted|talked|argued)\s+(?:(?:about|on)\s+)?"
    r"(?:[\w'’-]+\s+){0,4}?(?:before|previously|in\s+the\s+past)\b"
)
_LEAD = VOCAB["lead"] - {"The"}
_SELF_VERBS = frozenset(
    {"posted", "wrote", "published", "recorded", "made", "did", "filmed", "ran", "gave"}
    | {"argued", "reported", "noted", "warned", "predicted"}
)
_SERIES_WORDS = VOCAB["self_series"] | {"ep"}
_AS_KEYS = frozenset({"as", "have", "had", "i've", "we've", "i’ve", "we’ve"})
_WHEN = {"earlier": "previous", "last": "previous", "recent": "previous", "older": "previous"}


def _own_work(match: str, when: str | None) -> str:
    """The work as written, with one word for "the one before": "my last video" and
    "my previous video" are one earlier work (the merge folds "my", "own" and years)."""
    work = " ".join(match.split())
    word = (when or "").split()[:1]
    if word and word[0].lower() in _WHEN:
        work = re.sub(rf"\b{word[0]}\b", _WHEN[word[0].lower()], work, count=1)
    return work


def self_hits(sentence: str, words: Words) -> Iterator[Mention]:
    if _FIRST_PERSON.isdisjoint(words):
        if "this" in words and "as" in words:  # "as this newsletter reported"
            for m in _SELF_AS.finditer(sentence):
                work = " ".join(m.group().split())
                yield Mention("named.self", work, m.start(), m.end(), "self", work)
        return
    found = False
    spans = []
    for m in _SELF.finditer(sentence):
        found = True
        spans.append((m.start(), m.end()))
        if m.group("lnum"):  # "my video from last year (vlog #31)": the work is vlog #31
            label = f"{m.group('label')} #{m.group('lnum')}"
            yield Mention("named.self", label, m.start(), m.end(), "self", label)
            continue
        name = m.group("cite") or " ".join(m.group().replace("[", "").split())
        work = _own_work(m.group(), m.group("when"))
        yield Mention("named.self", name, m.start(), m.end(), "self", work)
    if "#" in sentence or not _SERIES_WORDS.isdisjoint(words):
        for m in _NUMBERED.finditer(sentence):
            if _NOT_EARLIER.search(sentence, max(0, m.start() - 20), m.start()):
                continue  # "in this episode 42": the work itself, not an earlier one
            if m.group("label").split()[0] in _LEAD:
                continue  # "We were ranked #1": no series is named
            found = True
            label = " ".join(m.group().split())
            yield Mention("named.self", label, m.start(), m.end(), "self", label)
    for m in _SELF_FIRST.finditer(sentence):
        if any(a <= m.start("noun") < b for a, b in spans):
            continue  # "As I argued in my column last month": the column is found already
        work = m.group("noun") + (m.group("rest") or "")
        found = True
        yield Mention("named.self", work, m.start("noun"), m.end(), "self", work)
    if _SELF_VERBS & words:
        for m in _SELF_AFTER.finditer(sentence):
            work = " ".join(m.group().split())
            found = True
            yield Mention("named.self", work, m.start(), m.end(), "self", work)
    if found:
        return  # "I argued two years ago in this column": the column is the work
    for m in _SELF_WROTE.finditer(sentence) if _SELF_VERBS & words else ():
        work = " ".join(m.group().split())
        found = True
        yield Mention("named.self", work, m.start(), m.end(), "self", work)
    for m in _SELF_AS.finditer(sentence) if not found and _AS_KEYS & words else ():
        work = " ".join(m.group().split())
        yield Mention("named.self", work, m.start(), m.end(), "self", work)


# A sentence with none of these words (nor another pattern's) is never tried; a
# described speaker always comes with a reporting verb, which is such a word already.
UNNAMED_KEYS = _ANON_KEYS | _FIRST_PERSON
