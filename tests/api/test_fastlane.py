"""The fast lane answers exactly what the routes answer, and only when it may.

One archive on PostgreSQL is served by two applications: one started with
its lifespan, so the plain connection pool is open and anonymous TimeGate,
WARC and citations requests take the fast lane; one without, so every
request goes through FastAPI's routes on the thread pool.  Each request must
get the same status, headers and body from both, and the fast lane must have
answered exactly the requests it is meant to.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from archive.api import fastlane
from archive.api.app import create_app
from archive.api.routes import captures, documents, memento
from archive.db import migrate
from archive.db.models import Capture, WarcFile
from archive.runtime import Runtime
from tests.api.archives import T1, T2, T3, Archive

RECORD = gzip.compress(b"WARC/1.1\r\nthe record\r\n\r\n")
PAGE = "http://example.org/page?a=1&b=2"


@dataclass
class Pair:
    fast: TestClient
    routed: TestClient
    archive: Archive
    answered: list[str]
    ids: dict[str, int]


@pytest.fixture
def pair(
    pg_url: str, make_settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Pair]:
    migrate.upgrade(pg_url)
    store = {"url": (tmp_path / "store").as_uri()}
    rt = Runtime(make_settings(database_url=pg_url, store=store))
    blob = tmp_path / "a.warc.gz"
    blob.write_bytes(RECORD)
    rt.store().put_file("warcs/a.warc.gz", blob)
    answered: list[str] = []
    for module, name in (
        (memento, "anonymous_timegate"),
        (captures, "anonymous_warc_record"),
        (documents, "anonymous_citations"),
    ):
        real = getattr(module, name)

        async def counted(*args: Any, _real: Any = real, _name: str = name) -> Any:
            answered.append(_name)
            return await _real(*args)

        monkeypatch.setattr(module, name, counted)
    routed = TestClient(create_app(rt.settings, runtime=rt))  # no lifespan: no fast lane
    with TestClient(create_app(rt.settings, runtime=rt)) as fast:
        archive = Archive(fast, rt.sessions())
        ids = {
            "first": archive.add(PAGE, T1),
            "middle": archive.add("https://www.example.org/page?b=2&a=1", T2),
            "last": archive.add(PAGE, T3),
            "failed": archive.add(PAGE, T2, status=None),
            "secret": archive.add("http://example.org/secret", T2),
        }
        with archive.sessions() as s:
            warc = WarcFile(
                store_key="warcs/a.warc.gz",
                filename="a.warc.gz",
                size=len(RECORD),
                sha256="0" * 64,
                record_count=1,
            )
            s.add(warc)
            s.flush()
            for name in ("middle", "secret"):
                cap = s.get(Capture, ids[name])
                assert cap is not None
                cap.warc_file_id, cap.warc_offset, cap.warc_length = warc.id, 0, len(RECORD)
            s.commit()
        archive.cite(ids["middle"], "open-doc", private=False)
        archive.cite(ids["secret"], "closed-doc", private=True)
        yield Pair(fast, routed, archive, answered, ids)
    routed.close()
    rt.close()


def same(pair: Pair, method: str, path: str, **headers: str) -> httpx.Response:
    """The fast application's answer, after checking the routed one is identical."""
    fast = pair.fast.request(method, path, headers=headers, follow_redirects=False)
    routed = pair.routed.request(method, path, headers=headers, follow_redirects=False)
    assert (fast.status_code, fast.content) == (routed.status_code, routed.content), path
    assert dict(fast.headers) == dict(routed.headers), path
    return fast


def test_anonymous_reads_take_the_fast_lane_and_answer_as_the_routes(pair: Pair) -> None:
    ids = pair.ids
    cases: list[tuple[str, str, dict[str, str], int, str]] = [
        (
            "GET",
            f"/timegate/{PAGE}",
            {"Accept-Datetime": "Sat, 11 Jan 2020 00:00:00 GMT"},
            302,
            "anonymous_timegate",
        ),
        ("GET", f"/timegate/{PAGE}", {}, 302, "anonymous_timegate"),
        ("HEAD", f"/timegate/{PAGE}", {}, 302, "anonymous_timegate"),
        ("GET", "/timegate/http://example.org/secret", {}, 404, "anonymous_timegate"),
        ("GET", "/timegate/http://example.org/never", {}, 404, "anonymous_timegate"),
        ("GET", f"/timegate/{PAGE}", {"Accept-Datetime": "yesterday"}, 400, "anonymous_timegate"),
        ("GET", "/timegate/http://", {}, 400, "anonymous_timegate"),
        ("GET", f"/api/captures/{ids['middle']}/warc", {}, 200, "anonymous_warc_record"),
        ("GET", f"/api/captures/{ids['secret']}/warc", {}, 404, "anonymous_warc_record"),
        ("GET", f"/api/captures/{ids['failed']}/warc", {}, 404, "anonymous_warc_record"),
        ("GET", "/api/captures/2147483647/warc", {}, 404, "anonymous_warc_record"),
        ("GET", "/api/captures/2147483648/warc", {}, 404, "anonymous_warc_record"),
        ("GET", "/api/documents/open-doc/citations", {}, 200, "anonymous_citations"),
        ("GET", "/api/documents/closed-doc/citations", {}, 404, "anonymous_citations"),
        ("GET", "/api/documents/no-such-doc/citations", {}, 404, "anonymous_citations"),
        ("GET", "/api/documents/%00/citations", {}, 400, "anonymous_citations"),
    ]
    for method, path, headers, status, handler in cases:
        pair.answered.clear()
        resp = same(pair, method, path, **headers)
        assert resp.status_code == status, (path, resp.text)
        assert pair.answered == [handler], path
    record = pair.fast.get(f"/api/captures/{ids['middle']}/warc").content
    assert record == RECORD
    cited = pair.fast.get("/api/documents/open-doc/citations").json()
    assert cited["citations"][0]["captures"][0]["id"] == ids["middle"]


def test_everything_else_goes_through_the_routes(pair: Pair) -> None:
    key = pair.archive.api_key()
    ids = pair.ids
    cases: list[tuple[str, str, dict[str, str], int]] = [
        ("GET", f"/timegate/{PAGE}", {"Authorization": f"ApiKey {key}"}, 302),
        ("GET", "/timegate/http://example.org/secret", {"Authorization": f"ApiKey {key}"}, 302),
        ("GET", f"/timegate/{PAGE}", {"Authorization": "ApiKey cv_wrong"}, 401),
        ("GET", f"/api/captures/{ids['secret']}/warc", {"Authorization": f"ApiKey {key}"}, 200),
        ("GET", "/api/captures/99999999999/warc", {}, 404),
        ("GET", "/api/captures/12x/warc", {}, 400),
        ("POST", f"/api/captures/{ids['middle']}/warc", {}, 405),
        ("GET", "/api/documents/open-doc/citations?version=1", {}, 200),
        ("GET", "/api/documents/open-doc/citations?version=0", {}, 400),
        ("GET", "/api/documents/closed-doc/citations", {"Authorization": f"ApiKey {key}"}, 200),
        ("GET", "/api/documents/a/b/citations", {}, 404),
        ("POST", f"/timegate/{PAGE}", {}, 405),
    ]
    for method, path, headers, status in cases:
        pair.answered.clear()
        resp = pair.fast.request(method, path, headers=headers, follow_redirects=False)
        assert resp.status_code == status, (path, resp.text)
        assert pair.answered == [], path


def test_route_table_is_recognised_by_plain_string_tests() -> None:
    assert fastlane.route("GET", "/timegate/http://x.org/", b"q=1") is not None
    assert fastlane.route("HEAD", "/api/captures/1/warc", b"") is None
    assert fastlane.route("GET", "/api/captures/-1/warc", b"") is None
    assert fastlane.route("GET", "/api/captures/١/warc", b"") is None  # a non-ASCII digit
    assert fastlane.route("GET", "/api/documents//citations", b"") is None
    assert fastlane.route("GET", "/api/documents/x/citations", b"version=2") is None
    assert fastlane.route("GET", "/api/documents/x/citations", b"") is not None


def test_ids_beyond_integer_are_unknown_not_errors(pair: Pair) -> None:
    """PostgreSQL refuses to compare an INTEGER column with 2**31: that must be a 404."""
    key = pair.archive.api_key()
    for path in (
        "/api/captures/2147483648",
        "/api/captures/2147483648/warc",
        "/api/captures/2147483648/payload",
        "/api/jobs/2147483648",
        "/replay/2147483648",
        "/captures/2147483648",
    ):
        resp = pair.fast.get(path, follow_redirects=False)
        assert resp.status_code == 404, (path, resp.text)
    resolve = pair.fast.post(
        "/api/citations/2147483648/resolve",
        json={"url": "https://example.org/"},
        headers={"Authorization": f"ApiKey {key}"},
    )
    assert resolve.status_code == 404, resolve.text
