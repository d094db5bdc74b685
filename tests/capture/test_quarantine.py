"""Quarantine, never block: a file that cannot be committed is moved aside with its
reason, and the rest of the spool and every later capture go on."""

from __future__ import annotations

import gzip
import io
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from archive.capture.contract import JOB_FIELD, ROLE_FIELD
from archive.capture.spool import closed_files, flush, quarantined, spool_dir
from archive.db.models import Capture, CaptureJob, CitationCapture, WarcFile
from tests.capture.test_archive_cli import _add, _env, _runtime
from tests.capture.test_commit import PAGE, _citation
from tests.capture.test_commit import _runtime as _commit_runtime
from tests.capture.warcs import ContractWarc
from tests.helpers import run_cli

IMPOSSIBLE = "9999999999999999999 WHAT"


def _impossible_file(spool: Path, job_id: int, url: str, name: str) -> str:
    w = ContractWarc(spool / name)
    record_id = w.exchange(
        url, PAGE, status=IMPOSSIBLE, fields={JOB_FIELD: str(job_id), ROLE_FIELD: "page"}
    )
    w.close()
    return record_id


def test_an_impossible_status_is_indexed_as_invalid_and_the_next_capture_commits(
    make_settings: Any, database_url: str, tmp_path: Path
) -> None:
    rt = _commit_runtime(make_settings, database_url, tmp_path)
    citation_id, job_id = _citation(rt, "https://example.org/odd")
    spool = spool_dir(rt)
    record_id = _impossible_file(spool, job_id, "https://example.org/odd", "a.warc.gz")
    w = ContractWarc(spool / "b.warc.gz")
    normal_id = w.exchange("https://example.org/normal", PAGE)
    w.close()

    report = flush(rt, spool)
    assert report.damaged == [] and report.store_error is None
    assert [r.captures for r in report.committed] == [1, 1]
    with rt.sessions()() as s:
        odd = s.scalars(select(Capture).where(Capture.warc_record_id == record_id)).one()
        assert odd.http_status is None
        assert "invalid HTTP status '9999999999999999999'" in (odd.error or "")
        # the page was answered, however oddly: the job is done and the citation linked
        assert odd.job_id == job_id
        assert s.get(CaptureJob, job_id).state == "done"  # type: ignore[union-attr]
        assert s.get(CitationCapture, (citation_id, odd.id)) is not None
        normal = s.scalars(select(Capture).where(Capture.warc_record_id == normal_id)).one()
        assert normal.http_status == 200 and normal.error is None
        key, offset, length = odd.warc_file_id, odd.warc_offset, odd.warc_length
        store_key = s.get(WarcFile, key).store_key  # type: ignore[union-attr]
    # the WARC keeps the status line as received
    raw = rt.store().get_range(store_key, offset or 0, length or 0)
    record = next(iter(ArchiveIterator(io.BytesIO(raw))))
    assert record.http_headers.statusline == IMPOSSIBLE


def test_broken_files_are_quarantined_and_the_rest_commits(
    make_settings: Any, database_url: str, tmp_path: Path
) -> None:
    rt = _commit_runtime(make_settings, database_url, tmp_path)
    _, job_id = _citation(rt, "https://example.org/page")
    spool = spool_dir(rt)
    # cut in the middle of a record
    w = ContractWarc(spool / "a-cut.warc.gz")
    w.exchange("https://example.org/x", PAGE * 50)
    cut = w.close()
    cut.write_bytes(cut.read_bytes()[:-40])
    # whole, but two records share one record id: the database refuses the second
    w = ContractWarc(spool / "b-twice.warc.gz")
    w.exchange("https://example.org/y", PAGE, fields={"WARC-Record-ID": "<urn:uuid:same>"})
    w.exchange("https://example.org/z", PAGE, fields={"WARC-Record-ID": "<urn:uuid:same>"})
    w.close()
    # not a WARC at all
    (spool / "c-noise.warc.gz").write_bytes(gzip.compress(b"hello, not a WARC record\r\n"))
    w = ContractWarc(spool / "d-good.warc.gz")
    tags = {JOB_FIELD: str(job_id), ROLE_FIELD: "page"}
    w.exchange("https://example.org/page", PAGE, fields=tags)
    w.close()

    report = flush(rt, spool)
    assert report.store_error is None
    assert sorted(p.name for p in report.damaged) == [
        "a-cut.warc.gz",
        "b-twice.warc.gz",
        "c-noise.warc.gz",
    ]
    assert [r.path.name for r in report.committed] == ["d-good.warc.gz"]
    assert closed_files(spool) == []
    reasons = dict((p.name, r) for p, r in quarantined(spool))
    assert "cut short or corrupted" in reasons["a-cut.warc.gz"]
    assert "IntegrityError" in reasons["b-twice.warc.gz"]
    assert "c-noise.warc.gz" in reasons["c-noise.warc.gz"]  # the reason names the file
    with rt.sessions()() as s:
        assert s.get(CaptureJob, job_id).state == "done"  # type: ignore[union-attr]
        # nothing of the refused file went in halfway
        assert s.scalars(select(Capture).where(Capture.url == "https://example.org/y")).all() == []


@pytest.fixture
def impossible_server() -> Iterator[str]:
    """Answers every request with a status line no HTTP server may send."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    conn.recv(65536)
                    body = b"<html>odd</html>"
                    conn.sendall(
                        f"HTTP/1.1 {IMPOSSIBLE}\r\nContent-Type: text/html\r\n".encode()
                        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                        + body
                    )
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(5)
    listener.close()


def test_a_crawl_meeting_an_impossible_status_does_not_block_later_ones(
    tmp_path: Path, impossible_server: str, test_site: Any
) -> None:
    env = _env(tmp_path)
    odd = f"{impossible_server}/odd"
    _add(env, tmp_path, f"An odd server {odd}.\n", doc_id="odd")
    result = run_cli("archive", "odd", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    normal = f"{test_site.base_url}/page/plain.html"
    _add(env, tmp_path, f"A plain page {normal}.\n", doc_id="plain")
    result = run_cli("archive", "plain", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 captured" in result.stdout

    # a file nobody can commit, dropped into the spool: quarantined, reported, not blocking
    spool = tmp_path / "data" / "spool"
    (spool / "zz-noise.warc.gz").write_bytes(b"\x1f\x8b not really gzip")
    assert run_cli("worker", "--once", env=env).returncode == 0
    jobs = run_cli("jobs", env=env)
    assert jobs.returncode == 0
    assert "zz-noise.warc.gz" in jobs.stdout and "moved aside" in jobs.stdout

    rt = _runtime(env)
    with rt.sessions()() as s:
        caps = {c.url: c for c in s.scalars(select(Capture))}
        assert caps[normal].http_status == 200
        assert caps[odd].http_status is None and "invalid HTTP status" in (caps[odd].error or "")
        states = {j.url: j.state for j in s.scalars(select(CaptureJob))}
        assert states == {odd: "done", normal: "done"}
