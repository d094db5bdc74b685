"""HEAD wherever GET works (RFC 9110 section 9.3.2), walked over the app's own route table.

Every GET route of the real application, filled in with ids and URLs of an
archive captured for real, answers HEAD with GET's status and headers
(Content-Length and Content-Type included) and no body.  A route the walk
cannot fill in fails the test, so a new GET route is covered or noticed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.db import migrate
from archive.runtime import Runtime
from archive.schedule import manage
from archive.seeds.run import start_run
from tests.api.archives import T1, T2, open_archive
from tests.api.captured import DOC_ID, Captured


def get_paths(app: FastAPI) -> list[str]:
    """The path template of every route that answers GET, routers included."""
    found: list[str] = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, APIRoute | Route):
                if "GET" in (route.methods or ()):
                    found.append(route.path)
            elif hasattr(route, "original_router"):  # an included APIRouter
                walk(route.original_router.routes)
            else:
                raise AssertionError(f"a route the walk does not know: {route!r}")

    walk(list(app.routes))
    return found


def fill(template: str, captured: Captured) -> str:
    values = {
        "{capture_id}": str(captured.captures[-1]),
        "{doc_id}": DOC_ID,
        "{citation_id}": str(captured.citation),
        "{job_id}": str(captured.job),
        "{url:path}": captured.page_url,
        "{name}": "citevault.css",
        "{version}": "1",
    }
    path = template
    for name, value in values.items():
        path = path.replace(name, value)
    # {run_id}, {ref}: the test makes a seed run and a schedule and fills them in.
    assert "{" not in path.replace("{run_id}", "").replace("{ref}", ""), (
        f"no value for a parameter of {template}: add one to fill()"
    )
    if path == "/cdx":
        path += "?url=" + quote(captured.page_url, safe="")
    return path


# GET routes that answer only a caller with a key.
NEEDS_KEY = {"/api/schedules", "/api/schedules/{ref}/deliveries"}


# A WACZ is built afresh for each request with its creation time inside, so its
# length and digest change from one GET to the next (and so from GET to HEAD):
# for it, HEAD must carry these headers, but cannot repeat a GET's values.
BUILT_PER_REQUEST = {
    "/export.wacz": {"content-length", "repr-digest"},
    # Every request, the GET before the HEAD included, moves the counters shown.
    "/metrics": {"content-length"},
}


def assert_head_like_get(
    client: TestClient, path: str, headers: dict[str, str] | None = None
) -> int:
    """HEAD has GET's status, header names and values, and no body."""
    get = client.get(path, follow_redirects=False, headers=headers)
    head = client.head(path, follow_redirects=False, headers=headers)
    assert head.status_code == get.status_code, (path, get.status_code, head.status_code)
    assert head.content == b"", path
    assert [k for k, _ in head.headers.multi_items()] == [
        k for k, _ in get.headers.multi_items()
    ], path
    varying = next((v for end, v in BUILT_PER_REQUEST.items() if path.endswith(end)), set())
    for (name, value), (_, got) in zip(
        head.headers.multi_items(), get.headers.multi_items(), strict=True
    ):
        assert name in varying or value == got, (path, name, value, got)
    if "content-length" in get.headers:
        assert int(get.headers["content-length"]) == len(get.content), path
    return get.status_code


@pytest.fixture(scope="module")
def client(captured: Captured) -> Iterator[TestClient]:
    rt = Runtime(captured.settings)
    with TestClient(create_app(rt.settings, runtime=rt)) as c:
        yield c
    rt.close()


def test_every_get_route_answers_head(client: TestClient, captured: Captured) -> None:
    templates = get_paths(client.app)  # type: ignore[arg-type]
    # The walk reaches into the routers, not only the app's own documentation routes.
    for expected in ("/", "/cdx", "/captures/{capture_id}", "/api/captures/{capture_id}/warc"):
        assert expected in templates, templates
    # Schedules and seed runs are read with a key only: one seed run, a schedule, and a key.
    rt = Runtime(captured.settings)
    run_id = start_run(rt, "head.toml", datetime.now(UTC))
    with rt.sessions()() as s, s.begin():
        _, key = create_key(s, "head test")
        new = manage.NewSchedule(cron="0 3 * * *", action="recapture", document_id=None)
        schedule_id = manage.add_schedule(s, new, now=datetime.now(UTC)).id
    rt.close()
    keyed = NEEDS_KEY | {"/api/seeds/runs/{run_id}"}
    statuses = {}
    for template in templates:
        headers = {"Authorization": f"ApiKey {key}"} if template in keyed else None
        path = fill(template, captured).replace("{run_id}", str(run_id))
        path = path.replace("{ref}", str(schedule_id))
        statuses[template] = assert_head_like_get(client, path, headers)
    # Each route was asked something it has an answer to, not walked into its 404.
    failed = {t: s for t, s in statuses.items() if not 200 <= s < 400}
    assert not failed, failed
    assert statuses["/timegate/{url:path}"] == 302
    assert statuses["/replay/{capture_id}"] == 302


def test_head_content_headers_of_downloads(client: TestClient, captured: Captured) -> None:
    """What a client learns from HEAD before a download: the same type and length."""
    capture = captured.captures[-1]
    for path, media_type in (
        (f"/api/captures/{capture}/warc", "application/warc"),
        (f"/api/captures/{capture}/payload", "text/html"),
        (f"/captures/{capture}", "text/html; charset=utf-8"),
        ("/static/citevault.css", "text/css; charset=utf-8"),
    ):
        head = client.head(path)
        assert head.status_code == 200, path
        assert head.headers["content-type"].startswith(media_type), (path, head.headers)
        assert int(head.headers["content-length"]) > 0, path
        assert head.content == b""


def test_head_errors_match_get(client: TestClient, captured: Captured) -> None:
    """Errors too: a missing capture, a missing WARC record, a POST-only route, a bad URL."""
    cases = {
        "/api/captures/999999/warc": 404,
        "/api/captures/999999": 404,
        "/captures/999999": 404,
        "/documents/no-such-document": 404,
        f"/api/citations/{captured.citation}/resolve": 405,
        "/submit": 200,
        "/timegate/http://never.example.net/": 404,
        "/cdx": 400,
    }
    for path, status in cases.items():
        assert assert_head_like_get(client, path) == status, path


def test_head_on_postgresql(pg_url: str, make_settings: Any) -> None:
    """The same on PostgreSQL: mementos, the TimeGate, the TimeMaps, the API's capture."""
    migrate.upgrade(pg_url)
    for archive in open_archive(pg_url, make_settings):
        old = archive.add("http://example.org/pg", T1)
        new = archive.add("http://example.org/pg", T2)
        for path, status in (
            (f"/captures/{new}", 200),
            (f"/api/captures/{old}", 200),
            ("/timegate/http://example.org/pg", 302),
            ("/timemap/link/http://example.org/pg", 200),
            ("/timemap/json/http://example.org/pg", 200),
            ("/cdx?url=http://example.org/pg", 200),
            ("/", 200),
        ):
            assert assert_head_like_get(archive.client, path) == status, path
        head = archive.client.head(f"/captures/{new}")
        assert head.headers["memento-datetime"] == "Fri, 10 Jan 2020 12:00:00 GMT"
