"""Queueing webhook deliveries in the transaction that changes a citation's health.

A delivery is a row written beside the state change it reports, so that a
change committed is a delivery owed, and a change rolled back (a worker
that lost its lease, a crash) owes nothing.  Its key names the schedule and
the check result: the same change queued twice is one row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from archive.db.models import Schedule, WebhookDelivery
from archive.health.state import HealthChange
from archive.settings import WebhookSettings

EVENT_HEALTH_CHANGED = "health.changed"


def delivery_key(schedule_id: int, result_id: int) -> str:
    return hashlib.sha256(f"webhook|{schedule_id}|{result_id}".encode()).hexdigest()


def _time(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def archived_copy_url(capture_id: int | None, settings: WebhookSettings) -> str | None:
    if capture_id is None:
        return None
    base = (settings.public_url or "").rstrip("/")
    return f"{base}/captures/{capture_id}"


def health_body(change: HealthChange, schedule_id: int, key: str, settings: WebhookSettings) -> str:
    """The JSON posted (and signed), as compact text: its bytes are what the
    signature covers, so they are fixed once, here, and every retry sends them."""
    body: dict[str, Any] = {
        "event": EVENT_HEALTH_CHANGED,
        "delivery": key,
        "schedule_id": schedule_id,
        "document": change.document_id,
        "citation_id": change.citation_id,
        "url": change.url,
        "old_state": change.old_state,
        "new_state": change.new_state,
        "drift_label": change.new_label,
        "checked_at": _time(change.checked_at),
        "archived_copy_url": archived_copy_url(change.baseline_capture_id, settings),
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def queue_health_changes(
    session: Session, changes: Sequence[HealthChange], now: datetime, settings: WebhookSettings
) -> int:
    """Queue a delivery of each state change to every enabled schedule with a webhook
    whose scope (its document, or all) covers the citation; does not commit."""
    changed = [c for c in changes if c.state_changed]
    if not changed:
        return 0
    documents = sorted({c.document_id for c in changed})
    hooks = session.execute(
        select(Schedule.id, Schedule.document_id).where(
            Schedule.enabled.is_(True),
            Schedule.webhook_url.is_not(None),
            or_(Schedule.document_id.is_(None), Schedule.document_id.in_(documents)),
        )
    ).all()
    if not hooks:
        return 0
    rows: list[dict[str, Any]] = []
    for change in changed:
        for schedule_id, document_id in hooks:
            if document_id is not None and document_id != change.document_id:
                continue
            key = delivery_key(schedule_id, change.result_id)
            rows.append(
                {
                    "delivery_key": key,
                    "schedule_id": schedule_id,
                    "citation_id": change.citation_id,
                    "event": EVENT_HEALTH_CHANGED,
                    "body": health_body(change, schedule_id, key, settings),
                    "state": "queued",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    if not rows:
        return 0
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(WebhookDelivery).on_conflict_do_nothing(index_elements=["delivery_key"])
    return len(session.execute(stmt.returning(WebhookDelivery.id), rows).all())
