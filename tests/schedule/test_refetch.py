"""``refetch`` against a loopback site whose page changes, and the version diff it shows."""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.clock import ManualClock
from archive.db.models import CaptureJob, Document, DocumentVersion, ScheduleTick
from archive.errors import InputError
from archive.ingest.service import add_document
from archive.ingest.source import read_url
from archive.runtime import Runtime
from archive.schedule import manage
from archive.schedule.scheduler import claim, poll
from tests.helpers import clean_env, run_cli
from tests.schedule.conftest import START, add_page, make_runtime, page
from tests.sites.loopback import QuietHandler, serving

A, B, C, D = (f"https://example.org/source/{x}" for x in "abcd")


class _Site(http.server.ThreadingHTTPServer):
    body: bytes | None = None  # None: the page answers 503


class _Handler(QuietHandler):
    server: _Site

    def do_GET(self) -> None:
        body = self.server.body
        if body is None:
            self.send_error(503)
            return
        self.send_page(body)


@pytest.fixture
def site() -> Iterator[_Site]:
    with serving(_Site(("127.0.0.1", 0), _Handler)) as server:
        yield server


@pytest.fixture
def lrt(database_url: str, make_settings: Any) -> Iterator[Runtime]:
    runtime = make_runtime(
        database_url,
        make_settings,
        fetch={"block_private_addresses": False, "download_timeout_seconds": 10},
    )
    yield runtime
    runtime.close()


def _versions(rt: Runtime) -> list[int]:
    with rt.sessions()() as s:
        return list(
            s.scalars(
                select(DocumentVersion.version)
                .where(DocumentVersion.document_id == "news")
                .order_by(DocumentVersion.version)
            )
        )


def _diff_keys(diff: dict[str, Any]) -> tuple[set[str], set[str], int]:
    return (
        {c["url"] for c in diff["added"]},
        {c["url"] for c in diff["removed"]},
        diff["unchanged"],
    )


def test_refetch_makes_versions_and_shows_the_diff(lrt: Runtime, site: _Site) -> None:
    url = f"http://127.0.0.1:{site.server_address[1]}/news.html"
    site.body = page(A, B)
    add_document(lrt, read_url(url, lrt.settings), doc_id="news")
    with lrt.sessions()() as s, s.begin():
        sid = manage.add_schedule(
            s, manage.NewSchedule(cron="0 4 * * *", action="refetch", document_id="news"), now=START
        ).id
    clock = ManualClock(START + timedelta(hours=4))

    done = poll(lrt, clock, owner="s1")  # same bytes: nothing new
    assert [(d.schedule_id, d.ran, d.error) for d in done] == [(sid, True, None)]
    assert _versions(lrt) == [1]

    site.body = page(B, C)  # the page changed overnight
    clock.advance(timedelta(days=1))
    poll(lrt, clock, owner="s1")
    assert _versions(lrt) == [1, 2]
    with lrt.sessions()() as s:
        queued = s.scalars(
            select(CaptureJob.url).where(
                CaptureJob.document_id == "news", CaptureJob.state == "queued"
            )
        ).all()
        ticks = s.scalars(select(ScheduleTick).order_by(ScheduleTick.tick_at)).all()
    assert C in queued  # the new version's new citation is queued for capture
    with lrt.sessions()() as s:
        marked = s.scalars(select(CaptureJob.url).where(CaptureJob.schedule_id == sid)).all()
    assert C in marked  # as the tick's jobs
    assert [(t.finished_at is not None, t.error) for t in ticks] == [(True, None)] * 2

    # the diff, from the CLI and from the API: the same JSON
    env = clean_env(
        CITEVAULT_DATABASE_URL=lrt.database_url, CITEVAULT_DATA_DIR=str(lrt.settings.data_dir)
    )
    cli = run_cli("citations", "news", "--version", "2", "--diff", "--format", "json", env=env)
    assert cli.returncode == 0, cli.stderr
    diff = json.loads(cli.stdout)
    assert (diff["version"], diff["against"]) == (2, 1)
    assert _diff_keys(diff) == ({C}, {A}, 1)
    table = run_cli("citations", "news", "--diff", env=env)
    assert f"+ url    {C}" in table.stdout and f"- url    {A}" in table.stdout
    assert "1 added, 1 removed, 1 unchanged" in table.stdout
    first = json.loads(
        run_cli("citations", "news", "--version", "1", "--diff", "-f", "json", env=env).stdout
    )
    assert first["against"] is None and _diff_keys(first) == ({A, B}, set(), 0)
    with TestClient(create_app(lrt.settings, runtime=lrt)) as client:
        assert client.get("/api/documents/news/versions/2/diff").json() == diff
        back = client.get("/api/documents/news/versions/1/diff?against=2").json()
        assert _diff_keys(back) == ({A}, {C}, 1)
        missing = client.get("/api/documents/news/versions/3/diff")
        assert missing.status_code == 404 and "no version 3" in missing.json()["error"]["message"]

    # the site fails: the tick is finished with the reason, and nothing changes
    site.body = None
    clock.advance(timedelta(days=1))
    done = poll(lrt, clock, owner="s1")
    assert len(done) == 1 and done[0].error and "HTTP 503" in done[0].error
    assert _versions(lrt) == [1, 2]

    # back to the first bytes: an existing version, not a new one
    site.body = page(A, B)
    clock.advance(timedelta(days=1))
    poll(lrt, clock, owner="s1")
    assert _versions(lrt) == [1, 2]


def test_a_runner_left_unfinished_is_run_again_once(lrt: Runtime, site: _Site) -> None:
    url = f"http://127.0.0.1:{site.server_address[1]}/news.html"
    site.body = page(A)
    add_document(lrt, read_url(url, lrt.settings), doc_id="news")
    with lrt.sessions()() as s, s.begin():
        sid = manage.add_schedule(
            s, manage.NewSchedule(cron="0 4 * * *", action="refetch", document_id="news"), now=START
        ).id
    tick_at = START + timedelta(hours=4)
    # A scheduler claims the tick, then dies before running it.
    claimed = claim(lrt, sid, tick_at, owner="doomed", now=tick_at)
    assert claimed is not None and claimed.runs
    site.body = page(A, D)
    clock = ManualClock(tick_at + timedelta(minutes=1))
    assert poll(lrt, clock, owner="s2") == []  # its lease still holds
    assert _versions(lrt) == [1]
    clock.advance(timedelta(seconds=lrt.settings.scheduler.run_lease_seconds))
    done = poll(lrt, clock, owner="s2")
    assert [(d.schedule_id, d.tick_at, d.ran, d.error) for d in done] == [
        (sid, tick_at, True, None)
    ]
    assert _versions(lrt) == [1, 2]
    assert poll(lrt, clock, owner="s3") == []
    with lrt.sessions()() as s:
        tick = s.scalars(select(ScheduleTick)).one()
    assert (tick.claimed_by, tick.attempts, tick.error) == ("s2", 2, None)
    assert tick.finished_at is not None


def test_refetch_needs_a_document_added_from_a_url(rt: Runtime) -> None:
    add_page(rt, "local", A)
    with rt.sessions()() as s, s.begin(), pytest.raises(InputError, match="not added from a URL"):
        manage.add_schedule(
            s,
            manage.NewSchedule(cron="0 4 * * *", action="refetch", document_id="local"),
            now=START,
        )
    with rt.sessions()() as s:
        assert s.get(Document, "local") is not None
        assert manage.list_schedules(s, now=START) == []


def test_private_diff_is_hidden_without_a_key(lrt: Runtime) -> None:
    add_page(lrt, "secret", A)
    add_page(lrt, "secret", A, B, source="secret-v2.html")
    with lrt.sessions()() as s, s.begin():
        doc = s.get(Document, "secret")
        assert doc is not None
        doc.is_private = True
        _, key = create_key(s, "tests")
    with TestClient(create_app(lrt.settings, runtime=lrt)) as client:
        assert client.get("/api/documents/secret/versions/2/diff").status_code == 404
        seen = client.get(
            "/api/documents/secret/versions/2/diff", headers={"Authorization": f"ApiKey {key}"}
        )
        assert seen.status_code == 200 and _diff_keys(seen.json()) == ({B}, set(), 1)
