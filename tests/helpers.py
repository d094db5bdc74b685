"""Helpers shared by tests that run the citevault command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI subprocess: no CITEVAULT_* leaking in from outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CITEVAULT_", "AWS_"))}
    env.update(extra)
    return env


def run_cli(
    *args: str, env: dict[str, str], input: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archive", *args],
        env=env,
        input=input.decode() if input is not None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
