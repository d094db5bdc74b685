"""citevault keys and citevault serve."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.helpers import clean_env, run_cli


def test_keys_create_list_revoke(tmp_path: Path) -> None:
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    created = run_cli("keys", "create", "--name", "robot", env=env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("cv_") and len(key) > 40
    listing = run_cli("keys", "list", env=env)
    assert "robot" in listing.stdout and key[:10] in listing.stdout
    assert key not in listing.stdout  # never shown again
    assert run_cli("keys", "revoke", "1", env=env).returncode == 0
    assert run_cli("keys", "revoke", "99", env=env).returncode == 3
    assert run_cli("keys", "create", "--name", " ", env=env).returncode == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_and_stops(tmp_path: Path) -> None:
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120  # a loaded machine imports slowly
        body = b""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json") as resp:
                    body = resp.read()
                break
            except OSError:
                time.sleep(0.2)
        assert b'"/api/documents"' in body
    finally:
        proc.terminate()
        proc.wait(120)


def test_serve_with_several_workers(tmp_path: Path) -> None:
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "archive", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120  # a loaded machine imports slowly
        status = 0
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/documents") as resp:
                    status = resp.status
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200
        while log.read_bytes().count(b"Started server process") < 2:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        assert b"Started parent process" in log.read_bytes()
    finally:
        proc.terminate()
        proc.wait(120)


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "archive", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stdout + result.stderr
