"""Prometheus metrics: request counts by route template, capture outcomes,
bytes written, lease expiries, and several processes counting into one folder."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from archive.api.app import create_app
from archive.capture import queue
from archive.capture import select as select_jobs
from archive.db import migrate
from archive.db.base import utcnow
from archive.db.engine import make_engine, session_factory
from archive.db.models import CaptureJob, WarcFile
from archive.db.models.captures import JobState
from archive.runtime import Runtime
from tests.helpers import ROOT, clean_env, run_cli_process
from tests.sites.site import TestSite

DOC_ROUTE = "/api/documents/{doc_id}"


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of an exposition (0 when absent)."""
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return float(s.value)
    return 0.0


def _local(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


# --- one process: the API's own registry ------------------------------------------------


def test_requests_are_counted_by_route_template(sqlite_url: str, make_settings: Any) -> None:
    settings = make_settings(database_url=sqlite_url)
    with TestClient(create_app(settings)) as client:
        before = client.get("/metrics").text
        for doc_id in ("first-missing", "second-missing", "third-missing"):
            assert client.get(f"/api/documents/{doc_id}").status_code == 404
        assert client.head("/api/documents/first-missing").status_code == 404
        assert client.get("/api/documents").status_code == 200
        assert client.get("/no/such/route/at/all").status_code == 404
        after = client.get("/metrics")
    assert after.status_code == 200
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text

    def moved(**labels: str) -> float:
        name = "citevault_http_requests_total"
        return sample(text, name, **labels) - sample(before, name, **labels)

    assert moved(route=DOC_ROUTE, method="GET", status="404") == 3
    assert moved(route=DOC_ROUTE, method="HEAD", status="404") == 1
    assert moved(route="/api/documents", method="GET", status="200") == 1
    assert moved(route="(unmatched)", method="GET", status="404") == 1
    latency = "citevault_http_request_duration_seconds_count"
    assert (
        sample(text, latency, route=DOC_ROUTE, method="GET")
        - sample(before, latency, route=DOC_ROUTE, method="GET")
        == 3
    )
    # Templates only: no raw path becomes a label.
    assert "first-missing" not in text and "/no/such/route" not in text
    for name in ("citevault_queue_due_jobs", "citevault_queue_oldest_due_seconds"):
        assert f"\n{name} " in text
    assert 'citevault_spool_files{state="waiting"} 0.0' in text


def test_queue_counts_lease_expiries_and_outcomes(database_url: str, make_settings: Any) -> None:
    migrate.upgrade(database_url)
    rt = Runtime(make_settings(database_url=database_url))
    sessions = rt.sessions()
    with sessions() as session, session.begin():
        job_ids, _ = select_jobs.enqueue_urls(
            session,
            ["http://a.example/1", "http://a.example/2", "http://a.example/3"],
            window=timedelta(0),
            force=True,
        )
    expiries = _local("citevault_lease_expiries_total")
    retrying = _local("citevault_captures_total", outcome="retrying")
    failed = _local("citevault_captures_total", outcome="failed")
    with sessions() as session:
        # A lease that has already run out, as a dead worker's does.
        leased = queue.lease(session, "dead-worker", 3, lease_seconds=-60, job_ids=job_ids)
        assert len(leased) == 3
        assert _local("citevault_lease_expiries_total") == expiries  # first lease: none ran out
        again = queue.lease(session, "live-worker", 3, job_ids=job_ids)
        assert len(again) == 3
        assert _local("citevault_lease_expiries_total") == expiries + 3
        queue.fail(session, again[0].job_id, "refused", retryable=True)
        queue.fail(session, again[1].job_id, "no such host", retryable=False)
        due, oldest = queue.due_summary(session)
    assert _local("citevault_captures_total", outcome="retrying") == retrying + 1
    assert _local("citevault_captures_total", outcome="failed") == failed + 1
    assert due == 0 and oldest == 0.0  # the retry waits for its back-off
    with sessions() as session, session.begin():
        job = session.get(CaptureJob, again[0].job_id)
        assert job is not None and job.state == JobState.QUEUED
        job.not_before = utcnow() - timedelta(seconds=120)
    with sessions() as session:
        due, oldest = queue.due_summary(session)
    assert due == 1 and 119 <= oldest < 3600
    rt.close()


# --- several processes: one multiprocess folder ------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Serving:
    port: int
    env: dict[str, str]
    folder: Path
    database: Path

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def metrics(self) -> str:
        status, body = self.get("/metrics")
        assert status == 200
        return body.decode()


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    """``citevault serve --workers 2`` on SQLite, counting into a multiprocess folder."""
    tmp = tmp_path_factory.mktemp("metrics")
    folder = tmp / "metrics"
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp / "data"),
        CITEVAULT_METRICS__MULTIPROCESS_DIR=str(folder),
        CITEVAULT_SERVE__EMBEDDED_WORKER="false",
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
    )
    port = _free_port()
    log = tmp / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "archive", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    serving = Serving(port, env, folder, tmp / "data" / "citevault.db")
    try:
        deadline = time.monotonic() + 120  # a loaded machine imports slowly
        while log.read_bytes().count(b"Application startup complete") < 2:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield serving
    finally:
        proc.terminate()
        proc.wait(30)


def _per_process(folder: Path, route: str) -> dict[str, float]:
    """Requests to ``route`` each server process wrote into its own file."""
    counts: dict[str, float] = {}
    for path in folder.glob("counter_*.db"):
        total = 0.0
        for key, value, _ts, _pos in MmapedDict.read_all_values_from_file(str(path)):
            _metric, name, labels, _help = json.loads(key)
            if name == "citevault_http_requests_total" and labels.get("route") == route:
                total += value
        counts[path.stem] = total
    return counts


@pytest.mark.slow
def test_two_server_processes_count_into_one_folder(serving: Serving) -> None:
    before = serving.metrics()
    asked = 60
    for i in range(asked):  # urllib opens a new connection each time: spread by the kernel
        assert serving.get(f"/api/documents/multi-{i}")[0] == 404
    text = serving.metrics()
    name = "citevault_http_requests_total"
    labels = {"route": DOC_ROUTE, "method": "GET", "status": "404"}
    assert sample(text, name, **labels) - sample(before, name, **labels) == asked
    per_process = _per_process(serving.folder, DOC_ROUTE)
    assert sum(per_process.values()) == asked
    # Both processes answered some of them, and the scrape summed both files.
    assert len([n for n in per_process.values() if n > 0]) == 2, per_process


@pytest.mark.slow
def test_a_real_capture_moves_the_capture_counters(serving: Serving) -> None:
    before = serving.metrics()
    with TestSite() as site:
        result = run_cli_process(
            "capture",
            site.url("/page/plain.html"),
            "http://gone.invalid/cited",
            env=serving.env,
            timeout=300,
        )
    assert result.returncode == 7, result.stdout + result.stderr  # one failed for good
    after = serving.metrics()

    def moved(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert moved("citevault_captures_total", outcome="captured") == 1
    assert moved("citevault_captures_total", outcome="failed") == 1
    assert moved("citevault_captures_total", outcome="retrying") == 0
    engine = make_engine(f"sqlite:///{serving.database}")
    with session_factory(engine)() as session:
        stored = int(session.scalar(select(func.sum(WarcFile.size))) or 0)
    engine.dispose()
    assert stored > 0
    assert moved("citevault_store_written_bytes_total") == stored
    assert sample(after, "citevault_queue_due_jobs") == 0
    assert sample(after, "citevault_spool_files", state="waiting") == 0
    # The crawl counted into a file named after the process that started it,
    # which its later crawls reuse, rather than one file per crawl process.
    assert len(list(serving.folder.glob("counter_crawls-of-*.db"))) == 1
