"""Reading webhook deliveries back: the CLI's ``webhooks list`` and the API's one query.

A receiver that missed a change, or a schedule whose deliveries keep failing,
is only found by looking at the rows: each one says how far it got (state,
attempts, the receiver's last answer or the error) and when it is tried next.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.db.models import WebhookDelivery
from archive.errors import InputError
from archive.schedule.manage import find_schedule

# ``leased``: a sender holds it right now (posting, or died posting).
STATES = ("queued", "leased", "delivered", "failed")
MAX_LIMIT = 1000


def _time(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def check_state(state: str | None) -> str | None:
    if state is not None and state not in STATES:
        raise InputError(
            f"unknown delivery state {state!r}",
            hint=f"the states are: {', '.join(STATES)}",
        )
    return state


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(
            f"the limit must be between 1 and {MAX_LIMIT}, not {limit}",
            hint="page with a smaller limit and an offset",
        )
    return limit


def delivery_json(d: WebhookDelivery) -> dict[str, Any]:
    # The next attempt time means something only while the delivery may still be posted.
    pending = d.state in ("queued", "leased")
    return {
        "key": d.delivery_key,
        "schedule_id": d.schedule_id,
        "event": d.event,
        "citation_id": d.citation_id,
        "state": d.state,
        "attempts": d.attempts,
        "last_status": d.last_status,
        "last_error": d.last_error,
        "next_attempt_at": _time(d.next_attempt_at) if pending else None,
        "created_at": _time(d.created_at),
        "delivered_at": _time(d.delivered_at),
    }


def list_deliveries(
    session: Session,
    *,
    schedule: str | None = None,
    state: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page newest first); ``schedule`` is an id or a name."""
    check_state(state)
    check_limit(limit)
    if offset < 0:
        raise InputError(f"the offset must not be negative, not {offset}")
    where = []
    if schedule is not None:
        where.append(WebhookDelivery.schedule_id == find_schedule(session, schedule).id)
    if state is not None:
        where.append(WebhookDelivery.state == state)
    total = session.scalar(select(func.count()).select_from(WebhookDelivery).where(*where)) or 0
    rows = session.scalars(
        select(WebhookDelivery)
        .where(*where)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return total, [delivery_json(d) for d in rows]
