"""The first check of a citation: what its citation-time capture says decides the method.

A capture of a page means the check needs the page's text anyway: one GET, no
HEAD.  A capture of something else (a PDF), one without a content type, or no
capture at all leaves HEAD first, and a GET only where HEAD finds a page.  The
capture rows are written directly (no crawl): only their content type matters
here, and their WARC file is absent, so no drift is scored.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from archive.clock import ManualClock
from archive.db import migrate
from archive.db.models import Capture, CheckResult, CitationCapture, CitationHealth, WarcFile
from archive.health.plan import plan_checks
from archive.health.runner import run_checks
from archive.runtime import Runtime
from tests.factories import cite
from tests.health.site import AgingSite

# path -> content type of its citation-time capture (None: captured without one);
# paths not listed were never captured
CAPTURED = {
    "/stable/page.html": "text/html",
    "/files/paper.pdf": "application/pdf",
    "/major/page.html": None,
}
NEVER_CAPTURED = ("/minor/page.html",)


@dataclass
class World:
    rt: Runtime
    site: AgingSite
    clock: ManualClock
    ids: dict[str, int]  # path -> citation id


@pytest.fixture
def world(database_url: str, make_settings: Any) -> Iterator[World]:
    migrate.upgrade(database_url)
    settings = make_settings(database_url=database_url, fetch={"block_private_addresses": False})
    rt = Runtime(settings)
    cited_at = datetime.now(UTC)
    with AgingSite() as site, rt.sessions()() as s:
        paths = [*CAPTURED, *NEVER_CAPTURED]
        with s.begin():
            citations = cite(s, "doc", [site.base_url + p for p in paths])
            warc = WarcFile(
                store_key="warcs/absent.warc.gz",
                filename="absent.warc.gz",
                size=1,
                sha256="0" * 64,
                record_count=len(CAPTURED),
            )
            s.add(warc)
            s.flush()
            for citation, path in zip(citations, paths, strict=True):
                if path not in CAPTURED:
                    continue
                capture = Capture(
                    url=site.base_url + path,
                    url_normalized=site.base_url + path,
                    surt=path,
                    captured_at=cited_at,
                    http_status=200,
                    media_type=CAPTURED[path],
                    warc_file_id=warc.id,
                    warc_offset=0,
                    warc_length=100,
                    warc_record_id=f"<urn:uuid:{uuid.uuid4()}>",
                )
                s.add(capture)
                s.flush()
                s.add(CitationCapture(citation_id=citation.id, capture_id=capture.id))
            ids = {path: c.id for c, path in zip(citations, paths, strict=True)}
        try:
            yield World(rt, site, ManualClock(cited_at + timedelta(seconds=1)), ids)
        finally:
            rt.close()


def _check(world: World, tick: str) -> dict[str, list[str]]:
    """Run one check of every citation; the methods the site saw, per cited path."""
    before = len(world.site.requests)
    with world.rt.sessions()() as s:
        # the test's clock: jobs are due at its time, whatever the machine's says
        planned = plan_checks(
            s, document_id="doc", tick_key=tick, schedule_id=None, clock=world.clock
        )
        assert planned == len(world.ids)
        s.commit()
    summary = run_checks(world.rt, world.clock)
    assert summary.checked == len(world.ids)
    seen: dict[str, list[str]] = {path: [] for path in world.ids}
    for method, path in world.site.requests[before:]:
        if path in seen:
            seen[path].append(method)
    return seen


def test_a_captured_page_is_checked_with_one_get_and_the_rest_head_first(world: World) -> None:
    seen = _check(world, "first")
    assert seen == {
        "/stable/page.html": ["GET"],  # captured as a page: its text is due, no HEAD
        "/files/paper.pdf": ["HEAD"],  # captured as a PDF: HEAD says enough
        "/major/page.html": ["HEAD", "GET"],  # a capture with no type tells nothing
        "/minor/page.html": ["HEAD", "GET"],  # never captured: HEAD, then GET for the page
    }
    with world.rt.sessions()() as s:
        results = {
            r.citation_id: r for r in s.scalars(select(CheckResult).order_by(CheckResult.id))
        }
        states = {h.citation_id: h.state for h in s.scalars(select(CitationHealth))}
    by_path = {path: results[i] for path, i in world.ids.items()}
    assert by_path["/stable/page.html"].method == "GET"
    assert by_path["/files/paper.pdf"].method == "HEAD"
    assert by_path["/files/paper.pdf"].word_count is None  # no text read of a PDF
    # the same verdicts whichever way the page was fetched: a page with its text,
    # the random sibling probed, and no baseline text to compare with (no WARC bytes)
    for path in ("/stable/page.html", "/major/page.html", "/minor/page.html"):
        assert by_path[path].word_count and by_path[path].word_count > 50, path
        assert by_path[path].soft_404 is False, path
        assert by_path[path].drift_label is None, path
    assert set(states.values()) == {"alive"}
    assert by_path["/stable/page.html"].baseline_capture_id is not None
    assert by_path["/minor/page.html"].baseline_capture_id is None


def test_later_checks_of_a_page_are_one_get_whatever_the_capture_said(world: World) -> None:
    _check(world, "first")
    world.clock.advance(timedelta(days=1))
    seen = _check(world, "second")
    assert seen == {
        "/stable/page.html": ["GET"],
        "/files/paper.pdf": ["HEAD"],  # still no page: HEAD again
        "/major/page.html": ["GET"],  # the last check saw a page
        "/minor/page.html": ["GET"],
    }
