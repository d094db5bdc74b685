"""The author's own earlier work by its noun or number: "my previous video", "vlog #31",
"our own analysis"; an instalment by its bare number, day or part ("in #14", "on the
March 3 show", "in part one"); by its time and place ("I wrote in this space two years
ago") in ``earlier``, whose hits win where both find one stretch.

It is kept as a ``self`` citation, one per earlier work: the work key folds the
ways one work is named again ("my last video" and "my previous video").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.earlier import PAST, earlier_hits, quoted
from archive.extract.named.grammar import AUTHORS, DAY, MONTH, MONTH_SHORT, UP, VOCAB, YEAR, alt
from archive.extract.named.mention import Mention

Words = frozenset[str]

_NOUN_WORDS = VOCAB["self_nouns"]
_DIGIT = re.compile(r"\d")
_SELF_NOUNS = alt(_NOUN_WORDS)
_SERIES = alt(VOCAB["self_series"])
# "episode 41", "vlog #31", "issue No. 12", "that episode, number 64"
_NUMBER = r"(?:#\s?|[Nn]o\.?\s*|,?\s*(?i:number)\s+)?(?P<num>\d{1,4})"
_SELF = re.compile(
    # "my [earlier post on drip timers](…)": a link around the work's words
    rf"\b(?i:(?:my|our)\s+\[?(?:own\s+)?(?P<when>(?:earlier|previous|last|recent|first|older|past"
    rf"|other|{YEAR}|(?:{MONTH})(?:\s+{YEAR})?|last\s+(?:year|week|month)['’]?s?)\s+)?"
    rf"(?P<noun>{_SELF_NOUNS})\b"
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
# "our interview material", "our survey data", "our study area": the work's noun only
# qualifies the noun after it, the text's own material, not an earlier work.
_QUALIFIED = re.compile(rf"\s+(?:{alt(VOCAB['self_noun_heads'])})\b")
# "we covered this in #14", "see No. 212": an instalment by its number alone.
_HASH = re.compile(
    r"(?<![\w'’-])(?:[Ii]n|[Oo]n|[Ss]ee|[Ff]rom)\s+(?P<label>(?:#\s?|No\.\s?)\d{1,4})\b"
)
# An instalment dated by its day: "our Tuesday issue", "in our 12 March newsletter", "on
# the March 3 show", "in last Tuesday's newsletter", "on yesterday's show".  "Today's",
# "this week's" and "next" instalments are the text itself or one to come.
_PIECE_NOUN = (
    r"(?:episode|show|issue|edition|newsletter|column|post|video|vlog|podcast|broadcast"
    r"|programme|program|stream|livestream|dispatch|bulletin|digest|roundup|briefing|segment)"
)
_DAY_DATE = (
    rf"(?:(?:{MONTH}|{MONTH_SHORT})\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTH}|{MONTH_SHORT}))"
)
_DAY_OF = rf"(?:{DAY}|{_DAY_DATE})"
_DATED_PIECE = re.compile(
    rf"(?<![\w'’-])(?:(?P<own>(?:[Oo]ur|[Mm]y)\s+{_DAY_OF})"
    rf"|(?:[Ii]n|[Oo]n|[Ff]rom|[Ss]ince|[Ss]ee)\s+(?P<the>the\s+{_DAY_OF}"
    rf"|(?:(?:last|this\s+past)\s+)?(?:{DAY}|yesterday|last\s+night)['’]s|{_DAY_DATE}['’]s))"
    rf"\s+(?P<noun>{_PIECE_NOUN})\b(?!\s+(?:of|on|by|from)\s+(?!this\b|our\b|my\b)[{UP}])"
)
# "in part one", "in the first part of this series": an earlier part of a series told
# as one.  Papers say "In Part II we describe the data" of themselves, and "in part two
# of this series we look at rents" may be the part to come, so a part needs the author's
# verb in the past ("we looked at this in part one"); "in part three we will" is none.
_PART = re.compile(
    r"(?<![\w'’-])(?:[Ii]n|[Ff]rom)\s+(?P<part>(?:[Pp]art\s+(?:one|two|three|four|five|I{1,3}|IV|V"
    r"|\d{1,2})\b|the\s+(?:first|second|third|previous|last|earlier)\s+part\b)"
    r"(?P<series>\s+of\s+(?:this|our|my|the)\s+(?:series|story|investigation|report"
    r"|newsletter|podcast))?)"
)
_PAST_FIRST = re.compile(
    r"\b(?:I|[Ww]e)\s+(?:\w+\s+)?(?:wrote|looked|covered|explained|talked|said|showed|saw"
    r"|met|heard|reported|described|discussed|followed|visited|introduced|told|went)\b"
)
_FUTURE = re.compile(r"\b(?:will|['’]ll|next|coming|upcoming|tomorrow|going\s+to)\b", re.I)
# "See episode 12", "go back and listen to episode 17": a show pointing its listeners at
# one of its own earlier instalments, with no "we" in the sentence.
_POINTED = re.compile(
    r"(?<![\w'’-])(?:[Ss]ee|[Ll]isten\s+to|[Ww]atch|[Rr]evisit|[Rr]e-?listen\s+to"
    r"|(?:[Gg]o\s+)?back\s+to|[Cc]heck\s+out|[Cc]atch)\s+(?:(?:our|my|the)\s+)?"
    r"(?P<label>(?i:episode|ep|vlog|video|livestream|stream)\.?\s*(?:#\s?)?\d{1,4})\b"
    r"(?!\s+of\s)"
)
_POINT_WORDS = frozenset({"see", "listen", "watch", "revisit", "back", "check", "catch"})
_PIECE_WORDS = frozenset(_PIECE_NOUN[3:-1].split("|"))
_DATE_WORDS = frozenset(w.lower() for w in f"{MONTH}|{DAY}".split("|")) | {"yesterday"}
_SHORT_MONTHS = frozenset(m[:3].lower() for m in MONTH.split("|")) | {"sept"}
_FIRST_PERSON = frozenset({"i", "we", "my", "our", "me", "us", "i've", "we've", "i’ve", "we’ve"})
_SELF_FIRST = re.compile(
    rf"\b(?:I|[Ww]e|us|me)\b[^.;]{{0,80}}?\b(?P<prep>in|for|did|made|recorded|filmed)\s+"
    r"(?:(?P<det>an?|one|this|that|my|our|the(?=\s+(?:last|previous|earlier|other)\s))\s+)?"
    r"(?:(?!(?:the|her|his|their|its|your|an?|any|every|each|no|some|another|such|which|what"
    rf"|whatever|all|both|either|neither|more|most|many|much|few)\s)(?:[a-z]+|(?P<year>{YEAR}))\s+)?"
    rf"(?P<noun>{_SELF_NOUNS})"
    r"(?P<rest>\s+\d{1,4}|\s+(?:last|this)\s+\w+|\s+\w+\s+(?:years?|months?|weeks?)\s+ago)?\b"
)
# Nouns that are also the plain words of a sentence ("look for casual work", "built in a
# review", "funding for research"): the author's work only as "my" or "our" one.
_MASS = frozenset(
    {"work", "research", "review", "analysis", "analyses", "findings", "coverage", "reporting"}
    | {"estimates", "calculations", "count", "tally", "polling", "modelling", "modeling"}
    | {"evaluation", "survey", "series", "talk", "show"}
)
# "As I wrote", "as we have reported", "like we wrote", "I've written about this before":
# the author pointing back at what they published, with no time or place to date it.
# "As I said" and "as noted above" point inside the same text and are left out.
_SELF_AS = re.compile(
    r"\b(?i:as|like)\s+(?:I|we)"
    r"\s+(?:(?:have|has|had|'ve|’ve)\s+)?(?:(?:previously|already|first|often|once|long)\s+)?"
    r"(?:wrote|written|reported|argued|covered|documented|revealed|predicted|warned|explained"
    r"|detailed|noted|disclosed|suggested)\b(?!\s+(?:above|below|earlier\s+in|here)\b)"
    r"|\b(?:I|[Ww]e)\s*(?:have|had|'ve|’ve)\s+(?:(?:already|previously|also)\s+)?"
    r"(?:written|reported|blogged|posted|talked|argued)\s+(?:(?:about|on)\s+)?"
    r"(?:[\w'’-]+\s+){0,4}?(?:before|previously|in\s+the\s+past)\b"
)
# "a thread I posted in July": the work, then the author's own verb and its time.
_SELF_AFTER = re.compile(
    rf"\b(?P<noun>{_SELF_NOUNS})\s+(?:that\s+)?(?:I|we)\s+(?:first\s+)?"
    rf"(?:posted|wrote|published|recorded|made|did|filmed|ran|gave)\s+{PAST}"
)
_AFTER_VERBS = frozenset({"posted", "wrote", "published", "recorded", "made", "did", "filmed"})
_LEAD = VOCAB["lead"] - {"The"}
_SERIES_WORDS = VOCAB["self_series"] | {"ep"}
_AS_KEYS = frozenset({"as", "like", "have", "had", "i've", "we've", "i’ve", "we’ve"})
_WHEN = {"earlier": "previous", "last": "previous", "recent": "previous", "older": "previous"}
_NEAR = 40  # characters between a time and the work's noun it dates


def _own_work(match: str, when: str | None) -> str:
    """The work as written, with one word for "the one before": "my last video" and
    "my previous video" are one earlier work (the merge folds "my", "own" and years)."""
    work = " ".join(match.split())
    word = (when or "").split()[:1]
    if word and word[0].lower() in _WHEN:
        work = re.sub(rf"\b{word[0]}\b", _WHEN[word[0].lower()], work, count=1)
    return work


def self_hits(sentence: str, words: Words) -> Iterator[Mention]:
    if '"' not in sentence and "“" not in sentence:
        yield from _self_hits(sentence, words)
        return
    for hit in _self_hits(sentence, words):
        if not quoted(sentence, hit.start):
            yield hit


def _self_hits(sentence: str, words: Words) -> Iterator[Mention]:
    first = not _FIRST_PERSON.isdisjoint(words)
    dated = earlier_hits(sentence, words, first)
    if not first:
        yield from dated  # "As this paper revealed in 2021", "When you were last on the show"
        if not dated and not _POINT_WORDS.isdisjoint(words) and _DIGIT.search(sentence):
            for m in _POINTED.finditer(sentence):  # "See episode 12 for the history"
                label = " ".join(m.group("label").split())
                yield Mention("named.self", label, m.start("label"), m.end(), "self", label)
        return
    named = list(_named_hits(sentence, words))
    if dated and named:
        dated, named = _one_per_work(dated, named)
    yield from dated
    yield from named
    if dated or named or _AS_KEYS.isdisjoint(words):
        return
    for m in _SELF_AS.finditer(sentence):
        work = " ".join(m.group().split())
        yield Mention("named.self", work, m.start(), m.end(), "self", work)


def _one_per_work(
    dated: list[Mention], named: list[Mention]
) -> tuple[list[Mention], list[Mention]]:
    """Where a time and place and a work's noun point at one earlier work, one of them."""
    # "a thread I posted in July" names the work around its time; "As we argued in this
    # newsletter in January" is the time and place around a noun of its own.
    dated = [d for d in dated if not any(n.start <= d.start and d.end <= n.end for n in named)]
    named = [n for n in named if not any(d.start < n.end and n.start < d.end for d in dated)]
    # "As I wrote last year in my post on …": the post is what the time dates.
    dated = [
        d
        for d in dated
        if not any(n.start - _NEAR < d.end and d.start < n.end + _NEAR for n in named)
    ]
    return dated, named


# The author's running work and the publication the text appears in: "our estimates",
# "our coverage", "if you like my blog".  They are one earlier piece only with a time, a
# number, "own", a topic or a title ("our analysis of the budget", our series "Delphine").
_CURRENT = _MASS | {"blog", "channel", "podcast", "newsletter", "site", "website"}
_TOPIC_AFTER = re.compile(r"\s+(?:(?:of|on|about|into|from)\s|[\"“‘])")


def _current(m: re.Match[str]) -> bool:
    if m.group("num") or m.group("when") or m.group("lnum") or m.group("cite"):
        return False
    if m.group("noun").lower() not in _CURRENT or "own" in m.group().lower().split():
        return False
    return _TOPIC_AFTER.match(m.string, m.end()) is None


def _named_hits(sentence: str, words: Words) -> Iterator[Mention]:
    """The earlier work by its noun or number: "my previous video", "episode 41"."""
    spans = []
    nouns = not _NOUN_WORDS.isdisjoint(words)  # all but the numbered pattern need one
    for m in _SELF.finditer(sentence) if nouns else ():
        if not (m.group("num") or m.group("when")) and _QUALIFIED.match(sentence, m.end("noun")):
            continue  # "our interview material supports this": the text's own material
        if _current(m):
            continue  # "where we compare our estimates", "if you like my blog"
        spans.append((m.start(), m.end()))
        if m.group("lnum"):  # "my video from last year (vlog #31)": the work is vlog #31
            label = f"{m.group('label')} #{m.group('lnum')}"
            yield Mention("named.self", label, m.start(), m.end(), "self", label)
            continue
        name = m.group("cite") or " ".join(m.group().replace("[", "").split())
        work = _own_work(m.group(), m.group("when"))
        yield Mention("named.self", name, m.start(), m.end(), "self", work)
    numbered = "#" in sentence or not _SERIES_WORDS.isdisjoint(words)
    if numbered and _DIGIT.search(sentence) is not None:  # every instalment has its number
        for m in _NUMBERED.finditer(sentence):
            if _NOT_EARLIER.search(sentence, max(0, m.start() - 20), m.start()):
                continue  # "in this episode 42": the work itself, not an earlier one
            if m.group("label").split()[0] in _LEAD:
                continue  # "We were ranked #1": no series is named
            label = " ".join(m.group().split())
            yield Mention("named.self", label, m.start(), m.end(), "self", label)
    for m in _SELF_FIRST.finditer(sentence) if nouns else ():
        if any(a <= m.start("noun") < b for a, b in spans):
            continue  # "As I argued in my column last month": the column is found already
        if not m.group("rest") and _QUALIFIED.match(sentence, m.end("noun")):
            continue  # "we coded it in our interview transcripts"
        det, rest = m.group("det"), m.group("rest")
        if m.group("noun").lower() in _MASS and det not in ("my", "our"):
            continue  # "to look for casual work": a word of the sentence, not a work
        if (det == "this" or (m.group("prep") == "for" and det in ("a", "an"))) and not rest:
            continue  # "for this episode" is the work itself, "for an interview" a request
        work = m.group("noun") + (rest or "")
        a = m.start("noun")
        if m.group("year"):  # "in a 2019 video": the year tells which video
            work, a = f"{m.group('year')} {work}", m.start("year")
        yield Mention("named.self", work, a, m.end(), "self", work)
    yield from _instalment_hits(sentence, words, spans)
    for m in _SELF_AFTER.finditer(sentence) if nouns and _AFTER_VERBS & words else ():
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue  # "In our paper we wrote already last year": the paper is found
        work = " ".join(m.group().split())
        yield Mention("named.self", work, m.start(), m.end(), "self", work)


def _instalment_hits(
    sentence: str, words: Words, spans: list[tuple[int, int]]
) -> Iterator[Mention]:
    """An earlier instalment by its bare number, its day or its part: "in #14", "on the
    March 3 show", "our Tuesday issue", "in part one"."""
    found: list[tuple[int, int, str]] = []
    if "#" in sentence or "No." in sentence:
        found += [(m.start("label"), m.end(), m.group("label")) for m in _HASH.finditer(sentence)]
    dated = not _DATE_WORDS.isdisjoint(words) or not _SHORT_MONTHS.isdisjoint(words)
    if dated and not _PIECE_WORDS.isdisjoint(words):
        for m in _DATED_PIECE.finditer(sentence):
            a = m.start("own") if m.group("own") else m.start("the")
            found.append((a, m.end(), sentence[a : m.end()]))
    if "part" in words and not _FUTURE.search(sentence):
        for m in _PART.finditer(sentence):
            if _PAST_FIRST.search(sentence):
                found.append((m.start("part"), m.end(), m.group("part")))
    for a, b, text in found:
        if any(x < b and a < y for x, y in spans):
            continue  # "in my March 3 video": the video is found already
        label = " ".join(text.split())
        yield Mention("named.self", label, a, b, "self", label)


# A sentence with none of these words (nor another pattern's) is never tried.
# The other patterns' verbs ("reported", "wrote", "told") are head words already; "this
# show covered" and "in an earlier episode" need their own.
SELF_KEYS = (
    _FIRST_PERSON
    | {"covered", "discussed", "earlier", "previous", "prior"}
    | {"episode", "ep", "vlog", "episodes"}  # "See episode 12": no other word need be there
)
