"""Works named through their producer without a reporting verb.

Writers point readers to a source by saying that it made or holds a work
("The Tax Policy Center has a good explainer on …", "Hackaday ran a
write-up of …") or by a possessive before the work's title ("Sarah Rose's
For All the Tea in China", "the G20's Roadmap for Enhancing Cross-border
Payments").  Both are tried only when the sentence holds their key words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import DOC, DOCUMENTS, NAME, TITLE, UP, VOCAB, YEAR, alt
from archive.extract.named.mention import Mention
from archive.extract.named.names import ACCEPT, classify, parts, person_like, post_word

# Verbs of making or holding a work.  A lone unknown word ("Spain has a plan") is
# a source only after the verbs that publish ("Hackaday ran a write-up").
_HOLD = frozenset({"has", "have", "had", "keeps", "kept", "maintains", "maintained", "hosts"})
_PUBLISH = VOCAB["publishing_verbs"]
_MADE_KEYS = _HOLD | _PUBLISH
# Tried from the verb, which a sentence has far less often than a capital letter; the
# name is then read back from the verb.
_MADE = re.compile(
    rf"\b(?P<verb>{alt(_MADE_KEYS)}|put\s+out|puts\s+out)\s+"
    r"(?:an?|one|some|two|three|several|its|their)\s+"
    rf"(?P<work>(?:[\w'’-]+\s+){{0,4}}?{DOC})\b"
)
_MAKER = re.compile(
    rf"(?<![\w'’-])(?P<name>{NAME})(?:\s+\([A-Z][A-Za-z]{{1,7}}\))?(?:\s*,\s+which)?"
    r"\s+(?:(?:also|once|recently|then|later|even|already)\s+)?$"
)
_REACH = 150  # characters before the verb where its producer may start
# A possessive before a title: "Basil Lubbock's The China Clippers (1914)", found at
# the possessive and read back to the owner's name.
_POSSESSIVE = re.compile(rf"['’]s?\s+(?=[“\"]?[{UP}0-9])")
_OWNER = re.compile(rf"(?<![\w'’-])(?P<name>{NAME})$")
_TITLED = re.compile(rf"[“\"]?(?P<title>{TITLE})[”\"]?(?P<year>\s*\(\s*{YEAR}\s*\))?")
_SMALL = re.compile(r"\s(?:of|the|and|for|in|on|a|an|to|with|without|from|at)\s")


def made_hits(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    verbs = _MADE_KEYS & words
    if not (verbs and DOCUMENTS & words):
        return
    for m in _verb_matches(sentence, verbs):
        maker = _MAKER.search(sentence, max(0, m.start() - _REACH), m.start())
        if maker is None:
            continue
        publish = m.group("verb").split()[0] in _PUBLISH
        accept = ACCEPT["speaker"] | ({"single", "weak"} if publish else set())
        work = " ".join(m.group("work").split())
        for name, b, e, the in parts(maker.group("name"), maker.start("name"), False):
            kind = classify(name, the=the, desc=False, at_start=b == 0)
            if kind in accept:
                kind = "org" if kind in ("single", "weak") else kind
                yield Mention("named.document", name, b, e, kind, work)


def _verb_matches(sentence: str, verbs: frozenset[str]) -> list[re.Match[str]]:
    """``_MADE`` at each place one of ``verbs`` stands: ``str.find`` reaches them far
    faster than the pattern's own scan of every position."""
    found = []
    lowered = sentence.lower()
    for verb in verbs:
        at = lowered.find(verb)
        while at >= 0:
            m = _MADE.match(sentence, at)
            if m is not None and (at == 0 or not lowered[at - 1].isalnum()):
                found.append(m)
            at = lowered.find(verb, at + 1)
    return sorted(found, key=lambda m: m.start())


def _possessives(sentence: str) -> list[re.Match[str]]:
    found = []
    for mark in ("'", "’"):
        at = sentence.find(mark, 1)
        while at >= 0:
            m = _POSSESSIVE.match(sentence, at) if sentence[at - 1].isalnum() else None
            if m is not None:
                found.append(m)
            at = sentence.find(mark, at + 1)
    return sorted(found, key=lambda m: m.start())


def owned_title_hits(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    """A person's or a body's possessive before a title: the owner is cited for it.

    A title is told from a name by a year after it or by the small words of
    titles ("A Street in Salford"); "Macron's Renaissance party" has neither.
    """
    if "'" not in sentence and "’" not in sentence:
        return
    for p in _possessives(sentence):
        owner = _OWNER.search(sentence, max(0, p.start() - _REACH), p.start())
        m = _TITLED.match(sentence, p.end()) if owner else None
        if owner is None or m is None:
            continue
        title = m.group("title")
        if title.split()[0] in VOCAB["lead"] - {"The", "A", "An", "For", "On", "In"}:
            continue
        titled = m.group("year") or (len(title.split()) >= 3 and _SMALL.search(f" {title} "))
        if not titled or not _UPPER_START.match(title):
            continue
        if {w.lower() for w in title.split()} & VOCAB["org_words"]:
            continue  # "the OSCE's Office for Democratic Institutions": a unit, not a work
        if any(post_word(part) for word in title.split() for part in word.split("-")):
            continue  # "Kelby University's Pro-Vice-Chancellor for Research": a post
        for name, b, e, the in parts(owner.group("name"), owner.start("name"), False):
            kind = classify(name, the=the, desc=False, at_start=b == 0)
            if kind == "person" or (kind in ("outlet", "org") and not person_like(name)):
                yield Mention("named.document", name, b, e, kind, " ".join(title.split()))


_UPPER_START = re.compile(rf"[{UP}0-9]")
