"""What researchers see of health: the Atom feed of state changes and the page's badges.

A document is captured for real on day 0 from the aging loopback site; a
ManualClock then moves one day at a time and each day's checks run against
the live site.  The feed is parsed by feedparser and by lxml, and the
document page by lxml, after those simulated days.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import lxml.etree
import lxml.html  # type: ignore[import-untyped, unused-ignore]
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.clock import ManualClock
from archive.db.models import Capture
from archive.health.plan import plan_checks
from archive.health.runner import run_checks
from archive.runtime import Runtime
from tests.factories import cite
from tests.health.site import AgingSite
from tests.helpers import clean_env, cli_ok

ATOM = "{http://www.w3.org/2005/Atom}"
PATHS = ["/stable/page.html", "/dies/page.html", "/minor/page.html", "/major/page.html"]
DAYS = 8


@dataclass
class Watched:
    site: AgingSite
    rt: Runtime
    client: TestClient
    key: str
    clock: ManualClock

    def url(self, path: str) -> str:
        return self.site.base_url + path

    def check_day(self, day: int) -> None:
        self.site.day = day
        with self.rt.sessions()() as s:
            plan_checks(
                s, document_id="watched", tick_key=f"d{day}", schedule_id=None, clock=self.clock
            )
            s.commit()
        assert run_checks(self.rt, self.clock).checked == len(PATHS)
        self.clock.advance(timedelta(days=1))

    def capture_of(self, path: str) -> Capture:
        with self.rt.sessions()() as s:
            return s.scalars(
                select(Capture).where(Capture.url == self.url(path), Capture.http_status == 200)
            ).one()


@pytest.fixture
def watched(database_url: str, tmp_path: Path, make_settings: Any) -> Iterator[Watched]:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_DATABASE_URL=database_url,
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
    )
    settings = make_settings(database_url=database_url, fetch={"block_private_addresses": False})
    with AgingSite() as site:
        if not database_url.startswith("sqlite"):
            cli_ok(env, "db", "upgrade")
        doc = tmp_path / "watched.txt"
        doc.write_text("\n\n".join(f"See {site.base_url}{p} for the record." for p in PATHS))
        cli_ok(env, "add", str(doc), "--id", "watched")
        cli_ok(env, "archive", "watched")
        rt = Runtime(settings)
        with rt.sessions()() as s, s.begin():
            cite(s, "closed", [site.base_url + "/stable/page.html"], private=True)
            _, key = create_key(s, "feed test")
        clock = ManualClock(datetime.now(UTC) + timedelta(seconds=1))
        try:
            with TestClient(create_app(rt.settings, runtime=rt)) as client:
                yield Watched(site, rt, client, key, clock)
        finally:
            rt.close()


def _badges(client: TestClient, doc_id: str, **headers: str) -> dict[str, Any]:
    page = client.get(f"/documents/{doc_id}", headers=headers)
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.content)
    out = {}
    for li in tree.cssselect("li.citation"):
        url = li.cssselect("div.url")[0].text_content().strip()
        out[url] = li.cssselect("p.health")
    return out


def test_feed_and_badges_follow_the_checks(watched: Watched) -> None:
    w = watched
    # no check yet: no badge at all (not a guessed "alive"), and an empty but valid feed
    assert all(not found for found in _badges(w.client, "watched").values())
    empty = feedparser.parse(w.client.get("/documents/watched/health.atom").content)
    assert empty.bozo == 0 and empty.version == "atom10" and empty.entries == []
    # nothing changed yet: "updated" is the document's own time, the same on every request
    still = feedparser.parse(w.client.get("/documents/watched/health.atom").content)
    assert empty.feed.updated_parsed == still.feed.updated_parsed
    assert empty.feed.updated_parsed.tm_year > 1970

    for day in range(DAYS):
        w.check_day(day)

    answer = w.client.get("/documents/watched/health.atom")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    # one entry per change of state, newest first (checks of one day run at once,
    # in whatever order their answers come: within a day, any order)
    assert titles[:2] == [
        f"{w.url('/dies/page.html')}: failing → dead",
        f"{w.url('/major/page.html')}: alive → changed (off-topic)",
    ]
    assert set(titles[2:4]) == {
        f"{w.url('/minor/page.html')}: alive → changed (minor)",
        f"{w.url('/dies/page.html')}: alive → failing",
    }
    assert sorted(titles[4:]) == sorted(f"{w.url(p)}: first check → alive" for p in PATHS)
    stamps = [e.updated_parsed for e in feed.entries]
    assert stamps == sorted(stamps, reverse=True)
    assert feed.feed.updated_parsed == stamps[0]
    dead = feed.entries[0]
    capture = w.capture_of("/dies/page.html")
    archived = [link for link in dead.links if link.rel == "alternate"]
    assert [link.href for link in archived] == [f"http://testserver/captures/{capture.id}"]
    assert "archived copy from" in archived[0].title
    assert f"http://testserver/captures/{capture.id}" in dead.summary
    assert [link.href for link in dead.links if link.rel == "related"] == [w.url("/dies/page.html")]

    # ids stable across requests, all distinct
    again = feedparser.parse(w.client.get("/documents/watched/health.atom").content)
    assert [e.id for e in again.entries] == [e.id for e in feed.entries]
    assert again.feed.id == feed.feed.id
    assert len({e.id for e in feed.entries}) == len(feed.entries)

    # lxml: the Atom elements a reader requires, with RFC 3339 times
    root = lxml.etree.fromstring(answer.content)
    assert root.tag == f"{ATOM}feed"
    assert {c.tag for c in root} >= {f"{ATOM}{t}" for t in ("id", "title", "updated", "entry")}
    for entry in root.iter(f"{ATOM}entry"):
        for tag in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{ATOM}{tag}")) == 1, tag
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.findtext(f"{ATOM}updated"))
        assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")

    # the page's badges: words, tone, time of the last check, the citation-time copy
    badges = _badges(w.client, "watched")
    expected = {
        "/stable/page.html": ("source alive", "health-ok"),
        "/dies/page.html": ("source dead", "health-bad"),
        "/minor/page.html": ("source changed (minor) · drift", "health-warn"),
        "/major/page.html": ("source changed (off-topic) · drift", "health-bad"),
    }
    last_check = (w.clock.now() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S UTC")
    for path, (words, tone) in expected.items():
        (health,) = badges[w.url(path)]
        (badge,) = health.cssselect(".badge")
        assert badge.text_content().startswith(words), path
        assert tone in badge.get("class").split()
        assert health.cssselect(".checked")[0].text_content() == f"checked {last_check}"
        capture = w.capture_of(path)
        (link,) = health.cssselect("a.archived")
        assert link.get("href") == f"/captures/{capture.id}"
        assert link.text_content().startswith("archived copy from ")


def test_private_feed_needs_a_key(watched: Watched) -> None:
    hidden = watched.client.get("/documents/closed/health.atom")
    assert hidden.status_code == 404
    assert "closed" in hidden.json()["error"]["message"]
    seen = watched.client.get(
        "/documents/closed/health.atom", headers={"Authorization": f"ApiKey {watched.key}"}
    )
    assert seen.status_code == 200
    parsed = feedparser.parse(seen.content)
    assert parsed.bozo == 0 and parsed.entries == []
    # never checked: its page shows no health badge either
    badges = _badges(watched.client, "closed", Authorization=f"ApiKey {watched.key}")
    assert list(badges.values()) == [[]]
    assert watched.client.get("/documents/nope/health.atom").status_code == 404
    assert watched.client.get("/documents/bad%20id/health.atom").status_code == 400
