"""Mentions into citations: one citation per source and work in a document.

The same leaked memo named three times is one citation that keeps all three
places; two reports by the same body stay two citations.  Within one
document a short form joins its full name: an acronym its expansion ("EMA",
"European Medicines Agency"), a surname its person ("Ortiz", "Rafael
Ortiz"), a tail its whole ("the Commission", "the European Commission").
"""

from __future__ import annotations

import re
from typing import Any

from archive.extract.named.grammar import CONNECTORS, DATE, NAME, UP, VOCAB
from archive.extract.named.mention import Mention
from archive.extract.named.names import clean
from archive.extract.named.sources import lookup_source, normalise_name
from archive.extract.types import ExtractedCitation

_CLAUSE_SEP = re.compile(r"[;—–(){}\[\]]|\s-\s")
_QUOTE = re.compile(r"[“\"](?P<q>[^”\"]{3,600})[”\"]")
_KINDS = {"outlet": "outlet", "org": "organisation", "weak": "organisation"}
_WORK_NOISE = re.compile(r"\b(?:a|an|the|its|their|his|her|our|my|own|new|latest|\d{4})\b")


def _date_hint(text: str, start: int, end: int, name_start: int, name_end: int) -> str | None:
    """The date nearest to the name within its clause ("leaked via X in 2009")."""
    for sep in _CLAUSE_SEP.finditer(text, start, end):
        if sep.end() <= name_start:
            start = sep.end()
        elif sep.start() >= name_end:
            end = sep.start()
            break
    best: tuple[int, str] | None = None
    for m in DATE.finditer(text, start, end):
        if m.start() < name_end and m.end() > name_start:
            continue
        distance = m.start() - name_end if m.start() >= name_end else name_start - m.end()
        if best is None or distance < best[0]:
            best = (distance, m.group())
    return best[1] if best else None


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in CONNECTORS and w[:1].isupper())


def _key(m: Mention) -> str:
    if m.kind in ("anonymous", "self"):
        return f"{m.kind}:{normalise_name(m.work or m.name)}"
    known = lookup_source(m.name)
    return known.name.lower() if known else normalise_name(m.name)


# The lead author of a group: "Murphy et al." and "Aoife Murphy and colleagues" are the
# same group by its lead's surname, the last word before "et al." or "and colleagues".
_GROUPED = re.compile(
    r"(?:[^\s,]+\s+){0,3}?(?P<lead>[^\s,]+),?\s+"
    r"(?:et\s+al\.?|and\s+(?:colleagues|co-?authors|others))"
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")


def _surnames(name: str) -> tuple[str, ...] | None:
    """ "Okafor and Lind" and "Maria Okafor and Jonas Lind": the same authors by their
    surnames in order, the last word of each; None for one author or a group."""
    if " and " not in name and "&" not in name:
        return None
    pieces = [p.split() for p in _AUTHOR_SPLIT.split(name.strip(" ,."))]
    if not all(pieces) or any(len(p) > 4 for p in pieces):
        return None
    return tuple(p[-1].lower() for p in pieces)


def _aliases(mentions: list[Mention]) -> dict[str, str]:
    """Short forms of a source, mapped to the key of its full name in this document."""
    full = {_key(m): m for m in mentions if m.kind not in ("anonymous", "self")}
    out: dict[str, str] = {}
    by_initials: dict[str, list[str]] = {}
    by_surname: dict[str, list[str]] = {}
    # "Jack and Suri (2014)" in the text and "Jack, W., Suri, T. (2014). …" in
    # the references are one work: the entry's first surname finds the group.
    by_first: dict[str, list[str]] = {}
    for key, m in full.items():
        if len(m.name.split()) > 1:
            by_initials.setdefault(_initials(m.name), []).append(key)
        if m.kind == "work" and len(m.name.split()) > 1:
            by_first.setdefault(m.name.split()[0].strip(",").lower(), []).append(key)
        if m.kind == "person" and "," not in m.name and " and " not in m.name:
            by_surname.setdefault(m.name.split()[-1].lower(), []).append(key)
    # Longer keys by their first word and by their last one or two words: a
    # short form looks up the few keys it can be the head or the tail of, so
    # a document naming thousands of sources does not compare each with all.
    by_head: dict[str, list[str]] = {}
    by_tail: dict[tuple[str, ...], list[str]] = {}
    # "Hughes et al. (2017)" and "Hughes and colleagues, writing in Nature": one
    # work under two group forms of its lead author; the first form named keeps it.
    by_lead: dict[str, str] = {}
    # "Okafor and Lind (2020)" after "a 2020 paper by Maria Okafor and Jonas Lind": one
    # work under its authors' full names and their surnames; the first form named keeps it.
    by_names: dict[tuple[str, ...], str] = {}
    for key, m in full.items():
        group = _GROUPED.fullmatch(m.name) if m.kind == "work" else None
        if group is not None:
            lead = group.group("lead").lower()
            if by_lead.setdefault(lead, key) != key:
                out[key] = by_lead[lead]
        names = _surnames(m.name) if m.kind == "work" else None
        if names is not None and by_names.setdefault(names, key) != key:
            out[key] = by_names[names]
    for key in full:
        words = key.split()
        if len(words) > 1:
            by_head.setdefault(words[0], []).append(key)
        for n in (1, 2):
            if len(words) > n:
                by_tail.setdefault(tuple(words[-n:]), []).append(key)
    for key, m in full.items():
        words = key.split()
        candidates: list[str] = []
        if re.fullmatch(r"[A-Z]{2,6}", m.name):
            candidates = by_initials.get(m.name, [])
        elif m.extractor == "named.source-list" and len(words) == 1 and by_first.get(words[0]):
            candidates = by_first[words[0]]
        elif len(words) == 1 and by_surname.get(words[0]):
            # "Aasen" after "Sigrid Aasen": the surname is a person of its own name too
            candidates = [k for k in by_surname[words[0]] if k != key]
        if not candidates and len(words) == 1 and m.kind in ("single", "weak", "org"):
            # "Halvard also announced", after "Halvard Semiconductor ASA reported"
            heads = by_head.get(words[0], [])
            candidates = [k for k in heads if k != key and k.startswith(key + " ")]
        if not candidates and len(words) <= 2 and m.kind != "work":
            # a work cited by one surname ("Yang (2008)") is not a co-author's other work
            tails = by_tail.get(tuple(words), []) if words else list(full)
            candidates = [
                k
                for k in tails
                if k != key
                and len(k.split()) > len(words)
                and k.endswith(" " + key)
                and full[k].kind != "work"  # "Ostrom" is no tail of "Hess and Ostrom"
            ]
        if len(set(candidates)) == 1 and candidates[0] != key and key not in out:
            out[key] = candidates[0]
    return out


def _work_key(work: str | None) -> str | None:
    if not work:
        return None
    return " ".join(_WORK_NOISE.sub(" ", work.lower()).split()) or work.lower()


def _source_type(group: list[Mention]) -> str:
    kinds = [m.kind for m in group]
    for kind in ("anonymous", "self", "work", "person"):
        if kind in kinds:
            return kind
    known = lookup_source(group[0].name)
    if known is not None:
        return "outlet" if known.kind in ("news", "journal") else "organisation"
    return "outlet" if "outlet" in kinds else "organisation"


_ABBR = re.compile(r"[A-Z][A-Za-z-]{1,9}")
_PAREN = re.compile(r"\((?P<in>[^()\n]{2,80})\)")
_NAME_END = re.compile(rf"(?P<name>{NAME})\s*$")
_ABBR_END = re.compile(r"(?<![\w-])(?P<abbr>[A-Z][A-Za-z-]{1,9})\s*$")
_FULL = re.compile(rf"(?:[Tt]he\s+)?{NAME}")


def _expansions(text: str, mentions: list[Mention]) -> dict[str, str]:
    """Abbreviations the document defines: "the Federal Statistical Office (Destatis)",
    "the ICCO (International Cocoa Organization)".  A source named by one is cited under
    its full name, as a reader would look it up."""
    short = {
        m.name
        for m in mentions
        if _ABBR.fullmatch(m.name) and m.kind not in ("person", "anonymous", "self", "work")
    }
    out: dict[str, str] = {}
    for p in _PAREN.finditer(text) if short else ():
        inner = p.group("in").strip()
        if inner in short:
            before = _NAME_END.search(text, max(0, p.start() - 150), p.start())
            full = clean(before.group("name"), 0)[0] if before else ""
        else:
            prev = _ABBR_END.search(text, max(0, p.start() - 12), p.start())
            inner, full = (prev.group("abbr"), inner) if prev else ("", "")
            full = clean(full, 0)[0] if inner in short and _FULL.fullmatch(full) else ""
        if len(full.split()) > 1 and inner not in out:
            out[inner] = full
    return out


# "the council's consultation report" in a text that names Kelbridge City Council, "the
# authority's implementation plan" after the Harwell Regional Health Authority: a body
# named by its lower-case noun is the one body of the text whose name ends in that
# noun ("… Council", "… Authority") or opens with it ("Ministry of …").  The body is
# the source and the document its work; with no such name, or several, the document
# stays the citation, named by the words the text uses.
_OWNED_DOC = re.compile(
    rf"(?:[Tt]he\s+)?(?P<owner>{'|'.join(sorted(VOCAB['document_owners']))})['’]s\s+"
    r"(?:own\s+)?(?P<doc>.+)"
)
_BODY_WORD = rf"[{UP}][\w'’.&-]*"
_HEAD_OF = re.compile(
    rf"\s+(?:of|for)\s+(?:the\s+)?(?:{_BODY_WORD}\s+(?:and\s+)?){{0,3}}{_BODY_WORD}(?![\w-])"
)
_BEFORE_HEAD = re.compile(rf"(?<![\w'’.-])(?:{_BODY_WORD}\s+(?:(?:of|for|and|on)\s+)?){{1,5}}$")


def _body_named(text: str, owner: str) -> str | None:
    """The one capitalised name in ``text`` with ``owner`` as its head noun.

    Read from each place the capitalised head stands (``str.find``), back to the
    words before it or on to an "of" after it: a scan of the whole text from every
    capital letter cost more than the rest of the merge.
    """
    head = owner.capitalize()
    found = set()
    at = text.find(head)
    while at >= 0:
        end = at + len(head)
        if (at == 0 or not text[at - 1].isalnum()) and not text[end : end + 1].isalnum():
            tail = _HEAD_OF.match(text, end)
            back = None if tail else _BEFORE_HEAD.search(text, max(0, at - 80), at)
            raw = text[at : tail.end()] if tail else text[back.start() : end] if back else ""
            # "Harrowfield Council and Leeds City Council": two bodies, not one name
            pieces = raw.split(" and ") if raw.count(head) > 1 else [raw]
            for piece in pieces:
                name = clean(piece, 0)[0] if piece else ""
                if len(name.split()) > 1 and name.split()[0].lower() not in CONNECTORS:
                    found.add(name)
        at = text.find(head, end)
    # "Harrowfield Council" and "Harrowfield Borough Council" would be two bodies; the
    # same name with and without a word in front ("Kelbridge City Council", "City
    # Council") is one.
    longest = max(found, key=len, default=None)
    if longest is None or any(not longest.endswith(n) for n in found):
        return None
    return longest


def _owned_documents(text: str, mentions: list[Mention]) -> None:
    bodies: dict[str, str | None] = {}  # one scan of the text per owner noun, not per mention
    for m in mentions:
        if m.extractor != "named.document-noun" or m.kind != "work":
            continue
        owned = _OWNED_DOC.fullmatch(m.name)
        if owned is None:
            continue
        owner = owned.group("owner")
        if owner not in bodies:
            bodies[owner] = _body_named(text, owner)
        body = bodies[owner]
        if body is not None:
            m.name, m.kind, m.work = body, "org", owned.group("doc")


# Mentions that name a work in full in a list: the one work the text cited by its authors.
_LISTED = frozenset({"named.source-list", "named.book"})


_TITLED = frozenset({"named.study", "named.book"})


def _cut_at_titles(text: str, mentions: list[Mention]) -> None:
    """ "Using the 2003 and 2008 Demographic and Health Surveys, Adebowale and Ibrahim
    (2017) found": a name read from inside a title to past its end is what follows
    the title; the title's own words are the title's."""
    titles: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        if m.extractor in _TITLED:
            titles.setdefault(m.sentence, []).append(m)
    for m in mentions if titles else ():
        if m.extractor in _TITLED or m.sentence not in titles:
            continue
        if " ".join(text[m.start : m.end].split()) != m.name:
            continue
        for t in titles[m.sentence]:
            if t.start < m.start < t.end < m.end:
                rest = text[t.end : m.end]
                cut = rest.lstrip(" ,;:")
                if cut[:1].isupper():
                    m.name, m.start = " ".join(cut.split()), m.end - len(cut)


def merge(text: str, mentions: list[Mention]) -> list[ExtractedCitation]:
    expansions = _expansions(text, mentions)
    _owned_documents(text, mentions)
    _cut_at_titles(text, mentions)
    for m in mentions:
        m.name = expansions.get(m.name, m.name)
        if m.extractor == "named.author-year" and m.kind == "person":
            # "Jack and Suri (2014)": authors in citation form stand for their work
            m.kind = "work"
    aliases = _aliases(mentions)
    groups: dict[str, list[tuple[str | None, list[Mention]]]] = {}
    order: list[tuple[str, int]] = []
    for m in mentions:
        key = _key(m)
        key = aliases.get(key, key)
        works = groups.setdefault(key, [])
        wk = _work_key(m.work)
        slot = next((i for i, (w, _) in enumerate(works) if w == wk), None) if wk else 0
        if slot is None and m.extractor in _LISTED and len(works) == 1:
            slot = 0  # the sources list names in full the one work the text cited
        if slot is None:
            slot = next((i for i, (w, _) in enumerate(works) if w is None), None)
            if slot is not None:
                works[slot] = (wk, works[slot][1])
        if slot is None or not works:
            works.append((wk, []))
            slot = len(works) - 1
            order.append((key, slot))
        works[slot][1].append(m)
    # Several sources share a sentence and a source recurs: each sentence's context is
    # folded once.
    contexts: dict[tuple[int, int], str] = {}
    return [_citation(text, groups[key][slot][1], contexts) for key, slot in order]


def _work_title(group: list[Mention]) -> str | None:
    """The fullest title among the mentions: a list entry's over "report"."""
    works = [m.work for m in group if m.work]
    titled = [w for w in works if w[:1].isupper() and not w.lower().startswith(("our ", "my "))]
    return max(titled, key=len) if titled else (works[0] if works else None)


def _context(text: str, span: tuple[int, int], contexts: dict[tuple[int, int], str]) -> str:
    found = contexts.get(span)
    if found is None:
        found = contexts[span] = " ".join(text[span[0] : span[1]].split())
    return found


def _citation(
    text: str, group: list[Mention], contexts: dict[tuple[int, int], str]
) -> ExtractedCitation:
    first = min(group, key=lambda m: m.start)
    named = next((m for m in group if m.kind not in ("single", "weak")), first)
    name = max((m.name for m in group if m.kind == named.kind), key=len, default=named.name)
    source_type = _source_type(group)
    known = next(filter(None, (lookup_source(n) for n in (name, *(m.name for m in group)))), None)
    s_start, s_end = first.sentence
    sentence = text[s_start:s_end]
    quote = _QUOTE.search(sentence)
    mentions: list[dict[str, Any]] = [
        {
            "start": m.start,
            "end": m.end,
            "context": _context(text, m.sentence, contexts),
            "extractor": m.extractor,
        }
        for m in sorted(group, key=lambda m: m.start)
    ]
    return ExtractedCitation(
        kind="named",
        extractor=first.extractor,
        source_name=name,
        context=_context(text, first.sentence, contexts),
        span=(first.start, first.end),
        date_hint=_date_hint(text, s_start, s_end, first.start, first.end),
        candidate_url=known.url if known and source_type not in ("anonymous", "self") else None,
        source_type=source_type,
        speaker=name if source_type == "person" else None,
        speaker_role=next((m.role for m in group if m.role), None),
        work_title=_work_title(group),
        container=next((m.container for m in group if m.container), None),
        claim=quote.group("q") if quote else None,
        claim_span=(s_start + quote.start("q"), s_start + quote.end("q")) if quote else None,
        mentions=mentions,
    )
