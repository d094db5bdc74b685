"""GET /api/captures/{id}/warc: the exact record bytes, from S3 or a folder, on both databases."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.db import migrate
from archive.db.models import Capture, WarcFile
from archive.runtime import Runtime
from tests.api.archives import T1, Archive

RECORDS = [b"WARC/1.1\r\nfirst record\r\n\r\n", b"WARC/1.1\r\nsecond, longer record\r\n\r\n"]


@pytest.fixture(params=["local", "s3"])
def served(
    request: pytest.FixtureRequest, database_url: str, make_settings: Any, tmp_path: Path
) -> Iterator[tuple[Archive, list[int]]]:
    if request.param == "local":
        store = {"url": (tmp_path / "store").as_uri()}
    else:
        store = request.getfixturevalue("s3_store_settings")
    migrate.upgrade(database_url)
    rt = Runtime(make_settings(database_url=database_url, store=store))
    members = [gzip.compress(r) for r in RECORDS]
    blob = tmp_path / "a.warc.gz"
    blob.write_bytes(b"".join(members))
    rt.store().put_file("warcs/a.warc.gz", blob)
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        archive = Archive(client, rt.sessions())
        ids = []
        with archive.sessions() as s:
            warc = WarcFile(
                store_key="warcs/a.warc.gz",
                filename="a.warc.gz",
                size=blob.stat().st_size,
                sha256="0" * 64,
                record_count=2,
            )
            s.add(warc)
            s.flush()
            offset = 0
            for n, member in enumerate(members):
                cap = Capture(
                    url=f"https://example.org/{n}",
                    url_normalized=f"https://example.org/{n}",
                    surt=f"org,example)/{n}",
                    captured_at=T1,
                    http_status=200,
                    warc_file_id=warc.id,
                    warc_offset=offset,
                    warc_length=len(member),
                )
                s.add(cap)
                s.flush()
                ids.append(cap.id)
                offset += len(member)
            s.commit()
        yield archive, ids
    rt.close()


def test_exact_record_bytes(served: tuple[Archive, list[int]]) -> None:
    archive, ids = served
    for capture_id, record in zip(ids, RECORDS, strict=True):
        resp = archive.client.get(f"/api/captures/{capture_id}/warc")
        assert resp.status_code == 200, resp.text
        assert gzip.decompress(resp.content) == record
        assert resp.headers["content-type"] == "application/warc"
        assert f'filename="capture-{capture_id}.warc.gz"' in resp.headers["content-disposition"]


def test_private_missing_and_failed(served: tuple[Archive, list[int]]) -> None:
    archive, ids = served
    archive.cite(ids[0], "secret", private=True)
    assert archive.client.get(f"/api/captures/{ids[0]}/warc").status_code == 404
    key = archive.api_key()
    auth = {"Authorization": f"ApiKey {key}"}
    assert archive.client.get(f"/api/captures/{ids[0]}/warc", headers=auth).status_code == 200
    bad = {"Authorization": "ApiKey cv_nope"}
    assert archive.client.get(f"/api/captures/{ids[0]}/warc", headers=bad).status_code == 401
    assert archive.client.get("/api/captures/999999/warc").status_code == 404
    failed = archive.add("https://example.org/down", T1, status=None)
    resp = archive.client.get(f"/api/captures/{failed}/warc")
    assert resp.status_code == 404 and "no WARC record" in resp.json()["error"]["message"]
    with archive.sessions() as s:  # a record whose file is gone from the store
        cap = s.get(Capture, ids[1])
        assert cap is not None
        warc = s.get(WarcFile, cap.warc_file_id)
        assert warc is not None
        warc.store_key = "warcs/gone.warc.gz"
        s.commit()
    gone = archive.client.get(f"/api/captures/{ids[1]}/warc")
    assert gone.status_code == 404 and gone.json()["error"]["code"]
