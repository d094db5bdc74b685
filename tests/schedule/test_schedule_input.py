"""``citevault schedule`` and /api/schedules: bad input is a clear error and stores nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.db.models import Document, Schedule
from archive.runtime import Runtime
from tests.helpers import clean_env, run_cli
from tests.schedule.conftest import add_page


def _stored(rt: Runtime) -> int:
    with rt.sessions()() as s:
        return s.scalar(select(func.count()).select_from(Schedule)) or 0


@pytest.fixture
def env(rt: Runtime) -> dict[str, str]:
    add_page(rt, "doc", "https://example.org/x")
    return clean_env(
        CITEVAULT_DATABASE_URL=rt.database_url, CITEVAULT_DATA_DIR=str(rt.settings.data_dir)
    )


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (
            ["--cron", "0 25 * * *", "--document", "doc", "--action", "recapture"],
            2,
            "invalid cron expression '0 25 * * *'",
        ),
        (["--cron", "0 3 * *", "--document", "doc", "--action", "recapture"], 2, "4 fields, not 5"),
        (
            ["--cron", "0 3 * * *", "--document", "nobody", "--action", "recapture"],
            3,
            "no document with id 'nobody'",
        ),
        (
            ["--cron", "0 3 * * *", "--document", "doc", "--action", "frobnicate"],
            2,
            "unknown schedule action 'frobnicate'; known actions: check, ingest-seeds, "
            "recapture, refetch, verify",
        ),
        (["--cron", "0 3 * * *", "--action", "recapture"], 2, "give either --document ID or --all"),
        (
            ["--cron", "0 3 * * *", "--all", "--document", "doc", "--action", "recapture"],
            2,
            "give either --document ID or --all",
        ),
        (
            ["--cron", "0 3 * * *", "--all", "--action", "recapture", "--timezone", "Nowhere/X"],
            2,
            "unknown timezone",
        ),
        (
            [
                "--cron",
                "0 3 * * *",
                "--all",
                "--action",
                "recapture",
                "--webhook",
                "ftp://x/y",
                "--webhook-secret",
                "s",
            ],
            2,
            "not an http(s) URL",
        ),
        (
            [
                "--cron",
                "0 3 * * *",
                "--all",
                "--action",
                "recapture",
                "--webhook",
                "https://hooks.example.org/cv",
            ],
            2,
            "a webhook needs a secret",
        ),
        (
            ["--cron", "0 3 * * *", "--all", "--action", "recapture", "--options", "[1]"],
            2,
            "--options must be a JSON object",
        ),
        (
            ["--cron", "0 3 * * *", "--document", "doc", "--action", "refetch"],
            2,
            "not added from a URL",
        ),
    ],
)
def test_cli_bad_input(
    rt: Runtime, env: dict[str, str], args: list[str], code: int, says: str
) -> None:
    result = run_cli("schedule", "add", *args, env=env)
    assert result.returncode == code, result.stdout + result.stderr
    assert says in result.stderr
    assert "hint:" in result.stderr
    assert _stored(rt) == 0


def test_cli_add_list_pause_resume_remove(rt: Runtime, env: dict[str, str]) -> None:
    added = run_cli(
        "schedule",
        "add",
        "--cron",
        "0 3 * * *",
        "--document",
        "doc",
        "--action",
        "recapture",
        "--name",
        "nightly",
        "--missed",
        "skip",
        "--webhook",
        "https://hooks.example.org/cv",
        "--webhook-secret",
        "s3cret",
        env=env,
    )
    assert added.returncode == 0, added.stderr
    assert "schedule 1 (nightly) added" in added.stdout
    again = run_cli(
        "schedule",
        "add",
        "--cron",
        "0 4 * * *",
        "--all",
        "--action",
        "recapture",
        "--name",
        "nightly",
        env=env,
    )
    assert again.returncode == 2 and "a schedule named 'nightly' exists already" in again.stderr
    listed = json.loads(run_cli("schedule", "list", "--json", env=env).stdout)
    assert [(s["name"], s["cron"], s["missed"], s["enabled"]) for s in listed] == [
        ("nightly", "0 3 * * *", "skip", True)
    ]
    assert listed[0]["webhook_secret_set"] is True and "s3cret" not in json.dumps(listed)
    assert run_cli("schedule", "pause", "nightly", env=env).returncode == 0
    assert json.loads(run_cli("schedule", "list", "--json", env=env).stdout)[0]["enabled"] is False
    assert run_cli("schedule", "resume", "1", env=env).returncode == 0
    assert json.loads(run_cli("schedule", "list", "--json", env=env).stdout)[0]["enabled"] is True
    gone = run_cli("schedule", "pause", "nope", env=env)
    assert gone.returncode == 3 and "no schedule 'nope'" in gone.stderr
    assert run_cli("schedule", "remove", "nightly", env=env).returncode == 0
    assert _stored(rt) == 0
    once = run_cli("scheduler", "--once", env=env)
    assert once.returncode == 0 and "no ticks due" in once.stdout


@pytest.fixture
def api(rt: Runtime) -> Iterator[tuple[TestClient, dict[str, str]]]:
    add_page(rt, "public", "https://example.org/p")
    add_page(rt, "private", "https://example.org/q")
    with rt.sessions()() as s, s.begin():
        doc = s.get(Document, "private")
        assert doc is not None
        doc.is_private = True
        _, key = create_key(s, "tests")
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        yield client, {"Authorization": f"ApiKey {key}"}


def _error(response: Any) -> str:
    return str(response.json()["error"]["message"])


def test_api_needs_a_key(rt: Runtime, api: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = api
    body = {"cron": "0 3 * * *", "action": "recapture", "document_id": "private"}
    for response in (
        client.post("/api/schedules", json=body),
        client.post("/api/schedules", json={**body, "document_id": "public"}),
        client.get("/api/schedules"),
        client.post("/api/schedules/1/pause"),
        client.delete("/api/schedules/1"),
    ):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "api_key_required"
    bad = client.post("/api/schedules", json=body, headers={"Authorization": "ApiKey wrong"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "invalid_api_key"
    assert _stored(rt) == 0


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"cron": "*/0 * * * *", "action": "recapture", "all": True}, 400, "invalid cron"),
        (
            {"cron": "0 3 * * *", "action": "recapture", "document_id": "nobody"},
            404,
            "no document with id 'nobody'",
        ),
        (
            {"cron": "0 3 * * *", "action": "verify-all", "all": True},
            400,
            "known actions: check, ingest-seeds, recapture, refetch, verify",
        ),
        ({"cron": "0 3 * * *", "action": "recapture"}, 400, "give either document_id"),
        (
            {"cron": "0 3 * * *", "action": "recapture", "all": True, "missed": "later"},
            400,
            "unknown missed-tick policy 'later'",
        ),
        (
            {"cron": "0 3 * * *", "action": "recapture", "all": True, "colour": "red"},
            400,
            "unknown fields: colour",
        ),
        ({"cron": 3, "action": "recapture", "all": True}, 400, "cron must be a string"),
    ],
)
def test_api_bad_input(
    rt: Runtime, api: tuple[TestClient, dict[str, str]], body: Any, status: int, says: str
) -> None:
    client, auth = api
    response = client.post("/api/schedules", json=body, headers=auth)
    assert response.status_code == status, response.text
    assert says in _error(response)
    assert _stored(rt) == 0


def test_api_round_trip_on_a_private_document(
    rt: Runtime, api: tuple[TestClient, dict[str, str]]
) -> None:
    client, auth = api
    body = {
        "cron": "30 1 * * 1",
        "timezone": "Europe/Berlin",
        "action": "recapture",
        "document_id": "private",
        "webhook_url": "https://hooks.example.org/cv",
        "webhook_secret": "s3cret",
    }
    created = client.post("/api/schedules", json=body, headers=auth)
    assert created.status_code == 201, created.text
    data = created.json()
    assert (data["document_id"], data["timezone"], data["missed"]) == (
        "private",
        "Europe/Berlin",
        "run-once",
    )
    assert data["webhook_secret_set"] is True and "webhook_secret" not in data
    listed = client.get("/api/schedules", headers=auth).json()["schedules"]
    assert [s["id"] for s in listed] == [data["id"]]
    paused = client.post(f"/api/schedules/{data['id']}/pause", headers=auth).json()
    assert paused["enabled"] is False and paused["next_tick_at"] is None
    resumed = client.post(f"/api/schedules/{data['name']}/resume", headers=auth).json()
    assert resumed["enabled"] is True and resumed["next_tick_at"] is not None
    assert client.delete(f"/api/schedules/{data['id']}", headers=auth).json()["removed"] is True
    assert client.delete(f"/api/schedules/{data['id']}", headers=auth).status_code == 404
    assert _stored(rt) == 0


def test_api_refuses_a_large_body(rt: Runtime, api: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = api
    body = {"cron": "0 3 * * *", "action": "recapture", "all": True, "name": "x" * 70_000}
    response = client.post("/api/schedules", json=body, headers=auth)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert _stored(rt) == 0
