"""``citevault worker`` answers /healthz, /readyz and /metrics on worker.health_port."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import ROOT, clean_env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _worker(tmp_path: Path, port: int, **extra: str) -> subprocess.Popen[bytes]:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_WORKER__HEALTH_PORT=str(port),
        **extra,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "archive", "worker", "--poll-seconds", "0.5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )


def _wait_alive(proc: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 120  # a loaded machine imports slowly
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else b""
        try:
            if _get(port, "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the worker's probe port never answered")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_worker_probes_answer_and_stop_with_it(tmp_path: Path, stop: signal.Signals) -> None:
    """Ctrl-C and SIGTERM (docker stop, ``serve`` stopping its worker) both stop it cleanly."""
    port = _free_port()
    proc = _worker(tmp_path, port)
    try:
        _wait_alive(proc, port)
        status, body = _get(port, "/healthz")
        assert (status, json.loads(body)) == (200, {"status": "alive"})
        status, body = _get(port, "/readyz")
        ready = json.loads(body)
        assert status == 200, ready
        assert ready["checks"]["database"]["ok"] and ready["checks"]["store"]["ok"]
        status, body = _get(port, "/metrics")
        assert status == 200
        assert b"\ncitevault_queue_due_jobs 0.0\n" in body
        assert _get(port, "/elsewhere")[0] == 404
    finally:
        proc.send_signal(stop)
        out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    assert b"worker stopped" in out
    with socket.socket() as probe:  # the port went with the worker
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_worker_not_ready_names_the_store(tmp_path: Path) -> None:
    blocker = tmp_path / "store"
    blocker.write_text("a file where the store folder should be")
    port = _free_port()
    proc = _worker(tmp_path, port, CITEVAULT_STORE__URL=blocker.as_uri())
    try:
        _wait_alive(proc, port)
        status, body = _get(port, "/readyz")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=120)
    assert status == 503
    assert json.loads(body)["not_ready"] == ["store"]


def test_probe_port_off_by_default(tmp_path: Path) -> None:
    """Without worker.health_port the worker listens on nothing."""
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run(
        [sys.executable, "-m", "archive", "worker", "--once"],
        env=env,
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"health checks" not in result.stdout
