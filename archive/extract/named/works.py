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

from archive.extract.named.grammar import (
    DOC,
    DOCUMENTS,
    MONTH,
    NAME,
    TITLE,
    UP,
    VOCAB,
    YEAR,
    alt,
    is_verb,
)
from archive.extract.named.joined import parts
from archive.extract.named.mention import Mention
from archive.extract.named.names import ACCEPT, classify, person_like, post_word

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
_DESCRIBED = re.compile(
    rf"\s*,\s+an?\s+(?:{YEAR}\s+)?(?:[a-z][\w-]*\s+)?(?:{alt(VOCAB['book_works'] | DOCUMENTS)})\b"
)
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
        # "Carrick's After the Water, an ethnography of …": a year or a description after
        # the title says it is one, whatever word opens it
        described = m.group("year") or _DESCRIBED.match(sentence, m.end())
        if title.split()[0] in VOCAB["lead"] - {"The", "A", "An", "For", "On", "In"} and not (
            described
        ):
            continue
        titled = described or (len(title.split()) >= 3 and _SMALL.search(f" {title} "))
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


# Documents that a body's own words name but no capitalised name does: "the council's
# own budget papers", "an internal audit report from March 2024", "The consultation
# report, published today, found …".  The citation is the work, named by the words the
# text uses.  An owner of one lower-case word ("the council's", "the ministry's") is
# tried here; a qualified one ("the county auditor's") is a body of its own
# (``others.lower_org_hits``).
_OWNER_NOUNS = VOCAB["document_owners"]
_PAPERS = VOCAB["owned_documents"]
_DOC_KEYS = _PAPERS | frozenset(p + "s" for p in _PAPERS)
# Each form is read back from the document noun, found with ``str.find``, from the
# nearest "the" before it: a scan of the sentence from every "the" cost more.
_OWNED_BACK = re.compile(
    rf"(?:^|(?<=[\s(]))[Tt]he\s+(?P<name>(?:{alt(_OWNER_NOUNS)})['’]s\s+(?:own\s+)?"
    r"(?P<mods>(?:[a-z][\w-]*\s+){0,3}?))"
)
# "an internal audit report", "the leaked cabinet minutes": a document the public was
# not meant to read is cited as soon as it is named.
_MARKED_BACK = re.compile(
    r"(?:^|(?<=[\s(]))(?:[Aa]n?|[Tt]he)\s+(?P<name>(?:internal|leaked|confidential|unpublished"
    r"|secret|classified)\s+(?P<mods>(?:[a-z][\w-]*\s+){0,2}?))$"
)
_DATED = re.compile(
    rf"\s+(?:from|dated|of)\s+(?:(?:early|late|mid-)\s*)?(?:(?:{MONTH})\s+)?{YEAR}\b"
)
# "The consultation report, published today, found": a document of a compound name
# that is the subject of a reporting verb, or that a citing verb reads ("Read the term
# sheet"); "The report found" (no name) is an anaphor.
_COMPOUND_BACK = re.compile(
    r"(?:^|(?<=[\s(]))[Tt]he\s+(?P<name>(?P<mods>(?P<mod>[a-z][\w-]*)\s+(?:[a-z][\w-]*\s+)?))"
)
# The words before an owned document that cite it: "I read the council's own budget
# papers", "according to the ministry's impact assessment".
_CITING_BEFORE = re.compile(
    r"(?:according\s+to|\bread|\breading|\bcites?|\bcited|\bciting|\bdr[ae]ws?\s+on|\bdrawn\s+on"
    r"|\bbased\s+on|\brel(?:y|ies|ied|ying)\s+on|\bsource\s+(?:\w+\s+){0,3}?(?:is|was)"
    r"|\bfigures\s+(?:in|from)|\bdata\s+(?:in|from))\s+$",
    re.I,
)
_BACK = 80
_PREPOSITION_BEFORE = re.compile(
    r"(?<![\w-])(?:in|of|on|at|with|under|for|about|into|within|beyond|behind|over)\s+$", re.I
)


def _doc_places(sentence: str, lowered: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """Where each document noun of the sentence stands, in lower case in the text."""
    found = []
    for noun in _DOC_KEYS & words:
        at = lowered.find(noun)
        while at >= 0:
            end = at + len(noun)
            whole = (at == 0 or not lowered[at - 1].isalnum()) and (
                end == len(lowered) or not (lowered[end].isalnum() or lowered[end] in "-'’")
            )
            if whole and sentence[at].islower() and at > 0:
                found.append((at, end))
            at = lowered.find(noun, end)
    return sorted(found)


def document_hits(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    """Documents named by the words the text uses, not by a producer's name."""
    if _DOC_KEYS.isdisjoint(words):
        return
    lowered = sentence.lower()
    possessive = "'" in sentence or "’" in sentence
    if possessive:
        yield from owned_title_documents(sentence, words)
    marked = not _MARKS.isdisjoint(words)
    for at, end in _doc_places(sentence, lowered, words):
        the = lowered.rfind("the ", max(0, at - _BACK), at)
        owned = _OWNED_BACK.fullmatch(sentence, the, at) if possessive and the >= 0 else None
        if owned is not None:
            if _naming(owned.group("mods")) and _cited(sentence, owned.start(), end):
                yield _document(sentence, owned.start("name"), end)
            continue
        mark = _MARKED_BACK.search(sentence, max(0, at - _BACK), at) if marked else None
        if mark is not None:
            dated = _DATED.match(sentence, end)
            end = dated.end() if dated else end
            if not _named_elsewhere(sentence, end):
                yield _document(sentence, mark.start("name"), end)
            continue
        compound = _COMPOUND_BACK.fullmatch(sentence, the, at) if the >= 0 else None
        if compound is None or compound.group("mod") in _NOT_NAMING:
            continue
        if _cited(sentence, compound.start(), end):
            yield _document(sentence, compound.start("name"), end)


# "the government's English Housing Survey", "the agency's Annual Population Survey":
# a body named by a lower-case noun, and a survey or dataset by its title.  The title
# is the work's name; no capitalised producer is there to cite instead.
_OWNED_TITLE = re.compile(
    rf"['’]s\s+(?:own\s+|annual\s+|latest\s+|flagship\s+)?(?P<title>(?:[{UP}][\w-]*\s+"
    r"(?:(?:of|in|and|for|on|the)\s+)*){1,6}(?:"
    + "|".join(sorted(VOCAB["dataset_heads"]))
    + r"))\b"
)
_OWNER_BEFORE = re.compile(rf"(?:^|(?<=[\s(]))[Tt]he\s+(?:{alt(_OWNER_NOUNS)})$")


def owned_title_documents(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    """A survey or dataset by its title, owned by a body named in lower case."""
    if _OWNER_NOUNS.isdisjoint(words):
        return
    for mark in ("'s ", "’s "):
        at = sentence.find(mark)
        while at >= 0:
            m = _OWNED_TITLE.match(sentence, at)
            if m is not None and _OWNER_BEFORE.search(sentence, max(0, at - 30), at):
                title = " ".join(m.group("title").split())
                yield Mention(
                    "named.document-noun", title, m.start("title"), m.end(), "work", title
                )
            at = sentence.find(mark, at + 1)


def _cited(sentence: str, start: int, end: int) -> bool:
    """A citing verb before the document or a reporting verb after it, and no producer
    named after it."""
    if _named_elsewhere(sentence, end):
        return False
    if _CITING_BEFORE.search(sentence, max(0, start - 40), start) is not None:
        return True
    if _PREPOSITION_BEFORE.search(sentence, max(0, start - 12), start) is not None:
        return False  # "Nothing in the sale documents explains": the verb is not the document's
    verb = _VERB_AFTER.match(sentence, end)
    return verb is not None and is_verb(verb.group("verb"))


def _named_elsewhere(sentence: str, end: int) -> bool:
    """ "a confidential memo seen by the Financial Times", "the lake register maintained
    by the Finnish Environment Institute": the producer is named, and cited as such."""
    return _BY_NAME.match(sentence, end) is not None


def _naming(mods: str) -> bool:
    """Whether the words before the noun name the document ("impact assessment",
    "budget papers"), not only date or rank it ("annual report", "latest survey")."""
    return any(w not in _NOT_NAMING for w in mods.split())


def _document(sentence: str, start: int, end: int) -> Mention:
    name = " ".join(sentence[start:end].split())
    return Mention("named.document-noun", name, start, end, "work", name)


_VERB_AFTER = re.compile(
    r"(?:\s*,[^,;]{1,50},)?\s+(?:(?:has|have|had|also|itself)\s+)?(?P<verb>[a-z]+)\b"
)
_WHEN_WORDS = r"(?:last|this|in)\s+\w+"
_MARKS = frozenset({"internal", "leaked", "confidential", "unpublished", "secret", "classified"})
# Words before a document noun that do not name it: "the same report", "the new study".
_NOT_NAMING = VOCAB["modifiers"] | VOCAB["not_naming"]
_BY_NAME = re.compile(
    rf"\s*,?\s+(?:[a-z]+\s+)?(?:{_WHEN_WORDS}\s+)?(?:by|from|to)\s+(?:the\s+)?[{UP}]"
)
