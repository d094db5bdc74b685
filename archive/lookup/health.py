"""Each citation's health and check history: for ``citevault health`` and the API alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import CheckResult, Citation, CitationHealth
from archive.health.plan import checked_citations
from archive.lookup.access import visible_document


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _check(row: CheckResult) -> dict[str, Any]:
    return {
        "checked_at": _when(row.checked_at),
        "outcome": row.outcome,
        "detail": row.detail,
        "method": row.method,
        "http_status": row.http_status,
        "final_url": row.final_url,
        "redirect_chain": row.redirect_chain or [],
        "payload_digest": row.payload_digest,
        "simhash": row.simhash,
        "word_count": row.word_count,
        "baseline_capture_id": row.baseline_capture_id,
        "drift": None
        if row.drift_label is None
        else {
            "label": row.drift_label,
            "cosine": row.cosine,
            "word_change": row.word_change,
            "simhash_distance": row.simhash_distance,
        },
        "soft_404": row.soft_404,
        "quotes": row.quotes or [],
        "error": row.error,
    }


def document_health(
    session: Session, doc_id: str, *, privileged: bool, history: int = 20
) -> dict[str, Any]:
    """The health of every checked-or-checkable citation of the document's latest version.

    ``history`` is how many of each citation's latest checks are listed, newest first.
    """
    doc = visible_document(session, doc_id, privileged=privileged)
    rows = session.execute(checked_citations(doc.id)).all()
    ids = [r.id for r in rows]
    citations = {c.id: c for c in session.scalars(select(Citation).where(Citation.id.in_(ids)))}
    states = {
        h.citation_id: h
        for h in session.scalars(select(CitationHealth).where(CitationHealth.citation_id.in_(ids)))
    }
    checks: dict[int, list[CheckResult]] = {}
    for result in session.scalars(
        select(CheckResult)
        .where(CheckResult.citation_id.in_(ids))
        .order_by(CheckResult.citation_id, CheckResult.checked_at.desc(), CheckResult.id.desc())
    ):
        listed = checks.setdefault(result.citation_id, [])
        if len(listed) < history:
            listed.append(result)
    out = []
    for cid in ids:
        citation, health = citations[cid], states.get(cid)
        out.append(
            {
                "citation_id": cid,
                "ordinal": citation.ordinal,
                "url": citation.resolved_url,
                "state": health.state if health else None,
                "since": _when(health.since) if health else None,
                "consecutive_failures": health.consecutive_failures if health else 0,
                "first_failure_at": _when(health.first_failure_at) if health else None,
                "drift_label": health.drift_label if health else None,
                "drift_score": health.drift_score if health else None,
                "last_checked_at": _when(health.last_checked_at) if health else None,
                "checks": [_check(r) for r in checks.get(cid, [])],
            }
        )
    return {"document": doc.id, "citations": out}
