"""Two runs at once, or a run killed and started again, store each document and version once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from archive.clock import ManualClock
from archive.db import migrate
from archive.db.models import CaptureJob, Document, DocumentVersion, SeedEntry
from archive.runtime import Runtime
from archive.seeds import SeedRunSummary, run_seed_file
from tests.helpers import ROOT, clean_env
from tests.seeds.site import START, NewsSite
from tests.seeds.test_daily import seed_file

DAY = 6  # 14 articles by then, a1 and a3 revised


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START + timedelta(days=DAY, hours=12))


def _state(settings: Any) -> tuple[int, int, int, Counter[tuple[str, str]]]:
    rt = Runtime(settings)
    try:
        with rt.sessions()() as s:
            return (
                int(s.scalar(select(func.count()).select_from(Document)) or 0),
                int(s.scalar(select(func.count()).select_from(DocumentVersion)) or 0),
                int(s.scalar(select(func.count()).select_from(SeedEntry)) or 0),
                Counter(s.execute(select(CaptureJob.document_id, CaptureJob.url_normalized)).all()),
            )
    finally:
        rt.close()


@pytest.fixture
def slow_site(clock: ManualClock) -> Iterator[NewsSite]:
    # Each article takes a while to answer, so that the runs interleave.
    with NewsSite(clock, delay=0.05) as running:
        yield running


def test_two_runs_at_once_on_postgresql(
    pg_url: str, make_settings: Any, tmp_path: Path, slow_site: NewsSite, clock: ManualClock
) -> None:
    settings = make_settings(database_url=pg_url, fetch={"block_private_addresses": False})
    migrate.upgrade(pg_url)
    path = seed_file(tmp_path, slow_site.base)
    articles = 2 * (DAY + 1)
    # Day one first, so that the concurrent runs also race on a new version (a1's).
    clock.set(START + timedelta(hours=12))
    first = run_seed_file(settings, path, clock=clock)
    assert first.new == 2
    clock.set(START + timedelta(days=DAY, hours=12))

    start = threading.Barrier(2)
    results: list[SeedRunSummary] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(run_seed_file(settings, path, clock=clock))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert errors == []
    assert len(results) == 2
    assert all(r.failed == [] for r in results)
    # Between them, each new article is new once and each revision changed once.
    assert sum(r.new for r in results) == articles - 2
    assert sum(r.changed for r in results) == 1
    documents, versions, entries, jobs = _state(settings)
    assert (documents, versions, entries) == (articles, articles + 1, articles)
    assert max(jobs.values()) == 1
    assert sum(jobs.values()) == 2 * articles + 1
    # Each run handled every entry: what one stored, the other found there.
    assert all(r.new + r.changed + r.unchanged == articles for r in results)


def test_a_run_killed_midway_and_rerun_adds_nothing_twice(
    database_url: str, make_settings: Any, tmp_path: Path, slow_site: NewsSite, clock: ManualClock
) -> None:
    settings = make_settings(database_url=database_url, fetch={"block_private_addresses": False})
    migrate.upgrade(settings.effective_database_url)
    path = seed_file(tmp_path, slow_site.base)
    articles = 2 * (DAY + 1)
    env = clean_env(
        PYTHONPATH=str(ROOT),
        CITEVAULT_DATA_DIR=str(settings.data_dir),
        CITEVAULT_DATABASE_URL=settings.effective_database_url,
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive", "seeds", "run", str(path)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while len(slow_site.requests()) < articles // 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    documents, _, _, _ = _state(settings)
    assert 0 < documents < articles, "the kill did not land mid-run"

    summary = run_seed_file(settings, path, clock=clock)
    assert summary.failed == []
    documents, versions, entries, jobs = _state(settings)
    # The site is at day 6: every article at its latest revision, one version each.
    assert (documents, versions, entries) == (articles, articles, articles)
    assert max(jobs.values()) == 1
    assert sum(jobs.values()) == 2 * articles + 1
    again = run_seed_file(settings, path, clock=clock)
    assert (again.new, again.changed, again.unchanged) == (0, 0, articles)
