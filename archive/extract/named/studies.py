"""Studies, surveys, censuses, standards and strategies named by their titles.

Writers cite a long-running study or a census by its name and a plain noun:
"the Health Behaviour in School-aged Children study", "data from the Millennium
Cohort study", "the Global Burden of Disease study found", "in the 1911
census", "2021 census figures show", "the state immunization registry data".
The title (or the year of a census, or the lower-case register) is the work's
name; the head noun says what kind of work it is.  A title that is a known
body, an outlet, a place or a single word ("the Harvard study", "the Reuters
poll", "the Danish trial") names the producer instead, which the other
patterns cite.

Reports, strategies, plans, standards and guidelines are cited by a title that
ends in its capitalised head ("a recommendation in the Governor's Economic
Development Strategy", "the 2019 Kenya Population and Housing Census volume on
housing shows", "under the National Building Safety Standards") or by one
capitalised word before a lower-case head ("the norm of the Sphere standards").
A known body at the title's front is its producer ("the WHO Global Air Quality
Guidelines" are the WHO's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import NAME, UP, VOCAB, YEAR, is_verb
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, post_word
from archive.extract.named.sources import lookup_source

_HEADS = ("study", "survey", "census", "trial", "cohort", "poll", "panel", "index", "atlas")
_REGISTER_WORDS = frozenset({"registry", "register"})
_HEAD_WORDS = frozenset(_HEADS) | _REGISTER_WORDS
# A citing word right before the name: "by", "from", "in", "according to", "using".
_BEFORE = r"(?:by|from|in|of|on|to|using|per|under|with|at|according\s+to)\s+"
_TITLE_WORD = rf"[{UP}0-9][\w'’-]*"
_TITLED = re.compile(
    rf"\b[Tt]he\s+"
    rf"(?P<title>{_TITLE_WORD}(?:\s+(?:(?:of|in|and|for|on|the|de|&)\s+)*{_TITLE_WORD}){{1,7}})"
    rf"\s+(?P<head>{'|'.join(_HEADS)})\b"
)
_CUE = re.compile(rf"(?<![\w-]){_BEFORE}$")
# "the 1911 census", "2021 census data": a census is one work by its year alone.
_CENSUS = re.compile(
    rf"(?P<the>\b[Tt]he\s+)?\b(?P<title>{YEAR}\s+(?:national\s+|federal\s+|population\s+)?census)\b"
)
# "the state immunization registry data": a register described in lower case, cited
# through its data.
_REGISTRY = re.compile(
    r"(?<![\w-])(?P<title>(?!(?:the|a|an|our|their|its|this|that|his|her)\s)"
    r"(?:[a-z][a-z-]+\s+){1,3}(?:registry|register))\s+data\b"
)
_AFTER = re.compile(r"(?:\s+(?:data|figures|results|findings))?\s*,?\s+(?P<verb>[a-z]+)\b")
_DATA_AFTER = re.compile(r"\s+(?:data|figures|results|findings)\b")
# Capitalised words that qualify a trial or study without naming it ("the Phase III
# trial", "the Covid study").
_NOT_TITLES = frozenset({"phase", "covid", "covid-19", "pilot", "new", "latest", "first"})
_PRODUCER_WORDS = VOCAB["org_words"] | VOCAB["outlet_words"]


def study_hits(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    """A study, survey or census cited by its title, or a register by its data."""
    if not _TITLED_KEYS.isdisjoint(words):
        yield from titled_document_hits(sentence, words)
    if _HEAD_WORDS.isdisjoint(words):
        return
    for m in _TITLED.finditer(sentence):
        title = " ".join(m.group("title").split())
        if _cited(sentence, m) and _a_title(title):
            work = f"{title} {m.group('head')}"
            # Spanning the head noun too: the same words read as a body ("the Global
            # Burden of Disease study" as an organisation's study) give way to it.
            yield Mention("named.study", title, m.start("title"), m.end(), "work", work)
    if "census" in words:
        for m in _CENSUS.finditer(sentence):
            named = m.group("the") or _DATA_AFTER.match(sentence, m.end())
            cue = _CENSUS_CUE if _OWN_TOPIC.match(sentence) else _CUE
            if named and _cited(sentence, m, cue):
                title = " ".join(m.group("title").split())
                yield Mention("named.study", title, m.start("title"), m.end(), "work", title)
    if "data" in words and not _REGISTER_WORDS.isdisjoint(words):
        for m in _REGISTRY.finditer(sentence):
            title = " ".join(m.group("title").split())
            yield Mention("named.study", title, m.start("title"), m.end(), "work", f"{title} data")


# "the 2021 census conducted by the National Statistics Office": the producer is named
# right after, and cited for it as its work.  After a comma the words describe the
# study ("…study, coordinated by the WHO") and the title stays the work's name.
_PRODUCED_BY = re.compile(rf"\s+(?:[a-z]+\s+)?(?:out\s+)?by\s+(?:the\s+)?[{UP}]")


# A census by its year alone is the subject of a text that says so ("This paper reviews
# the coverage error in the 2006 census"): there, only the words that take figures from
# it cite it.
_CENSUS_CUE = re.compile(r"(?<![\w-])(?:by|from|using|per|according\s+to)\s+$")
_OWN_TOPIC = re.compile(
    r"\W{0,3}(?:This|The\s+present|Our|The\s+current)\s+(?:paper|study|article|chapter|review"
    r"|report|thesis|essay|note)\b"
)


def _cited(sentence: str, m: re.Match[str], cue: re.Pattern[str] = _CUE) -> bool:
    """A citing word before the name, or its data or a reporting verb after it."""
    if _PRODUCED_BY.match(sentence, m.end()):
        return False
    if cue.search(sentence, max(0, m.start() - 16), m.start()):
        return True
    after = _AFTER.match(sentence, m.end())
    return after is not None and is_verb(after.group("verb"))


def _a_title(title: str) -> bool:
    """Not a producer's name: a known body or outlet, a body's word, a place."""
    lowered = {w.lower() for w in title.split()}
    if lowered & _NOT_TITLES or _a_body_inside(title.split()):
        return False
    if lookup_source(title) is not None:
        return False
    return classify(title, the=True, desc=False, at_start=False) not in ("reject", "outlet")


_TITLED_HEADS = VOCAB["titled_heads"]
_STANDARD_HEADS = VOCAB["standard_heads"]
_TITLED_KEYS = frozenset(h.lower() for h in _TITLED_HEADS) | _STANDARD_HEADS
# The words a sentence must hold for these patterns to be tried (the driver's gate).
STUDY_KEYS = _TITLED_KEYS | _HEAD_WORDS
# A title's words: capitalised, no apostrophe ("Kenya's National Adaptation Plan" is
# Kenya's, the title starts after it); small words may join them.
_TW = rf"[{UP}][\w-]*"
_TITLE_BACK = re.compile(
    rf"(?<![\w'’-])(?:(?P<the>[Tt]he)\s+)?(?:(?P<post>{_TW})['’]s\s+)?"
    rf"(?P<title>(?:{YEAR}(?:\s*(?:and|&|[-–])\s*{YEAR})?\s+)?{_TW}(?:\s+(?:(?:of|in|and|for|on|the|de|&)\s+)*{_TW}){{0,6}})"
    r"\s+$"
)
# "the National Survey of Family Growth": the title goes on after its head.
_TITLE_TAIL = re.compile(
    rf"\s+(?:of|on|for|in)\s+(?:the\s+)?{_TW}(?:\s+(?:(?:and|of|the)\s+)*{_TW}){{0,4}}"
)
_ONE_WORD = re.compile(rf"(?<![\w'’-])[Tt]he\s+(?P<title>{_TW})\s+$")
# What cites a titled document before it: "in", "under", "according to", "the norm of".
_DOC_CUE = re.compile(
    r"(?<![\w-])(?i:by|from|in|of|using|per|under|following|citing|according\s+to)\s+"
    r"(?:the\s+)?$"
)
_THE_INSIDE = re.compile(r"^(?P<lead>\S+)\s+the\s+")
_OWNER_BEFORE = re.compile(rf"(?<![\w'’-])(?P<owner>{_TW})['’]s\s+(?:own\s+)?[a-z]")
_SOURCE_LINE = re.compile(r"\W{0,3}(?:Sources?|Data|Further\s+reading)\s*:", re.I)
_ITEM_START = re.compile(r"[:;]\s*(?:[Tt]he\s+)?$")
_POLICY_CUE = re.compile(r"(?<![\w-])(?i:in|citing|according\s+to)\s+(?:the\s+)?$")
_POLICY_HEADS = VOCAB["policy_heads"]
_KINDS_OF_PLAN = VOCAB["kinds_of_plan"]
# "The government's Mujib Climate Prosperity Plan targeted 30 percent of electricity from
# renewables by 2030", "the National Energy Strategy aims to cut imports by half": a
# plan's own figure, which a reader checks in the plan.  Without a figure ("the Marshall
# Plan aimed to rebuild Europe") the plan is the topic, not a source.
_TARGET_AFTER = re.compile(
    rf"(?:\s+(?:{YEAR}(?:\s*[-–]\s*{YEAR})?))?\s*,?\s+(?:(?:also|originally|already|still|now)\s+)?"
    rf"(?:{'|'.join(sorted(VOCAB['target_verbs'], key=len, reverse=True))})\b"
    r"[^.;!?]{0,80}?(?:\d|\b(?:half|a\s+third|a\s+quarter|double|triple)\b)"
)
_NOT_DOCUMENT_WORDS = _PRODUCER_WORDS | VOCAB["journal_words"]
_REPORTED = frozenset({"data", "figures", "results", "findings", "volume", "tables", "estimates"})
_BACK_REACH = 120
_YEAR_AT = re.compile(rf"^{YEAR}(?:\s*(?:and|&|[-–])\s*{YEAR})?\s+")


def titled_document_hits(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    """A report, plan, standard or census cited by its title."""
    for head, at, end in _head_places(sentence, words):
        if head in _STANDARD_HEADS:
            yield from _standard(sentence, head, at, end)
        else:
            yield from _titled(sentence, at, end)


def _standard(sentence: str, head: str, at: int, end: int) -> Iterator[Mention]:
    """ "the Sphere standards": one word of no known producer, nor a demonym or an
    acronym ("the Danish guidelines", "the NICE guidelines" name who made them)."""
    m = _ONE_WORD.search(sentence, max(0, at - 40), at)
    if m is None or not _cited_at(sentence, m.start(), end, _DOC_CUE):
        return
    word = m.group("title")
    if word.isupper() or lookup_source(word) is not None:
        return
    if classify(word, the=True, desc=False, at_start=False) not in ("reject", "outlet"):
        name = f"{word} {head}"
        yield Mention("named.study", name, m.start("title"), end, "work", name)


def _head_places(sentence: str, words: frozenset[str]) -> list[tuple[str, int, int]]:
    """Each head of the sentence, capitalised or lower case as its list says."""
    found = []
    for key in _TITLED_KEYS & words:
        heads = [key] if key in _STANDARD_HEADS else []
        heads += [key.capitalize()] if key.capitalize() in _TITLED_HEADS else []
        for head in heads:
            at = sentence.find(head)
            while at > 0:
                end = at + len(head)
                if not sentence[at - 1].isalnum() and (
                    end == len(sentence) or not (sentence[end].isalnum() or sentence[end] in "-'’")
                ):
                    found.append((head, at, end))
                at = sentence.find(head, end)
    return found


def _titled(sentence: str, at: int, head_end: int) -> Iterator[Mention]:
    m = _TITLE_BACK.search(sentence, max(0, at - _BACK_REACH), at)
    if m is None:
        return
    title, start = m.group("title"), m.start("title")
    if title in ("The", "A", "An", "This", "That", "Its", "Their", "Our"):
        return  # "The Survey found": a heading's word, no title
    inside = _THE_INSIDE.match(title)
    if inside is not None and (start == 0 or inside.group("lead") in VOCAB["lead"]):
        # "Under the Building Safety Standards": the discourse word is not the title's
        start += inside.end()
        title = title[inside.end() :]
    post = m.group("post")
    owned_by = None
    if post and start == m.start("title"):
        if not post_word(post):
            # "according to Kaufman Hall's National Hospital Flash Report", "the IPCC's
            # Sixth Assessment Report": the owner is the source, the title its work
            owned_by = _OWNER_NAME.search(sentence, max(0, start - _BACK_REACH), start)
            if owned_by is None:
                return
        else:
            start = m.start("post")  # "the Governor's Economic Development Strategy"
    tail = _TITLE_TAIL.match(sentence, head_end)
    end = tail.end() if tail else head_end
    whole = " ".join(sentence[start:end].split())
    lead = m.start("the") if m.group("the") else start
    owner = _OWNER_BEFORE.search(sentence, max(0, lead - _BACK_REACH), lead)
    if owner is not None and not post_word(owner.group("owner")):
        return  # "the Bank of Spain's own estimates, from the Financial Stability Report"
    head = sentence[at:head_end]
    cue = _POLICY_CUE if head in _POLICY_HEADS else _DOC_CUE
    if owned_by is not None:
        lead = owned_by.start("name")
    cited = _cited_at(sentence, lead, end, cue) or (
        head in _POLICY_HEADS and _TARGET_AFTER.match(sentence, end) is not None
    )
    if not cited or lookup_source(whole) is not None:
        return
    if owned_by is not None:
        yield from _owner(owned_by, end, whole)
        return
    producer = _producer(title)
    if producer is not None:
        rest = " ".join(whole[len(producer) :].split())
        # spanning the whole title: a reading of its words as authors gives way to it
        yield Mention("named.study", producer, start, end, "org", rest)
        return
    named = " ".join(w for w in _YEAR_AT.sub("", sentence[start:end]).split() if w != head)
    if title.split()[0] in VOCAB["lead"] or _a_body_inside(named.split()):
        return
    if named.lower() in _KINDS_OF_PLAN:
        return  # "approved in the Urban Plan 2021–2031": the city's plan, by its kind
    if not _a_title(named):
        return
    yield Mention("named.study", whole, start, end, "work", whole)


_OWNER_NAME = re.compile(rf"(?<![\w'’-])(?P<name>{NAME})['’]s\s+(?:own\s+)?$")


def _owner(owned_by: re.Match[str], end: int, title: str) -> Iterator[Mention]:
    name = owned_by.group("name")
    first = name.split()[0]
    at = owned_by.start("name")
    the = first in ("The", "the")
    if (the or first in VOCAB["lead"]) and " " in name:
        at += len(first) + 1  # "According to Kaufman Hall's …": the discourse word
        name = name[len(first) + 1 :]
    kind = classify(name, the=the, desc=False, at_start=at == 0)
    if kind in ("org", "outlet", "person"):
        # spanning the title too: its words read as a body of their own give way to it
        yield Mention("named.study", name, at, end, kind, title)


def _a_body_inside(words: list[str]) -> bool:
    """A body's name inside the title, which is then its producer's: an outlet's or a
    journal's word anywhere, or a body's word that no other word qualifies ("the Kestrel
    Housing Trust Annual Report"); "the K-12 School Shooting Database" has none."""
    lowered = [w.lower() for w in words]
    if set(lowered) & _NOT_DOCUMENT_WORDS - VOCAB["org_words"]:
        return True
    for k, w in enumerate(lowered):
        if w in VOCAB["org_words"] and (k + 1 == len(lowered) or lowered[k + 1] in _QUALIFIERS):
            return True
    return False


_QUALIFIERS = VOCAB["modifiers"] | frozenset({"and", "of", "for"})


def _producer(title: str) -> str | None:
    """A known body named first in a title: "WHO Global Air Quality Guidelines"."""
    words = title.split()
    for n in (3, 2, 1):
        if len(words) > n:
            known = lookup_source(" ".join(words[:n]))
            if known is not None and known.kind not in ("news", "journal"):
                return " ".join(words[:n])
    return None


def _cited_at(sentence: str, start: int, end: int, cue: re.Pattern[str]) -> bool:
    """A citing word before the title, or a reporting verb after it or after the words
    that take figures from it ("the … Census volume on housing conditions shows")."""
    if _PRODUCED_BY.match(sentence, end):
        return False
    if cue.search(sentence, max(0, start - 16), start):
        return True
    if _SOURCE_LINE.match(sentence) and _ITEM_START.search(sentence, max(0, start - 4), start):
        return True  # "Sources: EPA; WHO Global Air Quality Guidelines (2021)": an item
    after = sentence[end : end + 60].split()
    if after and after[0] in _REPORTED:
        after = after[1:]
        if after and after[0] in ("on", "for", "of", "about"):
            # the words of what the volume is on, then the verb
            return any(is_verb(w) for w in after[1:4] if w.islower())
    return bool(after) and is_verb(after[0])
