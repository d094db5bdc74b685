"""Several schedulers on one PostgreSQL: every tick's jobs exist once, also after a kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from archive.clock import ManualClock
from archive.db.models import CaptureJob, ScheduleTick
from archive.schedule import manage
from archive.schedule.scheduler import poll
from tests.helpers import ROOT
from tests.schedule.conftest import START, add_page, make_runtime

URLS = [f"https://example.org/r/{i}" for i in range(20)]


def test_two_schedulers_racing_over_many_ticks(pg_url: str, make_settings: Any) -> None:
    rts = [make_runtime(pg_url, make_settings) for _ in range(2)]
    rt = rts[0]
    for d in range(3):
        add_page(rt, f"doc{d}", *URLS)
    with rt.sessions()() as s, s.begin():
        ids = [
            manage.add_schedule(
                s,
                manage.NewSchedule(cron=cron, action="recapture", document_id=doc),
                now=START,
            ).id
            for cron, doc in (
                ("*/10 * * * *", "doc0"),
                ("*/15 * * * *", None),
                ("0 * * * *", "doc2"),
            )
        ]
    clock = ManualClock(START)
    steps = 6 * 24  # one simulated day, a look every 10 minutes
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def scheduler(index: int) -> None:
        try:
            for _ in range(steps):
                barrier.wait()  # both look at the same moment
                poll(rts[index], clock, owner=f"s{index}")
                if barrier.wait() == 0:
                    clock.advance(timedelta(minutes=10))
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=scheduler, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors, errors
    with rt.sessions()() as s:
        ticks = s.execute(
            select(
                ScheduleTick.schedule_id,
                ScheduleTick.tick_at,
                ScheduleTick.claimed_by,
                ScheduleTick.jobs,
            )
        ).all()
        jobs = s.execute(
            select(CaptureJob.schedule_id, CaptureJob.citation_id, CaptureJob.job_key).where(
                CaptureJob.schedule_id.is_not(None)
            )
        ).all()
    # polls at 00:00 … 23:50: */10 ticks 143 times after 00:00, */15 95 times, hourly 23 times
    per_schedule = Counter(sid for sid, *_ in ticks)
    assert per_schedule == {ids[0]: 143, ids[1]: 95, ids[2]: 23}
    assert {owner for *_, owner, _ in ticks} == {"s0", "s1"}  # both won some
    expected = {ids[0]: 20, ids[1]: 60, ids[2]: 20}
    assert all(n == expected[sid] for sid, _, _, n in ticks)
    assert len(jobs) == sum(per_schedule[sid] * expected[sid] for sid in ids)
    assert len({key for *_, key in jobs}) == len(jobs)
    for r in rts:
        r.close()


_KILLED = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime
    from archive.clock import ManualClock
    from archive.runtime import Runtime
    from archive.schedule import actions, recapture
    from archive.schedule.action import Action
    from archive.schedule.scheduler import poll
    from archive.settings import load_settings

    url, data_dir, at, flag = sys.argv[1:]

    def slow(session, schedule, tick_at):
        written = recapture.plan(session, schedule, tick_at)
        session.flush()  # the tick row and its jobs are written, not committed
        open(flag, "w").write(str(written))
        time.sleep(120)
        return written

    actions.ACTIONS["recapture"] = Action("recapture", "", plan=slow)
    rt = Runtime(load_settings(database_url=url, data_dir=data_dir))
    poll(rt, ManualClock(datetime.fromisoformat(at)), owner="doomed")
    """
)


def test_a_scheduler_killed_mid_tick_loses_and_duplicates_nothing(
    pg_url: str, make_settings: Any, tmp_path: Path
) -> None:
    rt = make_runtime(pg_url, make_settings)
    add_page(rt, "doc", *URLS)
    with rt.sessions()() as s, s.begin():
        sid = manage.add_schedule(
            s,
            manage.NewSchedule(cron="0 * * * *", action="recapture", document_id="doc"),
            now=START,
        ).id
    at = START + timedelta(hours=1)
    flag = tmp_path / "planned"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED, pg_url, str(tmp_path / "data"), at.isoformat(), str(flag)],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while not flag.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert flag.exists(), "the doomed scheduler never reached its plan"
        assert flag.read_text() == str(len(URLS))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    with rt.sessions()() as s:
        assert s.scalar(select(func.count()).select_from(ScheduleTick)) == 0
        assert (
            s.scalar(
                select(func.count()).select_from(CaptureJob).where(CaptureJob.schedule_id == sid)
            )
            == 0
        )
    done = poll(rt, ManualClock(at + timedelta(minutes=1)), owner="survivor")
    assert [(d.schedule_id, d.tick_at, d.jobs) for d in done] == [(sid, at, len(URLS))]
    assert poll(rt, ManualClock(at + timedelta(minutes=2)), owner="survivor") == []
    with rt.sessions()() as s:
        jobs = s.scalars(select(CaptureJob).where(CaptureJob.schedule_id == sid)).all()
        tick = s.scalars(select(ScheduleTick)).one()
    assert sorted(j.url for j in jobs) == sorted(URLS)
    assert tick.claimed_by == "survivor"
    rt.close()
