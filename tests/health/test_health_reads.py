"""Reading health (CLI and API), planning checks, and bad input.

Documents are made with the test factories; their cited URLs point at the
aging test site, and the checks run for real against it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.clock import ManualClock
from archive.db import migrate
from archive.db.models import CheckJob, CheckResult
from archive.errors import NotFoundError
from archive.health.plan import plan_checks
from archive.health.runner import run_checks
from archive.runtime import Runtime
from tests.factories import cite
from tests.health.site import AgingSite
from tests.helpers import clean_env, run_cli


@dataclass
class World:
    rt: Runtime
    site: AgingSite
    client: TestClient
    key: str
    env: dict[str, str]
    clock: ManualClock


@pytest.fixture
def world(database_url: str, make_settings: Any, tmp_path: Any) -> Iterator[World]:
    migrate.upgrade(database_url)
    settings = make_settings(database_url=database_url, fetch={"block_private_addresses": False})
    rt = Runtime(settings)
    with AgingSite() as site:
        with rt.sessions()() as s, s.begin():
            pages = [site.base_url + "/stable/page.html", site.base_url + "/dies/page.html"]
            cite(s, "open", pages)
            cite(s, "closed", [site.base_url + "/stable/page.html"], private=True)
            _, key = create_key(s, "health test")
        env = clean_env(
            CITEVAULT_DATA_DIR=str(tmp_path / "data"),
            CITEVAULT_DATABASE_URL=database_url,
            CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        )
        clock = ManualClock(datetime.now(UTC))
        with TestClient(create_app(rt.settings, runtime=rt)) as client:
            yield World(rt, site, client, key, env, clock)
    rt.close()


def _check_all(world: World, tick: str) -> int:
    with world.rt.sessions()() as s:
        created = plan_checks(
            s, document_id=None, tick_key=tick, schedule_id=None, clock=world.clock
        )
        s.commit()
    run_checks(world.rt, world.clock)
    return created


def test_api_health_with_history_and_visibility(world: World) -> None:
    assert _check_all(world, "t1") == 3  # every document's cited URLs
    world.site.day = 1
    world.clock.advance(timedelta(days=1))
    assert _check_all(world, "t2") == 3
    answer = world.client.get("/api/documents/open/health")
    assert answer.status_code == 200
    body = answer.json()
    assert body["document"] == "open"
    states = {c["url"].rsplit("/", 2)[-2]: c for c in body["citations"]}
    assert states["stable"]["state"] == "alive"
    assert states["dies"]["state"] == "failing"
    assert states["dies"]["consecutive_failures"] == 1
    # newest first, one per check
    assert [c["http_status"] for c in states["dies"]["checks"]] == [404, 200]
    assert [c["outcome"] for c in states["dies"]["checks"]] == ["failing", "alive"]
    limited = world.client.get("/api/documents/open/health?history=1").json()
    assert all(len(c["checks"]) == 1 for c in limited["citations"])

    # a private document does not exist without a key, and does with one
    hidden = world.client.get("/api/documents/closed/health")
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "not_found"
    seen = world.client.get(
        "/api/documents/closed/health", headers={"Authorization": f"ApiKey {world.key}"}
    )
    assert seen.status_code == 200
    assert seen.json()["citations"][0]["state"] == "alive"
    wrong = world.client.get(
        "/api/documents/closed/health", headers={"Authorization": "ApiKey cv_" + "x" * 43}
    )
    assert wrong.status_code == 401
    unknown = world.client.get("/api/documents/nope/health")
    assert unknown.status_code == 404
    assert "nope" in unknown.json()["error"]["message"]


def test_cli_check_and_health_formats(world: World) -> None:
    result = run_cli("check", "open", env=world.env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checked 2 URL(s): 2 alive" in result.stdout
    as_json = run_cli("health", "open", "--format", "json", env=world.env)
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert [c["state"] for c in data["citations"]] == ["alive", "alive"]
    # first sight of the URL: HEAD, then GET for the page's text (the sibling probe is a GET)
    asked = [m for m, p in world.site.requests if p == "/stable/page.html"]
    assert asked == ["HEAD", "GET"]
    assert data["citations"][0]["checks"][0]["method"] == "GET"
    as_csv = run_cli("health", "open", "--format", "csv", env=world.env)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["state"] for r in rows] == ["alive", "alive"]
    assert rows[0]["url"] == world.site.base_url + "/stable/page.html"
    table = run_cli("health", "open", env=world.env)
    assert table.returncode == 0 and "alive" in table.stdout
    # the private document was not checked: only "open" was asked for
    closed = json.loads(run_cli("health", "closed", "--format", "json", env=world.env).stdout)
    assert closed["citations"][0]["state"] is None


def test_bad_input_is_refused_and_stores_nothing(world: World) -> None:
    unknown = run_cli("health", "nope", env=world.env)
    assert unknown.returncode != 0
    assert "no document with id 'nope'" in unknown.stderr
    check_unknown = run_cli("check", "nope", env=world.env)
    assert check_unknown.returncode != 0
    assert "no document with id 'nope'" in check_unknown.stderr
    neither = run_cli("check", env=world.env)
    assert neither.returncode == 2
    assert "--all" in neither.stderr
    with world.rt.sessions()() as s:
        with pytest.raises(NotFoundError):
            plan_checks(s, document_id="nope", tick_key="x", schedule_id=None)
        assert s.scalar(select(func.count()).select_from(CheckJob)) == 0
        assert s.scalar(select(func.count()).select_from(CheckResult)) == 0


def test_private_addresses_are_refused_by_default(world: World) -> None:
    """The check obeys the SSRF policy: with it on, a loopback URL is never fetched."""
    env = {**world.env}
    del env["CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES"]
    before = len(world.site.requests)
    result = run_cli("check", "open", env=env)
    assert result.returncode == 0, result.stderr
    assert len(world.site.requests) == before
    data = json.loads(run_cli("health", "open", "--format", "json", env=env).stdout)
    for citation in data["citations"]:
        assert citation["state"] == "blocked"
        assert "block_private_addresses" in citation["checks"][0]["error"]


def test_planning_a_tick_twice_creates_its_jobs_once(world: World) -> None:
    with world.rt.sessions()() as s:
        first = plan_checks(s, document_id="open", tick_key="nightly:1", schedule_id=None)
        second = plan_checks(s, document_id="open", tick_key="nightly:1", schedule_id=None)
        other = plan_checks(s, document_id="open", tick_key="nightly:2", schedule_id=None)
        s.commit()
        assert (first, second, other) == (2, 0, 2)
        assert s.scalar(select(func.count()).select_from(CheckJob)) == 4


def test_the_worker_runs_queued_checks(world: World) -> None:
    """A check job planned by a schedule (here: by hand) is run by `citevault worker`."""
    with world.rt.sessions()() as s:
        assert plan_checks(s, document_id="closed", tick_key="sched:1", schedule_id=None) == 1
        s.commit()
    result = run_cli("worker", "--once", "--poll-seconds", "0.1", env=world.env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 URL(s) checked" in result.stdout
    with world.rt.sessions()() as s:
        states = s.scalars(select(CheckJob.state)).all()
        assert states == ["done"]
    data = json.loads(run_cli("health", "closed", "--format", "json", env=world.env).stdout)
    assert data["citations"][0]["state"] == "alive"
