"""The rules of one check, against the real loopback site: HEAD refused, sign-in
walls, robots.txt, non-page answers, and the thresholds and dead rule as settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from archive.db.models.health import CitationHealth, DriftLabel, HealthState
from archive.health.classify import Outcome, judge
from archive.health.drift import label
from archive.health.probe import Prober
from archive.health.state import advance
from archive.settings import HealthSettings, Settings, load_settings
from tests.health.site import AgingSite


@pytest.fixture
def site() -> Iterator[AgingSite]:
    with AgingSite() as running:
        yield running


def _settings(**fetch: object) -> Settings:
    return load_settings(fetch={"block_private_addresses": False, **fetch})


def test_head_refused_then_get(site: AgingSite) -> None:
    settings = _settings()
    obs = Prober(settings).observe(site.base_url + "/nohead/page.html", page_expected=False)
    assert [m for m, p in site.requests if p == "/nohead/page.html"] == ["HEAD", "GET"]
    assert obs.status == 200 and obs.method == "GET" and obs.page is not None
    assert judge(obs, None, settings.health).state == HealthState.ALIVE


def test_a_file_that_is_no_page_is_checked_with_head_alone(site: AgingSite) -> None:
    settings = _settings()
    obs = Prober(settings).observe(site.base_url + "/files/data.bin", page_expected=False)
    assert [m for m, p in site.requests if p == "/files/data.bin"] == ["HEAD"]
    assert obs.status == 200 and obs.page is None and obs.sibling is None
    assert judge(obs, None, settings.health).state == HealthState.ALIVE


def test_a_sign_in_wall_is_blocked(site: AgingSite) -> None:
    settings = _settings()
    obs = Prober(settings).observe(site.base_url + "/walled/page.html", page_expected=True)
    assert [hop["status"] for hop in obs.chain] == [301, 200]
    outcome = judge(obs, None, settings.health)
    assert outcome.state == HealthState.BLOCKED
    assert "sign-in" in (outcome.detail or "")


def test_robots_txt_is_obeyed_when_asked(site: AgingSite) -> None:
    url = site.base_url + "/private/page.html"
    obeying = Prober(_settings(obey_robots_txt=True)).observe(url, page_expected=True)
    assert obeying.refused_by_policy and "robots.txt" in (obeying.error or "")
    assert ("GET", "/private/page.html") not in site.requests
    outcome = judge(obeying, None, HealthSettings())
    assert outcome.state == HealthState.BLOCKED
    # allowed paths of the same site are fetched; robots.txt was read once
    Prober(_settings(obey_robots_txt=True)).observe(
        site.base_url + "/stable/page.html", page_expected=True
    )
    assert ("GET", "/stable/page.html") in site.requests
    ignoring = Prober(_settings()).observe(url, page_expected=True)
    assert ignoring.status == 200


def test_drift_thresholds_are_settings() -> None:
    defaults = HealthSettings()
    assert label(0.99, 0.0, defaults) == DriftLabel.SAME
    assert label(0.90, 0.1, defaults) == DriftLabel.MINOR
    assert label(0.50, -0.2, defaults) == DriftLabel.MAJOR
    assert label(0.10, -0.85, defaults) == DriftLabel.OFF_TOPIC
    # both are needed for off-topic
    assert label(0.10, -0.50, defaults) == DriftLabel.MAJOR
    strict = HealthSettings(same_cosine=0.995, off_topic_cosine=0.2, off_topic_word_change=-0.5)
    assert label(0.99, 0.0, strict) == DriftLabel.MINOR
    assert label(0.15, -0.6, strict) == DriftLabel.OFF_TOPIC


def test_dead_rule_follows_its_settings() -> None:
    settings = HealthSettings(dead_after_failures=2, dead_after_days=1)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    health = CitationHealth(citation_id=1, state="", since=start, consecutive_failures=0)
    failing = Outcome(HealthState.FAILING, "HTTP 500")
    seen = []
    for hours in (0, 12, 23, 24, 30):
        advance(health, failing, None, start + timedelta(hours=hours), settings)
        seen.append((health.state, health.consecutive_failures))
    # counted at 0 h and at 24 h (a day after the first counted); 12 h and 23 h are too soon
    assert seen == [
        ("failing", 1),
        ("failing", 1),
        ("failing", 1),
        ("dead", 2),
        ("dead", 2),
    ]
    assert health.first_failure_at == start
    advance(health, Outcome(HealthState.ALIVE), None, start + timedelta(hours=31), settings)
    assert (health.state, health.consecutive_failures, health.first_failure_at) == (
        "alive",
        0,
        None,
    )
