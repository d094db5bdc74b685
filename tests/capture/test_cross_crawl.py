"""A payload met again in a later crawl: the revisit names the original record exactly.

The in-crawl case (the original written minutes earlier by the same process)
is covered in tests/crawler/test_dedup_rollover.py; here the original comes
from the database, asked inline on SQLite and in batches on PostgreSQL, and
``WARC-Refers-To-Date`` must still be the original's ``WARC-Date`` to the
microsecond (WARC/1.1 section 5.8: the date of the record referred to).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from archive.capture.indexer import parse_warc_date
from archive.db.models import Capture, WarcFile
from archive.runtime import Runtime
from tests.capture.test_archive_cli import _env, _runtime
from tests.helpers import run_cli
from tests.sites.site import TestSite


def _record_headers(rt: Runtime, cap: Capture, wf: WarcFile) -> dict[str, str]:
    raw = rt.store().get_range(wf.store_key, cap.warc_offset or 0, cap.warc_length or 0)
    record = next(iter(ArchiveIterator(io.BytesIO(raw))))
    return dict(record.rec_headers.headers)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_second_crawl_revisit_refers_to_the_exact_original_date(
    backend: str, tmp_path: Path, test_site: TestSite, request: pytest.FixtureRequest
) -> None:
    env = _env(tmp_path)
    if backend == "postgresql":
        env["CITEVAULT_DATABASE_URL"] = request.getfixturevalue("pg_url")
        assert run_cli("db", "upgrade", env=env).returncode == 0
    url = f"{test_site.base_url}/page/plain.html"
    first = run_cli("capture", url, env=env)
    assert first.returncode == 0, first.stderr
    second = run_cli("capture", url, "--force", env=env)  # another crawl, another process
    assert second.returncode == 0, second.stderr
    assert test_site.count("/page/plain.html") == 2

    rt = _runtime(env)
    with rt.sessions()() as s:
        files = {wf.id: wf for wf in s.scalars(select(WarcFile))}
        caps = s.scalars(select(Capture).where(Capture.url == url).order_by(Capture.id)).all()
        assert len(caps) == 2
        original, revisit = caps
        assert original.revisit_of_id is None and revisit.revisit_of_id == original.id
        assert original.warc_file_id != revisit.warc_file_id  # two crawls, two files
        first_headers = _record_headers(rt, original, files[original.warc_file_id or 0])
        again_headers = _record_headers(rt, revisit, files[revisit.warc_file_id or 0])

    assert first_headers["WARC-Type"] == "response"
    assert again_headers["WARC-Type"] == "revisit"
    assert again_headers["WARC-Refers-To"] == first_headers["WARC-Record-ID"]
    assert again_headers["WARC-Refers-To-Target-URI"] == url
    # the very string the original record carries, microseconds included
    assert again_headers["WARC-Refers-To-Date"] == first_headers["WARC-Date"]
    # and the database row holds that instant, not a rounded one
    assert original.captured_at == parse_warc_date(first_headers["WARC-Date"])
