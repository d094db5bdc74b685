"""``citevault serve`` on SQLite captures what is submitted, with no other command run.

The server runs as a real process on a SQLite data folder; a document citing
a page of the loopback test site is submitted through the API, and the
capture must come from the worker ``serve.embedded_worker`` starts.  With the
setting off, the citation stays pending, waiting for a worker.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from archive.cli.embedded import start_worker
from archive.settings import load_settings
from tests.helpers import ROOT, clean_env, run_cli
from tests.sites.fixtures import test_site
from tests.sites.site import TestSite

__all__ = ["test_site"]

# Generous: a loaded machine imports and crawls slowly.  Not a timing assertion.
DEADLINE_SECONDS = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _workers(pid: int) -> list[int]:
    """Process ids of the capture workers ``pid`` started."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"archive\0worker" in cmdline:
                found.append(int(child))
    return found


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except FileNotFoundError:
        return True


@contextmanager
def _serve(
    tmp_path: Path, **settings: str
) -> Iterator[tuple[httpx.Client, subprocess.Popen[bytes]]]:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        **settings,
    )
    created = run_cli("keys", "create", "--name", "submitter", env=env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "archive", "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"ApiKey {key}"},
            timeout=60,
        ) as client:
            deadline = time.monotonic() + DEADLINE_SECONDS
            while True:
                try:
                    client.get("/api/documents").raise_for_status()
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, log.read_text()
                    time.sleep(0.2)
            yield client, proc
        workers = _workers(proc.pid)
    finally:
        proc.terminate()
        proc.wait(90)
    # Stopping serve stopped its worker too: nothing is left holding the data folder.
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or _zombie(pid), f"worker {pid} outlived serve"


def _submit(client: httpx.Client, site: TestSite) -> str:
    text = f"The plain page: {site.base_url}/page/plain.html\n".encode()
    resp = client.post(
        "/api/documents", files={"file": ("notes.txt", text, "text/plain")}, data={"id": "notes"}
    )
    assert resp.status_code == 201, resp.text
    return f"{site.base_url}/page/plain.html"


def _citation(client: httpx.Client) -> dict[str, Any]:
    body = client.get("/api/documents/notes/citations").json()
    (citation,) = body["citations"]
    found: dict[str, Any] = citation
    return found


def test_serve_captures_with_its_own_worker(tmp_path: Path, test_site: TestSite) -> None:
    with _serve(tmp_path) as (client, proc):
        assert len(_workers(proc.pid)) == 1
        url = _submit(client, test_site)
        deadline = time.monotonic() + DEADLINE_SECONDS
        citation = _citation(client)
        while not citation["captures"]:
            assert time.monotonic() < deadline, (citation, (tmp_path / "serve.log").read_text())
            time.sleep(0.5)
            citation = _citation(client)
        (capture,) = citation["captures"]
        assert capture["url"] == url and capture["http_status"] == 200
        assert citation["pending"] is None
        assert client.get(capture["payload_url"]).status_code == 200
    assert test_site.count("/page/plain.html") >= 1


def test_serve_without_embedded_worker_leaves_it_pending(
    tmp_path: Path, test_site: TestSite
) -> None:
    with _serve(tmp_path, CITEVAULT_SERVE__EMBEDDED_WORKER="false") as (client, proc):
        assert _workers(proc.pid) == []
        _submit(client, test_site)
        citation = _citation(client)
        assert citation["captures"] == []
        assert citation["pending"]["state"] == "waiting"
        assert citation["pending"]["reason"] == "waiting for a worker"
        assert citation["pending"]["attempts"] == 0
    assert test_site.count("/page/plain.html") == 0


def test_no_embedded_worker_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    """PostgreSQL setups run their own workers: serve starts none, whatever the setting."""
    settings = load_settings(data_dir=tmp_path / "data", database_url=pg_url)
    assert settings.serve.embedded_worker is True
    assert start_worker(settings, None) is None
