"""Crash safety: kill -9 workers at random moments, then check nothing is half-done.

Workers are killed while fetching, while writing WARC files and while
uploading them (the roll-over size is small, so uploads happen all the time).
Afterwards every job must end captured or failed, every capture row must point
at bytes that are in the store, every stored WARC file must be recorded and
pass ``warcio check``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from archive.db.models import CaptureJob, WarcFile
from tests.capture.test_archive_cli import (
    _add,
    _runtime,
    _s3_env,
    assert_captures_point_at_stored_bytes,
    warcio_check,
)
from tests.helpers import clean_env, run_cli
from tests.sites.site import TestSite

KILLS = 10


def _wait_for(phase: str, proc: subprocess.Popen[bytes], rt: Any, owner: str, spool: Path) -> bool:
    """Wait until the worker is in ``phase``: it holds a lease, has a WARC file
    open, or has just closed one (the upload starts at once); False if it ends."""
    before = set(spool.glob("*"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if phase == "fetching":
            with rt.sessions()() as s:
                held = s.scalars(select(CaptureJob).where(CaptureJob.lease_owner == owner)).first()
            if held is not None:
                return True
        elif phase == "writing":
            if set(spool.glob("*.warc.gz.open")) - before:
                return True
        elif set(spool.glob("*.warc.gz")) - before:
            return True
        time.sleep(0.01)
    return False


def _worker(env: dict[str, str], owner: str, lease: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.worker", "--owner", owner, "--lease-seconds", str(lease)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_random_kills_leave_no_half_captures(
    tmp_path: Path, test_site: TestSite, pg_url: str, s3_store_settings: dict[str, Any]
) -> None:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        CITEVAULT_DATABASE_URL=pg_url,
        CITEVAULT_WARC_ROLLOVER_BYTES="60000",
        **_s3_env(s3_store_settings),
    )
    assert run_cli("db", "upgrade", env=env).returncode == 0
    base = test_site.base_url

    def urls(batch: int) -> list[str]:
        out = []
        for i in range(6):
            v = f"{batch}-{i}"
            out.append(
                [
                    f"{base}/page/requisites.html?v={v}",
                    f"{base}/big?bytes={40_000 + i * 1000}&v={v}",
                    f"{base}/slow?seconds=1&v={v}",
                    f"{base}/enc/gzip.html?v={v}",
                ][i % 4]
            )
        return out

    rng = random.Random(20241128)
    spool = tmp_path / "data" / "spool"
    rt = _runtime(env)
    phases = ["fetching", "writing", "uploading"]
    killed: dict[str, int] = dict.fromkeys(phases, 0)
    for n in range(3 * KILLS):
        if sum(killed.values()) >= KILLS:
            break
        phase = phases[n % 3]
        # fresh work for every victim, so each one is busy when it dies
        _add(env, tmp_path, "Sources:\n" + "\n".join(urls(n)) + "\n", doc_id=f"doc{n}")
        owner = f"victim-{n}"
        proc = _worker(env, owner, lease=2)
        if _wait_for(phase, proc, rt, owner, spool):
            time.sleep(rng.uniform(0, 0.3) if phase != "uploading" else 0)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed[phase] += 1
        proc.wait()
    assert sum(killed.values()) >= KILLS, killed
    assert all(killed.values()), killed

    time.sleep(2.5)  # the victims' leases run out
    for attempt in range(6):
        proc = _worker(env, f"survivor-{attempt}", lease=600)
        assert proc.wait(timeout=300) == 0
        rt = _runtime(env)
        with rt.sessions()() as s:
            states = {j.state for j in s.scalars(select(CaptureJob))}
        if states <= {"done", "failed"}:
            break
        time.sleep(1)

    rt = _runtime(env)
    with rt.sessions()() as s:
        jobs = s.scalars(select(CaptureJob)).all()
        assert {j.state for j in jobs} <= {"done", "failed"}
        assert sum(j.state == "done" for j in jobs) >= len(jobs) // 2
        # the kills really interrupted work: jobs were taken over from dead workers
        assert any(j.attempts > 1 for j in jobs)
        recorded = {wf.store_key for wf in s.scalars(select(WarcFile))}
    # every capture row points at existing, matching bytes; every file passes warcio check
    assert assert_captures_point_at_stored_bytes(rt, tmp_path) > 0
    # and every WARC file in the store is recorded (nothing uploaded and forgotten)
    stored = set(rt.store().iter_keys("warcs"))
    assert stored == recorded
    print(
        f"kills={killed} warc_files={len(recorded)} "
        f"retried_jobs={sum(j.attempts > 1 for j in jobs)} "
        f"failed_jobs={sum(j.state == 'failed' for j in jobs)} "
        f"abandoned_open_files={len(list(spool.glob('*.open')))} "
        f"closed_left={len(list(spool.glob('*.warc.gz')))}"
    )
    for key in sorted(stored - recorded):
        local = tmp_path / "orphan.warc.gz"
        rt.store().download(key, local)
        warcio_check(local)
