"""``citevault serve --workers N``: one listening socket per worker, a dead worker replaced.

Split from tests/api/test_cli_serve.py: each of these tests starts a server
with several worker processes, which takes half a minute on a loaded 2-core
machine; in a file of their own they run on the other worker under
``pytest -n 2 --dist loadfile``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tests.api.test_cli_serve import _free_port
from tests.helpers import clean_env


def _listening(port: int) -> list[list[str]]:
    """The kernel's rows for sockets in LISTEN state on 127.0.0.1:port."""
    wanted = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as table:
        rows = [line.split() for line in table.readlines()[1:]]
    return [row for row in rows if row[1] == wanted and row[3] == "0A"]


def _listeners(port: int) -> int:
    return len(_listening(port))


@contextlib.contextmanager
def _serving(tmp_path: Path, workers: int) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``citevault serve --workers N`` on a free port; it must stop cleanly when told to."""
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield proc, port
    finally:
        proc.terminate()
        assert proc.wait(120) == 0


def test_each_worker_listens_on_its_own_socket(tmp_path: Path) -> None:
    """With several workers the kernel spreads connections over one socket per process."""
    with _serving(tmp_path, 3) as (proc, port):
        deadline = time.monotonic() + 120
        while _listeners(port) < 3:
            assert proc.poll() is None and time.monotonic() < deadline, _listeners(port)
            time.sleep(0.2)
        assert _listeners(port) == 3  # the parent's socket holds the port without listening


def _listening_pids(port: int) -> set[int]:
    """Processes that hold a socket listening on 127.0.0.1:port."""
    sockets = {f"socket:[{row[9]}]" for row in _listening(port)}
    pids = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            links = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        except OSError:
            continue
        if links & sockets:
            pids.add(int(pid))
    return pids


def test_a_worker_that_dies_is_replaced(tmp_path: Path) -> None:
    with _serving(tmp_path, 2) as (proc, port):
        deadline = time.monotonic() + 120
        while len(pids := _listening_pids(port)) < 2:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        victim = min(pids)
        os.kill(victim, signal.SIGKILL)
        while len(now := _listening_pids(port)) < 2 or victim in now:
            assert proc.poll() is None and time.monotonic() < deadline, now
            time.sleep(0.2)
        assert len(now - pids) == 1  # one new process beside the one that lived
