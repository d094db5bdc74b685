"""Day after day: a newsroom's RSS feed, Atom feed and sitemap index, read by one seed file.

After each simulated day exactly that day's articles are new, exactly the
revised ones changed, every other entry costs one conditional request (a 304
on the server) and adds no row, and every citation of a new version is
queued once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from archive.clock import ManualClock
from archive.db import migrate
from archive.db.models import CaptureJob, Document, DocumentVersion, SeedEntry
from archive.runtime import Runtime
from archive.seeds import run_seed_file
from tests.helpers import clean_env, run_cli
from tests.seeds.site import REVISIONS, START, NewsSite, Response

DAYS = 5


def seed_file(tmp_path: Path, base: str, extra: str = "") -> Path:
    path = tmp_path / "news.toml"
    path.write_text(
        f"""
[[seed]]
name = "world"
feed = "{base}/rss.xml"
id_template = "world-{{slug}}"
{extra}

[[seed]]
name = "science"
feed = "{base}/atom.xml"
schedule = "0 6 * * *"

[[seed]]
name = "archive"
sitemap = "{base}/sitemap-index.xml"
"""
    )
    return path


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START + timedelta(hours=12))


@pytest.fixture
def site(clock: ManualClock) -> Iterator[NewsSite]:
    with NewsSite(clock) as running:
        yield running


def make(make_settings: Any, database_url: str, **overrides: Any) -> Any:
    """Settings on a migrated database; the loopback site needs the address policy off."""
    overrides.setdefault("fetch", {"block_private_addresses": False})
    settings = make_settings(database_url=database_url, **overrides)
    migrate.upgrade(settings.effective_database_url)
    return settings


def _db(settings: Any) -> dict[str, Any]:
    rt = Runtime(settings)
    try:
        with rt.sessions()() as s:
            jobs = Counter(
                s.execute(select(CaptureJob.document_id, CaptureJob.url_normalized)).all()
            )
            return {
                "documents": s.scalar(select(func.count()).select_from(Document)),
                "versions": s.scalar(select(func.count()).select_from(DocumentVersion)),
                "entries": s.scalar(select(func.count()).select_from(SeedEntry)),
                "jobs": jobs,
            }
    finally:
        rt.close()


def test_each_day_adds_exactly_the_new_and_changed_articles(
    database_url: str, make_settings: Any, tmp_path: Path, site: NewsSite, clock: ManualClock
) -> None:
    settings = make(make_settings, database_url)
    path = seed_file(tmp_path, site.base)
    revisions_so_far = 0
    extra_citations = 0
    for day in range(DAYS):
        clock.set(START + timedelta(days=day, hours=12))
        site.clear()
        summary = run_seed_file(settings, path, clock=clock)

        new = {2 * day, 2 * day + 1}
        changed = {n for n, days in REVISIONS.items() if day in days}
        seen_before = 2 * day
        assert summary.failed == [] and summary.skipped == []
        assert (summary.new, summary.changed) == (len(new), len(changed))
        assert summary.unchanged == seen_before - len(changed)
        reported = {(d["url"].rsplit("/", 1)[-1], d["outcome"]) for d in summary.documents}
        assert reported == {(f"a{n}.html", "new") for n in new} | {
            (f"a{n}.html", "changed") for n in changed
        }

        # One request per entry; entries seen before asked conditionally, and
        # the unchanged ones answered 304 (no body, no new row).
        requests = site.requests()
        assert len(requests) == seen_before + len(new)
        assert sum(r.conditional for r in requests) == seen_before
        assert summary.conditional_requests == seen_before
        assert sum(r.status == 304 for r in requests) == seen_before - len(changed)

        # New articles cite two sources each; a1's revision cites the same
        # ones (queued already), a3's adds one.
        added_citations = sum(1 for n in changed if REVISIONS[n][day])
        extra_citations += added_citations
        assert summary.captures_queued == 2 * len(new) + added_citations
        revisions_so_far += len(changed)
        db = _db(settings)
        assert db["documents"] == 2 * (day + 1)
        assert db["versions"] == 2 * (day + 1) + revisions_so_far
        assert db["entries"] == 2 * (day + 1)
        assert max(db["jobs"].values()) == 1, "a citation was queued twice"
        assert sum(db["jobs"].values()) == 4 * (day + 1) + extra_citations

        # The same day again: nothing new, every entry one conditional request.
        site.clear()
        again = run_seed_file(settings, path, clock=clock)
        assert (again.new, again.changed, again.unchanged) == (0, 0, 2 * (day + 1))
        assert again.captures_queued == 0
        assert all(r.conditional and r.status == 304 for r in site.requests())
        assert _db(settings) == db

    # Documents of the RSS seed carry its id template; the others the derived id.
    rt = Runtime(settings)
    with rt.sessions()() as s:
        ids = set(s.scalars(select(Document.id)))
    rt.close()
    assert "world-127-0-0-1-articles-a0" in ids
    assert "127-0-0-1-articles-a1" in ids


def test_lookback_leaves_older_entries_alone(
    sqlite_url: str, make_settings: Any, tmp_path: Path, site: NewsSite, clock: ManualClock
) -> None:
    settings = make(make_settings, sqlite_url)
    clock.set(START + timedelta(days=3, hours=12))
    path = seed_file(tmp_path, site.base, extra="lookback_days = 1")
    summary = run_seed_file(settings, path, clock=clock)
    # RSS lists a0, a3, a6 by now; only a6 (day 3) is within a day of the clock.
    fetched = {
        r.path for r in site.requests() if r.path.endswith(("a0.html", "a3.html", "a6.html"))
    }
    assert fetched == {"/articles/a6.html"}
    assert summary.too_old == 2
    assert summary.new == 8 - 2


def test_the_command_prints_progress_and_the_summary(
    make_settings: Any, tmp_path: Path, site: NewsSite, clock: ManualClock
) -> None:
    clock.set(START + timedelta(days=1, hours=12))
    path = seed_file(tmp_path, site.base)
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"), CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false"
    )
    first = run_cli("seeds", "run", str(path), env=env)
    assert first.returncode == 0, first.stderr
    assert f"new {site.url(0)} → world-127-0-0-1-articles-a0 v1" in " ".join(first.stderr.split())
    assert "4 new, 0 changed, 0 unchanged, 0 failed" in first.stdout
    second = run_cli("seeds", "run", str(path), "--json", "--quiet", env=env)
    assert second.returncode == 0 and second.stderr == ""
    data = json.loads(second.stdout)
    assert data["counts"]["unchanged"] == 4 and data["conditional_requests"] == 4
    # A source that fails is reported, and the exit status says so.
    site.routes["/rss.xml"] = lambda: Response(500, b"down")
    third = run_cli("seeds", "run", str(path), "--quiet", env=env)
    assert third.returncode == 6
    assert f"failed  [world] {site.base}/rss.xml: {site.base}/rss.xml answered HTTP 500" in (
        third.stdout
    )
