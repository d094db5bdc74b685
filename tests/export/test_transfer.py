"""``export --all`` and ``import``: an installation moved from SQLite and a folder store to
PostgreSQL and SeaweedFS comes out the same, row for row and byte for byte."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import select

from archive.db.base import Base
from archive.db.models import Capture, Document, WarcFile
from archive.export import bundle
from archive.runtime import Runtime
from archive.settings import load_settings
from tests.export.conftest import Archive
from tests.helpers import clean_env, cli_ok, run_cli


def runtime(env: dict[str, str]) -> Runtime:
    with mock.patch.dict("os.environ", env, clear=True):
        return Runtime(load_settings())


def table_rows(rt: Runtime) -> dict[str, list[dict[str, Any]]]:
    out = {}
    with rt.sessions()() as s:
        for name in bundle.TABLES:
            table = Base.metadata.tables[name]
            stmt = select(table).order_by(*table.primary_key.columns)
            out[name] = [dict(r) for r in s.execute(stmt).mappings()]
    return out


def doc_ids(rt: Runtime) -> list[str]:
    with rt.sessions()() as s:
        return list(s.scalars(select(Document.id).order_by(Document.id)))


@pytest.fixture(scope="module")
def exported(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("transfer") / "export"
    env = {**archive.env, "CITEVAULT_SIGNING__KEY_PATH": str(dest.parent / "sign.pem")}
    result = cli_ok(env, "export", "--all", str(dest))
    assert "exported to" in result.stderr and "documents: " in result.stderr  # progress
    return dest


def s3_env(
    tmp: Path, url: str, endpoint: str, creds: dict[str, str], **extra: str
) -> dict[str, str]:
    return clean_env(
        CITEVAULT_DATA_DIR=str(tmp / "data"),
        CITEVAULT_STORE__URL=url,
        CITEVAULT_STORE__ENDPOINT_URL=endpoint,
        CITEVAULT_STORE__REGION="us-east-1",
        CITEVAULT_STORE__ACCESS_KEY_ID=creds["access_key_id"],
        CITEVAULT_STORE__SECRET_ACCESS_KEY=creds["secret_access_key"],
        **extra,
    )


def test_export_layout_checks_with_sha256sum(archive: Archive, exported: Path) -> None:
    check = subprocess.run(
        ["sha256sum", "--check", "--quiet", "SHA256SUMS"],
        cwd=exported,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    listed = bundle.parse_sums((exported / "SHA256SUMS").read_text(), "SHA256SUMS")
    on_disk = {str(p.relative_to(exported)) for p in exported.rglob("*") if p.is_file()}
    assert on_disk - set(listed) == {"SHA256SUMS"}
    src = runtime(archive.env)
    ids = doc_ids(src)
    for doc_id in ids:
        folder = exported / bundle.document_dir(doc_id)
        shown = cli_ok(archive.env, "citations", doc_id, "--format", "json").stdout
        assert json.loads((folder / "citations.json").read_text()) == json.loads(shown)
        # the per-document manifest is the command's, plus the files written for it
        manifest = (folder / "MANIFEST.sha256").read_text()
        own = cli_ok(archive.env, "export", doc_id, "--format", "manifest").stdout
        assert manifest.startswith(own) and own
        lines = bundle.parse_sums(own, doc_id)
        for name, sha in lines.items():
            assert hashlib.sha256((exported / name).read_bytes()).hexdigest() == sha
    assert (exported / bundle.document_dir("notes") / "captures.wacz").is_file()
    assert not (exported / bundle.document_dir("empty") / "captures.wacz").exists()
    # every WARC file the notes document's captures lie in is in its manifest
    with src.sessions()() as s:
        keys = set(s.scalars(select(WarcFile.store_key)))
    all_objects = {n.removeprefix("objects/") for n in listed if n.startswith("objects/")}
    assert keys <= all_objects
    src.close()


def test_round_trip_sqlite_folder_to_postgresql_seaweedfs(
    archive: Archive,
    exported: Path,
    tmp_path: Path,
    pg_url: str,
    s3_endpoint: str,
    s3_credentials: dict[str, str],
    s3_bucket: str,
    s3_prefix: str,
) -> None:
    target = s3_env(
        tmp_path,
        f"s3://{s3_bucket}/{s3_prefix}",
        s3_endpoint,
        s3_credentials,
        CITEVAULT_DATABASE_URL=pg_url,
    )
    early = run_cli("import", str(exported), env=target)
    assert early.returncode == 2 and "db upgrade" in early.stderr, early.stdout + early.stderr
    cli_ok(target, "db", "upgrade")
    result = cli_ok(target, "import", str(exported))
    assert "checked" in result.stderr and "uploaded" in result.stderr  # progress
    src, dst = runtime(archive.env), runtime(target)
    assert dst.database_url.startswith("postgresql")

    # every row of every table, every column: ids, digests, URLs, times to the microsecond
    before, after = table_rows(src), table_rows(dst)
    for name in bundle.TABLES:
        assert after[name] == before[name], name
    assert before["captures"] and before["citations"] and before["capture_jobs"]

    # the citations JSON of every document, as the CLI (and the API) give it
    for doc_id in doc_ids(src):
        a = cli_ok(archive.env, "citations", doc_id, "--format", "json").stdout
        b = cli_ok(target, "citations", doc_id, "--format", "json").stdout
        assert json.loads(a) == json.loads(b), doc_id

    # each capture's WARC record, read back from the new store, byte for byte
    with src.sessions()() as s:
        located = s.execute(
            select(Capture.id, WarcFile.store_key, Capture.warc_offset, Capture.warc_length)
            .join(WarcFile, WarcFile.id == Capture.warc_file_id)
            .order_by(Capture.id)
        ).all()
    assert located
    for _cid, key, offset, length in located:
        assert dst.store().get_range(key, offset, length) == src.store().get_range(
            key, offset, length
        )
    for key in {row[1] for row in located}:
        assert dst.store().head(key) == src.store().head(key)

    # the new installation goes on: new rows get ids after the imported ones
    doc = tmp_path / "new.txt"
    doc.write_text("A new one: http://127.0.0.1:9/x\n")
    cli_ok(target, "add", str(doc), "--id", "after-import", "--no-queue")
    with dst.sessions()() as s:
        cited = s.get(Document, "after-import")
        assert cited is not None

    # and refuses a second import
    again = run_cli("import", str(exported), env=target)
    assert again.returncode == 2, again.stdout + again.stderr
    assert "not empty" in again.stderr
    src.close()
    dst.close()


def _fresh(tmp: Path) -> dict[str, str]:
    return clean_env(CITEVAULT_DATA_DIR=str(tmp / "data"))


def _nothing_imported(env: dict[str, str], tmp: Path) -> None:
    rt = runtime(env)
    rows = table_rows(rt)
    assert all(not rows[name] for name in bundle.TABLES), {n: len(r) for n, r in rows.items()}
    rt.close()


def test_partial_and_damaged_exports_are_refused(exported: Path, tmp_path: Path) -> None:
    partial = tmp_path / "partial"
    shutil.copytree(exported, partial)
    (partial / "SHA256SUMS").unlink()
    env = _fresh(tmp_path)
    res = run_cli("import", str(partial), env=env)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "partial" in res.stderr and "SHA256SUMS" in res.stderr

    damaged = tmp_path / "damaged"
    shutil.copytree(exported, damaged)
    victim = next(p for p in sorted((damaged / "objects").rglob("*")) if p.is_file())
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.write_bytes(bytes(data))
    res = run_cli("import", str(damaged), env=env)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "damaged" in res.stderr and victim.name in res.stderr

    missing = tmp_path / "missing"
    shutil.copytree(exported, missing)
    (missing / "rows" / "captures.jsonl").unlink()
    res = run_cli("import", str(missing), env=env)
    assert res.returncode == 2 and "partial" in res.stderr, res.stdout + res.stderr

    _nothing_imported(env, tmp_path)
    store = tmp_path / "data" / "store"
    assert not store.exists() or not [
        p for p in store.rglob("*") if p.is_file() and ".meta" not in p.parts
    ]


def test_rows_the_database_refuses_leave_none_and_a_rerun_works(
    exported: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(exported, bad)
    rows = bad / "rows" / "captures.jsonl"
    lines = rows.read_text().splitlines(keepends=True)
    rows.write_text("".join([*lines, lines[0]]))  # one capture twice: a duplicate id
    sums = (bad / "SHA256SUMS").read_text().splitlines(keepends=True)
    digest = hashlib.sha256(rows.read_bytes()).hexdigest()
    (bad / "SHA256SUMS").write_text(
        "".join(
            bundle.sum_line(digest, "rows/captures.jsonl")
            if line.endswith("  rows/captures.jsonl\n")
            else line
            for line in sums
        )
    )
    env = _fresh(tmp_path)
    res = run_cli("import", str(bad), env=env)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "none were kept" in res.stderr
    _nothing_imported(env, tmp_path)
    rt = runtime(env)
    assert list(rt.store().iter_keys())  # objects go first, as on the capture path
    rt.close()
    # the objects it uploaded are this export's: the good export goes in over them
    cli_ok(env, "import", str(exported))
    rt = runtime(env)
    assert doc_ids(rt) == ["empty", "notes", "secret"]
    rt.close()


def test_export_all_to_a_bucket_prefix(
    archive: Archive,
    exported: Path,
    tmp_path: Path,
    s3_endpoint: str,
    s3_credentials: dict[str, str],
    s3_bucket: str,
    s3_prefix: str,
) -> None:
    # the archive's own store stays the folder; the endpoint serves the destination
    env = {
        **archive.env,
        "CITEVAULT_SIGNING__KEY_PATH": str(tmp_path / "sign.pem"),
        "CITEVAULT_STORE__ENDPOINT_URL": s3_endpoint,
        "CITEVAULT_STORE__REGION": "us-east-1",
        "CITEVAULT_STORE__ACCESS_KEY_ID": s3_credentials["access_key_id"],
        "CITEVAULT_STORE__SECRET_ACCESS_KEY": s3_credentials["secret_access_key"],
    }
    url = f"s3://{s3_bucket}/{s3_prefix}"
    cli_ok(env, "export", "--all", url)
    with mock.patch.dict("os.environ", {}, clear=True):
        dest = runtime(s3_env(tmp_path, url, s3_endpoint, s3_credentials)).store()
    keys = set(dest.iter_keys())
    folder = bundle.parse_sums((exported / "SHA256SUMS").read_text(), "SHA256SUMS")
    assert keys == set(folder) | {"SHA256SUMS"}
    sums = bundle.parse_sums(dest.get_bytes("SHA256SUMS").decode(), "SHA256SUMS")
    for name, sha in sums.items():
        assert hashlib.sha256(dest.get_bytes(name)).hexdigest() == sha
        if name.startswith(("rows/", "objects/")):
            assert sha == folder[name], name  # the same rows and objects as the folder export
    again = run_cli("export", "--all", url, env=env)
    assert again.returncode == 2 and "not empty" in again.stderr, again.stderr
