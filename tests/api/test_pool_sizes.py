"""How many PostgreSQL connections a server process may hold, and the warning when too many."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from archive.api.app import create_app
from archive.cli.serve import connection_budget
from archive.db import migrate
from archive.db.engine import libpq_url
from archive.lookup import memento as memento_lookup
from archive.runtime import Runtime


def test_a_process_holds_one_pool_of_the_set_size(
    pg_url: str, make_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every request takes its turn on the runtime's one engine, at most pool-size at once."""
    migrate.upgrade(pg_url)
    rt = Runtime(make_settings(database_url=pg_url, database_pool_size=2))
    in_use = [0]
    most = [0]
    lock = threading.Lock()

    def out(*_: Any) -> None:
        with lock:
            in_use[0] += 1
            most[0] = max(most[0], in_use[0])

    def back(*_: Any) -> None:
        with lock:
            in_use[0] -= 1

    real = memento_lookup.negotiate

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.05)  # long enough for the other requests to want a connection too
        return real(*args, **kwargs)

    monkeypatch.setattr(memento_lookup, "negotiate", slow)
    try:
        engine = rt.engine()
        assert engine.pool.size() == 2  # type: ignore[attr-defined]
        event.listen(engine, "checkout", out)
        event.listen(engine, "checkin", back)
        with TestClient(create_app(rt.settings, runtime=rt)) as client:
            paths = ["/timegate/https://example.org/", "/api/documents/none/citations"] * 6
            with ThreadPoolExecutor(12) as threads:
                answers = list(threads.map(client.get, paths))
            assert {a.status_code for a in answers} == {404}
            with psycopg.connect(libpq_url(pg_url)) as conn:
                held = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchone()
        assert most[0] == 2  # the requests overlapped, and no more than the pool size at once
        assert held is not None and held[0] <= 2 + 1  # the pool and the cache's listener
    finally:
        rt.close()


def test_serve_warns_when_its_processes_could_exceed_max_connections(
    pg_url: str, make_settings: Any
) -> None:
    with psycopg.connect(libpq_url(pg_url)) as conn:
        limit = int(conn.execute("SHOW max_connections").fetchone()[0])  # type: ignore[index]
        reserved = int(conn.execute("SHOW superuser_reserved_connections").fetchone()[0])  # type: ignore[index]
    room = limit - reserved
    settings = make_settings(database_url=pg_url)  # 5 per pool: 11 per process
    fits = room // 11
    assert fits >= 1
    assert connection_budget(settings, fits) is None
    warning = connection_budget(settings, fits + 1)
    assert warning is not None
    assert f"up to {(fits + 1) * 11} PostgreSQL connections" in warning
    assert f"the server takes {room}" in warning and "database_pool_size" in warning
    smaller = make_settings(database_url=pg_url, database_pool_size=1)  # 3 per process
    assert connection_budget(smaller, fits + 1) is None
    unreachable = make_settings(database_url="postgresql://nobody@127.0.0.1:1/none")
    assert connection_budget(unreachable, 64) is None  # no guess, and no failure to start
