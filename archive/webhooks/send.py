"""Sending queued webhook deliveries: lease, sign, POST, record, back off.

Senders lease deliveries as workers lease jobs (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, one UPDATE on SQLite), so two senders never post the same row at
once.  A sender that dies after posting and before recording leaves a lease
that expires, and the delivery is posted again: receivers see each delivery
at least once and can drop a repeat by its ``X-Citevault-Delivery`` id.

The POST goes through the fetch policy (SSRF rules, deadline, size cap) and
follows no redirect: a signed body is sent to the URL the schedule names,
never to one a server points at.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import socket
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from archive.clock import Clock
from archive.db.models import Schedule, WebhookDelivery
from archive.errors import BlockedByPolicyError, CitevaultError
from archive.net.fetch import exchange
from archive.runtime import Runtime
from archive.settings import Settings, WebhookSettings

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Citevault-Signature"
TIMESTAMP_HEADER = "X-Citevault-Timestamp"
DELIVERY_HEADER = "X-Citevault-Delivery"
EVENT_HEADER = "X-Citevault-Event"
# Statuses that say "not now" rather than "no": worth the same body again later.
_RETRY_STATUSES = frozenset({408, 429})
# A receiver's answer is read only to be closed: its size does not matter.
_MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class _Leased:
    id: int
    key: str
    event: str
    body: str
    attempts: int
    url: str | None
    secret: str | None


@dataclass(frozen=True, slots=True)
class Attempt:
    status: int | None
    error: str | None
    retry: bool  # a failure another try may cure

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class SendSummary:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def sent(self) -> int:
        return self.delivered + self.retrying + self.failed


def default_owner() -> str:
    return f"webhooks:{socket.gethostname()}:{os.getpid()}"


def signature(secret: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of the body, keyed with the schedule's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int, settings: WebhookSettings) -> timedelta:
    """The wait after the ``attempts``-th failed try: doubling, capped."""
    seconds = settings.backoff_seconds * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.max_backoff_seconds))


def post(delivery: _Leased, settings: Settings, now: datetime) -> Attempt:
    if not delivery.url or not delivery.secret:
        return Attempt(None, "the schedule has no webhook URL or secret any more", retry=False)
    body = delivery.body.encode()
    limits = settings.fetch.model_copy(
        update={"max_redirects": 0, "download_timeout_seconds": settings.webhooks.timeout_seconds}
    )
    headers = {
        "Content-Type": "application/json",
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: delivery.key,
        TIMESTAMP_HEADER: str(int(now.timestamp())),
        SIGNATURE_HEADER: signature(delivery.secret, body),
    }
    try:
        answer = exchange(
            delivery.url,
            limits,
            max_bytes=_MAX_ANSWER_BYTES,
            method="POST",
            cut=True,
            body=body,
            headers=headers,
        )
    except BlockedByPolicyError as exc:
        return Attempt(None, exc.message, retry=False)
    except CitevaultError as exc:  # timeout, refused, DNS: the receiver may come back
        return Attempt(None, exc.message, retry=True)
    status = answer.status
    if 200 <= status < 300:
        return Attempt(status, None, retry=False)
    retry = status >= 500 or status in _RETRY_STATUSES
    return Attempt(status, f"HTTP {status}", retry=retry)


def _due(now: datetime) -> object:
    return or_(
        and_(WebhookDelivery.state == "queued", WebhookDelivery.next_attempt_at <= now),
        and_(WebhookDelivery.state == "leased", WebhookDelivery.lease_expires_at < now),
    )


def _give_up_abandoned(session: Session, now: datetime, settings: WebhookSettings) -> None:
    """Deliveries whose sender died on every try: given up, not posted once more."""
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.state == "leased",
            WebhookDelivery.lease_expires_at < now,
            WebhookDelivery.attempts >= settings.max_attempts,
        )
        .values(
            state="failed",
            lease_owner=None,
            last_error="the sender stopped before recording an answer, on every attempt",
            updated_at=now,
        )
    )


def lease(session: Session, owner: str, now: datetime, settings: WebhookSettings) -> list[_Leased]:
    """Lease up to ``batch`` due deliveries to ``owner``; commits."""
    _give_up_abandoned(session, now, settings)
    pick = (
        select(WebhookDelivery.id)
        .where(_due(now))  # type: ignore[arg-type]
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(settings.batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = session.scalars(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(pick.scalar_subquery()))
        .values(
            state="leased",
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=settings.lease_seconds),
            attempts=WebhookDelivery.attempts + 1,
            updated_at=now,
        )
        .returning(WebhookDelivery.id)
    ).all()
    rows = session.execute(
        select(WebhookDelivery, Schedule.webhook_url, Schedule.webhook_secret)
        .join(Schedule, Schedule.id == WebhookDelivery.schedule_id)
        .where(WebhookDelivery.id.in_(ids))
        .order_by(WebhookDelivery.id)
    ).all()
    session.commit()
    return [
        _Leased(d.id, d.delivery_key, d.event, d.body, d.attempts, url, secret)
        for d, url, secret in rows
    ]


def _record(
    session: Session,
    delivery: _Leased,
    attempt: Attempt,
    owner: str,
    now: datetime,
    settings: WebhookSettings,
) -> str:
    """Store one try's outcome (if the lease is still ours); the delivery's new state."""
    values: dict[str, object] = {
        "lease_owner": None,
        "lease_expires_at": None,
        "last_status": attempt.status,
        "last_error": attempt.error,
        "updated_at": now,
    }
    if attempt.ok:
        values.update(state="delivered", delivered_at=now)
    elif attempt.retry and delivery.attempts < settings.max_attempts:
        values.update(state="queued", next_attempt_at=now + backoff(delivery.attempts, settings))
    else:
        values.update(state="failed")
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery.id,
            WebhookDelivery.lease_owner == owner,
            WebhookDelivery.state == "leased",
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return str(values["state"])


def _outcome(delivery: _Leased, attempt: Attempt, state: str) -> None:
    """Log a try that did not deliver (a receiver's trouble is the operator's to see)."""
    if state == "queued":
        log.warning("webhook delivery %s failed (%s); retrying later", delivery.key, attempt.error)
    elif state == "failed":
        log.error("webhook delivery %s given up: %s", delivery.key, attempt.error)


def _put_back(session: Session, unsent: list[_Leased], owner: str) -> None:
    """Leased but never posted (the budget ran out first): due again, the try not counted."""
    for delivery in unsent:
        session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery.id,
                WebhookDelivery.lease_owner == owner,
                WebhookDelivery.state == "leased",
            )
            .values(
                state="queued",
                lease_owner=None,
                lease_expires_at=None,
                attempts=WebhookDelivery.attempts - 1,
            )
            .execution_options(synchronize_session=False)
        )


def _record_late(
    rt: Runtime, clock: Clock, owner: str, delivery: _Leased
) -> Callable[[Future[Attempt]], None]:
    """Records a post that outlived the budget, from its own thread, when it ends."""

    def done(future: Future[Attempt]) -> None:
        try:
            attempt = future.result()
            with rt.sessions()() as session:
                state = _record(
                    session, delivery, attempt, owner, clock.now(), rt.settings.webhooks
                )
                session.commit()
            _outcome(delivery, attempt, state)
        except Exception:
            # Unrecorded, the delivery's lease runs out and it is posted again.
            log.exception("webhook delivery %s: recording a late answer failed", delivery.key)

    return done


def send_due(
    rt: Runtime, clock: Clock, *, owner: str | None = None, wait_for_all: bool = False
) -> SendSummary:
    """Post one batch of due deliveries (``webhooks.batch``), recording each outcome.

    Waits at most ``webhooks.send_budget_seconds`` for the posts (all of them
    with ``wait_for_all``): the scheduler's next look for due ticks comes after
    this returns.  The summary counts the posts answered within the wait.
    """
    owner = owner or default_owner()
    settings = rt.settings.webhooks
    summary = SendSummary()
    with rt.sessions()() as session:
        leased = lease(session, owner, clock.now(), settings)
        if not leased:
            return summary
        now = clock.now()
        pool = ThreadPoolExecutor(
            min(settings.concurrency, len(leased)), thread_name_prefix="citevault-webhook"
        )
        try:
            posts = {pool.submit(post, d, rt.settings, now): d for d in leased}
            budget = None if wait_for_all else settings.send_budget_seconds
            answered, running = wait(posts, timeout=budget)
            unsent: list[_Leased] = []
            for future in running:
                if future.cancel():
                    unsent.append(posts[future])
                else:
                    future.add_done_callback(_record_late(rt, clock, owner, posts[future]))
        finally:
            # Posts still running finish in their threads (bounded by timeout_seconds).
            pool.shutdown(wait=False, cancel_futures=True)
        done = clock.now()
        for future in sorted(answered, key=lambda f: posts[f].id):
            delivery, attempt = posts[future], future.result()
            state = _record(session, delivery, attempt, owner, done, settings)
            _outcome(delivery, attempt, state)
            summary.delivered += state == "delivered"
            summary.retrying += state == "queued"
            summary.failed += state == "failed"
        _put_back(session, unsent, owner)
        session.commit()
        if running:
            log.warning(
                "webhooks: %d post(s) still unanswered after %g s (webhooks.send_budget_seconds), "
                "%d put back for the next look",
                len(running) - len(unsent),
                settings.send_budget_seconds,
                len(unsent),
            )
    return summary


def send_all(rt: Runtime, clock: Clock, *, owner: str | None = None) -> SendSummary:
    """Batch after batch until none is due (``citevault webhooks send``)."""
    total = SendSummary()
    while True:
        summary = send_due(rt, clock, owner=owner, wait_for_all=True)
        if not summary.sent:
            return total
        total.delivered += summary.delivered
        total.retrying += summary.retrying
        total.failed += summary.failed
