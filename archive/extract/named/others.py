"""Sources that are not a capitalised name after a trigger or before a verb.

Unnamed sources ("two people familiar with the talks"), the author's own
earlier work ("in my previous video"), author-year citations of academic
prose ("Ostrom (1990) argued"), titled works ("in your book, Money Without
Interest,"), lower-case bodies ("the city's own housing department
reported") and entries of a "Sources" or "References" list; outlets named in
lists, lines and after a piece live in ``outlets``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.books import BOOK_KEYS
from archive.extract.named.entries import entry_line
from archive.extract.named.entries import vancouver_hits as vancouver_hits
from archive.extract.named.grammar import (
    AUTHORS,
    DATE,
    DOC,
    DOCUMENTS,
    NAME,
    UP,
    VOCAB,
    YEAR,
    alt,
    is_verb,
)
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, clean, person_like, role_word
from archive.extract.named.outlets import news_entry, outlet_entry
from archive.extract.named.outlets import outlet_hits as outlet_hits
from archive.extract.named.outlets import outlet_line_hit as outlet_line_hit
from archive.extract.named.own import SELF_KEYS
from archive.extract.named.own import self_hits as self_hits

# Unnamed sources live in ``unnamed``, the author's own work in ``own``, people in
# ``people``; the driver imports every pattern and their key words from here.
from archive.extract.named.people import PEOPLE_KEYS
from archive.extract.named.studies import STUDY_KEYS
from archive.extract.named.studies import study_hits as study_hits
from archive.extract.named.unnamed import UNNAMED_KEYS
from archive.extract.named.unnamed import anonymous_hits as anonymous_hits

# "Jack and Suri (2014)", "Jack and Suri's (2014, p. 190)"; and inside
# parentheses every item of a group: "(e.g., Jack and Suri 2014; Riley 2018)".
_AUTHOR_YEAR = re.compile(
    rf"(?<![\w'’-])(?P<name>{AUTHORS})(?:['’]s)?\s+\((?P<year>{YEAR})[a-z]?(?:,\s*pp?\.[^)]{{1,20}})?\)"
    rf"|(?:\(|;\s*)(?:(?:e\.g\.|i\.e\.|cf\.|see(?:\s+also)?|also),?\s+)?(?P<pname>{AUTHORS}),?\s+"
    rf"(?P<pyear>{YEAR})[a-z]?(?=[;)]|,\s*pp?\.)"
)
_TITLE_NOUNS = DOCUMENTS | VOCAB["self_nouns"] | VOCAB["book_works"]
_TITLED = re.compile(
    rf"\b(?i:(?:your|his|her|their|my|our)\s+(?:new\s+|latest\s+|last\s+|first\s+)?)(?i:book|novel|memoir|film|documentary|album|essay|report|paper)\s*,\s+"
    rf"(?P<title>[{UP}][\w'’-]*(?:\s+[\w'’-]+){{0,6}}?[?!]?)\s*,"
)
_LOWER_ORG = re.compile(
    rf"\b(?:the\s+)?(?:[\w’']+['’]s\s+)?(?:own\s+)?"
    r"(?P<name>(?!(?:the|a|an|its|their|his|her|our|this|that|whose|same|other|former)\b)"
    r"[a-z][a-z-]+\s+"
    rf"(?:{alt(VOCAB['org_nouns_lower'])}))(?:,\s(?P<appos>[^,]{{1,100}}),)?\s+"
    r"(?:(?:has|have|had|also|said|was)\s+)?(?P<verb>[a-z]+)\b"
)
_ANAPHOR = re.compile(
    # "the port company said" after "the Carrigmore Port Company": a word of the name
    # may qualify the noun
    rf"\b[Tt]he\s+(?:(?P<qual>[a-z][a-z-]+)\s+)?"
    rf"(?P<noun>{alt(VOCAB['org_nouns_lower'] | VOCAB['anaphor_nouns'])})"
    r"(?:\s+(?:has|have|had|also|then|later|itself))?\s+(?P<verb>[a-z]+)\b"
)
# A capitalised name and a lower-case body noun: "the Ifo institute said", "the Kelby
# County health department reported", "the U.N. health agency warned"; a
# "Munich-based" in front only places it.
_NAMED_LOWER = re.compile(
    rf"\b[Tt]he\s+(?:[{UP}][\w-]*-based\s+)?(?P<name>[{UP}][\w.'’-]*(?:\s+[{UP}][\w.'’-]*){{0,3}}"
    rf"(?:\s+[a-z]+)?\s+(?:{alt(VOCAB['org_nouns_lower'])}))"
    r"\s+(?:(?:has|have|had|also|was|were|on\s+\w+)\s+)?(?P<verb>[a-z]+)\b"
)
_LOOKBACK = 1500
_OWNER = re.compile(rf"(?P<owner>{NAME})['’]s\s+(?:[a-z-]+\s+){{0,2}}$")
_LOWER_OWNED = re.compile(
    r"\b[Tt]he\s+(?P<name>(?!(?:the|a|an|its|their|his|her|our|this|that|whose)\b)[a-z][a-z-]+\s+"
    rf"(?:{alt(VOCAB['org_nouns_lower'])}))['’]s\s+(?:own\s+|latest\s+|new\s+)?"
    rf"(?P<doc>(?:[\w-]+\s+){{0,2}}?(?:{alt(DOCUMENTS)}))\b"
)
_ENTRY = re.compile(
    rf"\W{{0,3}}(?P<name>(?:[Tt]he\s+)?{NAME}|{AUTHORS})\s*(?:,|\.|:|\s[-–—]\s)\s*"
    rf"(?:[A-Z]\.\s*)*(?:\((?P<year>{YEAR})\)\.?\s*)?[\"“*_]*(?P<title>[^\"”*_().]{{3,160}})"
)
_ENTRY_WORK = re.compile(
    rf"\W{{0,3}}(?:[Tt]he\s+)?(?P<name>{NAME})(?:['’]s)?\s+(?P<work>(?:[a-z][\w-]*\s+){{0,2}}?{DOC})\b"
)
# The journal after an entry's title, where a volume follows it: "… Title. Journal of
# Youth Studies, 12(3), 1–9." (APA, Harvard), "… "Title." Journal 60 (3): 412–21."
# (Chicago).  A book's publisher has no volume and is left out.
_JOURNAL_AFTER = (
    r"(?:[.?!][\"”]?|[\"”][.?!]?)\s+[*_]*(?P<journal>"
    rf"[{UP}][\w&'’:-]*(?:\s+(?:of|and|in|for|the|on|&|[{UP}][\w&'’:-]*)){{0,14}})[*_]*,?\s+\d"
)
_AUTHOR_DATE_TITLE = re.compile(
    rf"\W{{0,3}}(?:\[\d+\]|\d+[.)])?\s*(?P<first>[{UP}][\w'’-]+(?:\s+[{UP}][\w'’-]+)?),"
    rf"[^()]{{0,200}}?\((?P<year>{YEAR})[a-z]?\)\.?\s*[\"“]?(?P<title>[^.\"”]{{3,200}})"
    rf"(?:{_JOURNAL_AFTER})?"
)
# Chicago's author-date entry: "Marsh, Helena, and Bola Okoro. 2025. "Title." Journal 60
# (3): 412–21."; the year stands after the names, without brackets.
_CHICAGO = re.compile(
    rf"\W{{0,3}}(?:\[\d+\]|\d+[.)])?\s*(?P<first>[{UP}][\w'’-]+(?:\s+[{UP}][\w'’-]+)?),"
    rf"\s+[{UP}][^()\n]{{0,200}}?\.\s+(?P<year>{YEAR})[a-z]?\.\s+[\"“]?(?P<title>[^.\"”?!]{{3,200}}[?!]?)"
    rf"(?:{_JOURNAL_AFTER})?"
)


def _keys(phrases_: frozenset[str]) -> tuple[str, ...]:
    """The longest word of each phrase: a cheap test before the pattern runs."""
    return tuple({max(p.lower().split(), key=len) for p in phrases_})


# Words one of which a sentence must hold for a pattern to be tried at all: a
# set intersection with the sentence's words is far cheaper than the pattern.
_TITLED_KEYS = frozenset({"your", "his", "her", "their", "my", "our"})
_LOWER_KEYS = VOCAB["org_nouns_lower"]
_ANAPHOR_KEYS = VOCAB["org_nouns_lower"] | VOCAB["anaphor_nouns"]
# "A Street in Salford (1974)", "Scissors on the Nile (2019)", "Zahlen und Menschen
# (1998)": the end of a title, whose preposition may take an article.
_IN_TITLE = re.compile(rf"[{UP}][\w'’-]*\s+(?:in|of|on|for|from|at|to|und)\s+(?:the\s+|a\s+)?$")
# Any of them: a sentence with none (and no parenthesis for the author-year
# pattern) gives these patterns nothing to try.
KEYS = (
    UNNAMED_KEYS
    | SELF_KEYS
    | PEOPLE_KEYS
    | _TITLED_KEYS
    | _LOWER_KEYS
    | _ANAPHOR_KEYS
    | STUDY_KEYS
    | BOOK_KEYS
)
_YEAR_CLOSE = re.compile(rf"{YEAR}[a-z]?(?:[;)]|,\s*pp?\.)")
Words = frozenset[str]


def author_year_hits(sentence: str, words: Words) -> Iterator[Mention]:
    if "(" not in sentence or not _YEAR_CLOSE.search(sentence):
        return
    for m in _AUTHOR_YEAR.finditer(sentence):
        name = m.group("name") or m.group("pname")
        at = m.start("name") if m.group("name") else m.start("pname")
        first = name.split()[0].strip(",")
        if first in VOCAB["lead"] and first != "The" and " " in name:
            # "As Liu et al. (2003) first proposed": the discourse word is not the author's
            at += len(first) + 1
            name = name[len(first) :].lstrip()
            first = name.split()[0].strip(",")
        before = sentence[max(0, at - 30) : at].split()[-1:]
        if first in VOCAB["lead"] or first == "The" or (before and before[0] in _TITLE_NOUNS):
            continue  # "in her book The Northern Ports (1998)": a title, not an author
        if _IN_TITLE.search(sentence, max(0, at - 40), at):
            continue  # "A Street in Salford (1974)": the end of a title, not an author
        kind = classify(name, the=False, desc=False, at_start=False)
        kind = "person" if kind in ("weak", "single") or person_like(name) else kind
        if kind == "reject" and " " not in name and role_word(name):
            kind = "person"  # "Sen (1981)", "King (2010)", "Bishop (2006)": a surname
        if kind != "reject":
            yield Mention("named.author-year", name, at, at + len(name), kind)


def titled_hits(sentence: str, words: Words) -> Iterator[Mention]:
    if "," not in sentence or not _TITLED_KEYS & words:
        return
    for m in _TITLED.finditer(sentence):
        title = m.group("title")
        yield Mention("named.work", title, m.start("title"), m.end("title"), "work", title)


def lower_org_hits(sentence: str, words: Words) -> Iterator[Mention]:
    if not _LOWER_KEYS & words:
        return
    for m in _NAMED_LOWER.finditer(sentence):  # "the Munich-based Ifo institute said"
        if is_verb(m.group("verb")):
            name = " ".join(m.group("name").split())
            yield Mention("named.speech-verb", name, m.start("name"), m.end("name"), "org")
    for m in _LOWER_OWNED.finditer(sentence):  # "the agriculture ministry's own forecast"
        name = m.group("name")
        yield Mention("named.document", name, m.start("name"), m.end("name"), "org", m.group("doc"))
    for m in _LOWER_ORG.finditer(sentence):
        if not is_verb(m.group("verb")):
            continue
        owner = _OWNER.search(sentence, max(0, m.start("name") - 120), m.start("name"))
        if owner:  # "the European Parliament's legal affairs committee, in a report, proposed"
            name = owner.group("owner")
            yield Mention(
                "named.speech-verb", name, owner.start(), owner.start() + len(name), "org"
            )
            continue
        before = sentence[: m.start("name")].split()[-1:]
        if before and before[0][:1].isupper() and before[0] not in ("The", "A", "An"):
            continue  # "the UNICEF country office": the name before it is the source
        # "the statistics office, Statistics Norway, says": the appositive is the name.
        group = "appos" if (m.group("appos") or "")[:1].isupper() else "name"
        yield Mention("named.speech-verb", m.group(group), m.start(group), m.end(group), "org")


# "said a spokeswoman for the ministry, Anna Berg": the verb first, then the role and,
# after a comma, the person (the non-native "said a speaker of the ministry, X" too).
_INVERTED_VERBS = frozenset(
    {"said", "says", "told", "added", "explained", "wrote", "argued", "noted", "warned"}
    | {"confirmed", "stressed", "insisted", "admitted", "conceded", "replied"}
)
_ROLES = VOCAB["roles"]
_INVERTED = re.compile(
    rf"\b(?:{'|'.join(sorted(_INVERTED_VERBS))})(?:\s+(?:me|us|him|her|them|reporters))?"
    r"\s+(?:an?|the|one|its|their)\s+(?P<role>(?:[\w'’-]+\s+){0,2}?"
    rf"(?:{alt(VOCAB['roles'])}))(?:\s+(?:of|for|at|from|with)\s+(?:the\s+)?[^,.;\"”]{{1,50}}?)?"
    rf",\s+(?P<name>{NAME})"
)


def inverted_hits(sentence: str, words: Words) -> Iterator[Mention]:
    if "," not in sentence or not (_INVERTED_VERBS & words and _ROLES & words):
        return
    for m in _INVERTED.finditer(sentence):
        name, b, e, _ = clean(m.group("name"), m.start("name"))
        if classify(name, the=False, desc=False, at_start=False) == "person":
            role = " ".join(m.group("role").split())
            yield Mention("named.speech-verb", name, b, e, "person", role=role)


_GAP = r"(?:[^\S\n]+\n?|\n)[^\S\n]*"
# Words that open a sentence before the name: "When the Central Bank moved …".
_LEADING = re.compile(
    r"^(?:(?:The|In|On|At|As|For|When|While|After|Before|Since|Until|If|But|And)\s+)+"
    r"(?:the\s+)?"
)


def anaphor_hits(text: str, at: int, sentence: str, words: Words) -> Iterator[Mention]:
    """ "The fund said": the body named last with that noun in its name, nearby."""
    if not _ANAPHOR_KEYS & words:
        return
    for m in _ANAPHOR.finditer(sentence):
        if not is_verb(m.group("verb")):
            continue
        noun = m.group("noun")
        # the spaces of one line or of a line wrap, never a blank line: a name ends with
        # its paragraph ("… Economics Editor", then "When the Central Bank …")
        pattern = (
            rf"\b(?:[{UP}][\w'’-]*{_GAP}(?:(?:of|for|and|the|on){_GAP})*){{1,6}}{noun.title()}\b"
        )
        before = text[max(0, at + m.start() - _LOOKBACK) : at + m.start()]
        names = re.findall(pattern, before)
        qual = m.group("qual")
        if qual:  # the qualifier is a word of the name ("Port"), not a description
            names = [n for n in names if qual.title() in n.split()]
        if names:
            name = " ".join(_LEADING.sub("", names[-1]).split())
            yield Mention("named.speech-verb", name, m.start(), m.end("noun"), "org")


_ARTICLES = frozenset({"the", "a", "an"})
_NOTE_MARK = re.compile(r"\W{0,3}(?:\[\d{1,3}\]|\d{1,3}[.)]|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3})\s+")
_NOT_ENTRY = frozenset({"at", "in", "on", "from", "for", "with", "by", "to", "of", "as"})


def reference_entry(line: str) -> bool:
    """A line in the form of a reference: "Cull, R., … (2018). Title.", the
    Vancouver "Marsh H, Okoro B. Title. Journal. 2025;12:1-9." or a news article's
    ""Headline". Outlet. Date." (its headline is not prose to read for sources)."""
    return (
        _AUTHOR_DATE_TITLE.match(line) is not None
        or _CHICAGO.match(line) is not None
        or entry_line(line, 0, len(line))
        or news_entry(line) is not None
    )


def entry_hits(line: str) -> Iterator[Mention]:
    """One entry of a sources or references list: "Publisher, Title (year)"."""
    vancouver = list(vancouver_hits(line, frozenset()))
    if vancouver:  # "Marsh H, Okoro B. Title. Journal. 2025;…": a work, in its journal
        yield from vancouver
        return
    # "3. Vanguard, 11 December 2022.", "[4] Tone Vestby, Klassekampen, …", "¹ The Irish
    # Times, 4 March": a note's number or mark is not part of the name after it
    number = _NOTE_MARK.match(line)
    pos = number.end() if number else 0
    paired = outlet_entry(line, pos)
    if paired is not None:
        yield paired
        return
    news = news_entry(line)
    if news is not None:
        yield news  # the paper an article ran in; its reporter, if named, as well
    cited = _AUTHOR_DATE_TITLE.match(line) or _CHICAGO.match(line)
    if cited:  # "[3] Cull, R., Demirgüç-Kunt, A. and Morduch, J. (2018). The title."
        name, at = cited.group("first"), cited.start("first")
        title = " ".join(cited.group("title").split())
        kind = "person" if person_like(name) or re.fullmatch(rf"[{UP}][\w'’-]+", name) else "org"
        journal = news.name if news is not None else cited.group("journal")
        yield Mention("named.source-list", name, at, at + len(name), kind, title, journal)
    if news is not None or cited:
        return
    owned = _ENTRY_WORK.match(line, pos)
    if owned:  # "ICES advice on Baltic herring — …": the producer, then its work
        name = owned.group("name")
        kind = classify(name, the=True, desc=False, at_start=False)
        if kind in ("outlet", "org") and name.lower() not in _ARTICLES:
            title = " ".join(owned.group("work").split())
            yield Mention(
                "named.source-list", name, owned.start("name"), owned.end("name"), kind, title
            )
            return
    m = _ENTRY.match(line, pos)
    if m is None or m.group("name").split()[0].lower() in _NOT_ENTRY:
        return  # "At 6:10 I quote …": a sentence, not "Publisher, Title"
    name = re.sub(r"^[Tt]he\s+", "", m.group("name")).strip()
    kind = classify(name, the=True, desc=False, at_start=False)
    if kind == "reject" or name.lower() in _ARTICLES:
        return  # "The study we discuss: …" opens with an article, not a publisher's name
    if person_like(name) or (re.fullmatch(rf"[{UP}][\w'’-]+", name) and m.group("year")):
        kind = "person" if kind not in ("outlet",) or m.group("year") else kind
    work = " ".join(m.group("title").split()).strip(" ,.") or None
    if work and not re.sub(rf"{DATE.pattern}|\bpp?\b|[\W\d]", "", work):
        work = None  # "Vanguard, 11 December 2022, p. 6": the date, not a title
    at = m.start("name") + len(m.group("name")) - len(name)
    yield Mention("named.source-list", name, at, at + len(name), kind, work)
