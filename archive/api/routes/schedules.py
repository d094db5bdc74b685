"""Schedules over HTTP: the same service as ``citevault schedule``; every route needs a key."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import Connection
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from archive.api.errors import ApiError
from archive.api.pagination import Limit, Offset, page
from archive.api.reads import key_checker, read, runtime
from archive.api.submission import bounded
from archive.db.base import utcnow
from archive.runtime import Runtime
from archive.schedule import manage
from archive.webhooks.listing import list_deliveries

router = APIRouter(prefix="/api/schedules", tags=["schedules"])

_MAX_BODY = 64 * 1024
_FIELDS = {
    "cron",
    "action",
    "document_id",
    "all",
    "name",
    "timezone",
    "missed",
    "options",
    "webhook_url",
    "webhook_secret",
}


async def _body(request: Request) -> dict[str, Any]:
    too_long = ApiError(413, "too_large", f"the body is larger than {_MAX_BODY} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > _MAX_BODY:
        raise too_long
    raw = b"".join([chunk async for chunk in bounded(request.stream(), _MAX_BODY, too_long)])
    try:
        body = json.loads(raw or b"{}")
    except ValueError as exc:
        raise ApiError(400, "bad_request", f"the body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the body must be a JSON object")
    unknown = set(body) - _FIELDS
    if unknown:
        raise ApiError(
            400,
            "bad_request",
            f"unknown fields: {', '.join(sorted(unknown))}",
            hint=f"the fields are: {', '.join(sorted(_FIELDS))}",
        )
    return body


def _text(body: dict[str, Any], name: str, default: str | None = None) -> str | None:
    value = body.get(name, default)
    if value is not None and not isinstance(value, str):
        raise ApiError(400, "bad_request", f"{name} must be a string")
    return value


def _new(body: dict[str, Any]) -> manage.NewSchedule:
    cron, action = _text(body, "cron"), _text(body, "action")
    if cron is None or action is None:
        raise ApiError(400, "bad_request", "cron and action are required")
    document_id = _text(body, "document_id")
    every = body.get("all", False)
    if not isinstance(every, bool) or (document_id is None) == (not every):
        raise ApiError(
            400,
            "bad_request",
            'give either document_id or "all": true',
        )
    options = body.get("options")
    if options is not None and not isinstance(options, dict):
        raise ApiError(400, "bad_request", "options must be a JSON object")
    return manage.NewSchedule(
        cron=cron,
        action=action,
        document_id=document_id,
        name=_text(body, "name"),
        timezone=_text(body, "timezone", "UTC") or "UTC",
        missed=_text(body, "missed", "run-once") or "run-once",
        options=options,
        webhook_url=_text(body, "webhook_url"),
        webhook_secret=_text(body, "webhook_secret"),
    )


def _add(rt: Runtime, new: manage.NewSchedule) -> dict[str, Any]:
    now = utcnow()
    with rt.sessions()() as session, session.begin():
        # Every key sees private documents (``access``), so a keyed caller is privileged.
        return manage.schedule_json(manage.add_schedule(session, new, now=now), now=now)


@router.post("", status_code=201)
async def add_schedule(request: Request) -> dict[str, Any]:
    """Add a schedule: ``{"cron", "action", "document_id" | "all": true, ...}``."""
    await read(request, key_checker(request, required=True))
    new = _new(await _body(request))
    return await run_in_threadpool(_add, runtime(request), new)


@router.get("")
async def list_schedules(request: Request) -> dict[str, Any]:
    check = key_checker(request, required=True)

    def work(conn: Connection) -> dict[str, Any]:
        check(conn)
        with Session(conn) as session:
            return {"schedules": manage.list_schedules(session, now=utcnow())}

    return await read(request, work)


@router.get("/{ref}/deliveries")
async def deliveries(
    request: Request,
    ref: str,
    state: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The schedule's webhook deliveries, newest first; ``state`` keeps one state."""
    check = key_checker(request, required=True)

    def work(conn: Connection) -> dict[str, Any]:
        check(conn)
        with Session(conn) as session:
            total, items = list_deliveries(
                session, schedule=ref, state=state, limit=limit, offset=offset
            )
        return page(items, total=total, limit=limit, offset=offset)

    return await read(request, work)


def _toggle(rt: Runtime, ref: str, enabled: bool) -> dict[str, Any]:
    now = utcnow()
    with rt.sessions()() as session, session.begin():
        return manage.schedule_json(manage.set_enabled(session, ref, enabled, now=now), now=now)


@router.post("/{ref}/pause")
async def pause(request: Request, ref: str) -> dict[str, Any]:
    await read(request, key_checker(request, required=True))
    return await run_in_threadpool(_toggle, runtime(request), ref, False)


@router.post("/{ref}/resume")
async def resume(request: Request, ref: str) -> dict[str, Any]:
    await read(request, key_checker(request, required=True))
    return await run_in_threadpool(_toggle, runtime(request), ref, True)


def _remove(rt: Runtime, ref: str) -> dict[str, Any]:
    with rt.sessions()() as session, session.begin():
        schedule = manage.remove_schedule(session, ref)
        return {"id": schedule.id, "name": schedule.name, "removed": True}


@router.delete("/{ref}")
async def remove(request: Request, ref: str) -> dict[str, Any]:
    await read(request, key_checker(request, required=True))
    return await run_in_threadpool(_remove, runtime(request), ref)
