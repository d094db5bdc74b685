"""``GET /api/citations/{id}/suggestions``: ranked URLs, and private documents kept private.

Documents are submitted and resolved through the API itself, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.db import migrate
from archive.ingest.suggest import HOME_PAGE_SCORE
from archive.runtime import Runtime
from tests.test_suggest import BUDGET_C, HOME, RAFAH_A, RAFAH_B, URL_A, URL_C

URL_P = "https://www.timesofisrael.com/rafah-convoys-private-lead/"


@pytest.fixture
def api(make_settings: Any, database_url: str) -> Iterator[tuple[TestClient, str]]:
    migrate.upgrade(database_url)
    rt = Runtime(make_settings(database_url=database_url))
    with rt.sessions()() as s, s.begin():
        _, key = create_key(s, "suggestion tests")
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        yield client, key
    rt.close()


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {key}"}


def _submit(client: TestClient, key: str, doc_id: str, text: str, *, private: bool = False) -> int:
    resp = client.post(
        "/api/documents",
        files={"file": (f"{doc_id}.txt", text.encode(), "text/plain")},
        data={"id": doc_id, "format": "text", "private": str(private).lower()},
        headers=_auth(key),
    )
    assert resp.status_code == 201, resp.text
    (named,) = [c for c in resp.json()["citations"] if c["kind"] == "named"]
    return int(named["id"])


def _resolve(client: TestClient, key: str, cid: int, url: str) -> None:
    resp = client.post(f"/api/citations/{cid}/resolve", json={"url": url}, headers=_auth(key))
    assert resp.status_code == 200, resp.text


def _urls(resp: Any) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [s["url"] for s in resp.json()["suggestions"]]


def test_suggestions_json_ranks_the_similar_resolution_first(api: tuple[TestClient, str]) -> None:
    client, key = api
    a, c = _submit(client, key, "a", RAFAH_A), _submit(client, key, "c", BUDGET_C)
    b = _submit(client, key, "b", RAFAH_B)
    _resolve(client, key, a, URL_A)
    _resolve(client, key, c, URL_C)

    resp = client.get(f"/api/citations/{b}/suggestions")  # anonymous, like the other reads
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert set(body) == {"citation", "suggestions"}
    assert body["citation"]["id"] == b and body["citation"]["known_source"] == "The Times of Israel"
    got = body["suggestions"]
    assert [s["url"] for s in got] == [URL_A, HOME, URL_C]
    for rank, s in enumerate(got, 1):
        assert set(s) == {"rank", "url", "score", "origin", "reason", "evidence"}
        assert s["rank"] == rank and 0.0 <= s["score"] <= 1.0 and s["reason"]
    assert got[0]["origin"] == "earlier-resolution" and got[0]["score"] > HOME_PAGE_SCORE
    assert got[0]["evidence"]["citation_id"] == a and got[0]["evidence"]["resolutions"] == 1
    assert got[1]["origin"] == "known-source" and got[1]["score"] == HOME_PAGE_SCORE

    assert _urls(client.get(f"/api/citations/{b}/suggestions", params={"limit": 1})) == [URL_A]


def test_private_resolutions_are_not_shown_without_a_key(api: tuple[TestClient, str]) -> None:
    client, key = api
    p = _submit(client, key, "p", RAFAH_A, private=True)
    b = _submit(client, key, "b", RAFAH_B)
    _resolve(client, key, p, URL_P)

    # anonymous: the private document's resolution does not exist, nor its reference
    anonymous = client.get(f"/api/citations/{b}/suggestions")
    assert _urls(anonymous) == [HOME]
    assert URL_P not in anonymous.text and '"p"' not in anonymous.text
    hidden = client.get(f"/api/citations/{p}/suggestions")
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"
    # with a key, as for the private document's own citations
    assert _urls(client.get(f"/api/citations/{b}/suggestions", headers=_auth(key))) == [
        URL_P,
        HOME,
    ]
    assert client.get(f"/api/citations/{p}/suggestions", headers=_auth(key)).status_code == 200
    bad_key = client.get(f"/api/citations/{b}/suggestions", headers=_auth("wrong"))
    assert bad_key.status_code == 401


def test_bad_requests_get_json_errors(api: tuple[TestClient, str]) -> None:
    client, key = api
    resp = client.post(
        "/api/documents",
        files={"file": ("u.txt", b"See https://example.org/a for more.\n", "text/plain")},
        data={"id": "u", "format": "text"},
        headers=_auth(key),
    )
    assert resp.status_code == 201, resp.text
    url_cid = resp.json()["citations"][0]["id"]

    missing = client.get("/api/citations/99999/suggestions")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    too_big = client.get(f"/api/citations/{2**40}/suggestions")
    assert too_big.status_code == 404
    not_named = client.get(f"/api/citations/{url_cid}/suggestions")
    assert not_named.status_code == 400
    assert "only named references" in not_named.json()["error"]["message"]
    for params in ({"limit": 0}, {"limit": 51}):
        assert client.get(f"/api/citations/{url_cid}/suggestions", params=params).status_code == 400
    assert client.get("/api/citations/abc/suggestions").status_code == 400
