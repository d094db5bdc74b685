"""Candidate URLs for a named reference, so that one researcher's resolution helps the next.

Two kinds of candidate:

* **earlier resolutions** — URLs that people attached (``resolve``) to named
  references of the same source in *other* documents.  The same source means
  the same folded name ("The Times of Israel's" = "Times of Israel") or the
  same known source through its aliases ("ToI").  They are ranked by how much
  the two mentions have in common, a lexical score that can be explained in
  one line: the Jaccard overlap of the content words of their contexts (and
  of their work titles when both have one), nudged up when the date hints
  agree and down when they name different years.
* **the known source's home page** (``archive/data/sources.toml``), at a fixed
  score ``HOME_PAGE_SCORE``: a close earlier resolution (the same story) is a
  better answer than a home page, a resolution for an unrelated story is a
  worse one.

Only documents the caller may see are drawn from: a private document's
resolutions are as invisible to a caller without a key as the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import Citation, Document
from archive.db.models.documents import CitationKind, Resolution
from archive.errors import InputError
from archive.extract.named import KnownSource, lookup_source, normalise_name
from archive.extract.urlforms import normalize_url
from archive.ingest.resolve import named_citation
from archive.lookup.access import visible_documents

__all__ = [
    "HOME_PAGE_SCORE",
    "MAX_LIMIT",
    "Mention",
    "Suggestion",
    "Suggestions",
    "similarity",
    "suggest",
]

EARLIER = "earlier-resolution"
KNOWN = "known-source"
# An earlier resolution outranks the home page when its context shares more
# than a fifth of its content words with this one (before the date nudge).
HOME_PAGE_SCORE = 0.2
DATE_NUDGE = 0.1
MAX_LIMIT = 50
_CHUNK = 500  # ids per IN list: well inside every driver's parameter limit

_TOKEN = re.compile(r"[^\W\d_]{3,}|\d{4}")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Words every attribution shares ("told", "according", "reported"): counting
# them would make any two mentions of a source look alike.
_STOP_WORDS = """
    the and for but not nor yet that this these those with from into onto upon over under
    about after again against all also any are was were been being have has had its it's
    their there they them then than who whom whose which what when where why how our out
    his her him she you your will would could should may might must can did does doing
    said says say saying told tell tells telling reported reports reporting report wrote
    writes according cited citing noted notes added adds stated statement quoted quoting
    per via new one two more most such some other only just very week month year today
    monday tuesday wednesday thursday friday saturday sunday last first next earlier later
"""
_STOP = frozenset(_STOP_WORDS.split())


def _words(text: str | None, drop: frozenset[str] = frozenset()) -> frozenset[str]:
    """Content words, lower-cased, a plural "s" folded ("crossings" = "crossing")."""
    out = set()
    for m in _TOKEN.finditer((text or "").lower()):
        raw = m.group()
        word = raw[:-1] if len(raw) > 4 and raw.endswith("s") and not raw.endswith("ss") else raw
        if raw not in _STOP and word not in _STOP and word not in drop:
            out.add(word)
    return frozenset(out)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(frozen=True, slots=True)
class Mention:
    """What the ranking reads of one named reference."""

    source_name: str | None
    context: str | None
    title: str | None
    date_hint: str | None


@dataclass(frozen=True, slots=True)
class Similarity:
    score: float
    context: float | None
    title: float | None
    date: str | None  # "same", "same year", "different year", or None when one has none
    shared: tuple[str, ...]

    def explain(self) -> str:
        parts = []
        if self.context is not None:
            shared = ", ".join(self.shared[:6]) or "no words"
            parts.append(f"context overlap {self.context:.2f} ({shared})")
        if self.title is not None:
            parts.append(f"title overlap {self.title:.2f}")
        if self.date is not None:
            parts.append(f"{self.date} date")
        return "; ".join(parts) or "nothing to compare"


def _source_words(*names: str | None) -> frozenset[str]:
    found: set[str] = set()
    for name in names:
        found |= _words(name)
        known = lookup_source(name) if name else None
        if known is not None:
            found |= _words(known.name)
    return frozenset(found)


def similarity(a: Mention, b: Mention) -> Similarity:
    """How alike two mentions of one source are, from 0 to 1, with its parts.

    The source's own name is left out of the words compared: every candidate
    shares it.  The text score is the Jaccard overlap of the contexts' words,
    averaged with that of the work titles when both have one; agreeing date
    hints add ``DATE_NUDGE``, hints naming different years take it away.
    """
    drop = _source_words(a.source_name, b.source_name)
    ca, cb = _words(a.context, drop), _words(b.context, drop)
    context = _jaccard(ca, cb) if ca and cb else None
    ta, tb = _words(a.title, drop), _words(b.title, drop)
    title = _jaccard(ta, tb) if ta and tb else None
    texts = [s for s in (context, title) if s is not None]
    score = sum(texts) / len(texts) if texts else 0.0
    date = None
    if a.date_hint and b.date_hint:
        ya, yb = _YEAR.findall(a.date_hint), _YEAR.findall(b.date_hint)
        if a.date_hint.strip().lower() == b.date_hint.strip().lower():
            date, score = "same", score + DATE_NUDGE
        elif ya and yb and ya[0] == yb[0]:
            date, score = "same year", score + DATE_NUDGE / 2
        elif ya and yb:
            date, score = "different year", score - DATE_NUDGE
    shared = tuple(sorted(ca & cb))
    return Similarity(round(min(1.0, max(0.0, score)), 3), context, title, date, shared)


@dataclass(slots=True)
class Suggestion:
    url: str
    origin: str  # EARLIER or KNOWN
    score: float
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self, rank: int) -> dict[str, Any]:
        return {
            "rank": rank,
            "url": self.url,
            "score": self.score,
            "origin": self.origin,
            "reason": self.reason,
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class Suggestions:
    citation: Citation
    known: KnownSource | None
    items: list[Suggestion]

    def to_json(self) -> dict[str, Any]:
        c = self.citation
        return {
            "citation": {
                "id": c.id,
                "document_id": c.document_id,
                "source_name": c.source_name,
                "known_source": self.known.name if self.known else None,
                "date_hint": c.date_hint,
                "resolution": {"state": c.resolution, "url": c.resolved_url},
            },
            "suggestions": [s.to_json(i) for i, s in enumerate(self.items, 1)],
        }


def _source_key(name: str | None) -> str | None:
    if not name:
        return None
    known = lookup_source(name)
    return f"known:{known.name}" if known else f"name:{normalise_name(name)}"


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _earlier(session: Session, target: Citation, privileged: bool) -> list[Citation]:
    """Resolved named references of the same source in the other visible documents.

    Names are folded in Python (the fold is ``normalise_name`` and the alias
    table, which SQL cannot repeat), so the first query reads only ids and
    names — of the references people resolved by hand, a small set reached
    through the (kind, resolution) index — and the second the matching rows.
    """
    key = _source_key(target.source_name)
    if key is None:
        return []
    query = (
        select(Citation.id, Citation.source_name)
        .join(Document, Document.id == Citation.document_id)
        .where(
            Citation.kind == CitationKind.NAMED,
            Citation.resolution == Resolution.RESOLVED,
            Citation.resolved_url.is_not(None),
            Citation.document_id != target.document_id,
            visible_documents(privileged),
        )
    )
    keys: dict[str | None, str | None] = {}
    ids = []
    for cid, name in session.execute(query):
        if name not in keys:
            keys[name] = _source_key(name)
        if keys[name] == key:
            ids.append(cid)
    rows: list[Citation] = []
    for chunk in _chunks(sorted(ids)):
        rows += session.scalars(select(Citation).where(Citation.id.in_(chunk))).all()
    return rows


def _mention(c: Citation) -> Mention:
    return Mention(c.source_name, c.context, c.title, c.date_hint)


def _home_page(target: Citation, known: KnownSource | None) -> Suggestion | None:
    if known is not None:
        return Suggestion(
            known.url,
            KNOWN,
            HOME_PAGE_SCORE,
            f"home page of {known.name}, a known source ({known.kind})",
            {"known_source": known.name, "kind": known.kind},
        )
    if target.candidate_url:
        return Suggestion(
            target.candidate_url,
            KNOWN,
            HOME_PAGE_SCORE,
            "the candidate URL found with the reference",
            {"known_source": None, "kind": None},
        )
    return None


def suggest(
    session: Session, citation_id: int, *, privileged: bool, limit: int = 10
) -> Suggestions:
    """Ranked candidate URLs for a named reference, best first.

    ``privileged`` callers (an API key, the local CLI) see every document;
    others only public ones, for the reference itself and for what is drawn
    from.  Raises ``NotFoundError`` for an unknown or invisible citation and
    ``InputError`` for a citation that is not a named reference.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    target = named_citation(session, citation_id, privileged=privileged, wanted="have suggestions")
    known = lookup_source(target.source_name) if target.source_name else None
    here = _mention(target)
    by_url: dict[str, tuple[Suggestion, int]] = {}
    for row in _earlier(session, target, privileged):
        assert row.resolved_url is not None
        sim = similarity(here, _mention(row))
        key = row.url_normalized or normalize_url(row.resolved_url)
        best = by_url.get(key)
        count = (best[1] if best else 0) + 1
        if best is None or sim.score > best[0].score:
            evidence = {
                "citation_id": row.id,
                "document_id": row.document_id,
                "source_name": row.source_name,
                "context": row.context,
                "date_hint": row.date_hint,
                "signals": {
                    "context": _round(sim.context),
                    "title": _round(sim.title),
                    "date": sim.date,
                },
            }
            reason = (
                f"resolved earlier for “{row.source_name}” in document {row.document_id}: "
                + sim.explain()
            )
            best = (Suggestion(row.resolved_url, EARLIER, sim.score, reason, evidence), count)
        by_url[key] = (best[0], count)
    items = []
    for suggestion, count in by_url.values():
        suggestion.evidence["resolutions"] = count
        items.append(suggestion)
    home = _home_page(target, known)
    if home is not None:
        same = by_url.get(normalize_url(home.url))
        if same is None:
            items.append(home)
        else:
            same[0].reason += f"; also {home.reason}"
            same[0].score = max(same[0].score, HOME_PAGE_SCORE)
    # Ties: an earlier resolution before the home page, more resolutions first.
    items.sort(
        key=lambda s: (-s.score, s.origin != EARLIER, -s.evidence.get("resolutions", 0), s.url)
    )
    return Suggestions(target, known, items[:limit])
