"""Webhook deliveries can be seen: ``GET /api/schedules/{id}/deliveries`` and
``citevault webhooks list``, the one listing behind both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.db.models import WebhookDelivery
from archive.runtime import Runtime
from archive.schedule import manage
from tests.helpers import clean_env, run_cli
from tests.schedule.conftest import START, add_page

HOOK = "https://hooks.example.org/citevault"


def _schedule(rt: Runtime, name: str) -> int:
    with rt.sessions()() as s, s.begin():
        new = manage.NewSchedule(
            cron="0 * * * *",
            action="check",
            document_id="doc",
            name=name,
            webhook_url=HOOK,
            webhook_secret="s3cret",
        )
        return manage.add_schedule(s, new, now=START).id


def _delivery(schedule_id: int, key: str, hours: int, state: str, **kw: Any) -> WebhookDelivery:
    at = START + timedelta(hours=hours)
    values: dict[str, Any] = {
        "delivery_key": key * 64,
        "schedule_id": schedule_id,
        "event": "health.changed",
        "body": "{}",
        "state": state,
        "attempts": 1,
        "next_attempt_at": at,
        "created_at": at,
        "updated_at": at,
    }
    values.update(kw)
    return WebhookDelivery(**values)


@pytest.fixture
def hooks(rt: Runtime) -> tuple[int, int]:
    add_page(rt, "doc", "https://example.org/a")
    nightly, other = _schedule(rt, "nightly"), _schedule(rt, "other")
    with rt.sessions()() as s, s.begin():
        s.add_all(
            [
                _delivery(
                    nightly,
                    "a",
                    0,
                    "delivered",
                    last_status=200,
                    delivered_at=START + timedelta(minutes=1),
                ),
                _delivery(
                    nightly, "b", 1, "failed", attempts=8, last_status=503, last_error="HTTP 503"
                ),
                _delivery(
                    nightly,
                    "c",
                    2,
                    "queued",
                    next_attempt_at=START + timedelta(hours=3),
                    last_error="connection to https://hooks.example.org/citevault was refused",
                ),
                _delivery(other, "d", 3, "queued", attempts=0),
            ]
        )
    return nightly, other


@pytest.fixture
def api(rt: Runtime) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with rt.sessions()() as s, s.begin():
        _, key = create_key(s, "tests")
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        yield client, {"Authorization": f"ApiKey {key}"}


def test_api_lists_a_schedules_deliveries_newest_first(
    hooks: tuple[int, int], api: tuple[TestClient, dict[str, str]]
) -> None:
    nightly, _ = hooks
    client, auth = api
    assert client.get(f"/api/schedules/{nightly}/deliveries").status_code == 401

    listed = client.get(f"/api/schedules/{nightly}/deliveries", headers=auth)
    assert listed.status_code == 200
    data = listed.json()
    assert data["meta"] == {"total": 3, "limit": 50, "offset": 0, "next_offset": None}
    assert [d["key"][0] for d in data["items"]] == ["c", "b", "a"]  # the other schedule's: none
    queued, failed, delivered = data["items"]
    assert queued == {
        "key": "c" * 64,
        "schedule_id": nightly,
        "event": "health.changed",
        "citation_id": None,
        "state": "queued",
        "attempts": 1,
        "last_status": None,
        "last_error": "connection to https://hooks.example.org/citevault was refused",
        "next_attempt_at": "2026-03-01T03:00:00Z",
        "created_at": "2026-03-01T02:00:00Z",
        "delivered_at": None,
    }
    assert (failed["state"], failed["attempts"], failed["last_status"]) == ("failed", 8, 503)
    assert failed["next_attempt_at"] is None  # given up: never tried again
    assert (delivered["state"], delivered["delivered_at"]) == ("delivered", "2026-03-01T00:01:00Z")

    paged = client.get("/api/schedules/nightly/deliveries?limit=2", headers=auth).json()
    assert paged["meta"]["next_offset"] == 2 and [d["key"][0] for d in paged["items"]] == ["c", "b"]
    rest = client.get("/api/schedules/nightly/deliveries?limit=2&offset=2", headers=auth).json()
    assert [d["key"][0] for d in rest["items"]] == ["a"] and rest["meta"]["next_offset"] is None
    failed_only = client.get(f"/api/schedules/{nightly}/deliveries?state=failed", headers=auth)
    assert [d["key"][0] for d in failed_only.json()["items"]] == ["b"]


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/api/schedules/999/deliveries", 404, "no schedule '999'"),
        ("/api/schedules/nope/deliveries", 404, "no schedule 'nope'"),
        ("/api/schedules/nightly/deliveries?state=sent", 400, "unknown delivery state 'sent'"),
        ("/api/schedules/nightly/deliveries?limit=0", 400, "limit"),
        ("/api/schedules/nightly/deliveries?limit=5000", 400, "limit"),
        ("/api/schedules/nightly/deliveries?limit=ten", 400, "limit"),
    ],
)
def test_api_bad_input(
    hooks: tuple[int, int],
    api: tuple[TestClient, dict[str, str]],
    path: str,
    status: int,
    says: str,
) -> None:
    client, auth = api
    response = client.get(path, headers=auth)
    assert response.status_code == status, response.text
    assert says in response.json()["error"]["message"]


@pytest.fixture
def env(rt: Runtime) -> dict[str, str]:
    return clean_env(
        CITEVAULT_DATABASE_URL=rt.database_url, CITEVAULT_DATA_DIR=str(rt.settings.data_dir)
    )


def _json(env: dict[str, str], *args: str) -> dict[str, Any]:
    result = run_cli("webhooks", "list", "--format", "json", *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_cli_lists_filters_and_pages(hooks: tuple[int, int], env: dict[str, str]) -> None:
    nightly, other = hooks
    every = _json(env)
    assert every["total"] == 4
    assert [(d["key"][0], d["schedule_id"]) for d in every["items"]] == [
        ("d", other),
        ("c", nightly),
        ("b", nightly),
        ("a", nightly),
    ]
    assert [d["key"][0] for d in _json(env, "--schedule", str(nightly))["items"]] == ["c", "b", "a"]
    queued = _json(env, "--state", "queued")
    assert [d["key"][0] for d in queued["items"]] == ["d", "c"]
    assert [
        d["key"][0] for d in _json(env, "--schedule", "nightly", "--state", "queued")["items"]
    ] == ["c"]
    page = _json(env, "--limit", "1", "--offset", "1")
    assert (page["total"], [d["key"][0] for d in page["items"]]) == (4, ["c"])

    wide = {**env, "COLUMNS": "250"}  # a terminal wide enough for every column unwrapped
    table = run_cli("webhooks", "list", "--schedule", "nightly", "--limit", "2", env=wide)
    assert table.returncode == 0, table.stderr
    assert "c" * 12 in table.stdout and "b" * 12 in table.stdout and "a" * 12 not in table.stdout
    assert "failed" in table.stdout and "503" in table.stdout and "refused" in table.stdout
    assert "2 of 3 deliveries; --offset 2 shows the next" in table.stdout


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--schedule", "nope"], 3, "no schedule 'nope'"),
        (["--state", "sent"], 2, "unknown delivery state 'sent'"),
        (["--limit", "0"], 2, "the limit must be between 1 and 1000"),
        (["--offset", "-1"], 2, "the offset must not be negative"),
    ],
)
def test_cli_bad_input(
    hooks: tuple[int, int], env: dict[str, str], args: list[str], code: int, says: str
) -> None:
    result = run_cli("webhooks", "list", *args, env=env)
    assert result.returncode == code, result.stdout + result.stderr
    assert says in result.stderr
    assert "hint:" in result.stderr
