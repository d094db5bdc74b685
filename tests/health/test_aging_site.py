"""Day by day on a loopback site whose pages die, get parked, move, change and recover.

The citing document is captured for real (crawler, WARC, store) on day 0;
then, as a ManualClock moves one day at a time, each day's tick is planned
and its checks run against the live site, and every citation's state is
asserted after each simulated day.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from archive.clock import ManualClock
from archive.db.models import CaptureJob, WebhookDelivery
from archive.health.plan import plan_checks
from archive.health.runner import run_checks
from archive.lookup.health import document_health
from archive.runtime import Runtime
from archive.schedule import manage
from tests.health.site import QUOTE, AgingSite
from tests.helpers import clean_env, cli_ok

DAYS = 8
A, F, D = "alive", "failing", "dead"
# The state of each cited page after each day's check, days 0 to 7.
EXPECTED: dict[str, list[str]] = {
    "/stable/page.html": [A] * 8,
    # 404 from day 1; failures count only 3 days apart: days 1, 4 and 7
    "/dies/page.html": [A, F, F, F, F, F, F, D],
    "/soft/page.html": [A, A] + ["soft-404"] * 6,
    "/parked/page.html": [A] * 3 + ["moved"] * 5,
    "/home/page.html": [A] * 2 + ["moved"] * 6,
    "/away/page.html": [A] + ["moved"] * 7,
    "/minor/page.html": [A] + ["changed"] * 7,
    "/major/page.html": [A] * 2 + ["changed"] * 6,
    "/recover/page.html": [A, F, F] + [A] * 5,
    "/blocked/page.html": [A] * 2 + ["blocked"] * 6,
}
COUNTED_FAILURES = [0, 1, 1, 1, 2, 2, 2, 3]  # of /dies/page.html
DRIFT = {  # the drift label from the day the page changed
    "/minor/page.html": (1, "minor"),
    "/major/page.html": (2, "off-topic"),
}


def _document(site: AgingSite, folder: Path) -> Path:
    lines = [f"See {site.base_url}{path} for the record." for path in EXPECTED]
    lines[list(EXPECTED).index("/minor/page.html")] = (
        f'The site says "{QUOTE}" ({site.base_url}/minor/page.html).'
    )
    doc = folder / "aging.txt"
    doc.write_text("\n\n".join(lines) + "\n")
    return doc


@pytest.fixture
def captured_site(database_url: str, tmp_path: Path, make_settings: Any) -> Any:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_DATABASE_URL=database_url,
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
    )
    settings = make_settings(database_url=database_url, fetch={"block_private_addresses": False})
    with AgingSite() as site:
        if not database_url.startswith("sqlite"):
            cli_ok(env, "db", "upgrade")
        cli_ok(env, "add", str(_document(site, tmp_path)), "--id", "aging")
        cli_ok(env, "archive", "aging")
        rt = Runtime(settings)
        try:
            yield site, rt
        finally:
            rt.close()


def test_every_state_after_every_day(captured_site: Any) -> None:
    site, rt = captured_site
    clock = ManualClock(datetime.now(UTC) + timedelta(seconds=1))
    captured = len(site.requests)  # the crawler's, on day 0
    seen: dict[str, list[str]] = {path: [] for path in EXPECTED}
    for day in range(DAYS):
        site.day = day
        with rt.sessions()() as session:
            created = plan_checks(
                session, document_id="aging", tick_key=f"day-{day}", schedule_id=None, clock=clock
            )
            session.commit()
            assert created == len(EXPECTED)
            # the same tick again creates nothing
            again = plan_checks(
                session, document_id="aging", tick_key=f"day-{day}", schedule_id=None, clock=clock
            )
            session.commit()
            assert again == 0
        summary = run_checks(rt, clock)
        assert summary.checked == len(EXPECTED)
        with rt.sessions()() as session:
            health = document_health(session, "aging", privileged=True)
        by_path = {c["url"].removeprefix(site.base_url): c for c in health["citations"]}
        assert set(by_path) == set(EXPECTED)
        for path, citation in by_path.items():
            seen[path].append(citation["state"])
            assert len(citation["checks"]) == day + 1
            assert citation["checks"][0]["baseline_capture_id"] is not None, path
        dies = by_path["/dies/page.html"]
        assert dies["consecutive_failures"] == COUNTED_FAILURES[day], day
        for path, (from_day, label) in DRIFT.items():
            want = label if day >= from_day else "same"
            assert by_path[path]["drift_label"] == want, (path, day)
        clock.advance(timedelta(days=1))
    assert seen == EXPECTED

    with rt.sessions()() as session:
        health = document_health(session, "aging", privileged=True)
    by_path = {c["url"].removeprefix(site.base_url): c for c in health["citations"]}
    # the last check of each kind says why
    latest = {path: c["checks"][0] for path, c in by_path.items()}
    assert latest["/dies/page.html"]["http_status"] == 404
    assert latest["/home/page.html"]["redirect_chain"][-1]["url"] == site.base_url + "/"
    assert "home page" in latest["/home/page.html"]["detail"]
    assert latest["/away/page.html"]["final_url"] == site.other_url + "/landing.html"
    assert "parking" in latest["/parked/page.html"]["detail"]
    assert latest["/soft/page.html"]["soft_404"] is True
    assert latest["/stable/page.html"]["soft_404"] is False
    assert latest["/blocked/page.html"]["http_status"] == 403
    major = latest["/major/page.html"]["drift"]
    assert major["cosine"] <= 0.10 and major["word_change"] <= -0.85
    minor = latest["/minor/page.html"]
    assert 0.80 <= minor["drift"]["cosine"] < 0.98
    # the quoted words were on the capture, and are gone from the live page
    assert {"quote": QUOTE, "on_capture": True, "on_live": False} in minor["quotes"]
    first = by_path["/minor/page.html"]["checks"][-1]
    assert {"quote": QUOTE, "on_capture": True, "on_live": True} in first["quotes"]
    # the citation-time capture was a page: every check, the first one too, is one GET
    methods = [m for m, p in site.requests[captured:] if p == "/stable/page.html"]
    assert methods == ["GET"] * DAYS


def test_a_schedule_hears_of_drift_and_recaptures_off_topic_pages(captured_site: Any) -> None:
    """Drift labels through the schedule's follow-ups: the webhook body names the
    label and the citation-time capture, and ``recapture_on`` takes the label."""
    site, rt = captured_site
    clock = ManualClock(datetime.now(UTC) + timedelta(seconds=1))
    with rt.sessions()() as session, session.begin():
        new = manage.NewSchedule(
            cron="0 * * * *",
            action="check",
            document_id="aging",
            options={"recapture_on": ["off-topic"]},
            # Never sent here: the rows are what is checked.
            webhook_url="https://hooks.example.org/citevault",
            webhook_secret="s",
        )
        sid = manage.add_schedule(session, new, now=clock.now()).id
    for day in range(3):
        site.day = day
        with rt.sessions()() as session:
            plan_checks(
                session, document_id="aging", tick_key=f"d{day}", schedule_id=sid, clock=clock
            )
            session.commit()
        run_checks(rt, clock)
        clock.advance(timedelta(days=1))
    with rt.sessions()() as session:
        bodies = [json.loads(b) for b in session.scalars(select(WebhookDelivery.body))]
        forced = session.scalars(
            select(CaptureJob.url).where(CaptureJob.schedule_id == sid, CaptureJob.force)
        ).all()
    changes = {b["url"].removeprefix(site.base_url): b for b in bodies}
    # day 1 and 2's changes of state (EXPECTED), once each
    moved = {
        p for p, states in EXPECTED.items() if states[1] != states[0] or states[2] != states[1]
    }
    assert len(bodies) == len(changes) == len(moved)
    assert set(changes) == moved
    major = changes["/major/page.html"]
    assert (major["old_state"], major["new_state"], major["drift_label"]) == (
        "alive",
        "changed",
        "off-topic",
    )
    assert major["archived_copy_url"].startswith("/captures/")
    assert changes["/minor/page.html"]["drift_label"] == "minor"
    # only the off-topic page asked for a fresh capture: minor drift and failing do not
    assert forced == [site.base_url + "/major/page.html"]
