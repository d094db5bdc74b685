"""``citevault scheduler`` as a process: it polls until SIGTERM, then exits cleanly."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT, clean_env


def test_sigterm_stops_the_scheduler_cleanly(tmp_path: Path) -> None:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_SCHEDULER__POLL_SECONDS="0.2",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive", "scheduler"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "polling every 0.2 s" in first, first + (proc.stderr.read() if proc.stderr else "")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == 0, err
    assert "scheduler stopped" in out
    assert err == ""
