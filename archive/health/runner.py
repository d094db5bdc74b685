"""Running due checks: lease, fetch on a pool of threads, judge, store.

Fetches run on ``health.concurrency`` threads (a check is mostly waiting on
the network); the database is written from the calling thread only, in
groups: the group's jobs are marked done (those whose lease is still ours),
their results inserted in one statement and the citations' states moved,
then committed.  A crash loses at most a group, whose jobs come back when
their lease expires.  What schedules ask to follow a state change (webhook
deliveries, fresh captures) is queued in the same transaction as the change:
committed with it, or lost with it and redone by the check that comes back.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from queue import Empty, SimpleQueue
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from archive.clock import Clock
from archive.db.models import Capture, CheckJob, CheckResult, Citation, CitationHealth
from archive.db.models.captures import JobState
from archive.health import queue
from archive.health.classify import Outcome, judge
from archive.health.drift import (
    Baselines,
    Drift,
    closest_captures,
    compare,
    quote_check,
    quotes_of,
)
from archive.health.probe import Observation, Prober
from archive.health.state import HealthChange, advance
from archive.health.text import Fingerprint, is_textual
from archive.runtime import Runtime
from archive.schedule.recapture_on import queue_recaptures
from archive.settings import HealthSettings, Settings
from archive.webhooks.queue import queue_health_changes

_COMMIT_EVERY = 100


@dataclass
class Summary:
    checked: int = 0
    states: Counter[str] = field(default_factory=Counter)
    lost: int = 0  # answers whose lease had expired and gone to another worker


@dataclass(frozen=True, slots=True)
class _Context:
    spec: queue.CheckSpec
    page_expected: bool
    baseline_id: int | None
    baseline: Fingerprint | None
    quotes: list[str]


@dataclass(frozen=True, slots=True)
class _Judged:
    ctx: _Context
    obs: Observation
    outcome: Outcome
    drift: Drift | None
    quotes: list[dict[str, object]] | None
    at: datetime


def default_owner() -> str:
    return f"check:{socket.gethostname()}:{os.getpid()}"


def _prepare(
    session: Session, specs: list[queue.CheckSpec], baselines: Baselines
) -> list[_Context]:
    """What judging needs of the database, read for a whole batch at once."""
    ids = [s.citation_id for s in specs]
    citations = {
        c.id: c
        for c in session.execute(
            select(Citation.id, Citation.context, Citation.claim, Citation.anchor_text).where(
                Citation.id.in_(ids)
            )
        )
    }
    seen_page = set(
        session.scalars(
            select(CitationHealth.citation_id)
            .join(CheckResult, CheckResult.id == CitationHealth.last_result_id)
            .where(CitationHealth.citation_id.in_(ids), CheckResult.word_count.is_not(None))
        )
    )
    captures = closest_captures(session, ids)
    bases = baselines.fingerprints(session, captures.values())
    out = []
    for spec in specs:
        capture = captures.get(spec.citation_id)
        out.append(
            _Context(
                spec,
                spec.citation_id in seen_page or _captured_page(capture),
                capture.id if capture is not None else None,
                bases[capture.id] if capture is not None else None,
                quotes_of(citations[spec.citation_id]),
            )
        )
    return out


def _captured_page(capture: Capture | None) -> bool:
    """Whether the citation-time capture says the URL is a page: then a GET is due in
    any case (its text is compared), and a HEAD first would tell nothing new.  A
    capture without a content type, or of a PDF or an image, says nothing of the kind:
    such URLs are asked with HEAD first, as URLs never captured are."""
    return capture is not None and capture.media_type is not None and is_textual(capture.media_type)


def _judge(ctx: _Context, obs: Observation, at: datetime, settings: HealthSettings) -> _Judged:
    drift: Drift | None = None
    if ctx.baseline is not None and obs.page is not None:
        drift = compare(ctx.baseline, obs.page, settings)
    outcome = judge(obs, drift, settings)
    quotes = quote_check(ctx.quotes, ctx.baseline, obs.page) if ctx.quotes else None
    return _Judged(ctx, obs, outcome, drift, quotes, at)


def _row(j: _Judged) -> dict[str, Any]:
    obs, drift, page = j.obs, j.drift, j.obs.page
    return {
        "citation_id": j.ctx.spec.citation_id,
        "job_id": j.ctx.spec.job_id,
        "checked_at": j.at,
        "url": j.ctx.spec.url,
        "method": obs.method,
        "http_status": obs.status,
        "final_url": obs.final_url,
        "redirect_chain": obs.chain or None,
        "payload_digest": obs.digest,
        "simhash": f"{page.simhash:016x}" if page is not None else None,
        "word_count": page.words if page is not None else None,
        "baseline_capture_id": j.ctx.baseline_id,
        "cosine": round(drift.cosine, 4) if drift else None,
        "word_change": round(drift.word_change, 4) if drift else None,
        "simhash_distance": drift.simhash_distance if drift else None,
        "drift_label": drift.label if drift else None,
        "soft_404": j.outcome.soft_404,
        "quotes": j.quotes,
        "outcome": j.outcome.state,
        "detail": j.outcome.detail,
        "error": obs.error,
    }


def _store(
    session: Session, group: list[_Judged], owner: str, now: datetime, all_settings: Settings
) -> list[str]:
    """Write a group of checks; the new state of each whose lease was still ours."""
    ours = set(
        session.scalars(
            update(CheckJob)
            .where(
                CheckJob.id.in_([j.ctx.spec.job_id for j in group]),
                CheckJob.lease_owner == owner,
                CheckJob.state == JobState.LEASED,
            )
            .values(state=JobState.DONE, lease_owner=None, lease_expires_at=None, updated_at=now)
            .returning(CheckJob.id)
        )
    )
    kept = [j for j in group if j.ctx.spec.job_id in ours]
    if not kept:
        return []
    ids = session.scalars(
        insert(CheckResult).returning(CheckResult.id, sort_by_parameter_order=True),
        [_row(j) for j in kept],
    ).all()
    settings = all_settings.health
    # Two schedules' checks of one citation can be in one group, or the other's row
    # written since this one was prepared: one row, both applied.  The rows are read
    # here, in one query (those read when the batch was leased have expired with
    # that transaction), and new ones are flushed together.
    rows = {
        h.citation_id: h
        for h in session.scalars(
            select(CitationHealth).where(
                CitationHealth.citation_id.in_({j.ctx.spec.citation_id for j in kept})
            )
        )
    }
    states = []
    changes = []
    for j, result_id in zip(kept, ids, strict=True):
        health = rows.get(j.ctx.spec.citation_id)
        if health is None:
            health = CitationHealth(
                citation_id=j.ctx.spec.citation_id, state="", since=j.at, consecutive_failures=0
            )
            session.add(health)
            rows[health.citation_id] = health
        old_state, old_label = health.state or None, health.drift_label
        advance(health, j.outcome, j.drift, j.at, settings)
        health.last_result_id = result_id
        states.append(str(health.state))
        spec = j.ctx.spec
        changes.append(
            HealthChange(
                citation_id=spec.citation_id,
                document_id=spec.document_id,
                url=spec.url,
                schedule_id=spec.schedule_id,
                result_id=result_id,
                checked_at=j.at,
                old_state=old_state,
                new_state=str(health.state),
                old_label=old_label,
                new_label=health.drift_label,
                baseline_capture_id=j.ctx.baseline_id,
            )
        )
    queue_health_changes(session, changes, now, all_settings.webhooks)
    queue_recaptures(session, changes)
    return states


def run_checks(
    rt: Runtime,
    clock: Clock,
    *,
    document_id: str | None = None,
    owner: str | None = None,
    on_result: Callable[[Summary], None] | None = None,
) -> Summary:
    """Run every due check (of one document, or all) until none is left."""
    owner = owner or default_owner()
    settings = rt.settings.health
    prober = Prober(rt.settings)
    baselines = Baselines(rt)
    summary = Summary()
    threads = ThreadPoolExecutor(settings.concurrency, thread_name_prefix="citevault-check")
    running: dict[Future[Observation], _Context] = {}
    finished: SimpleQueue[Future[Observation]] = SimpleQueue()
    group: list[_Judged] = []
    more = True
    with threads as pool, rt.sessions()() as session:
        while more or running:
            # Keep the threads busy: lease the next jobs while the last ones are
            # still out, rather than waiting for a batch's slowest answer.
            if more and len(running) < settings.concurrency:
                specs = queue.lease(
                    session, owner, settings.concurrency, clock.now(), document_id=document_id
                )
                more = bool(specs)
                contexts = _prepare(session, specs, baselines) if specs else []
                session.commit()  # end the reading transaction: fetching takes a while
                for c in contexts:
                    future = pool.submit(prober.observe, c.spec.url, page_expected=c.page_expected)
                    running[future] = c
                    future.add_done_callback(finished.put)
                if not running:
                    break
            # Answers arrive in a queue, each once: ``wait`` on all the running
            # futures would hook onto every one of them at every turn of this loop.
            done = [finished.get()]
            with contextlib.suppress(Empty):
                while True:
                    done.append(finished.get_nowait())
            for future in done:
                ctx = running.pop(future)
                group.append(_judge(ctx, future.result(), clock.now(), settings))
            if len(group) >= _COMMIT_EVERY or (group and not running):
                states = _store(session, group, owner, clock.now(), rt.settings)
                session.commit()
                summary.lost += len(group) - len(states)
                summary.checked += len(states)
                summary.states.update(states)
                group = []
                if on_result is not None:
                    on_result(summary)
    return summary
