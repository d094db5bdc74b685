"""The attribution patterns: a source after its trigger.

``right_hits``: "according to X", "told X", "a report by X", "the X's
annual report" (the source before its verb is ``left.py``, a sources line
``lines.py``).  Each is anchored at the trigger words found in the
sentence rather than scanned, so a sentence costs a bounded number of
attempts per word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from archive.extract.named.described import appositive_kind, described_as, make_mention
from archive.extract.named.grammar import (
    AUTHORS,
    DATE_WORDS,
    DAY,
    DOC,
    DOCUMENTS,
    MOD,
    MONTH,
    NAME,
    REF,
    TRIGGERS,
    VERBS,
    VOCAB,
    YEAR,
    alt,
)
from archive.extract.named.joined import parts
from archive.extract.named.mention import Mention
from archive.extract.named.names import (
    ACCEPT,
    affiliated,
    classify,
    clean,
    post_word,
)
from archive.extract.named.not_people import person_or_not, without_writer
from archive.extract.named.sources import lookup_source
from archive.extract.named.triggers import K, trigger_source, triggers_at, triggers_for

Words = list[tuple[str, int]]


@functools.cache
def _right_re(i: int) -> re.Pattern[str]:
    """Trigger ``i`` followed by the source.

    One pattern a trigger rather than one for each set of triggers a head word
    picks: tried in turn at one place, the first that matches is what their
    alternation would match, and a process compiles at most one pattern a
    trigger.  Each set's pattern took 10-20 ms to compile, so the first
    document a process read paid about a second for them.
    """
    return re.compile(
        r"(?:(?<![\w'’-])|(?=[,”\"]))"
        # Document nouns in lower case only: "the Review of Economic Studies" is a name.
        f"(?P<t{i}>(?i:{trigger_source(i)}))"
        r"\s+" + REF
    )


@functools.lru_cache(maxsize=65536)  # as ``triggers_at``: head words times pairs of letters
def _picks_at(word: str, start: str) -> tuple[tuple[int, re.Pattern[str]], ...]:
    """``triggers_at(word, start)`` with each trigger's compiled pattern."""
    return tuple((i, _right_re(i)) for i in triggers_at(word, start))


def _right_match(
    picks: tuple[tuple[int, re.Pattern[str]], ...], sentence: str, at: int
) -> tuple[re.Match[str], int] | None:
    """The first of the triggers ``picks`` that matches at ``at``, with the source after it."""
    for i, pattern in picks:
        m = pattern.match(sentence, at)
        if m is not None:
            return m, i
    return None


_DOC_IN = re.compile(rf"(?i:\b(?:{MOD}\s+){{0,2}}{DOC})\b")
_ARTICLES = frozenset({"a", "an", "the", "its", "their", "his", "her", "our", "of"})
_DOCREF_RE = re.compile(
    rf"(?<![\w'’-])(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|of)\s+(?:{MOD}\s+){{0,2}}(?P<name>{NAME})"
    # "the Central Bank of West African States' (BCEAO) quarterly statistics"
    rf"(?:(?:['’]s|(?<=s)['’])(?:\s+\([A-Z]{{2,8}}\))?\s+"
    rf"(?P<owned>(?:{MOD}\s+){{0,2}}(?:[\w:-]+\s+){{0,4}}?)(?P<title>(?i:{DOC}))"
    # "an analysis of Ministry of Justice court statistics": a lower-case word between
    # "the Ordnance Survey 25-inch map": a measure before the noun too; "the Central
    # Bank of West African States (BCEAO) balance-of-payments series": its acronym
    rf"|(?:\s+\([A-Z][A-Za-z&.-]{{1,9}}\))?\s+(?P<doc>(?:(?:[a-z]|\d+-[a-z])[\w-]*\s+)?{DOC}))\b"
)
# A name before a document noun and its producer is the work's title, not a
# source: "the Global Mangrove Watch dataset maintained by Aberystwyth University".
# A participle followed by where or when it came out describes the work cited before
# the name, not one the name holds: "estimates by the Economic Research Service of
# the USDA, published in a 1974 report".
_PRODUCED = re.compile(
    r"(?:\s+(?:platform|project|programme|program|database|initiative|tool|index))?"
    r"\s*,?\s+(?:(?:that|which)\s+(?:is|was)\s+)?(?:(?:now|still|also|currently|jointly)\s+)?"
    r"(?:run|maintained|compiled|kept|published"
    r"|produced|collected|prepared|released|issued|led|funded|by)\b"
    rf"(?!\s+(?:(?:in|on)\s+(?:an?\s|the\s|\d|{MONTH}|{DAY})|today|yesterday|(?:last|this)\s))"
)
_ADJECTIVE = re.compile(rf"\s+(?:[a-z-]+\s+)?(?:{alt(VOCAB['org_nouns_lower'])}|government)\b")
_BACK_HEADS = VOCAB["back_heads"]
# A lone capitalised word opening a sentence is a name only before these verbs
# ("Sandoz said"); before others it is a common noun ("Research showed").
_COLLEAGUES = re.compile(r"\s+(?:and\s+(?:colleagues|co-?authors|others)|et\s+al\b)")
_IN_BY = re.compile(rf"\bin\s+(?:the\s+)?(?P<c>{NAME})\s+by$")
_BY_AUTHORS = re.compile(rf"(?P<name>{AUTHORS})")


def right_hits(sentence: str, words: Words, heads: list[int]) -> Iterator[Mention]:
    """``heads``: the indices in ``words`` of the words in ``RIGHT_HEADS``, in order."""
    # Anchored at the few word starts just before each trigger word rather than
    # scanned: dense attribution text would otherwise cost a full scan per word.
    done = doc_done = 0
    for k in heads:
        word, at = words[k]
        if at < done:
            continue
        # Most triggers start with their head word; a few start up to four
        # words before it ("in an interview with", "as explained").
        picks = triggers_for(word)
        starts: list[int] = []
        if picks:  # a document noun no trigger spells is only read as a work's noun
            back = 4 if word in _BACK_HEADS else 0
            starts = [w_at for _, w_at in words[max(0, k - back) : k + 1]]
            # A comma or quote just before the head word can open a trigger too; only
            # the last character before the spaces matters, so the prefix is not copied.
            last = at - 1
            while last >= 0 and sentence[last].isspace():
                last -= 1
            if last >= 0 and sentence[last] in (",", "”", '"'):
                starts.insert(-1, last)  # after the words before the head, before the head
        for c in starts:
            found = (
                _right_match(_picks_at(word, sentence[c : c + K]), sentence, c)
                if c >= done
                else None
            )
            if found is None:
                continue
            m, i = found
            done = m.end()
            extractor, need, _ = TRIGGERS[i]
            doc = _DOC_IN.search(m.group(f"t{i}"))
            work = doc.group().strip() if doc else None
            the = (m.group("art") or "").strip().lower() == "the"
            desc = described_as(m)
            if desc == "outlet" and not m.group("desc") and need != "outlet":
                # "Data from the Orran Institute show …": the verb, not "the X show"
                desc = "" if m.group("suffix").split()[-1].lower() in VERBS else desc
            accept = ACCEPT["author" if work and need != "outlet" else need]
            if work and m.group(f"t{i}").rstrip().endswith(" in"):
                accept = ACCEPT["outlet"]  # "a paper in Nature"; not "the record in England"
            if _PRODUCED.match(sentence, m.end()):
                break  # "data from the MIX Market platform, now maintained by X": a work
            if _ADJECTIVE.match(sentence, m.end("name")) and " " not in m.group("name"):
                break  # "the German culture ministry": a nationality, not a name
            raw, raw_at = m.group("name"), m.start("name")
            person_at = affiliated(raw)
            if person_at and classify(person_at[1], the=True, desc="", at_start=False) == "outlet":
                raw = person_at[0]  # "an article by Jane Doe of the Guardian": both, apart
            if _for_outlet(raw) if work else False:
                raw = raw[: raw.index(" for ")]  # "Ifop for the Journal du Dimanche": two sources
            listed = _BY_AUTHORS.match(sentence, raw_at) if work else None
            if listed and len(listed.group()) > len(raw) and "," in listed.group():
                raw = listed.group()  # "a paper by Cox, Arnold and Villamayor Tomás"
            for name, b, e, the_part in parts(raw, raw_at, the):
                kind = classify(name, the=the_part, desc=desc, at_start=False)
                if kind in ("person", "weak") and _STAFF_OF.search(m.group(f"t{i}")):
                    kind = "org"  # "analysts at Goldman Sachs", "a spokeswoman for Tesla"
                if kind == "weak":  # "the data of Drewry, a consultancy in London"
                    appos = _APPOS_AFTER.match(sentence, e)
                    kind = (appositive_kind(appos.group()) if appos else None) or kind
                if kind == "weak" and work and need != "outlet":
                    by = m.group(f"t{i}").rstrip().endswith(" by")
                    people = _COLLEAGUES.match(sentence, e) or raw != m.group("name")
                    # "data from Kenya" names a place, "a report by Oxfam" a producer
                    kind = "person" if people else ("org" if by else "reject")
                outlet = _outlet_after(sentence, e) if kind == "person" else None
                if outlet is not None and extractor == "reporting-by":
                    accept = accept | {"person"}  # "reporting by Kim Osei at the Ledger"
                colleagues = _COLLEAGUES.match(sentence, e) if kind == "person" else None
                if colleagues:  # "a study by Aguilera and colleagues": the group, as cited
                    name, e = sentence[b : colleagues.end()], colleagues.end()
                if kind == "person":  # "output figures from Chile and Peru"
                    name, e = without_writer(name, b, e)
                    kind = person_or_not(sentence, b, e, name)
                if kind in accept:
                    mention = make_mention(sentence, f"named.{extractor}", name, b, e, kind, work)
                    inside = _IN_BY.search(m.group(f"t{i}"))
                    if inside and inside.group("c").split()[0] not in DATE_WORDS:
                        mention.container = mention.container or inside.group("c")
                    yield mention
                    if outlet is not None:
                        outlet.extractor, outlet.work = mention.extractor, work
                        yield outlet
                    if work:
                        yield from _commissioner(sentence, e, work)
                    if need != "outlet":
                        yield from _listed_after(sentence, e, f"named.{extractor}", work)
            break
        if word not in DOCUMENTS:
            continue
        # "Amara relied on David Oshinsky's book": a possessive name right before
        # the noun wins over an article further back ("For the history of …").
        owned = _owned(sentence, words, k, doc_done)
        if owned is not None:
            doc_done = owned.end
            yield owned
            continue
        articles = [
            a
            for w, a in words[max(0, k - 14) : k]
            if w in _ARTICLES and a >= doc_done and (w != "of" or sentence[a + 3 : a + 4].isupper())
        ]  # "of" only before a capital: "an analysis of Ministry of Justice statistics"
        articles = articles[-2:]  # the nearest: "a leaked 2019 UN report", "the X's report"
        for m in filter(None, (_DOCREF_RE.match(sentence, a) for a in articles)):
            doc_done = m.end()
            if m.group("doc") and _PRODUCED.match(sentence, m.end()):
                break
            if m.group("doc") and _ADJECTIVE.match(sentence, m.end()):
                break  # "the EU statistics office said": a body, not a document
            work = " ".join(
                ((m.group("owned") or "") + (m.group("doc") or m.group("title"))).split()
            )
            for name, b, e, _ in parts(m.group("name"), m.start("name"), False):
                kind = classify(name, the=False, desc=False, at_start=False)
                if kind in ACCEPT["source"]:
                    yield make_mention(sentence, "named.document", name, b, e, kind, work)
            break


# A possessive name before a document noun with no article in front ("Audit
# Scotland's warning", "Kai Kupferschmidt's piece in Science"): a person's
# own work makes the person a source here, unlike "the minister's report".
_OWNED_RE = re.compile(
    rf"(?P<name>{NAME})['’]s\s+(?P<owned>(?:{MOD}\s+){{0,2}}(?:[\w:-]+\s+){{0,2}}?"
    # a quoted title between: UEFA's "European Club Finance Landscape" report
    rf"(?:[“\"][^”\"]{{1,100}}[”\"]\s+)?)"
    rf"(?P<title>(?i:{DOC}))\b"
)


def _owned(sentence: str, words: Words, k: int, done: int) -> Mention | None:
    at = words[k][1]
    lo = words[max(0, k - 14)][1]
    if not k or (sentence.find("'s", lo, at) < 0 and sentence.find("’s", lo, at) < 0):
        return None  # no possessive before the noun: most document nouns have none
    window = words[max(0, k - 14) : k]
    for _, a in window:
        if a < done or not sentence[a].isupper() or (a and sentence[a - 1] not in ' \t\n(“"-'):
            continue
        m = _OWNED_RE.match(sentence, a)
        if m is None or m.start("title") != at:
            continue
        if any(post_word(p) for w in m.group("owned").split() for p in w.split("-")):
            return None  # "Kelby University's Pro-Vice-Chancellor for Research": a post
        work = " ".join((m.group("owned") + m.group("title")).split())
        title = m.group("title").lower()
        authored = title in _WORKS or (title[:-1] in _WORKS - _SINGULAR and title.endswith("s"))
        for name, b, e, _ in parts(m.group("name"), m.start("name"), False):
            kind = classify(name, the=False, desc=False, at_start=b == 0)
            if kind == "weak" and " " in name:
                kind = "org"  # "Audit Scotland's warning": a body's own statement
            if kind == "person" and not authored:
                return None  # "President Emmanuel Macron's plan": a policy, not a work
            if kind in ("single", "weak") and authored and " " not in name:
                # "Volin's earlier survey of Soviet agriculture (1970)": an author's dated
                # work; without the year a lone word may be a place ("Spain's report")
                dated = _YEAR_AFTER.search(sentence, m.end(), m.end() + 80)
                kind = "person" if dated else kind
            if kind in ACCEPT["speaker"]:
                return make_mention(sentence, "named.document", name, b, e, kind, work)
        return None
    return None


_WORKS = VOCAB["work_nouns"] | VOCAB["self_nouns"]
_YEAR_AFTER = re.compile(rf"\(\s*{YEAR}")
_SINGULAR = VOCAB["singular_work_nouns"]


# People who speak for a body, before it: what follows is the body.
_STAFF_OF = re.compile(
    r"(?i:spokes(?:man|woman|person)|representative|researchers|analysts|economists|scientists"
    r"|experts)\s+(?:for|of|at|from|with)\s*$"
)
# "the data of Drewry, a consultancy in London"; "managed by Agrovia, which runs …"
_APPOS_AFTER = re.compile(r",\s+(?:(?:a|an|the)\s+[^,.;]{1,60}|which\b)")


_FOR_SPLIT = re.compile(r"(?P<a>.+?)\s+for\s+(?:the\s+)?(?P<b>.+)$")
_FOR = re.compile(rf"\s+for\s+(?:the\s+)?(?P<name>{NAME})")


def _for_outlet(raw: str) -> bool:
    """ "A for the B" names two sources when B is an outlet and A is no body "for" B;
    a body's name before a known news outlet is the pollster or the researcher that
    worked for it ("the Japan Research Center for NHK")."""
    split = _FOR_SPLIT.match(raw)
    if split is None:
        return False
    known = lookup_source(split.group("b"))
    if known is not None and known.kind == "news":
        return True
    if set(split.group("a").lower().split()) & VOCAB["org_words"]:
        return False
    return classify(split.group("b"), the=True, desc="", at_start=False) == "outlet"


_AT = re.compile(rf"\s+(?:at|of|for|with)\s+(?P<the>the\s+)?(?P<name>{NAME})")


def _outlet_after(sentence: str, end: int) -> Mention | None:
    """A journalist's publication after their name: "reporting by Kim Osei at the
    Harbor City Ledger" cites both the reporter and the paper."""
    m = _AT.match(sentence, end)
    if m is None:
        return None
    name, b, e, _ = clean(m.group("name"), m.start("name"))
    if classify(name, the=bool(m.group("the")), desc=False, at_start=False) != "outlet":
        return None
    return Mention("named.reporting-by", name, b, e, "outlet")


# "obtained from the Czech Hydrometeorological Institute (CHMI), the Polish … and the
# Slovak …": the bodies listed after the first, each with its abbreviation.
_LIST_MORE = re.compile(
    rf"(?:\s+\([A-Z][\w-]{{1,9}}\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+(?:together\s+)?with\s+|\s+alongside\s+)"
    rf"(?:of\s+|from\s+|by\s+)?(?P<the>the\s+)?(?P<name>{NAME})"
)


def _listed_after(sentence: str, end: int, extractor: str, work: str | None) -> Iterator[Mention]:
    """The further bodies of a list after a trigger's first source; a list of bodies only."""
    while (m := _LIST_MORE.match(sentence, end)) is not None:
        # Only "the X" or a known name: "the Ministry of Housing, Communities and Local
        # Government" is one name with a comma in it.
        name, b, e, _ = clean(m.group("name"), m.start("name"))
        if not (m.group("the") or lookup_source(name)):
            return
        pieces = list(parts(m.group("name"), m.start("name"), bool(m.group("the"))))
        kinds = [classify(n, the=t, desc=False, at_start=False) for n, _, _, t in pieces]
        if not all(kind in ("outlet", "org") for kind in kinds):
            return
        end = m.end("name")
        for (name, b, e, _), kind in zip(pieces, kinds, strict=True):
            yield Mention(extractor, name, b, e, kind, work)


def _commissioner(sentence: str, end: int, work: str) -> Iterator[Mention]:
    """ "A poll by Ifop for the Journal du Dimanche": the outlet that commissioned it."""
    m = _FOR.match(sentence, end)
    if m and classify(m.group("name"), the=True, desc="", at_start=False) == "outlet":
        name, b = m.group("name"), m.start("name")
        yield Mention("named.report-by", name, b, b + len(name), "outlet", work)
