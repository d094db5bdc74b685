"""What anonymous callers learn: no server paths, nothing of private documents' jobs,
and a 400 (not a 500) for numbers too large for the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.db import migrate
from archive.db.models import CaptureJob, Document
from archive.ingest.service import add_document
from archive.ingest.source import SourceBytes, read_source
from archive.runtime import Runtime

TWENTY_DIGITS = "9" * 20


@pytest.fixture
def api(make_settings: Any, database_url: str) -> Iterator[tuple[TestClient, Runtime, str]]:
    migrate.upgrade(database_url)
    rt = Runtime(make_settings(database_url=database_url))
    with rt.sessions()() as s, s.begin():
        _, key = create_key(s, "tests")
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        yield client, rt, key
    rt.close()


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {key}"}


def test_public_bodies_show_a_files_name_not_its_server_path(
    api: tuple[TestClient, Runtime, str], tmp_path: Path
) -> None:
    client, rt, _ = api
    folder = tmp_path / "operator-home" / "confidential"
    folder.mkdir(parents=True)
    doc = folder / "report.txt"
    doc.write_text("See https://example.org/report\n")
    add_document(rt, read_source(str(doc), rt.settings), doc_id="report")
    url_doc = SourceBytes(
        b"See https://example.org/u\n",
        "https://reader:s3cret@example.org/doc.txt",
        "doc.txt",
        "https://example.org/doc.txt",
        "text/plain",
    )
    add_document(rt, url_doc, doc_id="by-url")
    bodies = [
        client.get("/api/documents"),
        client.get("/api/documents/report"),
        client.get("/api/documents/report/citations"),
        client.get("/documents/report"),
        client.get("/api/documents/by-url"),
        client.get("/api/documents/by-url/citations"),
    ]
    for resp in bodies:
        assert resp.status_code == 200, resp.text
        assert "operator-home" not in resp.text and str(tmp_path) not in resp.text
        assert "s3cret" not in resp.text
    listing = {d["id"]: d["source"] for d in bodies[0].json()["items"]}
    assert listing == {"report": "report.txt", "by-url": "https://example.org/doc.txt"}
    assert bodies[2].json()["document"]["source"] == "report.txt"
    assert "report.txt" in bodies[3].text
    # the full source stays with the operator, in the database
    with rt.sessions()() as s:
        assert s.scalars(select(Document.source).where(Document.id == "report")).one() == str(doc)


def test_a_private_documents_job_is_the_same_404_as_no_job(
    api: tuple[TestClient, Runtime, str],
) -> None:
    client, rt, key = api
    secret = SourceBytes(b"See https://example.org/hidden\n", "s.txt", "s.txt", None, None)
    add_document(rt, secret, doc_id="secret-plans", private=True)
    with rt.sessions()() as s:
        job_id = s.scalars(select(CaptureJob.id)).one()
    hidden = client.get(f"/api/jobs/{job_id}")
    absent = client.get(f"/api/jobs/{job_id + 1000}")
    assert hidden.status_code == absent.status_code == 404
    assert hidden.json() == {"error": {"code": "not_found", "message": f"no job with id {job_id}"}}
    assert absent.json()["error"]["message"] == f"no job with id {job_id + 1000}"
    assert "secret-plans" not in hidden.text
    keyed = client.get(f"/api/jobs/{job_id}", headers=_auth(key))
    assert keyed.status_code == 200 and keyed.json()["document_id"] == "secret-plans"


@pytest.mark.parametrize(
    ("path", "param"),
    [
        (f"/api/documents?offset={TWENTY_DIGITS}", "offset"),
        (f"/api/documents?offset={'9' * 19}", "offset"),
        (f"/api/documents?limit={TWENTY_DIGITS}", "limit"),
        (f"/cdx?url=example.org&page={TWENTY_DIGITS}", "page"),
        (f"/api/documents/any?version={TWENTY_DIGITS}", "version"),
        (f"/api/documents/any/citations?version={TWENTY_DIGITS}", "version"),
        (f"/documents/any?version={TWENTY_DIGITS}", "version"),
    ],
)
def test_numbers_too_large_for_the_database_are_400(
    api: tuple[TestClient, Runtime, str], path: str, param: str
) -> None:
    client, _, key = api
    for headers in ({}, _auth(key)):
        resp = client.get(path, headers=headers)
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        assert error["code"] == "bad_request" and f"query.{param}" in error["message"]
