"""Running due checks: lease, fetch on a pool of threads, judge, store.

Fetches run on ``health.concurrency`` threads (a check is mostly waiting on
the network); the database is written from the calling thread only, one
check result and one state change per answer, committed in small groups so
that a crash loses at most a group, whose jobs come back when their lease
expires.
"""

from __future__ import annotations

import os
import socket
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.clock import Clock
from archive.db.models import CheckResult, Citation, CitationHealth
from archive.health import queue
from archive.health.classify import judge
from archive.health.drift import Baselines, Drift, closest_capture, compare, quote_check, quotes_of
from archive.health.probe import Observation, Prober
from archive.health.state import advance
from archive.health.text import Fingerprint
from archive.runtime import Runtime

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


def default_owner() -> str:
    return f"check:{socket.gethostname()}:{os.getpid()}"


def _prepare(
    session: Session, specs: list[queue.CheckSpec], baselines: Baselines
) -> list[_Context]:
    ids = [s.citation_id for s in specs]
    citations = {c.id: c for c in session.scalars(select(Citation).where(Citation.id.in_(ids)))}
    seen_page = set(
        session.scalars(
            select(CitationHealth.citation_id)
            .join(CheckResult, CheckResult.id == CitationHealth.last_result_id)
            .where(CitationHealth.citation_id.in_(ids), CheckResult.word_count.is_not(None))
        )
    )
    out = []
    for spec in specs:
        citation = citations[spec.citation_id]
        capture = closest_capture(session, citation)
        base = baselines.fingerprint(session, capture) if capture is not None else None
        out.append(
            _Context(
                spec,
                spec.citation_id in seen_page,
                capture.id if capture is not None else None,
                base,
                quotes_of(citation),
            )
        )
    return out


def _store(
    session: Session,
    rt: Runtime,
    ctx: _Context,
    obs: Observation,
    clock: Clock,
    owner: str,
) -> str | None:
    """Write one check's result and the citation's new state; None if the lease was lost."""
    now = clock.now()
    if not queue.finish(session, ctx.spec.job_id, owner, now):
        return None
    settings = rt.settings.health
    drift: Drift | None = None
    if ctx.baseline is not None and obs.page is not None:
        drift = compare(ctx.baseline, obs.page, settings)
    outcome = judge(obs, drift, settings)
    quotes = quote_check(ctx.quotes, ctx.baseline, obs.page) if ctx.quotes else None
    result = CheckResult(
        citation_id=ctx.spec.citation_id,
        job_id=ctx.spec.job_id,
        checked_at=now,
        url=ctx.spec.url,
        method=obs.method,
        http_status=obs.status,
        final_url=obs.final_url,
        redirect_chain=obs.chain or None,
        payload_digest=obs.digest,
        simhash=f"{obs.page.simhash:016x}" if obs.page is not None else None,
        word_count=obs.page.words if obs.page is not None else None,
        baseline_capture_id=ctx.baseline_id,
        cosine=round(drift.cosine, 4) if drift else None,
        word_change=round(drift.word_change, 4) if drift else None,
        simhash_distance=drift.simhash_distance if drift else None,
        drift_label=drift.label if drift else None,
        soft_404=outcome.soft_404,
        quotes=quotes,
        outcome=outcome.state,
        detail=outcome.detail,
        error=obs.error,
    )
    session.add(result)
    session.flush()
    health = session.get(CitationHealth, ctx.spec.citation_id)
    if health is None:
        health = CitationHealth(
            citation_id=ctx.spec.citation_id, state="", since=now, consecutive_failures=0
        )
        session.add(health)
    advance(health, outcome, drift, now, settings)
    health.last_result_id = result.id
    return health.state


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
    batch = settings.concurrency * 4
    threads = ThreadPoolExecutor(settings.concurrency, thread_name_prefix="citevault-check")
    with threads as pool, rt.sessions()() as session:
        while specs := queue.lease(session, owner, batch, clock.now(), document_id=document_id):
            contexts = _prepare(session, specs, baselines)
            session.commit()  # end the reading transaction: fetching takes a while
            running: dict[Future[Observation], _Context] = {
                pool.submit(prober.observe, c.spec.url, page_expected=c.page_expected): c
                for c in contexts
            }
            pending = 0
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    ctx = running.pop(future)
                    state = _store(session, rt, ctx, future.result(), clock, owner)
                    if state is None:
                        summary.lost += 1
                        continue
                    summary.checked += 1
                    summary.states[state] += 1
                    pending += 1
                if pending >= _COMMIT_EVERY or not running:
                    session.commit()
                    pending = 0
                    if on_result is not None:
                        on_result(summary)
    return summary
