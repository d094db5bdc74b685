"""Helpers shared by tests that run the citevault command.

``run_cli`` runs the real entry point (``archive.cli.app.main``, with its error
handling and exit codes) inside the test process, with the given environment
and standard input: the same code path as the installed command, without
paying Python's start-up and imports for each of the hundreds of calls.
``run_cli_process`` starts a real subprocess, for the few tests that must see
the process boundary.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI call: no CITEVAULT_* leaking in from outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CITEVAULT_", "AWS_"))}
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], input: bytes | None = None) -> Result:
    from archive.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(input or b""), encoding="utf-8")
    code = 0
    with (
        mock.patch.dict(os.environ, env, clear=True),
        mock.patch.object(sys, "argv", ["citevault", *args]),
        mock.patch.object(sys, "stdin", stdin),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Result(code, out.getvalue(), err.getvalue())


def cli_ok(env: dict[str, str], *args: str) -> Result:
    """``run_cli`` for set-up steps that must succeed: a failure shows the command's output."""
    result = run_cli(*args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def run_cli_process(
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
