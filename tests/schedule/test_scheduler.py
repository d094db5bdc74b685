"""The scheduler on SQLite and PostgreSQL, its clock moved by days in milliseconds."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.clock import ManualClock
from archive.db.models import CaptureJob, Schedule, ScheduleTick
from archive.runtime import Runtime
from archive.schedule import actions, manage, recapture
from archive.schedule.action import Action
from archive.schedule.scheduler import poll, run_scheduler
from tests.schedule.conftest import START, add_page

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


def test_a_plan_aborted_midway_leaves_nothing_and_is_redone(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    add_page(rt, "doc", *URLS)
    sid = _schedule(rt, "0 * * * *", "doc")

    def crashing(session: Session, schedule: Schedule, tick_at: datetime) -> int:
        written = recapture.plan(session, schedule, tick_at)
        session.flush()
        assert (
            session.scalar(
                select(func.count())
                .select_from(CaptureJob)
                .where(CaptureJob.schedule_id == schedule.id)
            )
            == written
            == len(URLS)
        )
        raise RuntimeError("killed mid-plan")

    monkeypatch.setitem(actions.ACTIONS, "recapture", Action("recapture", "", plan=crashing))
    clock = ManualClock(START + timedelta(hours=1))
    with caplog.at_level(logging.ERROR):
        assert poll(rt, clock, owner="s1") == []
    assert "RuntimeError: killed mid-plan" in caplog.text
    assert _ticks(rt, sid) == []
    assert _tick_jobs(rt, sid) == []
    monkeypatch.setitem(actions.ACTIONS, "recapture", recapture.ACTION)
    poll(rt, clock, owner="s2")
    assert _ticks(rt, sid) == [START + timedelta(hours=1)]
    assert len(_tick_jobs(rt, sid)) == len(URLS)


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
