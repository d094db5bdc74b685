"""``archive`` sees its crawler killed: leases back at once, charged only where fetched.

Split from tests/capture/test_crash.py, whose random-kill test runs for
minutes: in a file of its own this one runs on the other worker meanwhile
under ``pytest -n 2 --dist loadfile``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from archive.db.base import utcnow
from archive.db.models import CaptureJob
from tests.capture.test_archive_cli import _add, _env, _runtime
from tests.sites.site import TestSite


def test_archive_returns_its_killed_crawlers_leases_at_once(
    tmp_path: Path, test_site: TestSite
) -> None:
    """``archive`` sees its crawler die: the crawler's files are committed and its leases
    given back at once, charged only to the jobs that were being fetched."""
    env = _env(tmp_path)
    urls = [f"{test_site.base_url}/slow?seconds=3&v={i}" for i in range(24)]
    _add(env, tmp_path, "Sources:\n" + "\n".join(urls) + "\n", doc_id="slow")
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive", "archive", "slow"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    rt = _runtime(env)
    owner = None
    deadline = time.monotonic() + 60
    while owner is None and time.monotonic() < deadline:
        with rt.sessions()() as s:
            owner = s.scalars(
                select(CaptureJob.lease_owner).where(CaptureJob.lease_owner.is_not(None))
            ).first()
        time.sleep(0.05)
    assert owner is not None
    # the crawler has handed its first requests to the downloader
    journal = next((tmp_path / "data" / "spool").glob("started-*.jobs"), None)
    while journal is None and time.monotonic() < deadline:
        time.sleep(0.05)
        journal = next((tmp_path / "data" / "spool").glob("started-*.jobs"), None)
    os.kill(int(owner.rpartition(":")[2]), signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    stdout = " ".join((out.decode() + err.decode()).split())
    assert proc.returncode != 0, stdout
    assert "killed by signal 9" in stdout and "went back to the queue" in stdout, stdout
    assert "back-off" not in stdout and "backing off" not in stdout
    with rt.sessions()() as s:
        jobs = s.scalars(select(CaptureJob)).all()
    assert not [j for j in jobs if j.state == "leased"]
    charged = [j for j in jobs if j.attempts == 1]
    refunded = [j for j in jobs if j.attempts == 0]
    # the batch was larger than what the downloader had taken: the rest cost nothing
    assert charged and refunded, [(j.state, j.attempts) for j in jobs]
    assert all(j.state == "queued" and j.not_before <= utcnow() for j in refunded)
    assert all("killed by signal 9" in (j.reason or "") for j in charged if j.state != "done")
    assert not list((tmp_path / "data" / "spool").glob("started-*.jobs"))
