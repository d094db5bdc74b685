"""What ``archive`` and ``capture`` exit with, and what ``jobs`` says about each job.

Real crawls of the loopback test site: a 410 is an answer (captured at once,
never retried), a ``.invalid`` host can never exist (failed at once, without
a lookup), a port nobody listens on is transient (retried with back-off).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import select

from archive.cli import capture as capture_cli
from archive.db.base import utcnow
from archive.db.models import Capture, CaptureJob
from archive.runtime import Runtime
from archive.settings import load_settings
from tests.helpers import Result, clean_env, run_cli
from tests.sites.site import TestSite


def _env(tmp_path: Path, database_url: str | None = None) -> dict[str, str]:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
    )
    if database_url is not None:
        env["CITEVAULT_DATABASE_URL"] = database_url
        assert run_cli("db", "upgrade", env=env).returncode == 0
    return env


def _jobs(env: dict[str, str]) -> dict[str, CaptureJob]:
    with mock.patch.dict("os.environ", env, clear=True):
        rt = Runtime(load_settings())
    try:
        with rt.sessions()() as s:
            jobs = {j.url: j for j in s.scalars(select(CaptureJob))}
            s.expunge_all()
            caps = {c.url: c.http_status for c in s.scalars(select(Capture))}
    finally:
        rt.close()
    for url, status in caps.items():
        if url in jobs:
            jobs[url].reason = jobs[url].reason or f"status {status}"
    return jobs


def _add(env: dict[str, str], tmp_path: Path, doc_id: str, text: str) -> None:
    doc = tmp_path / f"{doc_id}.txt"
    doc.write_text(text)
    result = run_cli("add", str(doc), "--id", doc_id, env=env)
    assert result.returncode == 0, result.stderr


def _one_error(result: Result) -> tuple[str, str]:
    """stderr holds exactly one error line and one hint line."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("error: ") and lines[1].startswith("hint: "), result.stderr
    return lines[0], lines[1]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_permanent_failures_fail_at_once_and_archive_exits_7(
    backend: str, tmp_path: Path, test_site: TestSite, request: pytest.FixtureRequest
) -> None:
    env = _env(tmp_path, request.getfixturevalue("pg_url") if backend == "postgres" else None)
    gone, page = f"{test_site.base_url}/status/410", f"{test_site.base_url}/page/plain.html"
    _add(env, tmp_path, "doc", f"See {page}, {gone} and http://nowhere.invalid/x.\n")
    result = run_cli("archive", "doc", env=env)
    assert result.returncode == 7, result.stdout + result.stderr
    assert "2 captured, 1 failed, 0 remaining" in result.stdout
    error, hint = _one_error(result)
    assert "doc: 1 capture(s) failed for good" in error
    assert "`citevault jobs --document doc --state failed`" in hint
    jobs = _jobs(env)
    # a 410 is the source's answer: captured, once, never retried
    assert jobs[gone].state == "done" and jobs[gone].attempts == 1
    assert jobs[gone].reason == "status 410"
    assert test_site.count("/status/410") == 1
    invalid = jobs["http://nowhere.invalid/x"]
    assert (invalid.state, invalid.attempts) == ("failed", 1)
    assert "does not exist" in (invalid.reason or "") and "RFC 6761" in (invalid.reason or "")

    # A second run changes nothing, and says the same.
    again = run_cli("archive", "doc", env=env)
    assert again.returncode == 7, again.stderr
    assert _jobs(env)["http://nowhere.invalid/x"].attempts == 1


def test_all_captured_exits_0_and_a_recapture_outlives_an_old_failure(
    tmp_path: Path, test_site: TestSite
) -> None:
    env = _env(tmp_path)
    url = f"{test_site.base_url}/page/plain.html"
    _add(env, tmp_path, "ok", f"See {url}.\n")
    first = run_cli("archive", "ok", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stderr == ""
    assert "1 captured, 0 failed, 0 remaining" in first.stdout
    # A failed job of the same URL (a capture tried again that failed) makes the
    # document not captured; a newer capture of the URL makes it captured again.
    with mock.patch.dict("os.environ", env, clear=True):
        rt = Runtime(load_settings())
    with rt.sessions()() as s, s.begin():
        done = s.scalars(select(CaptureJob)).one()
        s.add(
            CaptureJob(
                job_key="a-failed-retry",
                url=url,
                url_normalized=done.url_normalized,
                document_id="ok",
                state="failed",
                reason="connection refused",
            )
        )
    rt.close()
    assert run_cli("archive", "ok", env=env).returncode == 7
    second = run_cli("archive", "ok", "--force", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "1 captured, 0 failed, 0 remaining" in second.stdout


def test_transient_failures_back_off_capture_exits_8_and_jobs_says_when(
    tmp_path: Path, test_site: TestSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # wide enough that no cell is folded over lines (the console is made at import)
    monkeypatch.setattr(capture_cli.console, "width", 300)
    env = _env(tmp_path)
    refused, page = "http://127.0.0.1:9/down", f"{test_site.base_url}/page/plain.html"
    before = utcnow()
    result = run_cli("capture", page, refused, env=env)
    assert result.returncode == 8, result.stdout + result.stderr
    error, hint = _one_error(result)
    assert "1 capture(s) not done yet" in error
    assert "`citevault jobs`" in hint
    jobs = _jobs(env)
    waiting = jobs[refused]
    assert (waiting.state, waiting.attempts) == ("queued", 1)
    assert "connection refused" in (waiting.reason or "")
    assert waiting.not_before > before + timedelta(seconds=20)  # backed off, not due at once
    assert jobs[page].state == "done"

    listing = run_cli("jobs", env=env)
    assert listing.returncode == 0, listing.stderr
    out = listing.stdout
    for column in ("state", "attempts", "next try", "last error"):
        assert column in out
    assert "most recently changed first" in out
    assert "1/3" in out
    assert waiting.not_before.strftime("%Y-%m-%d %H:%M:%SZ") in out
    assert "connection refused" in out
    # ordered: the newest change first; ties go to the newer job
    rows = [line for line in out.splitlines() if line.startswith("│ ")]
    ids = [int(row.split("│")[1]) for row in rows if row.split("│")[1].strip().isdigit()]
    by_change = sorted(jobs.values(), key=lambda j: (j.updated_at, j.id), reverse=True)
    assert ids == [j.id for j in by_change]

    failed_only = run_cli("jobs", "--state", "failed", env=env)
    assert "connection refused" not in failed_only.stdout
    bad = run_cli("jobs", "--state", "nonsense", env=env)
    assert bad.returncode == 2
    _, hint = _one_error(bad)
    assert "queued, leased, done, failed, cancelled" in hint
