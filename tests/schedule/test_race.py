"""Several schedulers on one PostgreSQL: every tick's jobs exist once, also after a kill -9
mid-tick and when one takes over a tick another is still writing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from archive.clock import ManualClock
from archive.db.models import CaptureJob, CheckJob, Citation, ScheduleTick
from archive.runtime import Runtime
from archive.schedule import actions, check, manage
from archive.schedule.action import Chunk
from archive.schedule.expand import expand_chunk
from archive.schedule.scheduler import claim, poll
from tests.helpers import ROOT
from tests.schedule.conftest import START, add_page, make_runtime

URLS = [f"https://example.org/r/{i}" for i in range(20)]


def test_two_schedulers_racing_over_many_ticks(pg_url: str, make_settings: Any) -> None:
    # Chunks of 7: each tick's 20 or 60 jobs are written in several transactions.
    rts = [make_runtime(pg_url, make_settings, scheduler={"plan_chunk": 7}) for _ in range(2)]
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
    from dataclasses import replace
    from datetime import datetime
    from archive.clock import ManualClock
    from archive.runtime import Runtime
    from archive.schedule import actions, recapture
    from archive.schedule.scheduler import poll
    from archive.settings import load_settings

    url, data_dir, at, flag = sys.argv[1:]
    calls = []

    def slow(session, schedule, tick_at, after, limit):
        chunk = recapture.expand(session, schedule, tick_at, after, limit)
        calls.append(after)
        if len(calls) == 3:
            session.flush()  # the third chunk's jobs are written, not committed
            open(flag, "w").write(f"{after} {chunk.jobs}")
            time.sleep(120)
        return chunk

    actions.ACTIONS["recapture"] = replace(recapture.ACTION, expand=slow)
    settings = load_settings(database_url=url, data_dir=data_dir, scheduler={"plan_chunk": 5})
    poll(Runtime(settings), ManualClock(datetime.fromisoformat(at)), owner="doomed")
    """
)


def _jobs_by_citation(rt: Runtime, sid: int) -> Counter[int]:
    with rt.sessions()() as s:
        return Counter(
            s.scalars(select(CaptureJob.citation_id).where(CaptureJob.schedule_id == sid))
        )


def _cited(rt: Runtime) -> list[int]:
    with rt.sessions()() as s:
        return list(s.scalars(select(Citation.id).order_by(Citation.id)))


def test_a_scheduler_killed_mid_expansion_loses_and_duplicates_nothing(
    pg_url: str, make_settings: Any, tmp_path: Path
) -> None:
    rt = make_runtime(pg_url, make_settings, scheduler={"plan_chunk": 5})
    add_page(rt, "doc", *URLS)
    with rt.sessions()() as s, s.begin():
        sid = manage.add_schedule(
            s,
            manage.NewSchedule(cron="0 * * * *", action="recapture", document_id="doc"),
            now=START,
        ).id
    cited = _cited(rt)
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
        assert flag.exists(), "the doomed scheduler never reached its third chunk"
        assert flag.read_text() == f"{cited[9]} 5"  # after two chunks of five, five more
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    with rt.sessions()() as s:
        tick = s.scalars(select(ScheduleTick)).one()
    # The claim and two chunks were committed; the third died with its mark.
    assert (tick.claimed_by, tick.planned_through, tick.jobs) == ("doomed", cited[9], 10)
    assert tick.finished_at is None
    assert _jobs_by_citation(rt, sid) == Counter(cited[:10])
    # Its lease holds: nobody else writes the tick, nor claims it again.
    assert poll(rt, ManualClock(at + timedelta(minutes=1)), owner="survivor") == []
    assert _jobs_by_citation(rt, sid) == Counter(cited[:10])
    later = at + timedelta(seconds=rt.settings.scheduler.run_lease_seconds + 60)
    done = poll(rt, ManualClock(later), owner="survivor")
    assert [(d.schedule_id, d.tick_at, d.jobs) for d in done] == [(sid, at, len(URLS))]
    assert poll(rt, ManualClock(later + timedelta(minutes=1)), owner="survivor") == []
    assert _jobs_by_citation(rt, sid) == Counter(cited)  # each citation's job once
    with rt.sessions()() as s:
        tick = s.scalars(select(ScheduleTick)).one()
        urls = sorted(s.scalars(select(CaptureJob.url).where(CaptureJob.schedule_id == sid)))
    assert urls == sorted(URLS)
    assert (tick.claimed_by, tick.attempts, tick.jobs, tick.planned_through) == (
        "survivor",
        2,
        len(URLS),
        cited[-1],
    )
    assert tick.finished_at is not None
    rt.close()


def _waiting_on_a_lock(rt: Runtime) -> bool:
    with rt.sessions()() as s:
        return bool(
            s.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        )


def test_two_schedulers_racing_on_one_big_tick(pg_url: str, make_settings: Any) -> None:
    """A scheduler that stalls past its lease mid-tick, and one that takes the tick over.

    The stalled one ("a") is in the middle of a chunk when "b" takes over: b
    waits on the tick's row, a's chunk commits, b resumes from a's mark, and
    a's next chunk finds the tick is not its own any more.
    """
    rts = [make_runtime(pg_url, make_settings, scheduler={"plan_chunk": 4}) for _ in range(2)]
    rt = rts[0]
    for d in range(3):
        add_page(rt, f"doc{d}", *URLS)
    with rt.sessions()() as s, s.begin():
        sid = manage.add_schedule(
            s, manage.NewSchedule(cron="0 * * * *", action="check", document_id=None), now=START
        ).id
    cited = _cited(rt)
    at = START + timedelta(hours=1)
    claimed = claim(rt, sid, at, owner="a", now=at)
    assert claimed is not None
    assert expand_chunk(rt, claimed.tick_id, owner="a", now=at) is True
    mid_chunk, go = threading.Event(), threading.Event()

    def stalling(session: Any, schedule: Any, tick_at: Any, after: int, limit: int) -> Chunk:
        chunk = check.expand(session, schedule, tick_at, after, limit)
        if threading.current_thread().name == "a":
            session.flush()
            mid_chunk.set()
            assert go.wait(60)
        return chunk

    actions.ACTIONS["check"] = replace(check.ACTION, expand=stalling)
    steps: dict[str, object] = {}
    errors: list[BaseException] = []

    def run(name: str, work: Any) -> None:
        try:
            steps[name] = work()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    later = at + timedelta(seconds=rt.settings.scheduler.run_lease_seconds + 60)
    # a's clock is stuck at the claim: its renewals leave the lease run out for b.
    a = threading.Thread(
        target=run,
        args=("a", lambda: expand_chunk(rts[1], claimed.tick_id, owner="a", now=at)),
        name="a",
    )
    b = threading.Thread(
        target=run, args=("b", lambda: poll(rt, ManualClock(later), owner="b")), name="b"
    )
    try:
        a.start()
        assert mid_chunk.wait(60)
        b.start()
        deadline = time.monotonic() + 60
        while not _waiting_on_a_lock(rt) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _waiting_on_a_lock(rt), "b's take-over never waited for a's chunk"
    finally:
        go.set()
        a.join(60)
        b.join(120)
        actions.ACTIONS["check"] = check.ACTION
    assert not errors, errors
    assert steps["a"] is True  # a's second chunk was written under its lease
    done = steps["b"]
    assert isinstance(done, list)
    assert [(d.schedule_id, d.jobs) for d in done] == [(sid, len(cited))]
    assert expand_chunk(rts[1], claimed.tick_id, owner="a", now=at) is False
    with rt.sessions()() as s:
        checks = Counter(s.scalars(select(CheckJob.citation_id).where(CheckJob.schedule_id == sid)))
        tick = s.scalars(select(ScheduleTick)).one()
    assert checks == Counter(cited)
    assert (tick.claimed_by, tick.attempts, tick.jobs) == ("b", 2, len(cited))
    assert tick.finished_at is not None
    for r in rts:
        r.close()
