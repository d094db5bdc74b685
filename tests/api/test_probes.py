"""GET /healthz and /readyz: alive without the database; ready only when the
database (schema at head), the store and, when asked, the replay engine answer."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from archive.api.app import create_app
from archive.db import migrate
from archive.settings import Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ready(settings: Settings) -> tuple[int, dict[str, Any]]:
    with TestClient(create_app(settings)) as client:
        resp = client.get("/readyz")
        assert resp.headers["content-type"].startswith("application/json")
        return resp.status_code, resp.json()


def test_ready_on_a_migrated_database(database_url: str, make_settings: Any) -> None:
    migrate.upgrade(database_url)
    status, body = _ready(make_settings(database_url=database_url))
    assert status == 200, body
    assert body["status"] == "ready" and body["not_ready"] == []
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["store"]["ok"] is True
    assert "replay" not in body["checks"]  # not asked for


@pytest.mark.postgres
def test_not_ready_while_migrations_wait(pg_url: str, make_settings: Any) -> None:
    """PostgreSQL is never migrated implicitly: an empty database is not ready."""
    status, body = _ready(make_settings(database_url=pg_url))
    assert status == 503
    assert body["not_ready"] == ["database"]
    assert "citevault db upgrade" in body["checks"]["database"]["detail"]
    migrate.upgrade(pg_url)
    assert _ready(make_settings(database_url=pg_url))[0] == 200


@pytest.mark.postgres
def test_not_ready_without_the_database_but_alive(pg_url: str, make_settings: Any) -> None:
    missing = make_url(pg_url).set(database="cv_no_such_database").render_as_string(False)
    settings = make_settings(database_url=missing)
    with TestClient(create_app(settings)) as client:
        alive = client.get("/healthz")
        assert alive.status_code == 200 and alive.json() == {"status": "alive"}
        resp = client.get("/readyz")
    assert resp.status_code == 503
    body = resp.json()
    assert body["status"] == "not ready" and body["not_ready"] == ["database"]
    assert "cv_no_such_database" in body["checks"]["database"]["detail"]
    assert body["checks"]["store"]["ok"] is True


@pytest.mark.s3
def test_not_ready_when_the_store_stops_answering(
    sqlite_url: str, make_settings: Any, s3_store_settings: dict[str, Any]
) -> None:
    """The same S3 settings against a port where no server listens any more."""
    assert _ready(make_settings(database_url=sqlite_url, store=s3_store_settings))[0] == 200
    stopped = {**s3_store_settings, "endpoint_url": f"http://127.0.0.1:{_free_port()}"}
    status, body = _ready(make_settings(database_url=sqlite_url, store=stopped))
    assert status == 503
    assert body["not_ready"] == ["store"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["store"]["detail"]


def test_not_ready_when_the_local_store_is_not_a_folder(
    sqlite_url: str, make_settings: Any, tmp_path: Path
) -> None:
    blocker = tmp_path / "store"
    blocker.write_text("a file where the store folder should be")
    settings = make_settings(database_url=sqlite_url, store={"url": blocker.as_uri()})
    status, body = _ready(settings)
    assert status == 503 and body["not_ready"] == ["store"]


def test_replay_engine_checked_when_asked(sqlite_url: str, make_settings: Any) -> None:
    """replay.ready_check: the engine must accept connections on replay.host:port."""
    port = _free_port()
    settings = make_settings(
        database_url=sqlite_url, replay={"host": "127.0.0.1", "port": port, "ready_check": True}
    )
    status, body = _ready(settings)
    assert status == 503 and body["not_ready"] == ["replay"]
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()
        status, body = _ready(settings)
    assert status == 200, body
    assert body["checks"]["replay"]["ok"] is True
