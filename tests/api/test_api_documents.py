"""The JSON API: documents, citations, captures, jobs, keys and privacy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from archive.api.app import create_app
from archive.api.keys import STAMP_EVERY, create_key, revoke_key
from archive.db import migrate
from archive.db.models import ApiKey, Capture
from archive.runtime import Runtime
from tests.capture.test_archive_cli import _add, _env, _runtime
from tests.helpers import run_cli
from tests.sites.site import TestSite

ARTICLE = (
    b"<html><head><title>Harbour</title></head><body><article><p>The council "
    b'<a href="https://example.org/minutes">published minutes</a>, and according to '
    b"Reuters the dredging stalled. See doi:10.5555/harbour.2024.7 too.</p></article>"
    b"</body></html>"
)


@pytest.fixture
def api(make_settings: Any, database_url: str) -> Iterator[tuple[TestClient, Runtime]]:
    migrate.upgrade(database_url)
    rt = Runtime(make_settings(database_url=database_url, max_document_bytes=200_000))
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        yield client, rt
    rt.close()


def _key(rt: Runtime, name: str = "tests") -> tuple[int, str]:
    with rt.sessions()() as s, s.begin():
        row, key = create_key(s, name)
        return row.id, key


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {key}"}


def _upload(client: TestClient, key: str, **fields: str) -> Any:
    return client.post(
        "/api/documents",
        files={"file": ("harbour.html", ARTICLE, "text/html")},
        data=fields,
        headers=_auth(key),
    )


def test_submit_list_get_and_citations(api: tuple[TestClient, Runtime]) -> None:
    client, rt = api
    _, key = _key(rt)
    resp = _upload(client, key, id="harbour", title="Harbour dredging")
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["created"] is True
    assert body["document"]["id"] == "harbour"
    kinds = sorted(c["kind"] for c in body["citations"])
    assert kinds == ["doi", "named", "url"]
    assert {j["url"] for j in body["jobs"]} == {
        "https://example.org/minutes",
        "https://doi.org/10.5555/harbour.2024.7",
    }
    again = _upload(client, key, id="harbour")
    assert again.status_code == 200 and again.json()["created"] is False

    listing = client.get("/api/documents", params={"limit": 10}).json()
    assert listing["meta"] == {"total": 1, "limit": 10, "offset": 0, "next_offset": None}
    assert listing["items"][0]["id"] == "harbour"
    assert client.get("/api/documents", params={"q": "dredg"}).json()["meta"]["total"] == 1
    assert client.get("/api/documents", params={"q": "nothing"}).json()["items"] == []

    doc = client.get("/api/documents/harbour").json()
    assert doc["title"] == "Harbour dredging" and doc["citation_count"] == 3
    cites = client.get("/api/documents/harbour/citations").json()
    # the same JSON the CLI prints
    assert cites["schema"] == "citevault/citations/1"
    assert [c["kind"] for c in cites["citations"]] == [c["kind"] for c in body["citations"]]


def test_resolve_named_reference(api: tuple[TestClient, Runtime]) -> None:
    client, rt = api
    _, key = _key(rt)
    body = _upload(client, key, id="h").json()
    named = next(c for c in body["citations"] if c["kind"] == "named")
    url = f"/api/citations/{named['id']}/resolve"
    assert client.post(url, json={"url": "https://reuters.example/x"}).status_code == 401
    resp = client.post(url, json={"url": "https://reuters.example/x"}, headers=_auth(key))
    assert resp.status_code == 200, resp.text
    assert resp.json()["resolution"] == {"state": "resolved", "url": "https://reuters.example/x"}
    assert resp.json()["queued"] is True
    bad = client.post(url, json={"url": "javascript:alert(1)"}, headers=_auth(key))
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "blocked_by_policy"
    missing = client.post(
        "/api/citations/999999/resolve", json={"url": "https://x.org"}, headers=_auth(key)
    )
    assert missing.status_code == 404


def test_keys_anonymous_wrong_revoked_right(api: tuple[TestClient, Runtime]) -> None:
    client, rt = api
    key_id, key = _key(rt)
    assert _upload(client, "").status_code == 401
    anon = client.post("/api/documents", files={"file": ("a.txt", b"https://example.org")})
    assert anon.status_code == 401
    assert anon.json()["error"]["code"] == "api_key_required"
    wrong = _upload(client, "cv_not-a-real-key")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_api_key"
    bad_scheme = client.post(
        "/api/documents", files={"file": ("a.txt", b"x")}, headers={"Authorization": "Bearer x"}
    )
    assert bad_scheme.status_code == 401
    assert _upload(client, key).status_code == 201
    with rt.sessions()() as s, s.begin():
        revoke_key(s, key_id)
    assert _upload(client, key).status_code == 401


def test_last_used_is_stamped_once_a_minute(api: tuple[TestClient, Runtime]) -> None:
    """A read with a key writes its "last used" stamp only when the stamp is due."""
    client, rt = api
    key_id, key = _key(rt)

    def stamp() -> datetime | None:
        with rt.sessions()() as s:
            row = s.get(ApiKey, key_id)
            assert row is not None
            return row.last_used_at

    # an ORM route and the Core one; both check the key with reads.key_checker
    for path in ("/api/documents", "/api/documents/none/citations"):
        with rt.sessions()() as s, s.begin():
            s.execute(update(ApiKey).values(last_used_at=None))
        client.get(path, headers=_auth(key))
        first = stamp()
        assert first is not None, path
        client.get(path, headers=_auth(key))
        assert stamp() == first, path  # within the minute: no write
        with rt.sessions()() as s, s.begin():
            s.execute(update(ApiKey).values(last_used_at=first - STAMP_EVERY))
        client.get(path, headers=_auth(key))
        later = stamp()
        assert later is not None and later > first - STAMP_EVERY, path


def test_private_documents_are_404_to_others(api: tuple[TestClient, Runtime]) -> None:
    client, rt = api
    _, key = _key(rt)
    assert _upload(client, key, id="secret", private="true").status_code == 201
    for path in ("/api/documents/secret", "/api/documents/secret/citations"):
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert resp.json()["error"]["code"] == "not_found"
        assert client.get(path, headers=_auth(key)).status_code == 200
    assert client.get("/api/documents").json()["meta"]["total"] == 0
    assert client.get("/api/documents", headers=_auth(key)).json()["meta"]["total"] == 1


def test_bad_input(api: tuple[TestClient, Runtime]) -> None:
    client, rt = api
    _, key = _key(rt)
    assert client.get("/api/documents/nope").status_code == 404
    for bad in ("a..b", "%2e%2e", "x%00y", "..%2f..%2fetc"):
        resp = client.get(f"/api/documents/{bad}/citations")
        assert resp.status_code in (400, 404), bad
        assert "error" in resp.json()
    assert client.get("/api/documents/harbour", params={"version": "zero"}).status_code == 400
    assert client.get("/api/documents", params={"limit": 0}).status_code == 400
    assert client.get("/api/captures/notanumber").status_code == 400
    assert client.get("/api/captures/424242").status_code == 404
    assert client.get("/api/jobs/424242").status_code == 404
    big = client.post(
        "/api/documents",
        files={"file": ("big.txt", b"x" * 300_000)},
        headers=_auth(key),
    )
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    empty = client.post("/api/documents", files={"file": ("e.txt", b"")}, headers=_auth(key))
    assert empty.status_code == 400
    nourl = client.post("/api/documents", json={"title": "x"}, headers=_auth(key))
    assert nourl.status_code == 400
    blocked = client.post("/api/documents", json={"url": "http://127.0.0.1/x"}, headers=_auth(key))
    assert blocked.status_code == 400
    assert client.post("/api/documents", content=b"x", headers=_auth(key)).status_code == 415
    assert client.get("/openapi.json").status_code == 200


def test_capture_endpoints(tmp_path: Path, test_site: TestSite) -> None:
    env = _env(tmp_path)
    _add(
        env,
        tmp_path,
        f"See {test_site.base_url}/page/plain.html and {test_site.base_url}/enc/gzip.html "
        f"and {test_site.base_url}/enc/br.html\n",
    )
    assert run_cli("archive", "notes", env=env).returncode == 0
    rt = _runtime(env)
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        cites = client.get("/api/documents/notes/citations").json()["citations"]
        cap = cites[0]["captures"][0]
        assert cites[0]["archive_url"] == f"/captures/{cap['id']}"
        meta = client.get(f"/api/captures/{cap['id']}").json()
        assert meta["url"] == f"{test_site.base_url}/page/plain.html"
        assert meta["warc"]["record_id"].startswith("<urn:uuid:")
        warc = client.get(cap["warc_url"])
        assert warc.status_code == 200
        assert warc.headers["content-disposition"].startswith("attachment")
        import gzip

        record = gzip.decompress(warc.content)
        assert record.startswith(b"WARC/1.1\r\n")
        assert meta["warc"]["record_id"].encode() in record
        payload = client.get(cap["payload_url"])
        from tests.sites.content import expected

        assert payload.content == expected("/page/plain.html").body
        assert payload.headers["content-type"].startswith("text/html")
        assert "sandbox" in payload.headers["content-security-policy"]
        assert "memento-datetime" in payload.headers
        # a gzip-encoded response comes back decoded
        gz = next(c for c in cites if c["url"].endswith("/enc/gzip.html"))["captures"][0]
        assert client.get(gz["payload_url"]).content == expected("/enc/gzip.html").body
        br = next(c for c in cites if c["url"].endswith("/enc/br.html"))["captures"][0]
        assert client.get(br["payload_url"]).content == expected("/enc/br.html").body
        with rt.sessions()() as s:
            job_id = s.scalars(select(Capture.job_id).where(Capture.id == cap["id"])).one()
        job = client.get(f"/api/jobs/{job_id}").json()
        assert job["state"] == "done" and job["capture_id"] == cap["id"]
    json.dumps(job)
