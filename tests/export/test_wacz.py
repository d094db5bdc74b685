"""The WACZ export: a valid package holding exactly the records a document's captures need.

Each check recomputes what it compares from an independent source: the wacz
package's own validator, hashes over the zip entries, the capture rows, the
stored WARC files read back with ranged reads.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import itertools
import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.db.models import Capture, Citation, CitationCapture, WarcFile
from archive.export import WaczResult, write_wacz
from archive.runtime import Runtime
from archive.settings import load_settings
from tests.export.conftest import Archive
from tests.helpers import clean_env, run_cli
from tests.sites.content import REQUISITES_ALL
from tests.sites.site import TestSite


def wacz_validate(path: Path) -> None:
    tool = Path(sys.executable).parent / "wacz"
    result = subprocess.run(
        [str(tool), "validate", "-f", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation succeeded" in result.stdout


@dataclass
class Package:
    """A WACZ opened up: its JSON files, index lines, pages and WARC records by id."""

    names: list[str]
    datapackage: dict[str, Any]
    pages: list[dict[str, Any]]
    index: list[tuple[str, str, dict[str, Any]]]
    warc: bytes
    records: dict[str, dict[str, Any]] = field(default_factory=dict)


def open_wacz(path: Path) -> Package:
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        pkg = json.loads(zf.read("datapackage.json"))
        digest = json.loads(zf.read("datapackage-digest.json"))
        expected = "sha256:" + hashlib.sha256(zf.read("datapackage.json")).hexdigest()
        # signatures are checked in test_signing.py; here, only what they sign
        signed = digest.pop("signedData", None)
        assert signed is None or signed["hash"] == expected
        assert digest == {"path": "datapackage.json", "hash": expected}
        for res in pkg["resources"]:
            data = zf.read(res["path"])
            assert res["bytes"] == len(data)
            assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        listed = {r["path"] for r in pkg["resources"]}
        assert listed == set(names) - {"datapackage.json", "datapackage-digest.json"}
        assert zf.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
        lines = zf.read("pages/pages.jsonl").decode().splitlines()
        index = []
        # the one index, under the name both pywb and ReplayWeb.page look for
        assert [n for n in names if n.startswith("indexes/")] == ["indexes/index.cdx"]
        for line in zf.read("indexes/index.cdx").decode().splitlines():
            key, ts, blob = line.split(" ", 2)
            index.append((key, ts, json.loads(blob)))
        warc = zf.read("archive/data.warc.gz")
    out = Package(names, pkg, [json.loads(x) for x in lines], index, warc)
    it = ArchiveIterator(io.BytesIO(warc))
    warcinfo = None  # the warcinfo each record follows, the one it belongs to (WARC 1.1)
    for rec in it:
        headers = dict(rec.rec_headers.headers)
        body = rec.content_stream().read() if rec.rec_type == "metadata" else b""
        it.read_to_end(rec)
        headers["_offset"], headers["_length"] = it.get_record_offset(), it.get_record_length()
        headers["_type"], headers["_body"] = rec.rec_type, body
        if rec.rec_type == "warcinfo":
            warcinfo = headers["WARC-Record-ID"]
        headers["_warcinfo"] = warcinfo
        out.records[headers["WARC-Record-ID"]] = headers
    return out


def export(
    arc: Archive, doc_id: str, dest: Path, *, privileged: bool, job_metadata: bool = False
) -> WaczResult:
    rt = arc.runtime()
    try:
        with rt.sessions()() as session:
            return write_wacz(
                session, rt.store(), doc_id, dest, privileged=privileged, job_metadata=job_metadata
            )
    finally:
        rt.close()


def citation_captures(rt: Runtime, doc_id: str) -> dict[int, Capture]:
    with rt.sessions()() as s:
        rows = s.scalars(
            select(Capture)
            .join(CitationCapture, CitationCapture.capture_id == Capture.id)
            .join(Citation, Citation.id == CitationCapture.citation_id)
            .where(Citation.document_id == doc_id, Capture.warc_file_id.is_not(None))
        ).all()
        s.expunge_all()
    return {c.id: c for c in rows}


def assert_records_are_copies(rt: Runtime, package: Package) -> int:
    """Every capture record in the package is byte for byte the stored one."""
    copied = 0
    with rt.sessions()() as s:
        files = {w.id: w for w in s.scalars(select(WarcFile))}
        for cap in s.scalars(select(Capture).where(Capture.warc_file_id.is_not(None))):
            rec = package.records.get(cap.warc_record_id or "")
            if rec is None:
                continue
            stored = rt.store().get_range(
                files[cap.warc_file_id].store_key,  # type: ignore[index]
                cap.warc_offset or 0,
                cap.warc_length or 0,
            )
            start = rec["_offset"]
            assert package.warc[start : start + rec["_length"]] == stored
            copied += 1
    return copied


def index_lookup(package: Package, url: str, ts: str) -> dict[str, Any]:
    stamp = ts[:19].replace("-", "").replace("T", "").replace(":", "")
    hits = [e for _, t, e in package.index if e["url"] == url and t == stamp]
    assert hits, f"{url} at {stamp} is not in the index"
    return hits[0]


def test_wacz_of_a_public_document(archive: Archive, tmp_path: Path) -> None:
    dest = tmp_path / "notes.wacz"
    result = export(archive, "notes", dest, privileged=False)
    wacz_validate(dest)
    assert result.path == dest and result.size == dest.stat().st_size
    assert result.sha256 == hashlib.sha256(dest.read_bytes()).hexdigest()
    assert not list(tmp_path.glob(".wacz-*")), "the scratch folder was left behind"
    package = open_wacz(dest)
    pkg = package.datapackage
    assert pkg["profile"] == "data-package" and pkg["wacz_version"] == "1.1.1"
    assert pkg["software"].startswith("citevault ")
    assert pkg["created"].endswith("Z")
    assert pkg["home"] == {"url": pkg["mainPageUrl"], "ts": pkg["mainPageDate"]}

    rt = archive.runtime()
    pages = citation_captures(rt, "notes")
    header, *entries = package.pages
    assert header["format"] == "json-pages-1.0"
    assert {p["capture_id"] for p in entries} == set(pages)
    assert len(entries) == len(pages) == result.pages
    assert pkg["mainPageUrl"] in {p["url"] for p in entries}
    for page in entries:
        cap = pages[page["capture_id"]]
        assert page["url"] == cap.url
        entry = index_lookup(package, page["url"], page["ts"])
        rec = package.records[cap.warc_record_id or ""]
        assert int(entry["offset"]) == rec["_offset"]
        assert int(entry["length"]) == rec["_length"]
        assert rec["WARC-Target-URI"] == cap.url
    titles = {p["url"].removeprefix(archive.base): p.get("title") for p in entries}
    assert titles["/page/requisites.html"] == "Every requisite"
    assert titles["/enc/gzip.html"] == "Encoded /enc/gzip.html"  # decoded from gzip

    indexed = {e["url"].removeprefix(archive.base) for _, _, e in package.index}
    assert indexed >= REQUISITES_ALL, REQUISITES_ALL - indexed
    assert "/redirect/301" in indexed  # the hop in front of the cited page
    assert "/data.json" not in indexed  # only the private document cites it

    types = [r["_type"] for r in package.records.values()]
    assert types.count("request") == types.count("response") + types.count("revisit")
    # each request copied just before the answer that names it
    for before, rec in itertools.pairwise(package.records.values()):
        if rec["_type"] in ("response", "revisit"):
            assert before["_type"] == "request", rec["WARC-Target-URI"]
            assert rec["WARC-Concurrent-To"] == before["WARC-Record-ID"]
    # job metadata records only when asked for (see test_wacz_with_job_metadata)
    assert "metadata" not in types
    assert not any(e.get("mime") == "application/json" for _, _, e in package.index)

    # the one revisit whose original only the private document cites is left out
    missing = [
        r
        for r in package.records.values()
        if r["_type"] == "revisit" and r["WARC-Refers-To"] not in package.records
    ]
    assert [r["WARC-Target-URI"] for r in missing] == [archive.base + "/page/plain.html"]
    assert result.withheld == 1 == pkg["citevault"]["withheld_private_captures"]
    assert result.without_metadata == 0
    assert assert_records_are_copies(rt, package) == sum(
        1 for t in types if t in ("response", "revisit")
    )
    rt.close()


def _fields(body: bytes) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in body.decode().split("\r\n"):
        if line:
            name, value = line.split(": ", 1)
            out.setdefault(name, []).append(value)
    return out


def test_wacz_with_job_metadata(archive: Archive, tmp_path: Path) -> None:
    """Asked for, the document's own job metadata records go in, and only those."""
    plain = open_wacz(export(archive, "notes", tmp_path / "plain.wacz", privileged=False).path)
    result = export(archive, "notes", tmp_path / "meta.wacz", privileged=False, job_metadata=True)
    wacz_validate(result.path)
    package = open_wacz(result.path)
    metadata = [r for r in package.records.values() if r["_type"] == "metadata"]
    assert result.records == len(plain.records) + len(metadata)

    def entries(pkg: Package) -> list[tuple[str, str, str, str]]:
        return [(key, ts, e["url"], e["digest"]) for key, ts, e in pkg.index]

    assert entries(package) == entries(plain)  # the index leaves them out either way
    pages = citation_captures(archive.runtime(), "notes")
    final_ids = {c.warc_record_id for c in pages.values()}
    assert metadata
    for rec in metadata:
        assert rec["Content-Type"] == "application/warc-fields"
        fields = _fields(rec["_body"])
        assert fields["profile"] == ["citevault/capture-metadata/2"]
        assert fields["document-id"] == ["notes"]
        assert rec["WARC-Concurrent-To"] == fields["final-record-id"][0]
        assert rec["WARC-Concurrent-To"] in final_ids
        assert rec["WARC-Concurrent-To"] in package.records


def test_privileged_wacz_has_every_revisit_original(archive: Archive, tmp_path: Path) -> None:
    dest = tmp_path / "notes.wacz"
    result = export(archive, "notes", dest, privileged=True)
    wacz_validate(dest)
    package = open_wacz(dest)
    for rec in package.records.values():
        if rec["_type"] == "revisit":
            assert rec["WARC-Refers-To"] in package.records
    assert result.withheld == 0
    indexed = {e["url"].removeprefix(archive.base) for _, _, e in package.index}
    assert "/data.json" not in indexed  # privileged, but still only this document's captures


def test_private_document_needs_privilege(archive: Archive, tmp_path: Path) -> None:
    from archive.errors import NotFoundError

    with pytest.raises(NotFoundError):
        export(archive, "secret", tmp_path / "secret.wacz", privileged=False)
    assert not (tmp_path / "secret.wacz").exists()
    result = export(archive, "secret", tmp_path / "secret.wacz", privileged=True)
    wacz_validate(result.path)
    package = open_wacz(result.path)
    urls = {p["url"].removeprefix(archive.base) for p in package.pages[1:]}
    assert urls == {"/page/plain.html", "/data.json"}
    with pytest.raises(NotFoundError, match="no captures yet"):
        export(archive, "empty", tmp_path / "empty.wacz", privileged=True)


def _client(arc: Archive) -> TestClient:
    with mock.patch.dict("os.environ", arc.env, clear=True):
        settings = load_settings()
    return TestClient(create_app(settings))


def _key(arc: Archive) -> str:
    rt = arc.runtime()
    with rt.sessions()() as s, s.begin():
        _, key = create_key(s, "export tests")
    rt.close()
    return key


def test_api_export(archive: Archive, tmp_path: Path) -> None:
    key = {"Authorization": f"ApiKey {_key(archive)}"}
    with _client(archive) as client:
        resp = client.get("/api/documents/notes/export.wacz")
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"] == "application/wacz"
        assert resp.headers["content-disposition"] == 'attachment; filename="notes.wacz"'
        assert int(resp.headers["content-length"]) == len(resp.content)
        digest = base64.b64encode(hashlib.sha256(resp.content).digest()).decode()
        assert resp.headers["repr-digest"] == f"sha-256=:{digest}:"
        dest = tmp_path / "api.wacz"
        dest.write_bytes(resp.content)
        wacz_validate(dest)
        assert open_wacz(dest).datapackage["citevault"]["withheld_private_captures"] == 1
        # a range of one build cannot be combined with another build's bytes
        ranged = client.get("/api/documents/notes/export.wacz", headers={"Range": "bytes=0-9"})
        assert ranged.status_code == 200 and ranged.headers["accept-ranges"] == "none"

        with_key = client.get("/api/documents/notes/export.wacz", headers=key)
        dest.write_bytes(with_key.content)
        assert open_wacz(dest).datapackage["citevault"]["withheld_private_captures"] == 0

        hidden = client.get("/api/documents/secret/export.wacz")
        assert hidden.status_code == 404
        assert hidden.json()["error"]["code"] == "not_found"
        shown = client.get("/api/documents/secret/export.wacz", headers=key)
        assert shown.status_code == 200
        dest.write_bytes(shown.content)
        wacz_validate(dest)

        for doc_id, words in (("nope", "no document"), ("empty", "no captures yet")):
            resp = client.get(f"/api/documents/{doc_id}/export.wacz", headers=key)
            assert resp.status_code == 404
            assert words in resp.json()["error"]["message"]
        bad = client.get("/api/documents/%2E%2E/export.wacz")
        assert bad.status_code in (400, 404)
        assert "error" in bad.json()
        wrong = client.get("/api/documents/notes/export.wacz", headers={"Authorization": "x"})
        assert wrong.status_code == 401


@pytest.mark.parametrize("backend", ["postgres-s3"])
def test_wacz_from_postgres_and_s3(
    backend: str,
    tmp_path: Path,
    test_site: TestSite,
    pg_url: str,
    s3_store_settings: dict[str, Any],
) -> None:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        CITEVAULT_DATABASE_URL=pg_url,
        CITEVAULT_STORE__URL=s3_store_settings["url"],
        CITEVAULT_STORE__ENDPOINT_URL=s3_store_settings["endpoint_url"],
        CITEVAULT_STORE__REGION="us-east-1",
        CITEVAULT_STORE__ACCESS_KEY_ID=s3_store_settings["access_key_id"],
        CITEVAULT_STORE__SECRET_ACCESS_KEY=s3_store_settings["secret_access_key"],
    )
    assert run_cli("db", "upgrade", env=env).returncode == 0
    doc = tmp_path / "paper.txt"
    doc.write_text(f"See {test_site.base_url}/page/requisites2.html.\n")
    assert run_cli("add", str(doc), "--id", "paper", env=env).returncode == 0
    assert run_cli("archive", "paper", env=env).returncode == 0
    arc = Archive(tmp_path, env, test_site.base_url)
    dest = tmp_path / "paper.wacz"
    result = export(arc, "paper", dest, privileged=False)
    wacz_validate(dest)
    package = open_wacz(dest)
    indexed = {e["url"].removeprefix(test_site.base_url) for _, _, e in package.index}
    assert indexed == {"/page/requisites2.html"} | {
        "/img/p.png",
        "/img/second.png",
        "/css/main.css",
        "/css/imported.css",
        "/img/bg.png",
        "/fonts/f.woff2",
        "/img/from-import.png",
    }
    rt = arc.runtime()
    assert assert_records_are_copies(rt, package) == len(indexed)
    # the package's warcinfo, the file's, a request per capture (no job metadata)
    assert result.records == 2 + 2 * len(indexed)
    rt.close()
    with gzip.open(io.BytesIO(package.warc)) as fh:
        assert fh.read(8) == b"WARC/1.1"


def test_metadata_in_a_later_file(tmp_path: Path, test_site: TestSite) -> None:
    """With tiny WARC files a page, its requisites and its job metadata span many files."""
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        CITEVAULT_WARC_ROLLOVER_BYTES="1024",
    )
    doc = tmp_path / "paper.txt"
    doc.write_text(f"See {test_site.base_url}/page/requisites2.html.\n")
    assert run_cli("add", str(doc), "--id", "paper", env=env).returncode == 0
    assert run_cli("archive", "paper", env=env).returncode == 0
    arc = Archive(tmp_path, env, test_site.base_url)
    rt = arc.runtime()
    with rt.sessions()() as s:
        assert len(s.scalars(select(WarcFile)).all()) >= 8
    rt.close()
    result = export(arc, "paper", tmp_path / "paper.wacz", privileged=False, job_metadata=True)
    wacz_validate(result.path)
    assert result.without_metadata == 0
    package = open_wacz(result.path)
    indexed = {e["url"].removeprefix(test_site.base_url) for _, _, e in package.index}
    assert len(indexed) == 8  # the page and its seven requisites
    metadata = [r for r in package.records.values() if r["_type"] == "metadata"]
    assert len(metadata) == 1
    page = package.records[metadata[0]["WARC-Concurrent-To"]]
    assert page["WARC-Target-URI"] == test_site.base_url + "/page/requisites2.html"
    assert metadata[0]["_warcinfo"] != page["_warcinfo"]  # copied from another file
    warcinfos = [r for r in package.records.values() if r["_type"] == "warcinfo"]
    assert len(warcinfos) >= 9  # the package's own and one per source file
