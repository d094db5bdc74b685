"""Store, then record: committing closed WARC files from the spool."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from archive.capture import queue
from archive.capture.commit import commit_warc
from archive.capture.sources import CommittingSink, DatabaseDigestIndex
from archive.capture.spool import closed_files, flush, spool_dir
from archive.db import migrate
from archive.db.models import (
    Capture,
    CaptureJob,
    CitationCapture,
    WarcFile,
)
from archive.runtime import Runtime
from tests.capture.warcs import ContractWarc, meta, sha256_label
from tests.factories import cite

PAGE = b"<html><body><img src='/logo.png'></body></html>"
LOGO = b"\x89PNG\r\n\x1a\nlogo-bytes"


def _runtime(make_settings: Any, database_url: str, tmp_path: Path, **store: Any) -> Runtime:
    settings = make_settings(
        database_url=database_url, store=store or {"url": (tmp_path / "store").as_uri()}
    )
    migrate.upgrade(database_url)
    return Runtime(settings)


def _citation(rt: Runtime, url: str) -> tuple[int, int]:
    """A document with one citation of ``url`` and its queued job."""
    with rt.sessions()() as s, s.begin():
        (c,) = cite(s, "doc", [url])
        job = queue.enqueue_citation(s, c, url, window=timedelta(hours=24))
        return c.id, job.id


def _write(spool: Path, job_id: int | None, name: str = "a.warc.gz", form: str = "fields") -> Path:
    w = ContractWarc(spool / name)
    page_id = w.exchange("https://example.org/page", PAGE)
    logo_id = w.exchange("https://example.org/logo.png", LOGO, content_type="image/png")
    w.revisit(
        "https://example.org/logo-copy.png",
        LOGO,
        logo_id,
        "https://example.org/logo.png",
        "2024-01-01T00:00:00Z",
    )
    w.metadata(
        meta(
            job_id,
            "https://example.org/page",
            page_id,
            requisites=["https://example.org/logo.png", "https://example.org/logo-copy.png"],
        ),
        form,
    )
    return w.close()


@pytest.mark.parametrize("form", ["fields", "json"])
def test_commit_records_every_capture_at_its_bytes(
    make_settings: Any, database_url: str, tmp_path: Path, form: str
) -> None:
    """Also from a file written before job metadata became WARC fields (``json``).

    The records here name no job or role: the job is closed, the citation
    linked and the requisites flagged only if the metadata record is read.
    """
    rt = _runtime(make_settings, database_url, tmp_path)
    citation_id, job_id = _citation(rt, "https://example.org/page")
    spool = spool_dir(rt)
    path = _write(spool, job_id, form=form)
    original = path.read_bytes()

    result = commit_warc(rt, path)
    assert result.captures == 3 and result.jobs_done == 1
    assert not path.exists()  # the spool copy goes only after the commit

    with rt.sessions()() as s:
        wf = s.scalars(select(WarcFile)).one()
        assert wf.store_key.startswith("warcs/") and wf.store_key.endswith("/a.warc.gz")
        assert rt.store().get_bytes(wf.store_key) == original
        caps = s.scalars(select(Capture).order_by(Capture.id)).all()
        assert [c.url for c in caps] == [
            "https://example.org/page",
            "https://example.org/logo.png",
            "https://example.org/logo-copy.png",
        ]
        page, logo, copy = caps
        assert (page.is_requisite, logo.is_requisite, copy.is_requisite) == (False, True, True)
        assert copy.revisit_of_id == logo.id
        assert page.surt == "org,example)/page"
        assert page.http_status == 200 and page.media_type == "text/html"
        assert page.payload_length == len(PAGE)
        for cap in caps:
            # each row points at exactly its own record in the stored file
            assert cap.warc_offset is not None and cap.warc_length is not None
            raw = rt.store().get_range(wf.store_key, cap.warc_offset, cap.warc_length)
            record = next(iter(ArchiveIterator(io.BytesIO(raw))))
            assert record.rec_headers.get_header("WARC-Record-ID") == cap.warc_record_id
            assert record.rec_headers.get_header("WARC-Target-URI") == cap.url
        job = s.get(CaptureJob, job_id)
        assert job is not None and job.state == "done"
        links = s.scalars(select(CitationCapture)).all()
        assert [(li.citation_id, li.capture_id) for li in links] == [(citation_id, page.id)]


def test_recommit_after_crash_is_idempotent(
    make_settings: Any, sqlite_url: str, tmp_path: Path
) -> None:
    rt = _runtime(make_settings, sqlite_url, tmp_path)
    _, job_id = _citation(rt, "https://example.org/page")
    spool = spool_dir(rt)
    path = _write(spool, job_id)
    backup = path.read_bytes()
    commit_warc(rt, path)
    # A crash after the commit but before the spool copy was removed:
    path.write_bytes(backup)
    again = commit_warc(rt, path)
    assert again.already and not path.exists()
    with rt.sessions()() as s:
        assert len(s.scalars(select(Capture)).all()) == 3


def test_store_down_leaves_file_and_no_rows(
    make_settings: Any, sqlite_url: str, tmp_path: Path, s3_store_settings: dict[str, Any]
) -> None:
    down = dict(s3_store_settings, endpoint_url="http://127.0.0.1:9")
    rt = _runtime(make_settings, sqlite_url, tmp_path, **down)
    _, job_id = _citation(rt, "https://example.org/page")
    spool = spool_dir(rt)
    path = _write(spool, job_id)
    report = flush(rt, spool)
    assert report.store_error and "cannot reach" in report.store_error
    assert report.waiting == [path] and path.exists()
    with rt.sessions()() as s:
        assert s.scalars(select(Capture)).all() == []
        assert s.get(CaptureJob, job_id).state == "queued"  # type: ignore[union-attr]

    # The store comes back: the next flush commits what waited.
    rt_up = Runtime(
        rt.settings.model_copy(
            update={
                "store": rt.settings.store.model_copy(
                    update={"endpoint_url": s3_store_settings["endpoint_url"]}
                )
            }
        )
    )
    report = flush(rt_up, spool)
    assert [r.captures for r in report.committed] == [3]
    assert closed_files(spool) == []


def test_damaged_file_is_moved_aside(make_settings: Any, sqlite_url: str, tmp_path: Path) -> None:
    rt = _runtime(make_settings, sqlite_url, tmp_path)
    _, job_id = _citation(rt, "https://example.org/page")
    spool = spool_dir(rt)
    good = _write(spool, job_id, "b.warc.gz")
    bad = spool / "a.warc.gz"
    bad.write_bytes(good.read_bytes()[:200])
    report = flush(rt, spool)
    assert [p.name for p in report.damaged] == ["a.warc.gz"]
    assert (spool / "damaged" / "a.warc.gz").exists()
    assert len(report.committed) == 1


def test_the_sink_commits_on_its_own_thread_in_order_and_waits(
    make_settings: Any, database_url: str, tmp_path: Path, s3_store_settings: dict[str, Any]
) -> None:
    rt = _runtime(make_settings, database_url, tmp_path)
    _, job_id = _citation(rt, "https://example.org/page")
    spool = spool_dir(rt)
    # the job's capture in the first file, ad hoc captures (no job) in the others
    paths = [_write(spool, job_id if n == 0 else None, name=f"{n}.warc.gz") for n in range(3)]
    sink = CommittingSink(rt)
    for path in paths:
        sink.closed(path)
    sink.wait()
    assert sink.committed == 3 and sink.waiting == []
    assert closed_files(spool) == []
    with rt.sessions()() as s:
        files = s.scalars(select(WarcFile).order_by(WarcFile.id)).all()
        assert [f.filename for f in files] == ["0.warc.gz", "1.warc.gz", "2.warc.gz"]
        assert s.get(CaptureJob, job_id).state == "done"  # type: ignore[union-attr]

    # A store that is down: the file stays in the spool, and the sink says so.
    down = dict(s3_store_settings, endpoint_url="http://127.0.0.1:9")
    rt_down = _runtime(make_settings, database_url, tmp_path / "down", **down)
    late = _write(spool_dir(rt_down), None, name="late.warc.gz")
    sink = CommittingSink(rt_down)
    sink.closed(late)
    sink.wait()
    assert sink.committed == 0 and sink.waiting == [late] and late.exists()


def test_digest_lookups_one_by_one_and_in_a_batch_agree(
    make_settings: Any, database_url: str, tmp_path: Path
) -> None:
    rt = _runtime(make_settings, database_url, tmp_path)
    _, job_id = _citation(rt, "https://example.org/page")
    commit_warc(rt, _write(spool_dir(rt), job_id))
    with rt.sessions()() as s:
        originals = {
            c.url: c.payload_digest
            for c in s.scalars(select(Capture).where(Capture.revisit_of_id.is_(None)))
        }
    page = originals["https://example.org/page"]
    logo = originals["https://example.org/logo.png"]
    assert page and logo and page != logo
    index = DatabaseDigestIndex(rt)
    try:
        unknown = sha256_label(b"never archived")
        found = index.lookup_many([page, logo, unknown])
        assert set(found) == {page, logo}
        assert found[page] == index.lookup(page) and found[logo] == index.lookup(logo)
        assert found[page].uri == "https://example.org/page"
        assert index.lookup(unknown) is None and index.lookup_many([]) == {}
    finally:
        index.close()
