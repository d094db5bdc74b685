"""Short forms of a source that join its full name within one document.

An acronym its expansion ("EMA", "European Medicines Agency"), a surname its
person ("Ortiz", "Rafael Ortiz"), a tail its whole ("the Commission", "the
European Commission"), a group's lead author its other group form ("Murphy et
al.", "Aoife Murphy and colleagues").
"""

from __future__ import annotations

import re

from archive.extract.named.grammar import CONNECTORS
from archive.extract.named.mention import Mention
from archive.extract.named.sources import lookup_source, normalise_name


def _inside(short: str, long: str) -> bool:
    """``short`` stands in ``long`` with nothing after it or an "of"/"for" phrase: "Cascade
    State Lottery" and "Cascade State Lottery Commission" are two bodies."""
    at = f" {long} ".find(f" {short} ")
    rest = long[at + len(short) :].strip() if at >= 0 else "-"
    return at >= 0 and (not rest or rest.startswith(("of ", "for ")))


_BODY = frozenset({"org", "outlet", "weak", "single"})


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in CONNECTORS and w[:1].isupper())


def source_key(m: Mention) -> str:
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


def aliases(mentions: list[Mention]) -> dict[str, str]:
    """Short forms of a source, mapped to the key of its full name in this document."""
    full = {source_key(m): m for m in mentions if m.kind not in ("anonymous", "self")}
    out: dict[str, str] = {}
    by_initials: dict[str, list[str]] = {}
    by_surname: dict[str, list[str]] = {}
    # "Jack and Suri (2014)" in the text and "Jack, W., Suri, T. (2014). …" in
    # the references are one work: the entry's first surname finds the group.
    by_first: dict[str, list[str]] = {}
    # A source is a work when any of its mentions says so: "Clotfelter and Cook (1989)"
    # is, and "As Clotfelter and Cook anticipated" later does not make it a person.
    works = {source_key(m) for m in mentions if m.kind == "work"}
    for key, m in full.items():
        if len(m.name.split()) > 1:
            by_initials.setdefault(_initials(m.name), []).append(key)
        if key in works and len(m.name.split()) > 1:
            # by the first word ("Clotfelter and Cook"), or by the first author's surname
            # when the text gives full names ("Claudia Barrios and Néstor Ortega") or
            # the lead's ("Lapola and colleagues")
            names = _surnames(m.name)
            group = _GROUPED.fullmatch(m.name)
            firsts = {m.name.split()[0].strip(",").lower()}
            firsts |= {names[0]} if names else set()
            firsts |= {group.group("lead").lower()} if group else set()
            for first in firsts:
                by_first.setdefault(first, []).append(key)
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
    by_word: dict[str, list[str]] = {}
    for key in full:
        words = key.split()
        if len(words) > 1:
            by_head.setdefault(words[0], []).append(key)
        for word in set(words[1:]) if len(words) > 2 else ():
            by_word.setdefault(word, []).append(key)
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
        if not candidates and len(words) > 1 and m.kind in _BODY and key not in out:
            # "the Tea Board" after "the Tea Board of Kenya", "the Auditor General" after
            # "the Office of the Auditor General of British Columbia": a name of two
            # words or more inside the one longer body name of the text is that body
            candidates = [
                k
                for k in (*by_head.get(words[0], ()), *by_word.get(words[0], ()))
                if k != key and full[k].kind in _BODY and _inside(key, k)
            ]
        if len(set(candidates)) == 1 and candidates[0] != key and key not in out:
            out[key] = candidates[0]
    return out
