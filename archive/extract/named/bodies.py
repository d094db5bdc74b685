"""Bodies that prose names in lower case: "the city police", "the US embassy in Moscow".

Writers name many public bodies by description rather than by title ("the
county health department", "the national statistics agency", "the Norwegian
statistics office"), and non-native writers do so more often.  Such a phrase
is a source only where it stands as the producer of what is cited: after
"according to", after a document noun and "of/from/by" ("the statistics of
the city police", "a cable from the US embassy in Moscow") or after a
participle of producing and "by" ("collected by the national statistics
agency").  Elsewhere it is a place, a topic or a subject of the news ("a
complaint to the city ombudsman").  A description needs an article and at
least one word before its head noun ("the department" alone points back to a
body named before: ``anaphor_hits``), or a place's possessive ("Japan's central
bank", which the known sources hold as a description of the Bank of Japan).
A description that introduces the body's name ("the statistics institute IBGE") is
left to the name, and a body that only acts on a document someone else wrote ("the
approval of the impact report by the mining authority") is not its producer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import DAY, DOCUMENTS, MONTH, NAME, UP, VOCAB, alt, is_verb
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify

# "Niger's national market information system": a system a body runs is cited as one.
_HEADS = VOCAB["org_nouns_lower"] | VOCAB["body_nouns_lower"] | {"system"}
# Bodies that sit in a place and are named by it: "the US embassy in Moscow".
_SEATED = frozenset({"embassy", "consulate", "office", "mission", "delegation"})
# "the central bank" alone points back to the one named before it; only its country
# makes it a name ("the Turkish central bank", "Japan's central bank").
_NEEDS_PLACE = frozenset({"bank"})
_PRODUCING = (
    "published compiled released issued collected kept maintained run provided conducted"
    " prepared produced commissioned supplied shared gathered"
)
# Words that make the description point back or stay vague rather than name a body.
_VAGUE = (
    "same|other|new|former|previous|latest|this|that|these|those|which|whose|such|any|each"
    "|every|all|both|own|relevant|responsible|competent|local|said|annual|quarterly|monthly"
    "|weekly|daily"
)
# A head noun followed by another lower-case noun only qualifies it ("the council's
# annual library statistics return", "the city police budget"): after the head come
# punctuation, a bracket, a capital, or one of these words.
_AFTER_HEAD_WORDS = """
in at on for of and or to that which who whose is was were are has had have will would as
with from by after before since under when said says say told found showed shows show
reported estimated noted warned
"""
_AFTER_HEAD = frozenset(_AFTER_HEAD_WORDS.split())
_NEXT_WORD = re.compile(r"\s+([a-z][\w-]*)")
# The description ends at the head noun (whose end is where the search stops); the
# context before it is what makes it a producer.  Bounded: three words before the
# head, and the context a few words back.
_BODY = re.compile(
    r"(?:\b(?i:according\s+(?:to|with)"
    r"|(?:comes?|came|coming|taken|drawn|sourced)\s+from"
    rf"|(?:{'|'.join(_PRODUCING.split())})\s+by|(?P<doc>[a-z][a-z-]+)\s+(?:of|from|by)"
    # "according to the KfW Municipal Panel 2026 of the KfW development bank": a titled
    # work, and the body that made it
    rf"|(?P<titled>(?<=[Aa]ccording\sto\s)(?:the\s+)?(?:[{UP}][\w-]*\s+){{1,5}}(?:\d{{4}}\s+)?of))\s+)"
    # "the city's own budget office" is the office; "Japan's central bank" keeps the
    # country, which is what tells one central bank from another.
    rf"(?:(?:the|its|their)\s+(?:[\w'’-]+['’]s\s+)?(?:own\s+)?|(?=[{UP}][\w.-]*['’]s\s))"
    rf"(?P<name>(?:[{UP}][\w.-]*['’]s\s+)?(?:(?!(?:{_VAGUE})\b)(?:[a-z][a-z-]*|[{UP}][\w.-]*)\s+){{1,3}}"
    rf"(?:{alt(_HEADS)}))$"
)
# "Niger's national market information system (SIMA)": a description under its place's
# possessive is the body's fullest name, the bracketed acronym is left out.
_POSSESSIVE_OWNER = re.compile(rf"[{UP}][\w.-]*['’]s\s")
_REACH = 80  # characters before a head noun where its context may start
# The description noun right before a figure: the one place a figure-led name can be.
_DESCRIBED_FIGURE = re.compile(rf"\b(?:{alt(VOCAB['org_desc_nouns'])})\s+\d")
_AFTER = re.compile(
    rf"(?P<in>\s+in\s+[{UP}][\w-]+(?:\s+[{UP}][\w-]+)?)?"
    r"(?:\s*\((?P<acronym>[A-Z][A-Za-z&.-]{1,9})\))?"
)
_HEAD_WORD = re.compile(rf"\b(?:{alt(_HEADS)})\b")
# "according to the statistics institute IBGE", "a report by the citizen watchdog Bogotá
# Cómo Vamos": the description introduces the body's name, which is the source.  A day
# or a month after the head is the date ("the health ministry Monday").
_NAME_AFTER = re.compile(rf"\s+(?!(?:{DAY}|{MONTH})\b)[{UP}]")
# "the approval of the impact report by the mining authority": the body after "by" acts
# on the document, which someone else wrote.
ACTED_ON = re.compile(
    r"\b(?:approval|approving|rejection|rejecting|adoption|adopting|acceptance|ratification"
    r"|endorsement|receipt|signing)\s+of\b[^,;:]{0,60}$"
)
# A body described by its place as the subject of a reporting verb: "Indonesia's
# disaster agency said", "Kenyan police said" (news writing drops the article before
# a nationality).  The place alone is no source; a body's possessive ("the World
# Bank's transport unit") is left to the owner.
# A town's hall and a country's government speak for the place the same way ("Okuyama's
# town hall told me", "Kenya's government said"); a bracketed aside may stand between
# the body and its verb ("Okuyama's town hall (the village was merged in 2004) said").
_PLACE_HEADS = VOCAB["org_nouns_lower"] | VOCAB["governing_nouns"] | {"hall"}
_PLACE_SUBJECT = re.compile(
    rf"^\W*(?P<name>(?P<owner>[{UP}][\w.-]*(?:\s+[{UP}][\w.-]*){{0,2}})(?:['’]s)?\s+"
    rf"(?:(?!(?:{_VAGUE})\b)[a-z][a-z-]*\s+){{0,2}}(?:{alt(_PLACE_HEADS)}))"
    r"(?:\s*\([^()]{1,100}\))?"
    r"\s+(?:(?:has|have|had|also|on\s+\w+day)\s+)?(?P<verb>[a-z]+)\b"
)
# A government body named by its portfolio as the subject of a reporting verb: "the
# justice ministry said", "which the health department confirmed", "the competition
# watchdog warned".  One lower-case word before the head, which names what the body
# does; a vague word ("the same ministry", "the new agency") points back instead.
_PORTFOLIO_HEADS = frozenset(
    {"ministry", "department", "agency", "commission", "regulator", "watchdog", "inspectorate"}
    | {"ombudsman", "bureau"}
)
# The office of one post holder speaks for it: "the mayor's office said", "the
# governor's office confirmed".
OFFICE_OF_POST = (
    r"(?:mayor|governor|president|premier|prime\s+minister|chancellor|attorney\s+general"
    r"|first\s+minister|chief\s+minister|minister)['’]s\s+office"
)
_PORTFOLIO_SUBJECT = re.compile(
    r"(?:^\W*|(?<=[,;:(]\s)|\b(?:which|that|as|but|and|while|when|what)\s+)[Tt]he\s+"
    rf"(?P<name>(?!(?:{_VAGUE}|city|state|national|federal|government)\b)[a-z][a-z-]+\s+"
    rf"(?:{alt(_PORTFOLIO_HEADS)})|{OFFICE_OF_POST})"
    r"\s+(?:(?:has|had|also|later|then)\s+)?(?P<verb>[a-z]+)\b"
)
# A name that opens with a figure ("4 Day Week Global", "1000 Genomes Consortium")
# is no capitalised name to the other patterns; a description before it ("the
# campaign group 4 Day Week Global") says it is a body.
_DESCRIBED = VOCAB["org_desc_nouns"]
_FIGURE_NAMED = re.compile(
    rf"\b(?i:according\s+(?:to|with)|(?:{'|'.join(_PRODUCING.split())})\s+by"
    r"|(?P<doc>[a-z][a-z-]+)\s+(?:of|from|by))\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    rf"(?:{alt(_DESCRIBED)})\s+(?P<name>\d[\w.,-]*(?:\s+[{UP}][\w'’.-]*){{1,5}})"
)


# An acronym with its name in brackets after it, then the verb: "OFA (the Orran
# Fisheries Agency) said", "the ANSD (Agence nationale de la statistique) reports".
# The other order ("the Orran Fisheries Agency (OFA) said") is read by the name
# patterns already.
_ACRONYM_FIRST = re.compile(
    rf"(?<![\w-])[A-Z][A-Z&.-]{{1,8}}\s+\((?:the\s+)?(?P<full>{NAME})\)\s*,?\s+"
    r"(?:(?:has|have|had|also|on\s+\w+day)\s+)?(?P<verb>[a-z]+)\b"
)


def _acronym_first(sentence: str) -> Iterator[Mention]:
    for m in _ACRONYM_FIRST.finditer(sentence):
        full = m.group("full")
        if is_verb(m.group("verb")) and classify(full, the=True, desc=False, at_start=False) in (
            "org",
            "outlet",
        ):
            b, e = m.start("full"), m.end("full")
            kind = classify(full, the=True, desc=False, at_start=False)
            yield Mention("named.speech-verb", full, b, e, kind)


def _place(subject: re.Match[str]) -> bool:
    """A nationality ("Kenyan police") or a place's possessive ("Indonesia's
    disaster agency"), not a body's ("the World Bank's transport unit")."""
    owner = subject.group("owner")
    if owner.lower() in VOCAB["demonyms"]:
        return True
    possessive = subject.group("name")[len(owner) :][:2] in ("'s", "’s")
    kind = classify(owner, the=False, desc=False, at_start=False)
    return possessive and kind not in ("org", "outlet") and not owner.isupper()


def body_hits(sentence: str, wordset: frozenset[str]) -> Iterator[Mention]:
    """A lower-case body where the sentence cites its producer, or a described
    body whose name opens with a figure.

    An acronym in brackets after the description is the body's own name ("the
    national statistics agency (ANSD)", "the Ivorian cocoa research centre
    (CNRA)"); "in <Place>" after an embassy or an office is part of its name.
    """
    if "(" in sentence:
        yield from _acronym_first(sentence)
    if not wordset.isdisjoint(_DESCRIBED) and _DESCRIBED_FIGURE.search(sentence):
        for fig in _FIGURE_NAMED.finditer(sentence):
            if not fig.group("doc") or fig.group("doc").lower() in DOCUMENTS:
                b, e = fig.start("name"), fig.end("name")
                yield Mention("named.description", fig.group("name"), b, e, "org")
    subject = None if wordset.isdisjoint(_PLACE_HEADS) else _PLACE_SUBJECT.match(sentence)
    if subject is not None and is_verb(subject.group("verb")) and _place(subject):
        b, e = subject.start("name"), subject.end("name")
        yield Mention("named.description", sentence[b:e], b, e, "org")
    if wordset.isdisjoint(_HEADS):
        return
    if not wordset.isdisjoint(_PORTFOLIO_HEADS) or "office" in wordset:
        for sub in _PORTFOLIO_SUBJECT.finditer(sentence):
            if is_verb(sub.group("verb")):
                b, e = sub.start("name"), sub.end("name")
                yield Mention("named.description", sentence[b:e], b, e, "org")
    for head in _HEAD_WORD.finditer(sentence):
        m = _BODY.search(sentence, max(0, head.start() - _REACH), head.end())
        if m is None or (m.group("doc") and m.group("doc").lower() not in DOCUMENTS):
            continue
        if head.group() in _NEEDS_PLACE and m.group("name").islower():
            continue
        following = _NEXT_WORD.match(sentence, m.end())
        if following is not None and following.group(1) not in _AFTER_HEAD:
            continue
        after = _AFTER.match(sentence, m.end())
        if _NAME_AFTER.match(sentence, m.end()) and (after is None or not after.group()):
            continue
        if m.group("doc") and ACTED_ON.search(sentence, max(0, m.start() - 70), m.start("doc")):
            continue
        owned = m.group("name")[:1].isupper() and _POSSESSIVE_OWNER.match(m.group("name"))
        if after is not None and after.group("acronym") and not owned:
            b, e = after.start("acronym"), after.end("acronym")
            yield Mention("named.description", sentence[b:e], b, e, "org")
            continue
        b, e = m.start("name"), m.end("name")
        if after is not None and after.group("in") and head.group() in _SEATED:
            e = after.end("in")
        yield Mention("named.description", " ".join(sentence[b:e].split()), b, e, "org")
