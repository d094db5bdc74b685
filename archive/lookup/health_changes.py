"""Health as researchers read it: each citation's badge, and the history of state changes.

The state a citation had after each check is not stored, only its current
state and what each check alone suggested (``check_results.outcome``); the
states in between are found by replaying the checks, oldest first, through
``health.state.advance``, the rule that moved the stored state.  So the feed
and the stored state cannot disagree about when a page became ``dead``
(as long as ``[health]`` has not been changed since those checks ran).

A "changed" state is read together with its drift label: a page whose change
grew from minor to off-topic has news for the reader, though its state word
stayed the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import Capture, CheckResult, Citation, CitationHealth, Document
from archive.db.models.health import DriftLabel, HealthState
from archive.health.classify import Outcome
from archive.health.drift import Drift, closest_captures
from archive.health.plan import checked_citations
from archive.health.state import advance
from archive.lookup.access import visible_document
from archive.settings import HealthSettings

FEED_LIMIT = 50

# The words a reader sees, and the colour family that goes with them: only an
# answer that still holds the cited content is "ok" (green).
_WORDS = {
    HealthState.ALIVE: ("alive", "ok"),
    HealthState.MOVED: ("moved", "warn"),
    HealthState.SOFT_404: ("soft 404", "bad"),
    HealthState.BLOCKED: ("blocked", "warn"),
    HealthState.FAILING: ("failing", "warn"),
    HealthState.DEAD: ("dead", "bad"),
}
_DRIFT_TONE = {
    DriftLabel.SAME: "ok",
    DriftLabel.MINOR: "warn",
    DriftLabel.MAJOR: "warn",
    DriftLabel.OFF_TOPIC: "bad",
}


def describe(state: str, drift_label: str | None) -> tuple[str, str]:
    """A state in words (``changed (off-topic)``) and its tone: ``ok``, ``warn`` or ``bad``."""
    if state == HealthState.CHANGED:
        if drift_label is None:
            return "changed", "warn"
        return f"changed ({drift_label})", _DRIFT_TONE.get(DriftLabel(drift_label), "warn")
    return _WORDS.get(HealthState(state), (state, "warn"))


@dataclass(frozen=True, slots=True)
class Badge:
    words: str
    tone: str
    state: str
    drift_label: str | None
    drift_score: float | None
    checked_at: datetime | None
    archived: Capture | None  # the citation-time capture


def badges(session: Session, citation_ids: list[int]) -> dict[int, Badge]:
    """Badges of the citations that have been checked; the others have none."""
    states = list(
        session.scalars(
            select(CitationHealth).where(
                CitationHealth.citation_id.in_(citation_ids), CitationHealth.state != ""
            )
        )
    )
    archived = closest_captures(session, [h.citation_id for h in states]) if states else {}
    out = {}
    for h in states:
        words, tone = describe(h.state, h.drift_label)
        out[h.citation_id] = Badge(
            words,
            tone,
            h.state,
            h.drift_label,
            h.drift_score,
            h.last_checked_at,
            archived.get(h.citation_id),
        )
    return out


@dataclass(frozen=True, slots=True)
class Change:
    citation_id: int
    url: str
    result_id: int  # the check that made the change: what makes an entry's id stable
    at: datetime
    old: str | None  # None: the first check of the citation
    new: str
    tone: str
    detail: str | None
    archived: Capture | None


def _drift(row: CheckResult) -> Drift | None:
    if row.drift_label is None or row.cosine is None:
        return None
    return Drift(
        row.cosine, row.word_change or 0.0, row.simhash_distance or 0, DriftLabel(row.drift_label)
    )


def changes(
    session: Session, citations: list[Citation], settings: HealthSettings, limit: int = FEED_LIMIT
) -> list[Change]:
    """Every state change of these citations, newest first, at most ``limit``."""
    by_id = {c.id: c for c in citations}
    found: list[Change] = []
    replayed: dict[int, CitationHealth] = {}
    rows = session.scalars(
        select(CheckResult)
        .where(CheckResult.citation_id.in_(list(by_id)))
        .order_by(CheckResult.citation_id, CheckResult.checked_at, CheckResult.id)
    )
    for row in rows:
        health = replayed.get(row.citation_id)
        if health is None:
            # transient, never added to the session: only ``advance`` sees it
            health = CitationHealth(state="", since=row.checked_at, consecutive_failures=0)
            replayed[row.citation_id] = health
        before = describe(health.state, health.drift_label)[0] if health.state else None
        outcome = Outcome(HealthState(row.outcome), row.detail, row.soft_404)
        advance(health, outcome, _drift(row), row.checked_at, settings)
        after, tone = describe(health.state, health.drift_label)
        if after != before:
            citation = by_id[row.citation_id]
            found.append(
                Change(
                    row.citation_id,
                    citation.resolved_url or citation.url_normalized or row.url,
                    row.id,
                    row.checked_at,
                    before,
                    after,
                    tone,
                    row.detail,
                    None,
                )
            )
    found.sort(key=lambda c: (c.at, c.result_id), reverse=True)
    found = found[:limit]
    archived = closest_captures(session, sorted({c.citation_id for c in found})) if found else {}
    return [replace(c, archived=archived.get(c.citation_id)) for c in found]


def document_changes(
    session: Session,
    doc_id: str,
    settings: HealthSettings,
    *,
    privileged: bool,
    limit: int = FEED_LIMIT,
) -> tuple[Document, list[Change]]:
    """The changes of the citations that ``citevault health`` lists: the latest version's."""
    doc = visible_document(session, doc_id, privileged=privileged)
    ids = [r.id for r in session.execute(checked_citations(doc.id))]
    cited = list(session.scalars(select(Citation).where(Citation.id.in_(ids))))
    return doc, changes(session, cited, settings, limit)
