"""The capture worker ``citevault serve`` runs beside itself on SQLite.

On one laptop nobody should have to know that a second command captures what
the server queues: with ``serve.embedded_worker`` the server starts the very
``citevault worker`` loop (which runs ``python -m crawler.worker`` per round)
as its child, and stops it when it stops.  PostgreSQL setups scale workers on
their own, so nothing is started there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

from archive.runtime import Runtime
from archive.settings import Settings

# A crawl in progress commits what it has written before it exits.
STOP_SECONDS = 60


def start_worker(settings: Settings, config_path: Path | None) -> subprocess.Popen[bytes] | None:
    """The worker process, or None when the setting is off or the database is not SQLite."""
    if not settings.serve.embedded_worker:
        return None
    rt = Runtime(settings)
    try:
        if not rt.is_sqlite:
            return None
    finally:
        rt.close()
    cmd = [sys.executable, "-m", "archive"]
    if config_path is not None:
        cmd += ["--config", str(config_path)]
    cmd.append("worker")
    return subprocess.Popen(cmd, env=dict(os.environ))


def _exit_on_term(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def stop_with_server() -> None:
    """Turn SIGTERM into an exit that unwinds, so that ``stop_worker`` runs.

    uvicorn handles SIGTERM itself, shuts down, then raises the signal again
    for the handler found before it; the default one would end the process
    at once and leave the worker running without its server.
    """
    signal.signal(signal.SIGTERM, _exit_on_term)


def stop_worker(proc: subprocess.Popen[bytes] | None) -> None:
    """Stop it as Ctrl-C would: it stops its crawler, whose leases come back.

    SIGTERM rather than SIGINT: a server started in the background inherits
    SIGINT ignored and so does its worker until it installs its handler; a
    SIGINT in that moment was lost and the stop waited ``STOP_SECONDS``.
    """
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
