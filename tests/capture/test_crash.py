"""Crash safety: kill -9 crawlers at random moments, then check nothing is half-done.

Crawlers are killed while fetching, while writing WARC files, while uploading
them and between the upload and the database commit (the roll-over size is
small, so files close all the time).  Afterwards every job must end captured
or failed, every capture row must point at bytes that are in the store,
every stored WARC file must be recorded and pass ``warcio check``, every
citation whose page was archived must list that capture, no job may fail for
a crash it was not in flight for, and no ``.open`` file may be left.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from archive.capture.reclaim import local_owner
from archive.db.base import utcnow
from archive.db.models import Capture, CaptureJob, Citation, CitationCapture, WarcFile
from tests.capture.test_archive_cli import (
    _add,
    _runtime,
    _s3_env,
    assert_captures_point_at_stored_bytes,
    warcio_check,
)
from tests.helpers import clean_env, run_cli
from tests.sites.site import TestSite

KILLS = 30
PHASES = ("fetching", "writing", "uploading", "committing")


def _wait_for(phase: str, proc: subprocess.Popen[bytes], rt: Any, spool: Path) -> bool:
    """Wait until the crawler is in ``phase``; False if it ends first.

    fetching: it holds a lease; writing: it has a new WARC file open;
    uploading: it has just closed one (the upload starts at once);
    committing: a file is in the store that the database does not record yet.
    """
    owner = local_owner(proc.pid)
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
        elif phase == "uploading":
            if set(spool.glob("*.warc.gz")) - before:
                return True
        else:
            with rt.sessions()() as s:
                recorded = set(s.scalars(select(WarcFile.store_key)))
            if set(rt.store().iter_keys("warcs")) - recorded:
                return True
        time.sleep(0.02)
    return False


def _crawler(env: dict[str, str], lease: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.worker", "--lease-seconds", str(lease)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _urls(base: str, batch: int) -> list[str]:
    kinds = [
        "{base}/page/requisites.html?v={v}",
        "{base}/big?bytes={size}&v={v}",
        "{base}/slow?seconds=1&v={v}",
        "{base}/enc/gzip.html?v={v}",
    ]
    return [
        kinds[i % 4].format(base=base, v=f"{batch}-{i}", size=40_000 + i * 1000) for i in range(6)
    ]


@pytest.mark.slow
def test_random_kills_keep_every_capture_linked(
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
    rng = random.Random(20241205)
    spool = tmp_path / "data" / "spool"
    rt = _runtime(env)
    killed: Counter[str] = Counter()
    for n in range(len(PHASES) * KILLS):
        if sum(killed.values()) >= KILLS:
            break
        phase = PHASES[n % len(PHASES)]
        # fresh work for every crawler, so each one is busy when it dies; each
        # start salvages what the one before left and returns its leases
        _add(env, tmp_path, "Sources:\n" + "\n".join(_urls(test_site.base_url, n)) + "\n", f"d{n}")
        proc = _crawler(env, lease=2)
        if _wait_for(phase, proc, rt, spool) and phase in ("fetching", "writing"):
            time.sleep(rng.uniform(0, 0.3))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed[phase] += 1
        proc.wait()
    assert sum(killed.values()) >= KILLS and len(killed) == len(PHASES), killed

    time.sleep(2.5)  # leases of a crawler on another host would run out like this
    for _attempt in range(8):
        proc = _crawler(env, lease=600)
        assert proc.wait(timeout=300) == 0
        with rt.sessions()() as s, s.begin():
            states = {j.state for j in s.scalars(select(CaptureJob))}
            if states <= {"done", "failed"}:
                break
            # jobs charged for a crash back off for 30 s and more: let that time pass
            s.execute(
                update(CaptureJob).where(CaptureJob.state == "queued").values(not_before=utcnow())
            )

    with rt.sessions()() as s:
        jobs = s.scalars(select(CaptureJob)).all()
        states = Counter(j.state for j in jobs)
        assert set(states) <= {"done", "failed"}, states
        # the kills really interrupted work: jobs were taken over from dead crawlers
        assert any(j.attempts > 1 for j in jobs) or any("stopped" in (j.reason or "") for j in jobs)
        # a job fails for a crash only when it was being fetched at each of its attempts
        # (and the site saw its page asked for on each of them)
        failed = [j for j in jobs if j.state == "failed"]
        for job in failed:
            assert "while fetching it, on each of its" in (job.reason or ""), job.reason
            path = job.url.removeprefix(test_site.base_url)
            assert test_site.count(path) >= job.attempts, (job.url, job.attempts)
        pages = s.scalars(
            select(Capture).where(Capture.is_requisite.is_(False), Capture.redirect_to.is_(None))
        ).all()
        without_job = [c.url for c in pages if c.job_id is None]
        per_url = Counter(c.url_normalized for c in pages)
        twice = {url: n for url, n in per_url.items() if n > 1}
        linked = {cid for (cid,) in s.execute(select(CitationCapture.citation_id))}
        archived = {c.url_normalized for c in pages if c.http_status == 200}
        cites = s.scalars(select(Citation)).all()
        unlinked = [c.url for c in cites if c.url_normalized in archived and c.id not in linked]
        requisite_copies = Counter(
            c.url_normalized for c in s.scalars(select(Capture).where(Capture.is_requisite))
        )
        recorded = {wf.store_key for wf in s.scalars(select(WarcFile))}
    left_open = list(spool.glob("*.open"))
    quarantined = list((spool / "damaged").glob("*.warc.gz"))
    print(
        f"kills={dict(killed)} jobs={dict(states)} "
        f"failed_kinds={dict(Counter(j.url.split('?')[0].rsplit('/', 1)[-1] for j in failed))} "
        f"retried_jobs={sum(j.attempts > 1 for j in jobs)} "
        f"page_captures={len(pages)} page_captures_without_job={len(without_job)} "
        f"pages_captured_twice={len(twice)} "
        f"requisites_captured_more_than_once={sum(n > 1 for n in requisite_copies.values())} "
        f"citations_archived_but_unlinked={len(unlinked)} open_files_left={len(left_open)} "
        f"quarantined={len(quarantined)} warc_files={len(recorded)}"
    )
    # every citation whose page was archived lists that capture
    assert unlinked == []
    # every page capture belongs to the job it was fetched for, and none was fetched twice;
    # one page capture per job done: no requisite was stored as a page, whatever its file
    assert without_job == []
    assert len(pages) == states["done"]
    assert twice == {}
    assert left_open == [] and quarantined == []
    # every capture row points at existing, matching bytes; every file passes warcio check
    assert assert_captures_point_at_stored_bytes(rt, tmp_path) > 0
    # and every WARC file in the store is recorded (nothing uploaded and forgotten)
    stored = set(rt.store().iter_keys("warcs"))
    assert stored == recorded
    for key in sorted(stored - recorded):
        local = tmp_path / "orphan.warc.gz"
        rt.store().download(key, local)
        warcio_check(local)
