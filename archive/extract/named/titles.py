"""Works cited by their titles alone: court cases, and titles a document noun introduces.

A court case is cited by its parties: "the trial record in State v. Merrow
(Cascade Superior Court, 2020)", "the court relied on Roe v. Wade", "R v
Jogee [2016] UKSC 8", "In re Gault", "Ex parte Young".  The same shape names
a fixture in sports writing ("Arsenal v Chelsea"), so a case needs a word of
the law in its sentence, a citation mark after it (a court or year in
brackets, a report volume) or a prosecuting party ("State", "People", "R").

A report, survey, plan or paper is cited by its title when the text hangs the
title on a document noun: in apposition ("the 2020 decadal survey, Pathways to
Discovery in Astronomy and Astrophysics for the 2020s, asked for …"), after
"titled", "entitled", "called" or "known as" ("a white paper titled
Reimagining the Kerbside"), or in quotes or emphasis right after the noun ("a
new report "Fragile Futures" found").  The title is the work's name.  A noun owned
by a source ("its 2023 report", "the agency's review") leaves the citation to
that owner, a noun of the text itself ("this report, …") to the author, and a
bare "the report, X," points back to a report already introduced (in a press
release, most often the publisher's own).

Both are tried from their own key words, found with ``str.find``; sentences
without them cost one set intersection.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import NAME, UP, VOCAB, YEAR, is_verb
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, person_like
from archive.extract.named.sources import lookup_source

# --- court cases -------------------------------------------------------------------

_CASE_MARKS = (" v. ", " v ", " vs. ", " vs ", " versus ")
_CASE_KEYS = frozenset({"v", "vs", "versus"})
# The words of the law that make "X v Y" a case, not a fixture.
_LEGAL = VOCAB["legal_words"]
# Parties that only a prosecution or a petition has.
_PROSECUTORS = frozenset(
    {"State", "People", "Commonwealth", "R", "Regina", "Rex", "Crown", "United States"}
)
_FIRST_PARTY = re.compile(rf"(?<![\w'’-])(?P<name>{NAME})$")
_SECOND_PARTY = re.compile(rf"(?P<name>{NAME})")
# "(Cascade Superior Court, 2020)", "[2016] UKSC 8", "(1973)", ", 410 U.S. 113".
_CITATION_MARK = re.compile(
    rf"\s*(?:[(\[][^()\[\]\n]{{0,60}}?\b{YEAR}\b|(?P<volume>,\s+\d{{1,4}}\s+[{UP}]))"
)
_COURT = re.compile(rf"\s*\(\s*(?P<court>[{UP}][^,()\n]{{2,60}}?),\s*{YEAR}\s*\)")
_BY_ITSELF = re.compile(rf"(?<![\w'’-])(?P<lead>In\s+re|Ex\s+parte)\s+(?P<name>{NAME})")
_REACH = 120


def _party_start(name: str) -> int:
    """Where a party's name starts once the discourse words before it are dropped
    ("In State v. Merrow", "But Roe v. Wade")."""
    words = name.split()
    skip = 0
    while skip < len(words) - 1 and words[skip] in VOCAB["lead"] | {"The"}:
        skip += 1
    return len(" ".join(words[:skip])) + (1 if skip else 0)


def _trim(name: str) -> str:
    """ "Wade's" and a closing stop are not the party's."""
    for end in ("'s", "’s", "."):
        if name.endswith(end) and not name.endswith(("Inc.", "Ltd.", "Co.", "Corp.")):
            name = name[: -len(end)]
    return name


def _cases(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    legal = not _LEGAL.isdisjoint(words)
    for mark in _CASE_MARKS:
        at = sentence.find(mark)
        while at > 0:
            yield from _case_at(sentence, at, mark, legal)
            at = sentence.find(mark, at + len(mark))


def _case_at(sentence: str, at: int, mark: str, legal: bool) -> Iterator[Mention]:
    first = _FIRST_PARTY.search(sentence, max(0, at - _REACH), at)
    second = _SECOND_PARTY.match(sentence, at + len(mark))
    if first is None or second is None:
        return
    start = first.start() + _party_start(first.group("name"))
    party = sentence[start:at]
    end = second.start() + len(_trim(second.group("name")))
    mark_at = _CITATION_MARK.match(sentence, end)
    marked = mark_at is not None
    # A bare "v" is also a preposition of Czech, Slovak and Slovene names ("Okresní soud v
    # Brně"): without its stop it takes a citation mark or a prosecuting party.
    legal = legal and mark != " v "
    # "Argentina vs. Germany (2014)", "Lula versus Bolsonaro (2022)": a match or a race
    # has its year in brackets too; "vs." and "versus" need a word of the law.
    volume = mark_at is not None and mark_at.group("volume") is not None
    marked = volume or (marked and mark in (" v. ", " v "))
    if not (legal or marked or party in _PROSECUTORS):
        return  # "Arsenal v Chelsea": a fixture
    name = " ".join(sentence[start:end].split())
    # "(Cascade Superior Court, 2020)": the court is where the case was decided, its
    # container, and the span takes the bracket so the court is no source of its own
    court = _COURT.match(sentence, end)
    container = " ".join(court.group("court").split()) if court else None
    span_end = mark_at.end() if mark_at is not None else end
    yield Mention("named.case", name, start, span_end, "work", name, container)


def _by_itself(sentence: str) -> Iterator[Mention]:
    """ "In re Gault", "Ex parte Young": a case of one party."""
    for m in _BY_ITSELF.finditer(sentence):
        end = m.start("name") + len(_trim(m.group("name")))
        name = " ".join(sentence[m.start() : end].split())
        yield Mention("named.case", name, m.start(), end, "work", name)


# --- titles hung on a document noun --------------------------------------------------

# A title in quotes or emphasis (any case inside), or bare in Title Case: capitalised
# words, the small words of titles between them ("Pathways to Discovery in Astronomy
# and Astrophysics for the 2020s", "Vision 2030").
_SMALL = (
    "of|the|and|for|in|on|a|an|to|with|without|from|at|over|under|after|before|into"
    "|through|between|beyond|against|behind|across|around|among|upon|about|or|vs"
)
_BARE = rf"[{UP}0-9][\w'’-]*(?:(?:\s+(?:{_SMALL}))*\s+[{UP}0-9][\w'’:-]*){{0,12}}"
_QUOTED = r"(?P<open>[“\"‘*_]{1,2})(?P<qtitle>[" + UP + r"0-9][^”\"*_\n]{2,150}?)[”\"’*_]{1,2}"
# "titled", "entitled", "called", "known as", "under the title".
_NAMING = r"(?:titled|entitled|called|named|dubbed|known\s+as|under\s+the\s+title)\s*:?\s+"
_HUNG = re.compile(
    rf"(?:\s*,\s+(?P<naming1>{_NAMING})?|\s+(?P<naming2>{_NAMING})|\s+(?=[“\"‘*_]))"
    rf"(?:{_QUOTED}|(?P<title>{_BARE}))"
)
# What may follow an appositive title: the comma or bracket that closes it, or the
# sentence's end.
_CLOSED = re.compile(r"\s*(?:[,;:)(]|[.?!]?\s*$|\.\s)")
# The words before the noun: a determiner and up to three modifiers ("the 2020 decadal
# survey", "a new white paper").
_DETERMINED = re.compile(
    rf"(?:^|(?<=[\s(]))(?P<det>[Tt]he|[Aa]n?|[Oo]ne|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|[Tt]his"
    rf"|[Oo]ur|[Mm]y|[\w’'-]+['’]s)\s+(?P<mods>(?:(?:{YEAR}|[\w-]+)\s+){{0,3}})$"
)
# Owners that cite the work through themselves, and the text's own words.
_OWNED = frozenset({"its", "their", "his", "her", "this", "our", "my"})
_TITLE_KEYS = frozenset({"titled", "entitled", "called", "named", "dubbed", "known", "title"})
_PRODUCER_WORDS = VOCAB["org_words"] | VOCAB["outlet_words"]


_WORKS = VOCAB["titled_works"] | frozenset(
    n[:-1] + "ies"
    if n.endswith("y") and n[-2] not in "aeiou"
    else n + ("es" if n.endswith("s") else "s")
    for n in VOCAB["titled_works"]
)


def _noun_places(sentence: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """Each noun of a titled work in lower case, as a whole word."""
    found = []
    lowered = sentence.lower()
    for noun in _WORKS & words:
        at = lowered.find(noun)
        while at > 0:
            end = at + len(noun)
            if (
                sentence[at].islower()
                and not lowered[at - 1].isalnum()
                and (end == len(lowered) or not lowered[end].isalnum())
            ):
                found.append((at, end))
            at = lowered.find(noun, end)
    return found


def _a_title(title: str, quoted: bool) -> bool:
    """Not a name: no known source, person, body or outlet in apposition."""
    words = title.split()
    if words[0] in VOCAB["lead"] - {"A", "An", "The", "On", "In", "For", "After", "Over"}:
        return False
    if lookup_source(title) is not None:
        return False
    if quoted:
        return True
    if len(words) < 2 or {w.lower() for w in words} & _PRODUCER_WORDS:
        return False
    if any(w.islower() for w in words):
        return True  # "Cities at Risk": the small words of a title, never of a name
    # "the report, John Smith, …": capitalised words alone may be a person in apposition
    return not person_like(title) and classify(title, the=False, desc=False, at_start=False) != (
        "person"
    )


# "Cities at Risk, a 2022 report, estimated …", "*The Salt Road*, a new documentary,
# follows …": the title first, then the noun in apposition, read back from the noun.
_TITLE_FIRST = re.compile(
    rf"(?:^|(?<=[\s(]))(?:{_QUOTED}|(?P<title>{_BARE})),\s+(?:an?|the)\s+"
    rf"(?:(?:{YEAR}|[a-z][\w-]*)\s+){{0,3}}$"
)


def _title_first(sentence: str, at: int, end: int) -> Iterator[Mention]:
    m = _TITLE_FIRST.search(sentence, max(0, at - 200), at)
    if m is None or sentence[end : end + 1] in ("'", "’"):
        return  # "John Smith, the report's author": a possessive, not the noun
    quoted = m.group("qtitle") is not None
    t_start = m.start("qtitle") if quoted else m.start("title")
    if not quoted and sentence[:t_start].strip(' \t"“*_-•') == "":
        return  # "Across the Atlantic, a new study …": a sentence's opening words
    title = " ".join((m.group("qtitle") if quoted else m.group("title")).split())
    if not quoted and not {w for w in title.split() if w.islower()} - {"and", "or"}:
        return  # "in Bavaria and Saxony, a new study shows": places, not a title
    if not _a_title(title, quoted) or _MADE_BY.match(sentence, end):
        return  # "X, a report by the Y": the maker is cited, with X as its work
    yield Mention("named.title", title, t_start, t_start + len(title), "work", title)


def _hung_titles(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    for at, end in _noun_places(sentence, words):
        det = _DETERMINED.search(sentence, max(0, at - 60), at)
        if det is None:
            continue
        if "," in sentence[max(0, det.start() - 3) : det.start()]:
            yield from _title_first(sentence, at, end)
        owner = det.group("det").lower()
        if owner in _OWNED or owner.endswith(("'s", "’s")):
            continue
        if owner == "the" and not det.group("mods"):
            # "The report, Edges of the Sea, combines …": a report the text has already
            # introduced, most often its own publisher's, which is cited as such
            continue
        m = _HUNG.match(sentence, end)
        if m is None:
            continue
        quoted = m.group("qtitle") is not None
        title = m.group("qtitle") if quoted else m.group("title")
        naming = (m.group("naming1") or m.group("naming2") or "").split()
        # "titled", "entitled", "known as" only name a title; "a report named Spain and
        # Italy as …", "a study called for …" use the same words as verbs
        named = bool(naming) and naming[0] not in ("named", "called", "dubbed")
        t_start = m.start("qtitle") if quoted else m.start("title")
        if not quoted and not named and _CLOSED.match(sentence, m.end()) is None:
            continue  # "the report, Reuters said": a clause goes on, no title
        title = " ".join(title.split()).strip(" ,.;:")
        if not title or not _a_title(title, quoted):
            continue
        if (
            _MADE_BY.match(sentence, m.end())
            or _MADE_BEFORE.search(sentence, max(0, det.start() - 80), det.start())
            or _speaks_through(sentence, det.start(), m.end())
        ):
            # "a documentary "X" by Y", "the city presented last week a new plan, Madrid
            # 360": the maker is the source, with the title as its work
            continue
        yield Mention("named.title", title, t_start, t_start + len(title), "work", title)


def title_hits(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    """Court cases by their parties, and works by a title a document noun introduces."""
    if not _CASE_KEYS.isdisjoint(words):
        yield from _cases(sentence, words)
    if ("re" in words or "parte" in words) and (" re " in sentence or "parte " in sentence):
        yield from _by_itself(sentence)
    if _WORKS.isdisjoint(words):
        return
    if "," in sentence or not _TITLE_KEYS.isdisjoint(words) or _MARKS_RE.search(sentence):
        yield from _hung_titles(sentence, words)


# "Human Rights Watch said in a new report, "Left Behind", that …", "In a new report,
# "Left Behind", the NGO says …": the maker speaks through its work and is the source.
_SPEAKER_BEFORE = re.compile(
    rf"(?<![\w'’-])[{UP}][\w'’&.-]*(?:\s+[\w'’&.-]+){{0,5}}?\s+(?:(?:has|have|had|also)\s+)?"
    r"(?P<verb>[a-z]+)\s+(?:in|on|through|with)\s+$"
)
_SPEAKER_AFTER = re.compile(
    r"[”\"’*_]{0,2}\s*,\s+(?P<subject>(?:(?:the|its|their|an?)\s+(?:[a-z][\w-]*\s+){0,2})?"
    rf"(?:[{UP}][\w'’&.-]*\s+){{0,5}})(?:(?:also|has|have|had)\s+)?(?P<verb>[a-z]+)\b"
)


def _speaks_through(sentence: str, det: int, end: int) -> bool:
    before = _SPEAKER_BEFORE.search(sentence, max(0, det - 80), det)
    if before is not None and is_verb(before.group("verb")):
        return True
    after = _SPEAKER_AFTER.match(sentence, end)
    # a subject before the verb: "…, the journalist Ana Ruiz explains"; with none the
    # title is the subject itself ("The 2022 report, Cities at Risk, estimated …")
    return after is not None and bool(after.group("subject")) and is_verb(after.group("verb"))


# A maker named with the work is the source, cited for it by the other patterns.
# "a study "X" of the University of Salamanca" (non-native English for "by") too.
_MADE_BY = re.compile(
    rf"[”\"’*_]{{0,2}}\s*,?\s+(?:[a-z]+ed\s+|written\s+|made\s+)?(?:by|from|of)\s+"
    rf"(?:the\s+)?[{UP}]"
)
_MADE_BEFORE = re.compile(
    r"\b(?:published|publishes|released|releases|produced|produces|issued|issues|ran|runs"
    r"|aired|airs|made|makes|wrote|writes|directed|directs|commissioned|presented|presents"
    r"|launched|launches|unveiled|unveils|introduced|introduces|announced|announces|adopted"
    r"|adopts|approved|approves|prepared|prepares|drafted|drafts|submitted|submits|tabled"
    r"|tables|delivered|delivers|filmed|films|shot|recorded|records|edited|edits)"
    r"\s+(?:[\w,-]+\s+){0,4}?$"
)
_MARKS_RE = re.compile(r"[“\"‘*_]")
