"""The author pointing back at what they published or said before, by its time and place.

"I wrote in this space two years ago", "we reported already in September", "like we have
written in our reportage of last December", "as announced in our release of 14 January",
"when we spoke last February", "on this programme last September", "this column has long
argued", "in an earlier episode".  None of them gives the earlier work a title: the words
the text uses, with their time, are the entry.  A first-person verb alone cites nothing
("I wrote to the council", "we spoke to residents", "we announced a winner"): the verb
needs the place it was published, a time in the past, or the guest it was said to.
"""

from __future__ import annotations

import re

from archive.extract.named.grammar import MONTH, VOCAB, YEAR, alt
from archive.extract.named.mention import Mention

Words = frozenset[str]

_WRITING = alt(VOCAB["self_writing_verbs"])
_TALKING = alt(VOCAB["self_talking_verbs"])
_VENUE_NOUNS = alt(VOCAB["self_venues"])
_PIECES = alt(VOCAB["self_pieces"])
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:{_DAY}\s+(?:{MONTH})(?:\s+{YEAR})?|(?:{MONTH})(?:\s+{_DAY}\b)?(?:,?\s+{YEAR})?|{YEAR}"
    rf"|last\s+(?:year|month|week|season|{_SEASON}|{MONTH})|the\s+{_SEASON}(?:\s+of\s+{YEAR})?)"
)
# A time in the past, as a date or a distance ("in March", "two years ago", "last
# December", "back in 2021", "earlier this year").
_DATED = (
    r"(?:(?:back|already|as\s+early\s+as)\s+)?"
    rf"(?:in\s+(?:(?:early|late|mid-?)\s*)?(?:{YEAR}|(?:{MONTH})(?:\s+{YEAR})?"
    rf"|(?:the\s+)?{_SEASON}(?:\s+(?:of\s+)?{YEAR})?)"
    r"|(?:\w+|a\s+few|a\s+couple\s+of)\s+(?:years?|months?|weeks?)\s+(?:ago|back)"
    rf"|last\s+(?:year|month|week|time|season|{_SEASON}|{MONTH})"
    rf"|(?:earlier|late)\s+(?:this|last)\s+(?:year|month|week|{_SEASON})"
    rf"|since\s+(?:{YEAR}|(?:{MONTH})(?:\s+{YEAR})?)"
    rf"|on\s+(?:{_DAY}\s+(?:{MONTH})|(?:{MONTH})\s+{_DAY})(?:,?\s+{YEAR})?)\b"
)
# ... or any earlier time ("as I have written before", "we reported previously").
PAST = rf"(?:{_DATED}|before(?=\s*(?:[,.;:)—–]|$))|previously\b|in\s+the\s+past\b)"
# A programme or publication that "the" names as the author's own ("on the show", "in
# the newsletter", "on air"); "the site" or "the paper" may be anyone's.
_SHOW = r"(?:show|programme|program|podcast|channel|blog|newsletter|column)"
# Where: "in this space", "in these pages", "on this programme", "on my blog", "here".
_VENUE = (
    rf"(?:(?:in|on|for)\s+(?:(?:this|these|our|my)\s+(?:very\s+|same\s+)?(?:{_VENUE_NOUNS})"
    rf"|the\s+{_SHOW})\b"
    r"|on\s+(?:the\s+)?air\b|here\b)"
)
_ADV = (
    r"(?:already|first|previously|also|once|often|long|repeatedly|even|earlier|extensively"
    r"|widely|regularly)"
)
_ASIDE = r"(?:,\s*(?:yes|no|remember|of\s+course|I\s+think|I\s+believe)\s*,|,)?"
_TOPIC = (
    r"(?:\s+(?:about|on|into|at)\s+(?:this|that|it|them|these|those|[\w'’-]+)(?:\s+[\w'’-]+){0,2}?)"
)

# "I wrote in this space two years ago", "We reported already in September", "as I argued
# here in May", "We spoke in 2022, yes, on this programme": who, the verb, then where or when.
_WROTE = re.compile(
    rf"(?<!\w)(?:[Aa]s\s+|[Ll]ike\s+)?(?:I|[Ww]e)(?:\s+(?:have|has|had)|['’]ve|['’]d)?"
    rf"(?:\s+{_ADV}){{0,2}}\s+(?:(?P<write>{_WRITING})|(?P<talk>{_TALKING}))\b"
    rf"(?:\s+(?:out|up))?(?:\s+{_ADV})?(?:\s+(?:(?:to|with)\s+)?(?:you|readers|listeners))?"
    r"(?:\s+(?:this|that|it|them))?"
    rf"{_TOPIC}?"
    rf"{_ASIDE}\s+(?:(?P<venue>{_VENUE})(?:{_ASIDE}\s+{PAST})?"
    rf"|(?P<past>{PAST})(?:{_ASIDE}\s+(?P<then>{_VENUE}))?)(?!\s+to\b)"
)
# How many, in "two years ago" at the head of a sentence: named, so that the pattern is
# not tried at every word.
_SOME = (
    r"(?:[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|[Tt]welve"
    r"|[Ss]everal|[Ss]ome|[Mm]any|[Aa]\s+(?:few|couple\s+of)|[Aa]|[Oo]ne|\d{1,2})"
)
# "Back in 2019 I wrote that …", "Two years ago we argued": the time first.  "In 2019 we
# reported a loss" is a company's results, so "reported" needs what it reported on.
# Found by the subject and verb, then the time just before them: a pattern that opened
# with the time was tried at every word.
_THEN_WROTE = re.compile(
    rf"(?<!\w)(?:I|we)\s+(?:(?:have|had)\s+)?(?:{_ADV}\s+)?(?:wrote|written|argued|predicted"
    r"|warned|blogged|covered|explained|flagged|noted|reported(?=\s+(?:that|on|about|how)\b))\b"
)
_TIME_BEFORE = re.compile(
    rf"(?<!\w)(?:(?:[Bb]ack|[Aa]lready|[Ee]ven)\s+)?(?:[Ii]n\s+(?:(?:early|late|mid-?)\s*)?"
    rf"(?:{YEAR}|(?:{MONTH})(?:\s+{YEAR})?)|[Ll]ast\s+(?:year|month|week|{_SEASON}|{MONTH})"
    rf"|{_SOME}\s+(?:years?|months?|weeks?)\s+ago),?\s+$"
)
_REACH = 60  # characters before a subject or a piece where its time or verb may start
# "When we spoke last February", "the last time we had you on", "when you were last on the
# show": an earlier conversation with the guest.
_MET = re.compile(
    r"\b(?:[Ww]hen|[Ss]ince|(?:[Tt]he\s+)?[Ll]ast\s+time)\s+(?:"
    r"(?:we|I)\s+(?:last\s+|first\s+)?(?:spoke|talked|met|chatted|wrote|blogged|covered)"
    r"(?:\s+(?:to|with)\s+you)?"
    r"|(?:we|I)\s+(?:last\s+)?had\s+you\s+(?:on|here|in\s+the\s+studio)"
    r"|you\s+(?:were\s+(?:last\s+)?(?:on|here|with\s+us|in\s+the\s+studio|our\s+guest)"
    r"|(?:last\s+)?(?:joined|visited|came\s+on|spoke\s+to)\s+(?:us|the\s+show|the\s+programme)))"
    r"(?:\s+(?:the|this|our)\s+(?:show|programme|program|podcast|channel))?"
    rf"(?P<tail>(?:{_ASIDE}\s+(?:{_VENUE}|{_DATED})){{0,2}})"
)
# "We broke the story in March", "I first broke the news of the sale in 2022": the
# publication's own scoop ("we broke the news to her" is telling someone).
_SCOOP = re.compile(
    r"(?<!\w)(?:I|[Ww]e)\s+(?:(?:had|have|first|also)\s+)?broke\s+(?:the|this|that)\s+"
    r"(?:story|news)\b(?!\s+to\b)(?:\s+(?:of|about|on)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+)?"
    rf",?\s+{_DATED}"
)
# "on this programme last September", "in this column in 2021": a programme or publication
# and a time alone ("in this space last year" may be a room, so it needs a verb of _WROTE).
_PLACED = re.compile(
    r"\b(?:in|on)\s+(?:(?:this|our|my)\s+(?:show|programme|program|podcast|channel|blog"
    rf"|newsletter|column|paper|newspaper|broadcast)|the\s+{_SHOW})\b{_ASIDE}\s+(?:{_DATED})"
)
# "You told this programme in 2023", "you said to us last year": the guest's earlier words.
_TOLD = re.compile(
    rf"\b[Yy]ou\s+(?:(?:first|already|once)\s+)?(?:told|said\s+to)\s+(?:us|me|(?:this|the|our)"
    rf"\s+{_SHOW})(?:{_ASIDE}\s+(?:{_VENUE}|{_DATED})){{1,2}}"
)
# "As previously reported by this newspaper", "as reported here in May", "as announced in
# these pages": the publication's own earlier reporting, in the passive.
_PASSIVE = re.compile(
    rf"\b(?:[Aa]s|[Ll]ike)\s+(?:was\s+)?(?:{_ADV}\s+)?(?:{_WRITING})\s+(?:{_ADV}\s+)?"
    r"(?:by\s+(?:this|our)\s+(?:newspaper|paper|newsletter|column|blog|site|website|programme"
    rf"|program|show|podcast|channel|magazine|publication)\b|by\s+us\b"
    rf"|(?:in|on)\s+(?:this|these|our)\s+(?:{_VENUE_NOUNS})\b|here(?=,?\s+{_DATED}))"
    rf"(?:,?\s+{_DATED})?"
)
# "This column has long argued", "as this paper revealed in 2021": the publication itself.
_MASTHEAD = re.compile(
    r"(?<!\w)(?:[Aa]s\s+|[Ll]ike\s+)?(?:[Tt]his|[Oo]ur)\s+(?P<noun>newspaper|paper|column"
    r"|newsletter|blog|programme|program|show|podcast|channel|site|website|magazine"
    r"|publication|station|outlet)\s+(?:(?:has|had|have)\s+)?"
    r"(?:(?:long|repeatedly|previously|already|first|often|consistently|also)\s+)?"
    rf"(?:{_WRITING})\b(?:{_TOPIC}?,?\s+(?P<past>{_DATED}))?(?!\s+(?:above|below)\b)"
)
# "As announced in our release of 14 January", "like we have written in our reportage of
# last December": a dated earlier piece and the verb pointing at it.
_PIECE = re.compile(
    rf"(?<!\w)(?:[Mm]y|[Oo]ur)\s+(?:own\s+)?(?:(?P<when>earlier|previous|prior|last|past|recent)"
    rf"\s+)?(?:{_PIECES})\b(?P<date>\s+(?:(?:of|from|in|on|dated)\s+)?{_DATE}\b)?"
)
_VERB_BEFORE = re.compile(
    rf"(?<!\w)(?:[Aa]s|[Ll]ike)\s+(?:(?:I|we|was)\s+)?(?:(?:have|had)\s+|['’]ve\s+)?"
    rf"(?:{_ADV}\s+)?(?:{_WRITING}|stated|said)\s+(?:{_ADV}\s+)?(?:in|on)\s+$"
)
# "in an earlier episode", "see a previous post", "in the last video", "last week's
# newsletter": an earlier instalment of a series, the author's own.  Readers "commented on
# the last post": that is the post's comments, not a reference to it.
_INSTALMENT = re.compile(
    r"\b(?:(?:[Ii]n|[Ss]ee|[Ff]rom)\s+(?:an?\s+|the\s+)?(?:earlier|previous|prior|past|last)"
    r"|[Oo]n\s+(?:an?\s+)?(?:earlier|previous|prior|past)"
    r"|[Ll]ast\s+(?:week|month|year|season)['’]s)\s+(?:episode|video|vlog|post|column"
    r"|newsletter|issue|edition|instalment|installment|livestream|stream|dispatch|roundup"
    r"|digest|bulletin|blog\s+post)s?\b(?!\s+(?:of|by|from)\s+(?!this\b|our\b))"
)
# "a few episodes ago", "two newsletters back": the series counts its own instalments.
_INSTALMENTS_AGO = re.compile(
    r"(?<![\w'’-])(?:[Aa]\s+(?:few|couple\s+of)|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]everal|[Ss]ome"
    r"|\d{1,2})\s+(?:episodes|issues|newsletters|videos|posts|columns|shows|editions|instalments"
    r"|installments|streams|dispatches)\s+(?:ago|back)\b"
)
_AGO_WORDS = frozenset({"ago", "back"})
_VENUE_WORDS = VOCAB["self_venues"] | {"here"}
_WRITE_WORDS = VOCAB["self_writing_verbs"]
_VERB_WORDS = _WRITE_WORDS | VOCAB["self_talking_verbs"]
# The words of a place or a time in the past; a digit ("in 2022", "of 14 January") too.
_WHEN_WORDS = (
    _VENUE_WORDS
    | frozenset(MONTH.lower().split("|"))
    | {"ago", "back", "last", "before", "previously", "earlier", "past", "air"}
    | {"spring", "summer", "autumn", "fall", "winter"}
)
_DIGIT = re.compile(r"\d")
_PIECE_WORDS = VOCAB["self_pieces"]
_INSTALMENT_WORDS = frozenset(
    {"episode", "video", "vlog", "post", "column", "newsletter", "issue", "edition"}
    | {"instalment", "installment", "livestream", "stream", "dispatch", "roundup", "digest"}
    | {"bulletin", "episodes", "videos", "posts", "columns", "newsletters", "issues"}
    | {"shows", "editions", "instalments", "installments", "streams", "dispatches"}
)
_MET_WORDS = frozenset({"spoke", "talked", "met", "chatted", "had", "were", "joined", "came"}) | {
    "wrote",
    "blogged",
    "covered",
}
_MET_HEADS = frozenset({"when", "since", "time"})
_EARLIER_WORDS = frozenset({"earlier", "previous", "prior", "past", "last"})
_MASTHEAD_WORDS = frozenset(
    {"newspaper", "paper", "column", "newsletter", "blog", "programme", "program", "show"}
    | {"podcast", "channel", "site", "website", "magazine", "publication", "station", "outlet"}
)

# Every word a test below looks for: a sentence with none of them is not tried.
_KEYS = (
    _VERB_WORDS
    | _WHEN_WORDS
    | _MET_HEADS
    | _MET_WORDS
    | _PIECE_WORDS
    | _INSTALMENT_WORDS
    | _EARLIER_WORDS
    | _MASTHEAD_WORDS
    | {"you", "as", "like", "broke"}
)


def _hit(m: re.Match[str], start: int | None = None) -> Mention:
    a = m.start() if start is None else start
    work = " ".join(m.string[a : m.end()].split()).rstrip(",")
    return Mention("named.self", work, a, m.end(), "self", work)


def earlier_hits(sentence: str, words: Words, first: bool) -> list[Mention]:
    """The author's earlier work or talk, named by the time and place it was published.

    ``first`` says the sentence speaks in the first person; without it or a "you", only
    the publication's own verbs and an earlier instalment can point back.
    """
    spoken = first or "you" in words
    if (
        not spoken
        and _WRITE_WORDS.isdisjoint(words)
        and _EARLIER_WORDS.isdisjoint(words)
        and (_AGO_WORDS.isdisjoint(words) or _INSTALMENT_WORDS.isdisjoint(words))
    ):
        return []  # most sentences; "a few episodes ago" counts back without a verb
    keys = words & _KEYS
    found: list[Mention] = []
    if spoken:
        found += _spoken(sentence, keys, first, "you" in keys)
    if not _WRITE_WORDS.isdisjoint(keys):
        if "as" in keys or "like" in keys:
            found += [_hit(m) for m in _PASSIVE.finditer(sentence)]
        if not _MASTHEAD_WORDS.isdisjoint(keys):
            for m in _MASTHEAD.finditer(sentence):
                if m.group("noun").lower() != "paper" or m.group("past"):
                    found.append(_hit(m))  # "this paper has argued" is an academic paper itself
    if not _EARLIER_WORDS.isdisjoint(keys) and not _INSTALMENT_WORDS.isdisjoint(keys):
        found += [_hit(m) for m in _INSTALMENT.finditer(sentence)]
    if not _AGO_WORDS.isdisjoint(keys) and not _INSTALMENT_WORDS.isdisjoint(keys):
        found += [_hit(m) for m in _INSTALMENTS_AGO.finditer(sentence)]
    return _outermost(found) if len(found) > 1 else found


def quoted(sentence: str, at: int) -> bool:
    """Inside a quotation: '"As I argued last year, the tax is wrong," the minister said'
    points at the minister's words, not at the author's earlier work."""
    straight = sentence.count('"', 0, at) % 2 == 1
    return straight or sentence.count("“", 0, at) > sentence.count("”", 0, at)


def _spoken(sentence: str, keys: Words, first: bool, you: bool) -> list[Mention]:
    """What "I", "we" or "you" say was published or said before."""
    found: list[Mention] = []
    if not _VERB_WORDS.isdisjoint(keys) and (
        not _WHEN_WORDS.isdisjoint(keys) or _DIGIT.search(sentence) is not None
    ):
        for m in _WROTE.finditer(sentence):
            placed = m.group("venue") or m.group("then")
            if m.group("talk") and not placed and not you:
                continue  # "we spoke last week" names no conversation of this show's
            found.append(_hit(m))
        for m in _THEN_WROTE.finditer(sentence):
            time = _TIME_BEFORE.search(sentence, max(0, m.start() - _REACH), m.start())
            if time is not None:
                found.append(_hit(m, time.start()))
    if not _MET_HEADS.isdisjoint(keys) and not _MET_WORDS.isdisjoint(keys):
        for m in _MET.finditer(sentence):
            if m.group("tail") or re.search(r"\b(?:last|had\s+you|were\s+on)\b", m.group()):
                found.append(_hit(m))
    if first and "broke" in keys:
        found += [_hit(m) for m in _SCOOP.finditer(sentence)]
    if you and ("told" in keys or "said" in keys):
        found += [_hit(m) for m in _TOLD.finditer(sentence)]
    if not _VENUE_WORDS.isdisjoint(keys):
        found += [_hit(m) for m in _PLACED.finditer(sentence)]
    if first and not _PIECE_WORDS.isdisjoint(keys):
        for m in _PIECE.finditer(sentence):
            if m.group("when") or m.group("date"):
                verb = _VERB_BEFORE.search(sentence, max(0, m.start() - _REACH), m.start())
                found.append(_hit(m, m.start() if verb is None else verb.start()))
    return found


def _outermost(hits: list[Mention]) -> list[Mention]:
    """One hit per stretch of the sentence: the longest of those that overlap."""
    kept: list[Mention] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept
