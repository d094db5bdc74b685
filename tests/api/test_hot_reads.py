"""The three most requested reads answer anonymous and keyed callers alike, on both databases.

TimeGate, a capture's WARC record and a document's citations go through the
same route and the same database turn whoever asks; only what a caller may
see differs.  For what is public, a caller with a key must get exactly the
anonymous answer (status, headers, body); what only private documents cite
is a 404 without a key and there with one; a wrong key is a 401.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.db import migrate
from archive.db.models import Capture, WarcFile
from archive.runtime import Runtime
from tests.api.archives import T1, T2, T3, Archive

RECORD = gzip.compress(b"WARC/1.1\r\nthe record\r\n\r\n")
PAGE = "http://example.org/page?a=1&b=2"


@dataclass
class Hot:
    client: TestClient
    archive: Archive
    key: str
    ids: dict[str, int]


@pytest.fixture
def hot(database_url: str, make_settings: Any, tmp_path: Path) -> Iterator[Hot]:
    migrate.upgrade(database_url)
    store = {"url": (tmp_path / "store").as_uri()}
    rt = Runtime(make_settings(database_url=database_url, store=store))
    blob = tmp_path / "a.warc.gz"
    blob.write_bytes(RECORD)
    rt.store().put_file("warcs/a.warc.gz", blob)
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        archive = Archive(client, rt.sessions())
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
        yield Hot(client, archive, archive.api_key(), ids)
    rt.close()


def test_public_answers_are_the_same_with_and_without_a_key(hot: Hot) -> None:
    ids = hot.ids
    cases: list[tuple[str, str, dict[str, str], int]] = [
        ("GET", f"/timegate/{PAGE}", {"Accept-Datetime": "Sat, 11 Jan 2020 00:00:00 GMT"}, 302),
        ("GET", f"/timegate/{PAGE}", {}, 302),
        ("HEAD", f"/timegate/{PAGE}", {}, 302),
        ("GET", "/timegate/http://example.org/never", {}, 404),
        ("GET", f"/timegate/{PAGE}", {"Accept-Datetime": "yesterday"}, 400),
        ("GET", "/timegate/http://", {}, 400),
        ("GET", f"/api/captures/{ids['middle']}/warc", {}, 200),
        ("GET", f"/api/captures/{ids['failed']}/warc", {}, 404),
        ("GET", "/api/captures/2147483647/warc", {}, 404),
        ("GET", "/api/captures/2147483648/warc", {}, 404),
        ("GET", "/api/captures/12x/warc", {}, 400),
        ("GET", "/api/documents/open-doc/citations", {}, 200),
        ("GET", "/api/documents/open-doc/citations?version=1", {}, 200),
        ("GET", "/api/documents/open-doc/citations?version=2", {}, 404),
        ("GET", "/api/documents/open-doc/citations?version=0", {}, 400),
        ("GET", "/api/documents/no-such-doc/citations", {}, 404),
        ("GET", "/api/documents/%00/citations", {}, 400),
    ]
    for method, path, headers, status in cases:
        plain = hot.client.request(method, path, headers=headers, follow_redirects=False)
        keyed = hot.client.request(
            method,
            path,
            headers={**headers, "Authorization": f"ApiKey {hot.key}"},
            follow_redirects=False,
        )
        assert plain.status_code == status, (path, plain.text)
        assert (keyed.status_code, keyed.content) == (plain.status_code, plain.content), path
        assert dict(keyed.headers) == dict(plain.headers), path
    assert hot.client.get(f"/api/captures/{ids['middle']}/warc").content == RECORD
    cited = hot.client.get("/api/documents/open-doc/citations").json()
    assert cited["citations"][0]["captures"][0]["id"] == ids["middle"]
    gate = hot.client.get(f"/timegate/{PAGE}", follow_redirects=False)
    assert gate.headers["location"].endswith(f"/captures/{ids['last']}")


def test_what_only_private_documents_cite_needs_a_key(hot: Hot) -> None:
    key = {"Authorization": f"ApiKey {hot.key}"}
    wrong = {"Authorization": "ApiKey cv_wrong"}
    for path in (
        "/timegate/http://example.org/secret",
        f"/api/captures/{hot.ids['secret']}/warc",
        "/api/documents/closed-doc/citations",
    ):
        assert hot.client.get(path, follow_redirects=False).status_code == 404, path
        assert hot.client.get(path, headers=key, follow_redirects=False).status_code in (200, 302)
        assert hot.client.get(path, headers=wrong).status_code == 401, path
    record = hot.client.get(f"/api/captures/{hot.ids['secret']}/warc", headers=key)
    assert record.content == RECORD


def test_ids_beyond_integer_are_unknown_not_errors(hot: Hot) -> None:
    """PostgreSQL refuses to compare an INTEGER column with 2**31: that must be a 404."""
    for path in (
        "/api/captures/2147483648",
        "/api/captures/2147483648/warc",
        "/api/captures/2147483648/payload",
        "/api/jobs/2147483648",
        "/replay/2147483648",
        "/captures/2147483648",
    ):
        resp = hot.client.get(path, follow_redirects=False)
        assert resp.status_code == 404, (path, resp.text)
    resolve = hot.client.post(
        "/api/citations/2147483648/resolve",
        json={"url": "https://example.org/"},
        headers={"Authorization": f"ApiKey {hot.key}"},
    )
    assert resolve.status_code == 404, resolve.text
