"""``citevault show / get / export`` against the shared archive of the export tests."""

from __future__ import annotations

import gzip
import json
import os
import pty
import subprocess
import sys
import zipfile
from pathlib import Path
from unittest import mock

import lxml.html  # type: ignore[import-untyped, unused-ignore]
import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.settings import load_settings
from tests.export.conftest import Archive
from tests.helpers import ROOT, run_cli
from tests.sites.content import expected


def cli(arc: Archive, *args: str) -> tuple[int, str, str]:
    result = run_cli(*args, env=arc.env)
    return result.returncode, result.stdout, result.stderr


def test_show_matches_the_api(archive: Archive) -> None:
    rt = archive.runtime()
    with rt.sessions()() as s, s.begin():
        _, key = create_key(s, "show test")
    rt.close()
    with mock.patch.dict("os.environ", archive.env, clear=True):
        settings = load_settings()
    with TestClient(create_app(settings)) as client:
        for cap in (
            archive.capture("/page/requisites.html"),
            archive.capture("/data.json", "secret"),
        ):
            code, out, err = cli(archive, "show", str(cap.id))
            assert code == 0, err
            api = client.get(f"/api/captures/{cap.id}", headers={"Authorization": f"ApiKey {key}"})
            assert json.loads(out) == api.json()
    code, _, err = cli(archive, "show", "999999")
    assert code == 3 and "no capture with id 999999" in err


def test_get_warc_is_the_stored_record(archive: Archive, tmp_path: Path) -> None:
    cap = archive.capture("/page/requisites.html")
    out = tmp_path / "rec.warc.gz"
    code, _, err = cli(archive, "get", str(cap.id), "--warc", "-o", str(out))
    assert code == 0, err
    # read independently: the whole WARC file from the store, sliced at the row's offset
    rt = archive.runtime()
    from archive.db.models import WarcFile

    with rt.sessions()() as s:
        wf = s.get(WarcFile, cap.warc_file_id)
        assert wf is not None
        whole = tmp_path / "whole.warc.gz"
        rt.store().download(wf.store_key, whole)
    rt.close()
    data = whole.read_bytes()
    offset, length = cap.warc_offset or 0, cap.warc_length or 0
    assert out.read_bytes() == data[offset : offset + length]
    assert not list(tmp_path.glob(".rec.warc.gz.*")), "a temporary file was left behind"


@pytest.mark.parametrize(
    ("path", "doc_id", "newest"),
    [
        ("/doc.pdf", "notes", False),
        ("/enc/gzip.html", "notes", False),  # stored gzip-encoded; the payload is decoded
        ("/page/requisites.html", "notes", True),  # a revisit: the original's payload
        ("/data.json", "secret", False),  # private documents are the operator's too
    ],
)
def test_get_payload(
    archive: Archive, tmp_path: Path, path: str, doc_id: str, newest: bool
) -> None:
    cap = archive.capture(path, doc_id, newest=newest)
    if newest:
        assert cap.revisit_of_id is not None
    out = tmp_path / "payload.bin"
    code, _, err = cli(archive, "get", str(cap.id), "--payload", "-o", str(out))
    assert code == 0, err
    assert out.read_bytes() == expected(path).body


def test_get_refuses_bad_requests(archive: Archive, tmp_path: Path) -> None:
    cap = archive.capture("/doc.pdf")
    out = str(tmp_path / "x")
    for args in (
        ["get", str(cap.id), "-o", out],  # neither --warc nor --payload
        ["get", str(cap.id), "--warc", "--payload", "-o", out],
        ["get", str(cap.id), "--warc"],  # binary to an output that cannot take it
        ["get", str(cap.id), "--warc", "-o", str(tmp_path)],  # a folder
        ["get", str(cap.id), "--warc", "-o", str(tmp_path / "no" / "such" / "dir")],
        ["get", "not-a-number", "--warc", "-o", out],
    ):
        code, _, err = cli(archive, *args)
        assert code == 2, (args, err)
    code, _, err = cli(archive, "get", "999999", "--warc", "-o", out)
    assert code == 3 and "no capture with id 999999" in err
    assert not Path(out).exists()


def _process(arc: Archive, *args: str, stdout: int | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "archive", *args],
        env=arc.env,
        cwd=ROOT,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_binary_output_goes_to_pipes_not_terminals(archive: Archive) -> None:
    cap = archive.capture("/doc.pdf")
    proc = _process(archive, "get", str(cap.id), "--payload")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out == expected("/doc.pdf").body

    primary, secondary = pty.openpty()
    try:
        proc = _process(archive, "get", str(cap.id), "--warc", stdout=secondary)
        os.close(secondary)
        _, err = proc.communicate(timeout=120)
        shown = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(primary)
    assert proc.returncode == 2
    assert b"terminal" in err and b"-o FILE" in err
    assert shown == b""


def test_export_text_formats_reuse_the_citation_renderers(archive: Archive) -> None:
    for fmt in ("json", "csv"):
        code, out, err = cli(archive, "export", "notes", "--format", fmt)
        assert code == 0, err
        assert out == cli(archive, "citations", "notes", "--format", fmt)[1]
    code, old, _ = cli(archive, "export", "notes", "--format", "json", "--version", "1")
    assert code == 0
    assert json.loads(old)["document"]["version"] == 1


def test_export_bibtex_has_urldate_and_archive_url(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "notes.bib"
    base = "https://archive.example.org/"
    code, _, err = cli(
        archive, "export", "notes", "-f", "bibtex", "--base-url", base, "-o", str(out)
    )
    assert code == 0, err
    text = out.read_text()
    data = json.loads(cli(archive, "citations", "notes", "--format", "json")[1])
    for c in data["citations"]:
        entry = text.split(f"@misc{{notes-{c['ordinal']},", 1)[1].split("\n}", 1)[0]
        if c["archive_url"]:
            captured = next(x for x in c["captures"] if x["replay_url"] == c["archive_url"])
            assert f"urldate = {{{captured['captured_at'][:10]}}}" in entry
            assert f"\\url{{https://archive.example.org{c['archive_url']}}}" in entry
        else:
            assert "\\url" not in entry
    # the citations command itself is unchanged: no archive links
    assert "\\url" not in cli(archive, "citations", "notes", "--format", "bibtex")[1]


def test_export_html_robust_links(archive: Archive) -> None:
    code, out, err = cli(archive, "export", "notes", "--format", "html")
    assert code == 0, err
    data = json.loads(cli(archive, "citations", "notes", "--format", "json")[1])
    tree = lxml.html.fromstring(out.encode())
    anchors = {a.get("href"): a for a in tree.iter("a")}
    robust = 0
    for c in data["citations"]:
        a = anchors[c["url"]]
        if c["archive_url"] is None:
            assert a.get("data-versionurl") is None  # dead host: a plain link
            continue
        captured = next(x for x in c["captures"] if x["replay_url"] == c["archive_url"])
        assert a.get("data-originalurl") == c["url"]
        assert a.get("data-versionurl") == "http://127.0.0.1:8000" + c["archive_url"]
        assert a.get("data-versiondate") == captured["captured_at"][:10]
        robust += 1
    assert robust == 3  # version 2: requisites page, gzip page, PDF

    code, out, _ = cli(
        archive, "export", "notes", "-f", "html", "--base-url", "https://a.example/x/"
    )
    assert code == 0
    links = [a.get("data-versionurl") for a in lxml.html.fromstring(out.encode()).iter("a")]
    assert all(u is None or u.startswith("https://a.example/x/captures/") for u in links)


def test_export_wacz(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "notes.wacz"
    code, stdout, err = cli(archive, "export", "notes", "-o", str(out))
    assert code == 0, err
    assert stdout == ""
    assert "pages" in err and "sha256" in err
    with zipfile.ZipFile(out) as zf:
        assert {"archive/data.warc.gz", "indexes/index.cdx", "pages/pages.jsonl"} <= set(
            zf.namelist()
        )
        pkg = json.loads(zf.read("datapackage.json"))
        plain = zf.read("archive/data.warc.gz")
    # the operator sees private captures too
    assert pkg["citevault"]["withheld_private_captures"] == 0
    assert b"WARC-Type: metadata" not in gzip.decompress(plain)

    with_meta = tmp_path / "notes-meta.wacz"
    code, _, err = cli(archive, "export", "notes", "--include-job-metadata", "-o", str(with_meta))
    assert code == 0, err
    with zipfile.ZipFile(with_meta) as zf:
        warc = gzip.decompress(zf.read("archive/data.warc.gz"))
    assert warc.count(b"WARC-Type: metadata") >= 1
    assert b"citevault/capture-metadata/2" in warc

    proc = _process(archive, "export", "secret", "--format", "wacz")
    piped, perr = proc.communicate(timeout=120)
    assert proc.returncode == 0, perr
    assert piped[:4] == b"PK\x03\x04"


def test_export_refuses_bad_requests(archive: Archive, tmp_path: Path) -> None:
    cases: list[tuple[list[str], int, str]] = [
        (["export", "nope", "-f", "json"], 3, "no document"),
        (["export", "nope", "-o", str(tmp_path / "n.wacz")], 3, "no document"),
        (["export", "empty", "-o", str(tmp_path / "e.wacz")], 3, "no captures yet"),
        (["export", "notes", "--format", "pdf"], 2, "pdf"),
        (["export", "notes"], 2, "binary"),  # a WACZ, with nowhere to put it
        (["export", "notes", "--version", "1", "-o", str(tmp_path / "v.wacz")], 2, "--version"),
        (["export", "notes", "-f", "json", "--version", "9"], 3, "no version 9"),
        (["export", "notes", "-f", "html", "--base-url", "ftp://x"], 2, "base-url"),
        (["export", "notes", "-f", "csv", "--include-job-metadata"], 2, "wacz only"),
    ]
    for args, want, words in cases:
        code, _, err = cli(archive, *args)
        assert code == want, (args, err)
        assert words in err, (args, err)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_files_written_with_o_get_the_mode_the_umask_gives(
    archive: Archive, tmp_path: Path, umask: int
) -> None:
    cap = archive.capture("/page/requisites.html")
    written = {
        "rec.warc.gz": ["get", str(cap.id), "--warc"],
        "body.bin": ["get", str(cap.id), "--payload"],
        "notes.json": ["export", "notes", "-f", "json"],
        "notes.wacz": ["export", "notes", "-f", "wacz"],
    }
    old = os.umask(umask)
    try:
        for name, args in written.items():
            code, _, err = cli(archive, *args, "-o", str(tmp_path / name))
            assert code == 0, (args, err)
    finally:
        os.umask(old)
    for name in written:
        mode = (tmp_path / name).stat().st_mode & 0o777
        assert mode == 0o666 & ~umask, (name, oct(mode))
    # nothing but the outputs: no temporary file left beside them
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(written)
