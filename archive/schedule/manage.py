"""Adding, listing, pausing, resuming and removing schedules: the CLI's and API's one way.

Everything is checked before anything is written (cron, timezone, action,
document, webhook), so bad input stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.db.models import Document, Schedule, ScheduleTick, WebhookDelivery
from archive.errors import InputError, NotFoundError
from archive.lookup.access import visible_documents
from archive.schedule.actions import get_action
from archive.schedule.cron import next_tick, parse_cron, parse_timezone
from archive.schedule.due import parse_missed


@dataclass(frozen=True, slots=True)
class NewSchedule:
    cron: str
    action: str
    document_id: str | None  # None: every document
    name: str | None = None
    timezone: str = "UTC"
    missed: str = "run-once"
    options: dict[str, Any] | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None


def _check_webhook(url: str | None, secret: str | None) -> None:
    if url is None:
        if secret is not None:
            raise InputError(
                "a webhook secret was given without a webhook URL", hint="add --webhook URL"
            )
        return
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InputError(
            f"the webhook URL {url!r} is not an http(s) URL",
            hint="give an http(s) URL such as https://example.org/hooks/citevault",
        )
    if not secret:
        raise InputError(
            "a webhook needs a secret: its requests are signed with it",
            hint="add --webhook-secret S (API: webhook_secret)",
        )


def add_schedule(
    session: Session, new: NewSchedule, *, now: datetime, privileged: bool = True
) -> Schedule:
    """Check ``new`` and store it in the session's transaction; raises on bad input."""
    cron = parse_cron(new.cron)
    parse_timezone(new.timezone)
    missed = parse_missed(new.missed)
    action = get_action(new.action)
    if new.options is not None and not isinstance(new.options, dict):
        raise InputError("options must be a JSON object", hint='e.g. {"key": "value"}')
    _check_webhook(new.webhook_url, new.webhook_secret)
    if new.document_id is not None:
        found = session.scalar(
            select(Document.id).where(Document.id == new.document_id, visible_documents(privileged))
        )
        if found is None:
            raise NotFoundError(
                f"no document with id {new.document_id!r}",
                hint="`citevault documents` lists the ids; use --all for every document",
            )
    name = new.name or f"{action.name} {new.document_id or 'all'} {cron}"
    if not name.strip() or len(name) > 200:
        raise InputError("a schedule name must have 1 to 200 characters")
    if session.scalar(select(Schedule.id).where(Schedule.name == name)) is not None:
        raise InputError(
            f"a schedule named {name!r} exists already",
            hint="give another --name, or remove the existing one first",
        )
    schedule = Schedule(
        name=name,
        cron=cron,
        timezone=new.timezone,
        action=action.name,
        document_id=new.document_id,
        options=new.options,
        missed=missed.value,
        enabled=True,
        active_since=now,
        webhook_url=new.webhook_url,
        webhook_secret=new.webhook_secret,
        created_at=now,
        updated_at=now,
    )
    action.validate(session, schedule)
    session.add(schedule)
    try:
        session.flush()
    except IntegrityError:
        raise InputError(
            f"a schedule named {name!r} exists already",
            hint="give another --name, or remove the existing one first",
        ) from None
    return schedule


def find_schedule(session: Session, ref: str) -> Schedule:
    """A schedule by id (digits) or by name."""
    stmt = select(Schedule).where(
        Schedule.id == int(ref) if ref.isdigit() and len(ref) < 10 else Schedule.name == ref
    )
    schedule = session.scalar(stmt)
    if schedule is None:
        raise NotFoundError(
            f"no schedule {ref!r}", hint="`citevault schedule list` shows ids and names"
        )
    return schedule


def set_enabled(session: Session, ref: str, enabled: bool, *, now: datetime) -> Schedule:
    """Pause or resume.  Resuming starts afresh: a tick that fell in the pause is not
    a missed tick to run once, so ``active_since`` moves to now."""
    schedule = find_schedule(session, ref)
    if schedule.enabled != enabled:
        schedule.enabled = enabled
        schedule.updated_at = now
        if enabled:
            schedule.active_since = now
    return schedule


def remove_schedule(session: Session, ref: str) -> Schedule:
    """Delete a schedule and its ticks; the jobs it made stay (their schedule_id is cleared)."""
    schedule = find_schedule(session, ref)
    session.delete(schedule)
    session.flush()
    return schedule


def list_schedules(session: Session, *, now: datetime) -> list[dict[str, Any]]:
    latest = (
        select(ScheduleTick.schedule_id, func.max(ScheduleTick.tick_at).label("tick_at"))
        .group_by(ScheduleTick.schedule_id)
        .subquery()
    )
    rows = session.execute(
        select(Schedule, ScheduleTick)
        .outerjoin(latest, latest.c.schedule_id == Schedule.id)
        .outerjoin(
            ScheduleTick,
            (ScheduleTick.schedule_id == Schedule.id) & (ScheduleTick.tick_at == latest.c.tick_at),
        )
        .order_by(Schedule.id)
    ).all()
    deliveries: dict[int, dict[str, int]] = {}
    for schedule_id, delivery_state, count in session.execute(
        select(WebhookDelivery.schedule_id, WebhookDelivery.state, func.count()).group_by(
            WebhookDelivery.schedule_id, WebhookDelivery.state
        )
    ):
        deliveries.setdefault(schedule_id, {})[delivery_state] = count
    out = []
    for s, t in rows:
        data = schedule_json(s, t, now=now)
        if s.webhook_url is not None:
            # Given-up deliveries stay visible here: the receiver missed those changes.
            data["webhook_deliveries"] = deliveries.get(s.id, {})
        out.append(data)
    return out


def _time(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def schedule_json(
    schedule: Schedule, last: ScheduleTick | None = None, *, now: datetime
) -> dict[str, Any]:
    """A schedule as the CLI's ``--json`` and the API show it; the webhook secret never."""
    upcoming = next_tick(schedule.cron, schedule.timezone, max(now, schedule.active_since))
    return {
        "id": schedule.id,
        "name": schedule.name,
        "cron": schedule.cron,
        "timezone": schedule.timezone,
        "action": schedule.action,
        "document_id": schedule.document_id,
        "all_documents": schedule.document_id is None,
        "options": schedule.options or {},
        "missed": schedule.missed,
        "enabled": schedule.enabled,
        "webhook_url": schedule.webhook_url,
        "webhook_secret_set": schedule.webhook_secret is not None,
        "created_at": _time(schedule.created_at),
        "updated_at": _time(schedule.updated_at),
        "next_tick_at": _time(upcoming) if schedule.enabled else None,
        "last_tick": None
        if last is None
        else {
            "tick_at": _time(last.tick_at),
            "claimed_by": last.claimed_by,
            "jobs": last.jobs,
            "finished_at": _time(last.finished_at),
            "error": last.error,
        },
    }
