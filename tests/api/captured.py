"""A small archive captured for real (test site, crawler, WARC in a local store, SQLite).

The HEAD and ``memento_client`` tests need every route to answer as it would in
use: documents with citations, captures with WARC records and payloads, jobs.
One page is captured twice, in two different seconds, so that a client
negotiating in time has a choice to make.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

from sqlalchemy import select

from archive.db.models import Capture, CaptureJob, Citation
from archive.runtime import Runtime
from archive.settings import Settings, load_settings
from tests.helpers import clean_env, run_cli
from tests.sites.site import TestSite

DOC_ID = "cited"
PAGE = "/page/requisites.html"


@dataclass
class Captured:
    settings: Settings
    page_url: str
    captures: list[int]  # of PAGE, oldest first, in different seconds
    times: list[datetime]  # when each was captured (UTC)
    citation: int  # the named reference (no URL): it has suggestions
    job: int


def _run(env: dict[str, str], *args: str) -> None:
    result = run_cli(*args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def _page_captures(settings: Settings, url: str) -> list[Capture]:
    rt = Runtime(settings)
    with rt.sessions()() as s:
        rows = list(
            s.scalars(
                select(Capture)
                .where(Capture.url == url, Capture.warc_file_id.is_not(None))
                .order_by(Capture.captured_at)
            )
        )
        s.expunge_all()
    rt.close()
    return rows


def capture_archive(tmp: Path) -> Iterator[Captured]:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
    )
    with mock.patch.dict("os.environ", env, clear=True):
        settings = load_settings()
    with TestSite() as site:
        url = site.base_url + PAGE
        source = tmp / "cited.txt"
        source.write_text(
            f"The page {url} and the plain one {site.base_url}/page/plain.html. "
            "According to a cable leaked via WikiLeaks in 2009, it was true.\n"
        )
        _run(env, "add", str(source), "--id", DOC_ID)
        _run(env, "archive", DOC_ID)
        (first,) = _page_captures(settings, url)
        # Memento datetimes have one-second resolution: the second capture must
        # fall in a later second for the two to be told apart.
        while int(time.time()) <= int(first.captured_at.timestamp()):
            time.sleep(0.05)
        _run(env, "capture", url, "--force")
    with contextlib.suppress(AttributeError):
        assert not site.errors, "\n".join(site.errors)
    captures = _page_captures(settings, url)
    assert len(captures) == 2, captures
    rt = Runtime(settings)
    with rt.sessions()() as s:
        named = Citation.document_id == DOC_ID, Citation.url_normalized.is_(None)
        citation = s.scalars(select(Citation.id).where(*named)).first()
        job = s.scalars(select(CaptureJob.id).where(CaptureJob.document_id == DOC_ID)).first()
    rt.close()
    assert citation is not None and job is not None
    times = [c.captured_at.replace(tzinfo=c.captured_at.tzinfo or UTC) for c in captures]
    yield Captured(settings, url, [c.id for c in captures], times, citation, job)
