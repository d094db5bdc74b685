"""Running the crawler in its own process and watching the queue while it works.

The parent (CLI) never imports Scrapy: it starts ``python -m crawler.worker``,
shows progress read from the database (jobs done / failed / remaining, bytes
captured), and reads the child's one-line JSON summary when it exits.
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

from archive.capture import queue
from archive.db.base import utcnow
from archive.db.models import Capture
from archive.errors import CitevaultError
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
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=dict(os.environ))
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
        raise CitevaultError(
            f"the crawler stopped with exit code {proc.returncode}: {message}",
            hint=summary.get("hint")
            or "run again with --debug; WARC files already written "
            "stay in the spool and are committed by the next run",
        )
    return summary
