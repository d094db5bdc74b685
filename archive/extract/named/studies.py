"""Studies, surveys and censuses named by a title before a lower-case head noun.

Writers cite a long-running study or a census by its name and a plain noun:
"the Health Behaviour in School-aged Children study", "data from the Millennium
Cohort study", "the Global Burden of Disease study found", "in the 1911
census", "2021 census figures show", "the state immunization registry data".
The title (or the year of a census, or the lower-case register) is the work's
name; the head noun says what kind of work it is.  A title that is a known
body, an outlet, a place or a single word ("the Harvard study", "the Reuters
poll", "the Danish trial") names the producer instead, which the other
patterns cite.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import UP, VOCAB, YEAR, is_verb
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify
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
            if named and _cited(sentence, m):
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


def _cited(sentence: str, m: re.Match[str]) -> bool:
    """A citing word before the name, or its data or a reporting verb after it."""
    if _PRODUCED_BY.match(sentence, m.end()):
        return False
    if _CUE.search(sentence, max(0, m.start() - 16), m.start()):
        return True
    after = _AFTER.match(sentence, m.end())
    return after is not None and is_verb(after.group("verb"))


def _a_title(title: str) -> bool:
    """Not a producer's name: a known body or outlet, a body's word, a place."""
    lowered = {w.lower() for w in title.split()}
    if lowered & _NOT_TITLES or lowered & _PRODUCER_WORDS:
        return False
    if lookup_source(title) is not None:
        return False
    return classify(title, the=True, desc=False, at_start=False) not in ("reject", "outlet")
