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

from archive.extract.named.abbreviations import expansions
from archive.extract.named.aliases import aliases, source_key
from archive.extract.named.grammar import DATE, DOCUMENTS
from archive.extract.named.mention import Mention
from archive.extract.named.renames import cut_at_titles, fold_containers, owned_documents
from archive.extract.named.sources import lookup_source
from archive.extract.types import ExtractedCitation

_CLAUSE_SEP = re.compile(r"[;—–(){}\[\]]|\s-\s")
_QUOTE = re.compile(r"[“\"](?P<q>[^”\"]{3,600})[”\"]")
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


def _work_key(work: str | None) -> str | None:
    if not work:
        return None
    return " ".join(_WORK_NOISE.sub(" ", work.lower()).split()) or work.lower()


def _bare(work_key: str | None) -> bool:
    """A work named only by its document noun: "assessment", "the 2021 guideline"."""
    return work_key is not None and " " not in work_key and work_key in DOCUMENTS


def _head(work_key: str) -> str:
    last = work_key.rsplit(" ", 1)[-1]
    return last[:-1] if last.endswith("s") and last[:-1] in DOCUMENTS else last


def _same_head(a: str | None, b: str) -> bool:
    """One of the two is a bare document noun and the other's head is that noun."""
    if a is None or a == b or not (_bare(a) or _bare(b)):
        return False
    return _head(a) == _head(b)


def _source_type(group: list[Mention]) -> str:
    kinds = [m.kind for m in group]
    for kind in ("anonymous", "self", "work", "person"):
        if kind in kinds:
            return kind
    known = lookup_source(group[0].name)
    if known is not None:
        return "outlet" if known.kind in ("news", "journal") else "organisation"
    return "outlet" if "outlet" in kinds else "organisation"


# Mentions that name a work in full in a list: the one work the text cited by its authors.
_LISTED = frozenset({"named.source-list", "named.book"})


def merge(text: str, mentions: list[Mention]) -> list[ExtractedCitation]:
    expanded = expansions(text, mentions)
    owned_documents(text, mentions)
    cut_at_titles(text, mentions)
    mentions = fold_containers(text, mentions)
    for m in mentions:
        m.name = expanded.get(m.name, m.name)
        if m.extractor == "named.author-year" and m.kind == "person":
            # "Jack and Suri (2014)": authors in citation form stand for their work
            m.kind = "work"
    short = aliases(mentions)
    groups: dict[str, list[tuple[str | None, list[Mention]]]] = {}
    order: list[tuple[str, int]] = []
    for m in mentions:
        k = source_key(m)
        k = short.get(k, k)
        works = groups.setdefault(k, [])
        wk = _work_key(m.work)
        slot = next((i for i, (w, _) in enumerate(works) if w == wk), None) if wk else 0
        if slot is None and m.extractor in _LISTED and len(works) == 1:
            slot = 0  # the sources list names in full the one work the text cited
        if slot is None and wk:
            # "the WHO's 2021 guideline" and "WHO Global Air Quality Guidelines (2021)":
            # a work named by its document noun alone is the source's work of that noun
            # named in full, when it has one; "discharge data" and "waiting list figures"
            # stay two works.
            slot = next((i for i, (w, _) in enumerate(works) if _same_head(w, wk)), None)
            if slot is not None and _bare(works[slot][0]):
                works[slot] = (wk, works[slot][1])
        if slot is None:
            slot = next((i for i, (w, _) in enumerate(works) if w is None), None)
            if slot is not None:
                works[slot] = (wk, works[slot][1])
        if slot is None or not works:
            works.append((wk, []))
            slot = len(works) - 1
            order.append((k, slot))
        works[slot][1].append(m)
    # Several sources share a sentence and a source recurs: each sentence's context is
    # folded once.
    contexts: dict[tuple[int, int], str] = {}
    return [_citation(text, groups[k][slot][1], contexts) for k, slot in order]


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
