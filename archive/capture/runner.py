"""Running the crawler in its own process and watching the queue while it works.

The parent (CLI) never imports Scrapy: it starts ``python -m crawler.worker``,
shows progress read from the database (jobs done / failed / remaining, bytes
captured), and reads the child's one-line JSON summary when it exits.

When the child dies, the parent salvages and commits what it wrote and gives
its remaining leases back at once (``archive.capture.reclaim``), rather than
leaving its jobs to wait out their lease.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from archive.capture import queue
from archive.capture.reclaim import local_owner, reclaim
from archive.capture.spool import flush, spool_dir
from archive.db.base import utcnow
from archive.db.models import Capture
from archive.errors import CitevaultError, CrawlerStoppedError
from archive.runtime import Runtime


@dataclass
class Progress:
    states: dict[str, int] = field(default_factory=dict)
    bytes: int = 0

    @property
    def done(self) -> int:
        return self.states.get("done", 0)

    @property
    def failed(self) -> int:
        return self.states.get("failed", 0)

    @property
    def remaining(self) -> int:
        return self.states.get("queued", 0) + self.states.get("leased", 0)

    @property
    def total(self) -> int:
        return sum(self.states.values())


def progress(
    rt: Runtime, since: datetime, *, document_id: str | None, job_ids: list[int] | None
) -> Progress:
    with rt.sessions()() as session:
        states = queue.counts(session, document_id=document_id, job_ids=job_ids)
        size = session.scalar(
            select(func.coalesce(func.sum(Capture.payload_length), 0)).where(
                Capture.created_at >= since
            )
        )
    return Progress(states, int(size or 0))


def run_crawler(
    rt: Runtime,
    *,
    config_path: Path | None = None,
    document_id: str | None = None,
    job_ids: list[int] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    poll_seconds: float = 0.5,
) -> dict[str, Any]:
    """Run one crawl to completion in a child process; return its summary."""
    cmd = [sys.executable, "-m", "crawler.worker"]
    if config_path is not None:
        cmd += ["--config", str(config_path)]
    if document_id is not None:
        cmd += ["--document", document_id]
    for job_id in job_ids or []:
        cmd += ["--job", str(job_id)]
    started = utcnow()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # JSON logs go straight to the worker's own stderr, one event per line,
        # where the log collector reads them; text logs are kept for the error.
        passthrough = rt.settings.log_format == "json"
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=None if passthrough else err, env=dict(os.environ)
        )
        try:
            while proc.poll() is None:
                if on_progress is not None:
                    on_progress(progress(rt, started, document_id=document_id, job_ids=job_ids))
                time.sleep(poll_seconds)
        except KeyboardInterrupt:
            proc.terminate()
            proc.wait(30)
            raise
        if on_progress is not None:
            on_progress(progress(rt, started, document_id=document_id, job_ids=job_ids))
        out.seek(0)
        err.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
        stderr = err.read().decode("utf-8", "replace")
    summary: dict[str, Any] = {}
    if lines:
        try:
            summary = json.loads(lines[-1])
        except ValueError:
            summary = {}
    if proc.returncode != 0 or "error" in summary:
        message = summary.get("error") or (stderr.strip().splitlines() or ["no output"])[-1]
        code = proc.returncode
        why = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        returned = _return_leases(rt, local_owner(proc.pid), why)
        if code < 0:  # killed: no message of its own to show
            raise CrawlerStoppedError(
                f"the crawler stopped ({why}); {returned}",
                hint="what it captured is committed; run the command again for the rest",
            )
        raise CitevaultError(
            f"the crawler stopped ({why}): {message}; {returned}",
            hint=summary.get("hint")
            or "run again with --debug; WARC files already written "
            "stay in the spool and are committed by the next run",
        )
    return summary


def _return_leases(rt: Runtime, owner: str, why: str) -> str:
    """Commit what a dead crawler left, return its leases; says what became of them."""
    spool = spool_dir(rt)
    try:
        report = flush(rt, spool)
    except (CitevaultError, SQLAlchemyError) as exc:  # the database is what failed
        return f"its jobs stay leased until their lease runs out ({exc})"
    if report.waiting:
        # Its captures wait for the store; their jobs stay leased, or they
        # would be fetched again before the waiting files are committed.
        return f"{len(report.waiting)} WARC file(s) wait in the spool ({report.store_error})"
    try:
        got = reclaim(rt, spool, owner, why)
    except (CitevaultError, SQLAlchemyError) as exc:
        return f"its jobs stay leased until their lease runs out ({exc})"
    if not got.count:
        return "it held no jobs"
    return f"its {got.count} job(s) went back to the queue ({len(got.charged)} were being fetched)"
