"""How many PostgreSQL connections a server process may hold, and the warning when too many."""

from __future__ import annotations

from typing import Any

import psycopg
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.cli.serve import connection_budget
from archive.db import migrate
from archive.db.engine import libpq_url
from archive.runtime import Runtime


def test_pools_take_their_size_from_the_setting(pg_url: str, make_settings: Any) -> None:
    migrate.upgrade(pg_url)
    rt = Runtime(make_settings(database_url=pg_url, database_pool_size=2))
    try:
        assert rt.engine().pool.size() == 2  # type: ignore[attr-defined]
        with TestClient(create_app(rt.settings, runtime=rt)) as client:
            state = client.app.state  # type: ignore[attr-defined]
            assert state.async_engine.pool.size() == 2
            assert state.pg_pool.size == 2
            assert client.get("/timegate/https://example.org/").status_code == 404
    finally:
        rt.close()


def test_serve_warns_when_its_processes_could_exceed_max_connections(
    pg_url: str, make_settings: Any
) -> None:
    with psycopg.connect(libpq_url(pg_url)) as conn:
        limit = int(conn.execute("SHOW max_connections").fetchone()[0])  # type: ignore[index]
        reserved = int(conn.execute("SHOW superuser_reserved_connections").fetchone()[0])  # type: ignore[index]
    room = limit - reserved
    settings = make_settings(database_url=pg_url)  # 5 per pool: 21 per process
    fits = room // 21
    assert fits >= 1
    assert connection_budget(settings, fits) is None
    warning = connection_budget(settings, fits + 1)
    assert warning is not None
    assert f"up to {(fits + 1) * 21} PostgreSQL connections" in warning
    assert f"the server takes {room}" in warning and "database_pool_size" in warning
    smaller = make_settings(database_url=pg_url, database_pool_size=1)  # 5 per process
    assert connection_budget(smaller, fits + 1) is None
    unreachable = make_settings(database_url="postgresql://nobody@127.0.0.1:1/none")
    assert connection_budget(unreachable, 64) is None  # no guess, and no failure to start
