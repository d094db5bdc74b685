"""citevault add / citations / documents / resolve, end to end through the CLI."""

from __future__ import annotations

import csv
import http.server
import io
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.extract.test_pdf import build_pdf
from tests.helpers import clean_env, run_cli
from tests.sites.loopback import QuietHandler

DOCS = Path(__file__).resolve().parent / "data" / "documents" / "train"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))


def _cli(env: dict[str, str], *args: str, stdin: bytes | None = None):
    return run_cli(*args, env=env, input=stdin)


def _json(env: dict[str, str], doc_id: str, *extra: str) -> dict:
    result = _cli(env, "citations", doc_id, "--format", "json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _rows(tmp_path: Path, sql: str) -> list[tuple]:
    db = tmp_path / "data" / "citevault.db"
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute(sql).fetchall()
        except sqlite3.OperationalError:
            return []


def _stored_documents(tmp_path: Path) -> list[Path]:
    root = tmp_path / "data" / "store" / "documents"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_add_then_lookup_json_shape(env: dict[str, str], tmp_path: Path) -> None:
    src = DOCS / "grain-corridor-analysis.html"
    result = _cli(env, "add", str(src), "--id", "grain-2024")
    assert result.returncode == 0, result.stderr
    assert "grain-2024" in result.stdout
    data = _json(env, "grain-2024")
    assert data["schema"] == "citevault/citations/1"
    doc = data["document"]
    assert doc["id"] == "grain-2024" and doc["version"] == 1 and doc["format"] == "html"
    assert doc["size"] == src.stat().st_size
    kinds = {c["kind"] for c in data["citations"]}
    assert {"url", "doi", "named"} <= kinds
    doi = next(c for c in data["citations"] if c["kind"] == "doi")
    assert doi["doi"] == "10.5555/ime.2023.0417"
    assert doi["resolution"] == {
        "state": "resolved",
        "url": "https://doi.org/10.5555/ime.2023.0417",
        "resolved_at": doi["resolution"]["resolved_at"],
    }
    wikileaks = next(
        c for c in data["citations"] if (c["named"] or {}).get("source_name") == "WikiLeaks"
    )
    assert wikileaks["resolution"]["state"] == "candidate"
    assert wikileaks["named"]["date_hint"] == "2009"
    assert wikileaks["named"]["candidate_url"].startswith("https://")
    assert "leaked via WikiLeaks" in wikileaks["context"]
    # The citing document itself is preserved, byte for byte.
    stored = _stored_documents(tmp_path)
    assert [p.read_bytes() for p in stored] == [src.read_bytes()]
    # Resolved citations were queued for capture, named ones were not.
    jobs = _rows(tmp_path, "select url from capture_jobs order by id")
    assert ("https://doi.org/10.5555/ime.2023.0417",) in jobs
    assert len(jobs) == sum(1 for c in data["citations"] if c["resolution"]["state"] == "resolved")


def test_same_bytes_is_a_no_op_and_new_bytes_a_new_version(
    env: dict[str, str], tmp_path: Path
) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text("See https://example.org/one and doi:10.1000/xyz123.\n")
    assert _cli(env, "add", str(doc)).returncode == 0
    again = _cli(env, "add", str(doc))
    assert again.returncode == 0
    assert "unchanged" in again.stdout
    assert len(_rows(tmp_path, "select id from document_versions")) == 1

    doc.write_text("Now https://example.org/two only.\n")
    assert _cli(env, "add", str(doc)).returncode == 0
    latest = _json(env, "notes")
    assert latest["document"]["version"] == 2
    assert [c["url"] for c in latest["citations"]] == ["https://example.org/two"]
    first = _json(env, "notes", "--version", "1")
    assert {c["kind"] for c in first["citations"]} == {"url", "doi"}
    missing = _cli(env, "citations", "notes", "--version", "9")
    assert missing.returncode == 3
    assert "no version 9" in " ".join(missing.stderr.split())


def test_same_url_twice_is_two_citations_one_normalized_url(
    env: dict[str, str], tmp_path: Path
) -> None:
    doc = tmp_path / "twice.txt"
    doc.write_text(
        "First https://Example.org:443/report#intro then, later, https://example.org/report.\n"
    )
    assert _cli(env, "add", str(doc), "--id", "twice", "--format", "text").returncode == 0
    cites = _json(env, "twice")["citations"]
    assert len(cites) == 2
    assert len({c["url_normalized"] for c in cites}) == 1
    assert len(_rows(tmp_path, "select id from capture_jobs")) == 1


@pytest.mark.parametrize(
    ("name", "fmt", "expect"),
    [
        ("selna-basin.wiki", "wikitext", "url"),
        ("link-rot-review.bib", "bibtex", "doi"),
        ("web-archiving-reading.ris", "ris", "url"),
        ("dataset-citations.json", "csl-json", "url"),
        ("web-archiving-notes.md", "markdown", "url"),
        ("chip-controls-analysis.txt", "text", "named"),
    ],
)
def test_every_format_is_detected(env: dict[str, str], name: str, fmt: str, expect: str) -> None:
    result = _cli(env, "add", str(DOCS / name), "--id", "d")
    assert result.returncode == 0, result.stderr
    data = _json(env, "d")
    assert data["document"]["format"] == fmt
    assert any(c["kind"] == expect for c in data["citations"])


def test_pdf_document(env: dict[str, str], tmp_path: Path) -> None:
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(
        build_pdf(
            [["Background: see https://example.org/brief/annex for the data."], ["Page two."]],
            links=[(1, "https://example.org/linked-from-page-two")],
        )
    )
    assert _cli(env, "add", str(pdf)).returncode == 0
    cites = _json(env, "brief")["citations"]
    urls = {c["url"]: c["position"]["page"] for c in cites if c["url"]}
    assert urls["https://example.org/brief/annex"] == 1
    assert urls["https://example.org/linked-from-page-two"] == 2


def test_stdin_and_output_formats(env: dict[str, str]) -> None:
    text = b"According to Reuters, the port reopened. Data: https://example.org/data.csv\n"
    result = _cli(env, "add", "-", "--id", "piped", "--format", "text", stdin=text)
    assert result.returncode == 0, result.stderr
    out = _cli(env, "citations", "piped", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {r["kind"] for r in rows} == {"url", "named"}
    assert any(r["source_name"] == "Reuters" for r in rows)
    bib = _cli(env, "citations", "piped", "--format", "bibtex").stdout
    assert "@misc{piped-" in bib and "url = {https://example.org/data.csv}" in bib
    table = _cli(env, "citations", "piped")
    assert table.returncode == 0 and "Reuters" in table.stdout
    listing = json.loads(_cli(env, "documents", "--json").stdout)
    assert listing[0]["id"] == "piped" and listing[0]["citations"] == 2


def test_named_details_are_stored_and_rendered(env: dict[str, str]) -> None:
    text = (
        b"Deputy Minister Ivan Petrov said in a statement that the port would reopen.\n\n"
        b"Two people familiar with the talks said a bonus was offered. "
        b"Reuters reported the strike on Monday, and Reuters later said it had ended.\n"
    )
    assert _cli(env, "add", "-", "--id", "d", "--format", "text", stdin=text).returncode == 0
    named = {c["named"]["source_name"]: c for c in _json(env, "d")["citations"]}
    petrov = named["Ivan Petrov"]["named"]
    assert (petrov["source_type"], petrov["speaker"], petrov["speaker_role"]) == (
        "person",
        "Ivan Petrov",
        "Deputy Minister",
    )
    assert petrov["work_title"] == "statement"
    unnamed = named["Two people familiar with the talks"]
    assert unnamed["named"]["source_type"] == "anonymous"
    assert unnamed["named"]["resolvable"] is False and unnamed["named"]["candidate_url"] is None
    assert unnamed["resolution"]["state"] == "unresolved"
    reuters = named["Reuters"]
    assert reuters["resolution"]["state"] == "candidate" and reuters["named"]["resolvable"]
    spans = [(m["start"], m["end"]) for m in reuters["named"]["mentions"]]
    assert [text.decode()[a:b] for a, b in spans] == ["Reuters", "Reuters"]


def test_resolve_named_reference(env: dict[str, str], tmp_path: Path) -> None:
    text = b"The ministry told the Aldine Courier that slots were fair.\n"
    assert _cli(env, "add", "-", "--id", "n", "--format", "text", stdin=text).returncode == 0
    named = next(c for c in _json(env, "n")["citations"] if c["kind"] == "named")
    assert named["resolution"]["state"] == "unresolved"
    result = _cli(env, "resolve", str(named["id"]), "https://aldinecourier.example/slots")
    assert result.returncode == 0, result.stderr
    after = next(c for c in _json(env, "n")["citations"] if c["id"] == named["id"])
    assert after["resolution"]["state"] == "resolved"
    assert after["resolution"]["url"] == "https://aldinecourier.example/slots"
    assert ("https://aldinecourier.example/slots",) in _rows(
        tmp_path, "select url from capture_jobs"
    )
    bad = _cli(env, "resolve", str(named["id"]), "ftp://x/y")
    assert bad.returncode == 2
    assert _cli(env, "resolve", "99999", "https://example.org/").returncode == 3


def test_resolve_refuses_url_citations(env: dict[str, str]) -> None:
    _cli(env, "add", "-", "--id", "u", "--format", "text", stdin=b"https://example.org/a\n")
    cid = _json(env, "u")["citations"][0]["id"]
    result = _cli(env, "resolve", str(cid), "https://example.org/b")
    assert result.returncode == 2
    assert "only named references" in " ".join(result.stderr.split())


# --- bad input: a clear error, a non-zero exit, nothing half-stored ----------------


def _assert_refused(result, tmp_path: Path, *needles: str) -> None:
    out = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0, out
    assert "Traceback" not in out
    for needle in needles:
        assert needle in out, out
    assert _stored_documents(tmp_path) == []
    assert _rows(tmp_path, "select id from documents") == []
    assert _rows(tmp_path, "select id from citations") == []


def test_empty_file(env: dict[str, str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _assert_refused(_cli(env, "add", str(empty)), tmp_path, "empty")


def test_binary_named_html(env: dict[str, str], tmp_path: Path) -> None:
    fake = tmp_path / "page.html"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    _assert_refused(_cli(env, "add", str(fake)), tmp_path, "PNG image", "not a supported")


def test_encrypted_pdf(env: dict[str, str], tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(build_pdf([["https://example.org/x"]]))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    pdf = tmp_path / "locked.pdf"
    pdf.write_bytes(out.getvalue())
    _assert_refused(_cli(env, "add", str(pdf)), tmp_path, "encrypted")


def test_truncated_pdf(env: dict[str, str], tmp_path: Path) -> None:
    data = build_pdf([["https://example.org/x"]])
    pdf = tmp_path / "cut.pdf"
    pdf.write_bytes(data[: len(data) // 3])
    _assert_refused(_cli(env, "add", str(pdf)), tmp_path)


def test_invalid_bibtex(env: dict[str, str], tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{broken, title = {Unclosed\n\n this is not bibtex at all\n")
    _assert_refused(_cli(env, "add", str(bib), "--format", "bibtex"), tmp_path)


def test_partly_valid_bibtex_is_kept_with_warnings(env: dict[str, str], tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{good, title={Good}, url={https://example.org/good}}\n\n"
        "@article{bad, title = {Unclosed\n\n"
        "@misc{alsogood, title={Also good}, url={https://example.org/also}}\n"
    )
    result = _cli(env, "add", str(bib))
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr
    urls = {c["url"] for c in _json(env, "refs")["citations"]}
    assert "https://example.org/good" in urls


def test_unbalanced_wikitext_gives_result_and_warning(env: dict[str, str], tmp_path: Path) -> None:
    wiki = tmp_path / "page.wiki"
    wiki.write_text(
        "'''Page''' cites a report.<ref>{{cite web |url=https://example.org/report "
        "|title=Report}}</ref> Then an unclosed {{cite news |url=https://example.org/news "
        "|title=News <ref>broken\n== See also ==\n"
    )
    result = _cli(env, "add", str(wiki))
    assert result.returncode == 0, result.stderr
    urls = {c["url"] for c in _json(env, "page")["citations"]}
    assert "https://example.org/report" in urls


def test_huge_file_refused_before_reading(env: dict[str, str], tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 1000 * 1000)
    _assert_refused(_cli(env, "add", str(big)), tmp_path, "200.0 MB", "max_document_bytes")


def test_mixed_encodings(env: dict[str, str], tmp_path: Path) -> None:
    doc = tmp_path / "mixed.txt"
    doc.write_bytes(
        "Café report: https://example.org/café\n".encode()
        + "Zürich note at https://example.org/zurich\n".encode("latin-1")
    )
    result = _cli(env, "add", str(doc))
    assert result.returncode == 0, result.stderr
    urls = {c["url"] for c in _json(env, "mixed")["citations"]}
    assert "https://example.org/zurich" in urls


@pytest.mark.parametrize("bad_id", ["a/b", "../etc", "x..y", "tab\there", "nul\x01", "", ".hidden"])
def test_bad_ids(env: dict[str, str], tmp_path: Path, bad_id: str) -> None:
    doc = tmp_path / "ok.txt"
    doc.write_text("https://example.org/\n")
    _assert_refused(_cli(env, "add", str(doc), "--id", bad_id), tmp_path, "document id")


def test_missing_file_and_unknown_format(env: dict[str, str], tmp_path: Path) -> None:
    _assert_refused(_cli(env, "add", str(tmp_path / "nope.txt")), tmp_path, "no such file")
    doc = tmp_path / "ok.txt"
    doc.write_text("https://example.org/\n")
    _assert_refused(_cli(env, "add", str(doc), "--format", "docx"), tmp_path, "docx")


def test_unknown_document(env: dict[str, str]) -> None:
    result = _cli(env, "citations", "nobody")
    assert result.returncode == 3
    assert "no document with id 'nobody'" in result.stderr


# --- documents added by URL ------------------------------------------------------


class _Handler(QuietHandler):
    def do_GET(self) -> None:
        if self.path == "/hang":
            self.server.hang.wait(10)  # type: ignore[attr-defined]
            return
        body = b"<html><head><title>Served</title></head><body><article><p>Read "
        body += b'<a href="/report.pdf">the report</a> and https://example.org/bare '
        body += b"which Reuters said was final.</p></article></body></html>"
        self.send_page(body)


@pytest.fixture
def doc_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.hang = threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.hang.set()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_add_by_url(env: dict[str, str], doc_server: str) -> None:
    env = dict(env, CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false")
    result = _cli(env, "add", f"{doc_server}/news/story.html")
    assert result.returncode == 0, result.stderr
    data = _json(env, "127-0-0-1-news-story")
    urls = {c["url"] for c in data["citations"] if c["url"]}
    assert f"{doc_server}/report.pdf" in urls  # resolved against the page URL
    assert "https://example.org/bare" in urls
    assert data["document"]["title"] == "Served"


def test_url_source_blocked_by_policy(env: dict[str, str], tmp_path: Path, doc_server: str) -> None:
    _assert_refused(
        _cli(env, "add", f"{doc_server}/x.html"), tmp_path, "loopback address 127.0.0.1"
    )


def test_url_source_refused_and_timeout(
    env: dict[str, str], tmp_path: Path, doc_server: str
) -> None:
    env = dict(
        env,
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        CITEVAULT_FETCH__DOWNLOAD_TIMEOUT_SECONDS="1",
    )
    _assert_refused(_cli(env, "add", "http://127.0.0.1:9/doc.html"), tmp_path, "refused")
    _assert_refused(_cli(env, "add", f"{doc_server}/hang"), tmp_path, "timed out")
