"""The check, verify and ingest-seeds actions through the scheduler, tick by tick."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import func, select

from archive.clock import ManualClock
from archive.db.models import CheckJob, Document, ScheduleTick, SeedRun, VerifyRun
from archive.errors import InputError
from archive.runtime import Runtime
from archive.schedule import manage
from archive.schedule.scheduler import poll
from tests.schedule.conftest import START, add_page, page

URLS = [f"https://example.org/cited/{i}" for i in range(3)]


def _add(
    rt: Runtime, action: str, doc: str | None, options: dict[str, object] | None = None
) -> int:
    with rt.sessions()() as s, s.begin():
        new = manage.NewSchedule(cron="0 * * * *", action=action, document_id=doc, options=options)
        return manage.add_schedule(s, new, now=START).id


def _count(rt: Runtime, model: type, **where: object) -> int:
    with rt.sessions()() as s:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return s.scalar(query) or 0


def _ticks(rt: Runtime, sid: int) -> list[ScheduleTick]:
    with rt.sessions()() as s:
        return list(
            s.scalars(
                select(ScheduleTick)
                .where(ScheduleTick.schedule_id == sid)
                .order_by(ScheduleTick.tick_at)
            )
        )


def _fixity(outcome: str) -> float:
    return REGISTRY.get_sample_value("citevault_fixity_results_total", {"outcome": outcome}) or 0.0


def test_check_ticks_queue_each_check_once(rt: Runtime) -> None:
    add_page(rt, "doc", *URLS)
    sid = _add(rt, "check", "doc")
    clock = ManualClock(START)
    for _ in range(3):
        clock.advance(timedelta(hours=1))
        poll(rt, clock, owner="a")
        poll(rt, clock, owner="b")  # a second scheduler at the same moment finds nothing due
    ticks = _ticks(rt, sid)
    assert [t.jobs for t in ticks] == [len(URLS)] * 3
    assert all(t.finished_at is not None and t.error is None for t in ticks)
    assert _count(rt, CheckJob, schedule_id=sid) == 3 * len(URLS)


def test_verify_runs_once_per_tick_and_reports_what_it_found(rt: Runtime) -> None:
    add_page(rt, "doc", *URLS)
    sid = _add(rt, "verify", None, {"sample": 1})
    clock = ManualClock(START + timedelta(hours=1))
    (done,) = poll(rt, clock, owner="a")
    assert done.ran and done.error is None
    assert _count(rt, VerifyRun) == 1
    # An object in the store that no row accounts for: the next tick's run names it.
    stray = rt.settings.data_dir / "store" / "stray" / "orphan.bin"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"not ours")
    orphaned_before = _fixity("orphaned")
    clock.advance(timedelta(hours=1))
    (done,) = poll(rt, clock, owner="a")
    assert done.error is not None and "1 orphaned" in done.error
    assert _fixity("orphaned") == orphaned_before + 1  # the metrics count what the run found
    assert _count(rt, VerifyRun) == 2
    poll(rt, clock, owner="b")
    assert _count(rt, VerifyRun) == 2  # the same tick is not audited twice
    assert [t.error is None for t in _ticks(rt, sid)] == [True, False]


@pytest.mark.parametrize(
    ("doc", "options", "says"),
    [
        ("doc", {"sample": 1}, "audits the whole store"),
        (None, {"sample": 0}, "options.sample must be a number above 0"),
        (None, {"sample": "all"}, "options.sample must be a number above 0"),
    ],
)
def test_verify_schedules_refuse_what_cannot_run(
    rt: Runtime, doc: str | None, options: dict[str, object], says: str
) -> None:
    add_page(rt, "doc", *URLS)
    with pytest.raises(InputError, match=says):
        _add(rt, "verify", doc, options)
    assert _count(rt, VerifyRun) == 0


def test_ingest_seeds_runs_the_seed_file_each_tick(rt: Runtime, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "first.html").write_bytes(page(URLS[0]))
    seed_file = tmp_path / "watch.toml"
    seed_file.write_text(f'[[seed]]\nname = "incoming"\nfolder = "{folder}"\n')
    sid = _add(rt, "ingest-seeds", None, {"file": str(seed_file)})
    clock = ManualClock(START + timedelta(hours=1))
    (done,) = poll(rt, clock, owner="a")
    assert done.error is None
    assert _count(rt, Document) == 1
    (folder / "second.html").write_bytes(page(URLS[1]))
    clock.advance(timedelta(hours=1))
    (done,) = poll(rt, clock, owner="a")
    assert done.error is None
    assert _count(rt, Document) == 2
    clock.advance(timedelta(hours=1))
    poll(rt, clock, owner="a")
    assert _count(rt, Document) == 2  # nothing new: nothing added
    assert _count(rt, SeedRun) == 3
    assert len(_ticks(rt, sid)) == 3


@pytest.mark.parametrize(
    ("doc", "options", "says"),
    [
        (None, None, "ingest-seeds needs options.file"),
        ("doc", {"file": "x.toml"}, "reads a seed list, not one document"),
        (None, {"file": "/nonexistent/watch.toml"}, "no such seed file"),
    ],
)
def test_ingest_seeds_schedules_refuse_what_cannot_run(
    rt: Runtime, doc: str | None, options: dict[str, object] | None, says: str
) -> None:
    add_page(rt, "doc", *URLS)
    with pytest.raises(InputError, match=says):
        _add(rt, "ingest-seeds", doc, options)
