"""The scheduler on SQLite and PostgreSQL, its clock moved by days in milliseconds."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.clock import ManualClock
from archive.db.models import CaptureJob, CheckJob, Citation, Schedule, ScheduleTick
from archive.runtime import Runtime
from archive.schedule import actions, manage, recapture
from archive.schedule import check as check_action
from archive.schedule.action import Chunk
from archive.schedule.scheduler import claim, poll, run_scheduler
from tests.helpers import clean_env, run_cli
from tests.schedule.conftest import START, add_page, make_runtime

URLS = [f"https://example.org/page/{i}" for i in range(5)]


def _schedule(rt: Runtime, cron: str, doc: str | None, *, missed: str = "run-once") -> int:
    with rt.sessions()() as s, s.begin():
        new = manage.NewSchedule(cron=cron, action="recapture", document_id=doc, missed=missed)
        return manage.add_schedule(s, new, now=START).id


def _ticks(rt: Runtime, schedule_id: int) -> list[datetime]:
    with rt.sessions()() as s:
        return list(
            s.scalars(
                select(ScheduleTick.tick_at)
                .where(ScheduleTick.schedule_id == schedule_id)
                .order_by(ScheduleTick.tick_at)
            )
        )


def _tick_jobs(rt: Runtime, schedule_id: int) -> list[CaptureJob]:
    with rt.sessions()() as s:
        return list(s.scalars(select(CaptureJob).where(CaptureJob.schedule_id == schedule_id)))


def test_hourly_recapture_over_three_days(rt: Runtime) -> None:
    add_page(rt, "doc", *URLS)
    sid = _schedule(rt, "0 * * * *", "doc")
    clock = ManualClock(START)
    for _ in range(3 * 24 * 6):  # a poll every 10 minutes for three days
        clock.advance(timedelta(minutes=10))
        poll(rt, clock, owner="s1")
    ticks = _ticks(rt, sid)
    assert ticks == [START + timedelta(hours=h) for h in range(1, 3 * 24 + 1)]
    jobs = _tick_jobs(rt, sid)
    # every tick queued a forced capture of each of the five citations, once
    assert len(jobs) == len(ticks) * len(URLS)
    assert all(j.force and j.state == "queued" for j in jobs)
    per_url = Counter(j.url for j in jobs)
    assert per_url == {u: len(ticks) for u in URLS}
    with rt.sessions()() as s:
        counts = s.scalars(select(ScheduleTick.jobs).where(ScheduleTick.schedule_id == sid)).all()
    assert set(counts) == {len(URLS)}


def test_all_documents(rt: Runtime) -> None:
    add_page(rt, "one", *URLS[:2])
    add_page(rt, "two", *URLS[2:])
    sid = _schedule(rt, "0 0 * * *", None)
    clock = ManualClock(START + timedelta(hours=23))
    poll(rt, clock, owner="s1")
    assert _tick_jobs(rt, sid) == []
    clock.advance(timedelta(hours=1))
    done = poll(rt, clock, owner="s1")
    assert [(d.schedule_id, d.jobs) for d in done] == [(sid, len(URLS))]
    assert {(j.document_id, j.url) for j in _tick_jobs(rt, sid)} == {
        ("one", URLS[0]),
        ("one", URLS[1]),
        *{("two", u) for u in URLS[2:]},
    }


@pytest.mark.parametrize("missed", ["run-once", "skip"])
def test_a_scheduler_that_was_down(rt: Runtime, missed: str) -> None:
    add_page(rt, "doc", *URLS)
    sid = _schedule(rt, "0 6 * * *", "doc", missed=missed)
    clock = ManualClock(START + timedelta(hours=6))
    poll(rt, clock, owner="s1")  # day 0's tick, on time
    clock.advance(timedelta(days=4, hours=3))  # down over four ticks; back at 09:00
    poll(rt, clock, owner="s1")
    poll(rt, clock, owner="s1")
    clock.advance(timedelta(hours=21))  # the next tick, on time
    poll(rt, clock, owner="s1")
    day = [START + timedelta(days=d, hours=6) for d in range(6)]
    if missed == "run-once":
        assert _ticks(rt, sid) == [day[0], day[4], day[5]]
    else:
        assert _ticks(rt, sid) == [day[0], day[5]]
    assert len(_tick_jobs(rt, sid)) == len(_ticks(rt, sid)) * len(URLS)


def test_paused_schedules_do_not_tick_and_resume_from_the_next(rt: Runtime) -> None:
    add_page(rt, "doc", *URLS)
    sid = _schedule(rt, "0 * * * *", "doc")
    clock = ManualClock(START + timedelta(hours=1))
    poll(rt, clock, owner="s1")
    with rt.sessions()() as s, s.begin():
        manage.set_enabled(s, str(sid), False, now=clock.now())
    clock.advance(timedelta(hours=5))
    poll(rt, clock, owner="s1")
    with rt.sessions()() as s, s.begin():
        manage.set_enabled(s, str(sid), True, now=clock.now() + timedelta(minutes=1))
    poll(rt, clock, owner="s1")  # ticks of the pause are not missed ticks
    clock.advance(timedelta(hours=1))
    poll(rt, clock, owner="s1")
    assert _ticks(rt, sid) == [START + timedelta(hours=1), START + timedelta(hours=7)]


def _citation_ids(rt: Runtime) -> list[int]:
    with rt.sessions()() as s:
        return list(s.scalars(select(Citation.id).order_by(Citation.id)))


def _tick(rt: Runtime, schedule_id: int) -> ScheduleTick:
    with rt.sessions()() as s:
        return s.scalars(select(ScheduleTick).where(ScheduleTick.schedule_id == schedule_id)).one()


def test_a_chunk_aborted_midway_is_rolled_back_alone_and_redone(
    database_url: str,
    make_settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    rt = make_runtime(database_url, make_settings, scheduler={"plan_chunk": 2})
    add_page(rt, "doc", *URLS)
    sid = _schedule(rt, "0 * * * *", "doc")
    calls: list[int] = []

    def crashing(
        session: Session, schedule: Schedule, tick_at: datetime, after: int, limit: int
    ) -> Chunk:
        calls.append(after)
        chunk = recapture.expand(session, schedule, tick_at, after, limit)
        if len(calls) < 2:
            return chunk
        session.flush()
        written = session.scalar(
            select(func.count()).select_from(CaptureJob).where(CaptureJob.schedule_id == sid)
        )
        assert (chunk.jobs, written) == (2, 4)  # this chunk's two jobs are in the table
        raise RuntimeError("killed mid-chunk")

    monkeypatch.setitem(actions.ACTIONS, "recapture", replace(recapture.ACTION, expand=crashing))
    clock = ManualClock(START + timedelta(hours=1))
    with caplog.at_level(logging.ERROR):
        assert poll(rt, clock, owner="s1") == []
    assert "RuntimeError: killed mid-chunk" in caplog.text
    cited = _citation_ids(rt)
    tick = _tick(rt, sid)
    # The claim and the first chunk stand; the second chunk went with its mark.
    assert (tick.planned_through, tick.jobs, tick.finished_at) == (cited[1], 2, None)
    assert sorted(j.citation_id for j in _tick_jobs(rt, sid)) == cited[:2]
    monkeypatch.setitem(actions.ACTIONS, "recapture", recapture.ACTION)
    done = poll(rt, clock, owner="s1")
    assert [(d.schedule_id, d.jobs) for d in done] == [(sid, len(URLS))]
    assert sorted(j.citation_id for j in _tick_jobs(rt, sid)) == cited
    tick = _tick(rt, sid)
    assert (tick.planned_through, tick.jobs, tick.attempts) == (cited[-1], len(URLS), 1)
    assert tick.finished_at is not None
    rt.close()


def test_the_claim_writes_no_job_and_each_poll_writes_within_its_budget(
    database_url: str, make_settings: Any
) -> None:
    # A budget too small for two chunks: each poll writes one chunk, then returns.
    rt = make_runtime(
        database_url,
        make_settings,
        scheduler={"plan_chunk": 2, "plan_budget_seconds": 1e-9},
    )
    add_page(rt, "one", *URLS[:3])
    add_page(rt, "two", *URLS[3:])
    recap = _schedule(rt, "0 * * * *", None)
    with rt.sessions()() as s, s.begin():
        new = manage.NewSchedule(cron="0 * * * *", action="check", document_id=None)
        check = manage.add_schedule(s, new, now=START).id
    at = START + timedelta(hours=1)
    claimed = claim(rt, recap, at, owner="s1", now=at)
    assert claimed is not None and not claimed.runs and not claimed.finished
    tick = _tick(rt, recap)
    assert (tick.jobs, tick.planned_through, tick.finished_at) == (0, None, None)
    assert tick.lease_expires_at is not None and tick.lease_expires_at > at
    assert _tick_jobs(rt, recap) == []
    clock = ManualClock(at)
    progress = []
    for _ in range(6):
        done = poll(rt, clock, owner="s1")  # the check tick is claimed by the first
        # a second scheduler finds nothing due, and the lease keeps it off s1's ticks
        assert poll(rt, clock, owner="s2") == []
        progress.append(
            (
                [(d.schedule_id, d.jobs) for d in done],
                len(_tick_jobs(rt, recap)),
                _count_checks(rt, check),
            )
        )
    # 5 citations a tick in chunks of 2: the recapture tick first, then the check tick
    assert progress == [
        ([], 2, 0),
        ([], 4, 0),
        ([(recap, 5)], 5, 0),
        ([], 5, 2),
        ([], 5, 4),
        ([(check, 5)], 5, 5),
    ]
    assert {t.claimed_by for t in (_tick(rt, recap), _tick(rt, check))} == {"s1"}
    assert poll(rt, clock, owner="s1") == []
    rt.close()


def test_run_scheduler_once_writes_every_job_of_its_ticks(
    database_url: str, make_settings: Any
) -> None:
    rt = make_runtime(
        database_url,
        make_settings,
        scheduler={"plan_chunk": 2, "plan_budget_seconds": 1e-9},
    )
    add_page(rt, "doc", *URLS)
    sid = _schedule(rt, "0 * * * *", "doc")
    clock = ManualClock(START + timedelta(hours=1))
    done = run_scheduler(rt, clock, stop=threading.Event(), once=True, owner="s1")
    assert [(d.schedule_id, d.jobs) for d in done] == [(sid, len(URLS))]
    assert sorted(j.citation_id for j in _tick_jobs(rt, sid)) == _citation_ids(rt)
    assert _tick(rt, sid).finished_at is not None
    rt.close()


def test_the_scheduler_command_once_writes_every_job_of_the_tick(rt: Runtime) -> None:
    add_page(rt, "doc", *URLS)
    with rt.sessions()() as s, s.begin():
        # Yearly, active for over a year: this year's tick is due (missed: run once),
        # and no other tick falls due while the command runs.
        new = manage.NewSchedule(cron="0 0 1 1 *", action="check", document_id="doc")
        sid = manage.add_schedule(s, new, now=datetime.now(UTC) - timedelta(days=400)).id
    env = clean_env(
        CITEVAULT_DATABASE_URL=rt.database_url,
        CITEVAULT_DATA_DIR=str(rt.settings.data_dir),
        CITEVAULT_SCHEDULER__PLAN_CHUNK="2",
        CITEVAULT_SCHEDULER__PLAN_BUDGET_SECONDS="0.000001",
    )
    once = run_cli("scheduler", "--once", env=env)
    assert once.returncode == 0, once.stderr
    assert f"schedule {sid} tick " in once.stdout and f": {len(URLS)} jobs" in once.stdout
    assert _count_checks(rt, sid) == len(URLS)
    assert _tick(rt, sid).finished_at is not None


def test_a_chunk_written_twice_adds_no_job(rt: Runtime) -> None:
    add_page(rt, "doc", *URLS)
    sid = _schedule(rt, "0 * * * *", "doc")
    with rt.sessions()() as s, s.begin():
        new = manage.NewSchedule(cron="0 * * * *", action="check", document_id="doc")
        cid = manage.add_schedule(s, new, now=START).id
    at = START + timedelta(hours=1)
    for action, schedule_id in ((recapture, sid), (check_action, cid)):
        for _ in range(2):  # two schedulers over the same chunk, one after the other
            with rt.sessions()() as s, s.begin():
                schedule = s.get(Schedule, schedule_id)
                assert schedule is not None
                chunk = action.expand(s, schedule, at, 0, 3)
                assert chunk.through is not None and not chunk.last
    assert len(_tick_jobs(rt, sid)) == 3
    assert _count_checks(rt, cid) == 3


def _count_checks(rt: Runtime, schedule_id: int) -> int:
    with rt.sessions()() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(CheckJob)
                .where(CheckJob.schedule_id == schedule_id)
            )
            or 0
        )


def test_removing_a_schedule_keeps_its_jobs(rt: Runtime) -> None:
    add_page(rt, "doc", *URLS)
    sid = _schedule(rt, "0 * * * *", "doc")
    poll(rt, ManualClock(START + timedelta(hours=1)), owner="s1")
    with rt.sessions()() as s, s.begin():
        manage.remove_schedule(s, str(sid))
    with rt.sessions()() as s:
        assert s.scalar(select(func.count()).select_from(ScheduleTick)) == 0
        kept = s.scalars(select(CaptureJob).where(CaptureJob.force.is_(True))).all()
    assert len(kept) == len(URLS)
    assert {j.schedule_id for j in kept} == {None}


def test_run_scheduler_stops_when_told(rt: Runtime) -> None:
    add_page(rt, "doc", *URLS)
    sid = _schedule(rt, "* * * * *", "doc")
    clock = ManualClock(START + timedelta(minutes=1))
    stop = threading.Event()
    stop.set()
    assert run_scheduler(rt, clock, stop=stop) == []  # stopped before its first look
    done = run_scheduler(rt, clock, stop=threading.Event(), once=True)
    assert [(d.schedule_id, d.tick_at) for d in done] == [(sid, START + timedelta(minutes=1))]
