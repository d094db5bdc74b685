"""Bodies named by what they are, and documents named by the body behind them.

Writers often leave a body's title out and name it by its part in the story:
"the organisers said", "according to the joint bookrunners", "their
association said in a press release", "a spokesperson for the governor's
office said", "the estimation of the administration".  Or they name the
document and let an adjective stand for its producer: "customs data showed",
"a district memo sent to principals", "according to the city's own vital
statistics", "a prefectural survey of 6,000 residents", "police figures show";
or a body's possessive before its work: "the Kumamoto prefectural
government's business survey found", "the county health department's annual
report".  Such a source is kept in the words of the text, and only where it
stands as the producer of what is cited: the subject of a reporting verb, the
body after "according to", a document's owner.  The same nouns as objects or
topics ("the government cut taxes", "the organisers' tent", "a complaint to
the district") are no source.

Every pattern is tried only when the sentence holds one of its head words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.bodies import ACTED_ON, OFFICE_OF_POST
from archive.extract.named.grammar import DOCUMENTS, UP, VOCAB, alt, is_verb
from archive.extract.named.mention import Mention

# Bodies that speech names by their part in an event or a deal, which need no title
# to be told apart in their story: "the organisers", "the joint bookrunners".
_COLLECTIVE = VOCAB["collective_bodies"]
# Body nouns after "their"/"its", which point to a body the reader knows only as the
# people's own ("their association said", "its union told members").
_OWNED_BODIES = VOCAB["org_nouns_lower"] | VOCAB["body_nouns_lower"] | VOCAB["owned_body_nouns"]
# Words that make the description point back or stay vague rather than name a body.
_VAGUE = (
    "same|other|new|former|previous|latest|this|that|these|those|which|whose|such|any|each"
    "|every|all|both|relevant|responsible|competent|said"
)
_QUALIFIER = rf"(?!(?:{_VAGUE}|the|an?|of|for|and|or|in|at|to)\b)[a-z][\w-]*"
# Where a clause may open for its subject: the sentence start, a comma or a bracket,
# or a conjunction.
_OPEN = (
    r"(?:^[\W_]*|(?<=[,;:(]\s)|\b(?:which|that|as|but|and|while|when|what|so|though"
    r"|although)\s+)"
)
# A government or an administration named by its tier ("the provincial government",
# "the state administration"); alone, "the government" points back or stays vague.
_TIERS = VOCAB["government_tiers"]
_GOVERNMENTS = frozenset({"government", "administration", "governments", "administrations"})
# A body of the people it serves, named by their plural's possessive: "the teachers'
# union", "the rice farmers' association", "the nurses' council".
_MEMBERS_BODIES = VOCAB["members_bodies"]
# A town's hall speaks for it: "city hall said", "the town hall told us".
_HALL = r"(?:[Cc]ity|[Tt]own|[Vv]illage)\s+[Hh]all"
# An administrative unit speaks for its own office: "the district said in a memo", "a
# letter from the county", "data from the prefecture".
_UNITS = VOCAB["administrative_units"]
_UNIT_BODIES = (
    VOCAB["org_nouns_lower"]
    | VOCAB["body_nouns_lower"]
    | VOCAB["members_bodies"]
    | VOCAB["governing_nouns"]
    | {"hall", "health", "school", "police", "fire", "court"}
)
_DESCRIBED = (
    rf"[Tt]he\s+(?:{alt(_TIERS)})\s+(?:{alt(_GOVERNMENTS)})"
    # "the district council" is the council's
    rf"|[Tt]he\s+(?:{alt(_UNITS)})(?![\w'’-]|\s+(?:{alt(_UNIT_BODIES)})\b)"
    rf"|[Tt]he\s+(?:{_QUALIFIER}\s+)?[a-z][\w-]*s['’]\s+(?:{_QUALIFIER}\s+)?(?:{alt(_MEMBERS_BODIES)})"
    rf"|(?:[Tt]he\s+)?{_HALL}"
)
_SUBJECT = re.compile(
    _OPEN
    # "Organisers said" drops the article, as news writing does before a plural
    + r"(?P<name>(?:[Tt]he\s+)?(?:[a-z][\w-]*['’]s\s+)?"
    + rf"(?:(?:{_QUALIFIER}|[{UP}][a-z-]+)\s+){{0,2}}(?:{alt(_COLLECTIVE, capital=True)})"
    + rf"|(?:[Tt]heir|[Ii]ts)\s+(?:{_QUALIFIER}\s+)?(?:{alt(_OWNED_BODIES)})"
    + rf"|{_DESCRIBED})"
    # "the organisers, the No Más AFP coordinator, said": the appositive names them
    + rf"(?:\s*,\s+(?:the\s+)?(?P<appos>[^,;()]{{0,30}}[{UP}][^,;()]{{0,40}}),)?"
    + r"(?:\s*\([^()]{1,80}\))?"
    + r"\s+(?:(?:has|have|had|also|later|then|first|again|themselves|itself)\s+)?"
    + r"(?P<verb>[a-z]+)\b"
)
# Documents a collective body puts out, beside the document nouns: "so the estimation
# of the administration", "by the organisers' count".
# Verbs of reporting that are deeds too: "the district administration had posted a
# guard".
_DEEDS = frozenset(
    {"posted", "put", "set", "placed", "ran", "launched", "opened", "closed", "built"}
    | {"approved", "passed", "began", "started", "hired", "bought", "sold"}
)
_EXTRA_DOCS = frozenset({"estimation", "estimations", "count", "figures", "tally"})
# After "according to", a document noun and "of/from/by", or a participle and "by"
# ("was confirmed by the organisers", "as reported by the teachers' union").
_PRODUCED = re.compile(
    r"(?:\b(?i:according)\s+to|\b(?P<doc>[A-Za-z][a-z-]+)\s+(?:of|from|by))\s+"
    rf"(?P<name>(?:the\s+)?(?:[a-z][\w-]*['’]s\s+)?(?:{_QUALIFIER}\s+){{0,2}}"
    # "according to the organisers' figures" is the figures' owner, left to the owner
    rf"(?:{alt(_COLLECTIVE)})|{_DESCRIBED})\b(?!['’])"
)
# The verb before the body, as news and non-native writing put it: "…, said the
# organisers", "like said the organisers", "as estimated the administration".  Only
# verbs that take no person as object: "he told the organisers" is no citing.
_INVERTED = re.compile(
    rf"\b(?P<verb>{alt(VOCAB['inverted_reporting_verbs'])})\s+"
    rf"(?P<name>(?:the\s+)?(?:(?:{_QUALIFIER}|[{UP}][a-z-]+)\s+){{0,2}}(?:{alt(_COLLECTIVE)})"
    rf"|{_DESCRIBED})"
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:on|in|at|last|this|late|early)\b)"
)
_BY_PARTICIPLES = frozenset({"given", "made", "shown", "seen", "told", "put"})
_NAMED_WORDS = _COLLECTIVE | _GOVERNMENTS | _MEMBERS_BODIES | _UNITS | {"hall"}
_ALONE = _COLLECTIVE | _UNITS | {"hall"}
_OWNERS = frozenset({"their", "its"})
_INVERTING = VOCAB["inverted_reporting_verbs"]

# "A spokesperson for the governor's office said", "said a spokesman for the city
# council": the body a spokesperson speaks for, named by description.
_BODY_HEADS = VOCAB["org_nouns_lower"] | VOCAB["body_nouns_lower"]
_SPOKESPERSON = re.compile(
    r"\b(?i:spokes(?:man|woman|person)|representative|press\s+officer)s?\s+(?:for|of|at)\s+"
    rf"(?:the\s+)?(?P<name>{OFFICE_OF_POST}|(?:{alt(_COLLECTIVE)})"
    rf"|(?:[a-z][\w-]*['’]s\s+)?(?:{_QUALIFIER}\s+){{1,3}}(?:{alt(_BODY_HEADS)}))\b"
    r"(?P<after>\s*(?:,[^,]{0,80},)?\s+(?:(?:also|later|then|has|had)\s+)?(?P<verb>[a-z]+)\b)?"
)
_NAMED_AFTER = re.compile(rf"\s*,\s*(?:[A-Z][a-z]{{0,3}}\.\s+)?[{UP}]")
_SAID_BEFORE = re.compile(r"\b(?:said|says|told|according\s+to)\s+(?:an?\s+|the\s+)?$", re.I)
_SPOKES_WORDS = frozenset(
    {"spokesperson", "spokesman", "spokeswoman", "representative", "officer"}
    | {"spokespersons", "spokesmen", "spokeswomen", "representatives"}
)

# Adjectives and nouns that stand for the body behind a document: "customs data",
# "a district memo", "police figures", "a prefectural survey", "city council minutes".
_PRODUCER_WORDS = VOCAB["document_producers"]
# Owners whose possessive names the body behind its own records: "the city's own
# statistics", "the county's figures".  A company's, a government's, a council's or a
# city's own figures point back to a body the text has named ("Vancouver … the city's
# own permit data").
_PLACE_OWNERS = VOCAB["record_owners"]
_POLICY = VOCAB["policy_nouns"]
_WORK_WORDS = DOCUMENTS - _POLICY - {re.sub(r"y$", "ie", n) + "s" for n in _POLICY}
_WORK = alt(_WORK_WORDS)
_DOC_NP = re.compile(
    r"(?<![\w'’-])(?:(?P<art>the|a|an|The|A|An)\s+)?"
    rf"(?P<name>(?:(?P<owner>{alt(_PLACE_OWNERS)})['’]s\s+(?:own\s+)?"
    rf"(?:[a-z][\w-]*\s+){{0,2}}?|(?:{alt(_PRODUCER_WORDS, capital=True)})\s+"
    rf"(?:[a-z][\w-]*\s+)?)(?P<doc>{_WORK}))\b"
)
# What makes the document cited: a reporting verb after it, "according to" before it,
# a participle of circulating ("a district memo sent to principals"), or the sample
# of a survey ("a prefectural survey of 6,000 residents").
_CIRCULATED = VOCAB["circulated_participles"]
_DOC_AFTER = re.compile(
    r"(?:\s*,)?\s+(?:(?:on|last|this)\s+\w+\s+)?(?:(?:also|again|now|have|has|had)\s+)?"
    r"(?P<verb>[a-z]+)\b(?P<sample>\s+(?:of\s+)?(?:about\s+|some\s+|nearly\s+|more\s+than\s+)?"
    r"\d[\d,.]*)?"
)
# What a document does where a body would say: "customs data showed".
_SHOWING = VOCAB["showing_verbs"]
# "customs filings reviewed by Reuters", "customs records kept at the State Archives":
# the one who read or keeps the records is named next, and is the source.
_KEPT_BY = re.compile(
    r"\s+(?:(?:[a-z]+ed|seen|kept|held)\s+by|(?:kept|held|stored|preserved|archived)\s+(?:at|in))\b"
)
_ACCORDING_BEFORE = re.compile(r"\b(?:according\s+to|per|from)\s+$", re.I)
_SAMPLED = frozenset({"survey", "surveys", "poll", "polls", "census", "study", "studies"})
_DOC_WORDS = _PRODUCER_WORDS | _PLACE_OWNERS

# "the Kumamoto prefectural government's business survey found", "the Brazilian
# government's Action Plan", "the county health department's annual report": a body
# described by its place or its field, owning a document or a titled work.
_GOVERNING = VOCAB["governing_nouns"] | VOCAB["org_nouns_lower"]
_OWNED_WORK = re.compile(
    rf"\b[Tt]he\s+(?P<name>(?:[{UP}][\w.-]*\s+){{0,2}}(?:{_QUALIFIER}\s+){{0,2}}"
    rf"(?:{alt(_GOVERNING)}))['’]s\s+(?:own\s+)?(?:(?:latest|annual|monthly|weekly|quarterly"
    rf"|first|new|draft|final|\d{{4}})\s+)?(?:(?:[a-z][\w-]*\s+){{0,2}}?(?P<doc>{_WORK})\b"
    rf"|(?P<title>[{UP}][\w-]*\s+[{UP}]))"
)


_DEMONYMS = VOCAB["demonyms"]


def _names_one(sentence: str, wordset: frozenset[str]) -> bool:
    """Whether the sentence has the words of a described body: a collective noun, a unit
    or a hall alone; "government" only with its tier, "union" only after a plural's
    possessive ("the teachers' union")."""
    words = wordset & _NAMED_WORDS
    if not words.isdisjoint(_ALONE):
        return True
    if words & _GOVERNMENTS and not wordset.isdisjoint(_TIERS):
        return True
    return bool(words & _MEMBERS_BODIES) and ("s' " in sentence or "s’ " in sentence)


def _collective_hits(sentence: str, wordset: frozenset[str]) -> Iterator[Mention]:
    named = _names_one(sentence, wordset)
    owned = not wordset.isdisjoint(_OWNERS) and not wordset.isdisjoint(_OWNED_BODIES)
    if not (named or owned):
        return
    for m in _SUBJECT.finditer(sentence):
        if m.group("verb") in _DEEDS or not is_verb(m.group("verb")):
            continue
        group = "appos" if m.group("appos") else "name"
        yield _mention(sentence, m.start(group), m.end(group))
    if not named:
        return
    for m in _INVERTED.finditer(sentence) if not wordset.isdisjoint(_INVERTING) else ():
        yield _mention(sentence, m.start("name"), m.end("name"))
    for m in _PRODUCED.finditer(sentence):
        doc = m.group("doc") and m.group("doc").lower()
        if doc and ACTED_ON.search(sentence, max(0, m.start() - 70), m.start()):
            continue  # "the approval of the report by the organisers"
        if (
            doc is None
            or doc in DOCUMENTS
            or doc in _EXTRA_DOCS
            or (" by " in m.group() and (doc in _BY_PARTICIPLES or is_verb(doc)))
        ):
            yield _mention(sentence, m.start("name"), m.end("name"))


def _mention(sentence: str, b: int, e: int, work: str | None = None) -> Mention:
    name = " ".join(sentence[b:e].split())
    if name[:4].lower() == "the ":
        name, b = name[4:], b + 4
    return Mention("named.description", name, b, e, "org", work)


def _spokesperson_hits(sentence: str) -> Iterator[Mention]:
    for m in _SPOKESPERSON.finditer(sentence):
        named = _NAMED_AFTER.match(sentence, m.end("name"))
        if named or (m.group("after") and any(c.isupper() for c in m.group("after"))):
            continue  # "a spokeswoman for the port authority, Ingrid Salo, said": she is
        spoke = m.group("verb") is not None and is_verb(m.group("verb"))
        if spoke or _SAID_BEFORE.search(sentence, max(0, m.start() - 40), m.start()):
            yield _mention(sentence, m.start("name"), m.end("name"))


def _document_hits(sentence: str) -> Iterator[Mention]:
    for m in _DOC_NP.finditer(sentence):
        after = _DOC_AFTER.match(sentence, m.end())
        verb = after.group("verb") if after is not None else ""
        cited = (
            verb in _SHOWING
            or verb in _CIRCULATED
            or (verb != "" and is_verb(verb))
            or (after is not None and after.group("sample") and m.group("doc") in _SAMPLED)
            or _ACCORDING_BEFORE.search(sentence, max(0, m.start() - 20), m.start()) is not None
        )
        if cited and not _KEPT_BY.match(sentence, m.end()):
            b = m.start("name")
            yield _mention(sentence, b, m.end("name"), m.group("doc"))


def _owned_work_hits(sentence: str) -> Iterator[Mention]:
    for m in _OWNED_WORK.finditer(sentence):
        words = m.group("name").split()
        if len(words) < 2 or not (words[0][0].isupper() or words[0].lower() in _DEMONYMS):
            # "the government's report", "the federal government's emission estimates":
            # the government named before, or none; a place names which one
            continue
        yield _mention(sentence, m.start("name"), m.end("name"), m.group("doc") or None)


def collective_hits(sentence: str, wordset: frozenset[str]) -> Iterator[Mention]:
    """A body named by description where the sentence cites it or its document."""
    if not wordset.isdisjoint(_NAMED_WORDS) or not wordset.isdisjoint(_OWNERS):
        yield from _collective_hits(sentence, wordset)
    if not wordset.isdisjoint(_SPOKES_WORDS):
        yield from _spokesperson_hits(sentence)
    if not wordset.isdisjoint(_DOC_WORDS) and not wordset.isdisjoint(_WORK_WORDS):
        yield from _document_hits(sentence)
    if not wordset.isdisjoint(_GOVERNING) and ("'s" in sentence or "’s" in sentence):
        yield from _owned_work_hits(sentence)
