"""Capturing end to end: citevault add, then archive / capture / worker / jobs.

The crawler runs in its own process against the loopback test site; these
tests check what the system of record ends up holding: capture rows that point
at bytes really in the store, valid WARC files, closed jobs.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from archive.db.engine import make_engine, session_factory
from archive.db.models import Capture, CaptureJob, CitationCapture, WarcFile
from archive.runtime import Runtime
from archive.settings import load_settings
from tests.helpers import clean_env, run_cli
from tests.sites.site import TestSite


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        **extra,
    )


def _s3_env(settings: dict[str, Any]) -> dict[str, str]:
    return {
        "CITEVAULT_STORE__URL": settings["url"],
        "CITEVAULT_STORE__ENDPOINT_URL": settings["endpoint_url"],
        "CITEVAULT_STORE__REGION": "us-east-1",
        "CITEVAULT_STORE__ACCESS_KEY_ID": settings["access_key_id"],
        "CITEVAULT_STORE__SECRET_ACCESS_KEY": settings["secret_access_key"],
    }


def _runtime(env: dict[str, str]) -> Runtime:
    from unittest import mock

    with mock.patch.dict("os.environ", env, clear=True):
        return Runtime(load_settings())


def warcio_check(path: Path) -> None:
    tool = Path(sys.executable).parent / "warcio"
    result = subprocess.run([str(tool), "check", "-v", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def assert_captures_point_at_stored_bytes(rt: Runtime, tmp_path: Path) -> int:
    """Every capture row's (file, offset, length) holds exactly its record; files pass checks."""
    checked = 0
    with rt.sessions()() as s:
        files = {wf.id: wf for wf in s.scalars(select(WarcFile))}
        for wf in files.values():
            local = tmp_path / f"check-{wf.id}.warc.gz"
            got = rt.store().download(wf.store_key, local)
            assert (got.sha256, got.size) == (wf.sha256, wf.size)
            warcio_check(local)
        for cap in s.scalars(select(Capture).where(Capture.warc_file_id.is_not(None))):
            wf = files[cap.warc_file_id]  # type: ignore[index]
            raw = rt.store().get_range(wf.store_key, cap.warc_offset or 0, cap.warc_length or 0)
            record = next(iter(ArchiveIterator(io.BytesIO(raw))))
            assert record.rec_headers.get_header("WARC-Record-ID") == cap.warc_record_id
            assert record.rec_headers.get_header("WARC-Target-URI") == cap.url
            checked += 1
    return checked


def _add(env: dict[str, str], tmp_path: Path, text: str, doc_id: str = "notes") -> None:
    doc = tmp_path / f"{doc_id}.txt"
    doc.write_text(text)
    result = run_cli("add", str(doc), "--id", doc_id, env=env)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("backend", ["sqlite-local", "postgres-s3"])
def test_archive_a_document(
    backend: str,
    tmp_path: Path,
    test_site: TestSite,
    request: pytest.FixtureRequest,
) -> None:
    env = _env(tmp_path)
    if backend == "postgres-s3":
        env["CITEVAULT_DATABASE_URL"] = request.getfixturevalue("pg_url")
        env.update(_s3_env(request.getfixturevalue("s3_store_settings")))
        assert run_cli("db", "upgrade", env=env).returncode == 0
    base = test_site.base_url
    _add(
        env,
        tmp_path,
        f"The page {base}/page/requisites.html, its sibling {base}/page/requisites2.html, "
        f"a moved page {base}/redirect/301, a missing one {base}/status/404, "
        f"a report {base}/doc.pdf and a dead host http://127.0.0.1:9/gone.\n",
    )
    result = run_cli("archive", "notes", env=env)
    # 8: nothing failed for good, but the dead host waits for its retry
    assert result.returncode == 8, result.stdout + result.stderr
    assert "5 captured, 0 failed, 1 remaining" in result.stdout

    rt = _runtime(env)
    with rt.sessions()() as s:
        jobs = {j.url: j for j in s.scalars(select(CaptureJob))}
        assert jobs["http://127.0.0.1:9/gone"].state == "queued"  # retried later, with back-off
        assert "refused" in (jobs["http://127.0.0.1:9/gone"].reason or "")
        for url, job in jobs.items():
            if "127.0.0.1:9" not in url:
                assert job.state == "done", (url, job.reason)
        caps = {c.url: c for c in s.scalars(select(Capture))}
        assert caps[f"{base}/status/404"].http_status == 404  # a 404 is evidence
        assert caps[f"{base}/redirect/301"].redirect_to == f"{base}/page/plain.html"
        assert caps[f"{base}/page/plain.html"].http_status == 200
        assert caps[f"{base}/css/main.css"].is_requisite
        linked = {li.citation_id for li in s.scalars(select(CitationCapture))}
        assert len(linked) == 5
    # requisites shared by the two pages were fetched once in the crawl
    assert test_site.count("/css/main.css") == 1
    assert test_site.count("/img/p.png") == 1
    assert assert_captures_point_at_stored_bytes(rt, tmp_path) >= 20

    data = run_cli("citations", "notes", "--format", "json", env=env)
    import json

    cites = json.loads(data.stdout)["citations"]
    by_url = {c["url"]: c for c in cites}
    assert by_url[f"{base}/status/404"]["captures"][0]["http_status"] == 404
    assert by_url["http://127.0.0.1:9/gone"]["captures"] == []


def test_default_policy_refuses_loopback(tmp_path: Path, test_site: TestSite) -> None:
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    _add(env, tmp_path, f"See {test_site.base_url}/page/plain.html.\n")
    result = run_cli("archive", "notes", env=env)
    assert result.returncode == 7, result.stderr  # failed for good
    assert "1 capture(s) failed for good" in result.stderr
    rt = _runtime(env)
    with rt.sessions()() as s:
        job = s.scalars(select(CaptureJob)).one()
        assert job.state == "failed"
        assert "loopback" in (job.reason or "")
        # the refusal names the setting that refuses it
        assert "fetch.block_private_addresses" in (job.reason or "")
        assert s.scalars(select(Capture)).all() == []
    assert test_site.requests == []  # nothing reached the server


def test_capture_adhoc_reuse_and_force(tmp_path: Path, test_site: TestSite) -> None:
    env = _env(tmp_path)
    url = f"{test_site.base_url}/page/plain.html"
    first = run_cli("capture", url, env=env)
    assert first.returncode == 0, first.stderr
    assert "done" in first.stdout
    again = run_cli("capture", url, env=env)
    assert "recent capture" in again.stdout
    assert test_site.count("/page/plain.html") == 1
    forced = run_cli("capture", url, "--force", env=env)
    assert forced.returncode == 0
    assert test_site.count("/page/plain.html") == 2
    rt = _runtime(env)
    with rt.sessions()() as s:
        caps = s.scalars(select(Capture).where(Capture.url == url)).all()
        assert len(caps) == 2
        # identical payload the second time: a revisit of the first
        assert caps[1].revisit_of_id == caps[0].id


def test_worker_once_and_jobs(tmp_path: Path, test_site: TestSite) -> None:
    env = _env(tmp_path)
    _add(env, tmp_path, f"A {test_site.base_url}/data.json and {test_site.base_url}/doc.pdf.\n")
    listing = run_cli("jobs", env=env)
    assert "queued: 2" in listing.stdout
    result = run_cli("worker", "--once", env=env)
    assert result.returncode == 0, result.stderr
    listing = run_cli("jobs", env=env)
    assert "done: 2" in listing.stdout
    assert run_cli("jobs", "--state", "nonsense", env=env).returncode == 2


def test_several_workers_share_the_queue(
    tmp_path: Path,
    test_site: TestSite,
    pg_url: str,
) -> None:
    env = _env(tmp_path, CITEVAULT_DATABASE_URL=pg_url)
    assert run_cli("db", "upgrade", env=env).returncode == 0
    urls = " ".join(f"{test_site.base_url}/status/{200 + i}" for i in range(12))
    _add(env, tmp_path, f"Sources: {urls}\n")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "crawler.worker", "--owner", f"w{i}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(2)
    ]
    for p in procs:
        p.communicate(timeout=180)
        assert p.returncode == 0
    engine = make_engine(pg_url)
    with session_factory(engine)() as s:
        jobs = s.scalars(select(CaptureJob)).all()
        assert {j.state for j in jobs} == {"done"}
        # each job captured once: no job was fetched by both workers
        for i in range(12):
            assert test_site.count(f"/status/{200 + i}") == 1
    engine.dispose()
