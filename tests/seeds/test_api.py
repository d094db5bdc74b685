"""Seed runs through the API: started with a key, summarised as the CLI's summary is."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.clock import ManualClock
from archive.db import migrate
from archive.runtime import Runtime
from tests.seeds.site import START, NewsSite


@pytest.fixture
def site() -> Iterator[NewsSite]:
    # The API's runs use the system clock; the site is two days in, so its
    # articles are all older than now and none is left out by a lookback.
    with NewsSite(ManualClock(START + timedelta(days=1, hours=12))) as running:
        yield running


@pytest.fixture
def api(
    make_settings: Any, database_url: str, tmp_path: Path
) -> Iterator[tuple[TestClient, str, Path]]:
    migrate.upgrade(database_url)
    folder = tmp_path / "seed-files"
    folder.mkdir()
    settings = make_settings(
        database_url=database_url,
        fetch={"block_private_addresses": False},
        seeds={"directory": folder},
    )
    rt = Runtime(settings)
    with rt.sessions()() as s, s.begin():
        _, key = create_key(s, "tests")
    with TestClient(create_app(settings, runtime=rt)) as client:
        yield client, key, folder
    rt.close()


def _wait(client: TestClient, key: str, url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        got = client.get(url, headers={"Authorization": f"ApiKey {key}"})
        assert got.status_code == 200, got.text
        body: dict[str, Any] = got.json()
        if body["state"] != "running":
            return body
        time.sleep(0.05)
    raise AssertionError("the seed run did not finish")


def test_a_seed_file_in_the_body_runs_and_its_summary_is_read_back(
    api: tuple[TestClient, str, Path], site: NewsSite
) -> None:
    client, key, _ = api
    toml = f'[[seed]]\nname = "world"\nfeed = "{site.base}/rss.xml"\n'
    auth = {"Authorization": f"ApiKey {key}", "Content-Type": "application/toml"}
    started = client.post("/api/seeds/run", content=toml, headers=auth)
    assert started.status_code == 202, started.text
    body = started.json()
    assert body["state"] == "running"
    run = _wait(client, key, body["summary_url"])
    assert run["state"] == "finished" and run["error"] is None
    # RSS lists a0 and a3 by day 1
    assert run["summary"]["counts"]["new"] == 2
    assert {d["url"] for d in run["summary"]["documents"]} == {site.url(0), site.url(3)}
    assert datetime.fromisoformat(run["finished_at"]) <= datetime.now(UTC)

    again = client.post("/api/seeds/run", content=toml, headers=auth).json()
    second = _wait(client, key, again["summary_url"])["summary"]
    assert second["counts"]["new"] == 0 and second["counts"]["unchanged"] == 2
    assert second["conditional_requests"] == 2


def test_a_named_seed_file_from_the_seeds_directory(
    api: tuple[TestClient, str, Path], site: NewsSite
) -> None:
    client, key, folder = api
    (folder / "news.toml").write_text(
        f'[[seed]]\nname = "science"\nfeed = "{site.base}/atom.xml"\n'
    )
    auth = {"Authorization": f"ApiKey {key}"}
    started = client.post("/api/seeds/run", json={"name": "news.toml"}, headers=auth)
    assert started.status_code == 202, started.text
    run = _wait(client, key, started.json()["summary_url"])
    assert run["source"] == "news.toml"
    assert run["summary"]["counts"]["new"] == 1  # a1
    for name in ("../news.toml", "/etc/passwd", "missing.toml"):
        refused = client.post("/api/seeds/run", json={"name": name}, headers=auth)
        assert refused.status_code in (400, 404)
        assert "error" in refused.json()


def test_keys_bad_files_and_folders_are_refused(api: tuple[TestClient, str, Path]) -> None:
    client, key, _ = api
    toml = '[[seed]]\nname = "a"\nurls = ["https://example.org/"]\n'
    assert client.post("/api/seeds/run", content=toml).status_code == 401
    assert client.get("/api/seeds/runs/1").status_code == 401
    auth = {"Authorization": f"ApiKey {key}", "Content-Type": "application/toml"}
    bad = client.post("/api/seeds/run", content=toml + "colour = 1\n", headers=auth)
    assert bad.status_code == 400
    assert "line 4, [[seed]] #1 (name 'a'): unknown key 'colour'" in bad.json()["error"]["message"]
    folder = client.post(
        "/api/seeds/run", content='[[seed]]\nname = "f"\nfolder = "/etc"\n', headers=auth
    )
    assert folder.status_code == 400
    assert "may not read the server's files" in folder.json()["error"]["message"]
    missing = client.get("/api/seeds/runs/999", headers={"Authorization": f"ApiKey {key}"})
    assert missing.status_code == 404
