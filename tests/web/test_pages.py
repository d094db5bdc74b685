"""The web pages as HTML: what each shows, what it hides, and that nothing is unescaped.

Documents come in through the real ingest service; the capture outcomes the
pages must show (captured, failed with a reason, pending, unresolved, private)
are then written as the capture side would record them, so every badge can be
checked without crawling anything.
"""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.db.models import Capture, CaptureJob, Citation, CitationCapture, WarcFile
from archive.ingest.service import add_document
from archive.ingest.source import SourceBytes
from archive.replay import replay_url
from archive.runtime import Runtime
from tests.web.conftest import web_settings

HOSTILE_TITLE = '<script>alert("title")</script> Report'
TEXT = (
    "Sources: https://example.org/a was read; http://example.net/b failed; "
    "https://example.com/c waits. <img src=x onerror=alert(1)> "
    "According to a cable leaked via WikiLeaks in 2009, it was true.\n"
)


@dataclass
class Site:
    client: TestClient
    rt: Runtime
    key: str
    captured: int  # the newest capture of example.org/a
    older: int
    failed_capture: int
    private_capture: int

    def get(self, path: str, *, auth: bool = False, **kw: Any) -> Any:
        headers = {"Authorization": f"ApiKey {self.key}"} if auth else {}
        return self.client.get(path, headers=headers, follow_redirects=False, **kw)


def _capture(s: Any, url: str, when: datetime, *, ok: bool = True, warc: WarcFile) -> Capture:
    cap = Capture(
        url=url,
        url_normalized=url,
        surt=url,
        captured_at=when,
        http_status=200 if ok else None,
        media_type="text/html" if ok else None,
        payload_digest="sha1:AAAABBBBCCCC" if ok else None,
        payload_length=1234 if ok else None,
        warc_file_id=warc.id if ok else None,
        warc_offset=0 if ok else None,
        warc_length=500 if ok else None,
        warc_record_id=f"<urn:uuid:{uuid.uuid4()}>" if ok else None,
        error=None if ok else "connection refused by example.net",
    )
    s.add(cap)
    s.flush()
    return cap


@pytest.fixture
def engine_stand_in() -> Iterator[socket.socket]:
    """A listener on the replay port: the capture page only frames an engine that answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock


@pytest.fixture
def site(tmp_path: Path, engine_stand_in: socket.socket) -> Iterator[Site]:
    settings = web_settings(tmp_path / "data", port=engine_stand_in.getsockname()[1])
    rt = Runtime(settings)
    src = SourceBytes(TEXT.encode(), "report.txt", "report.txt", None, "text/plain")
    add_document(rt, src, doc_id="report", title=HOSTILE_TITLE)
    secret = b"Internal only: https://example.org/private-only\n"
    add_document(
        rt, SourceBytes(secret, "s.txt", "s.txt", None, "text/plain"), doc_id="secret", private=True
    )
    with rt.sessions()() as s, s.begin():
        _, key = create_key(s, "web tests")
        warc = WarcFile(
            store_key="warcs/t.warc.gz", filename="t.warc.gz", size=1, sha256="0" * 64,
            record_count=1,
        )  # fmt: skip
        s.add(warc)
        s.flush()
        cites = {c.url_as_cited: c for c in s.scalars(select(Citation))}
        jobs = {j.url: j for j in s.scalars(select(CaptureJob))}
        a = cites["https://example.org/a"]
        older = _capture(
            s, a.url_as_cited or "", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), warc=warc
        )
        newer = _capture(
            s, a.url_as_cited or "", datetime(2025, 6, 7, 8, 9, 10, tzinfo=UTC), warc=warc
        )
        s.add_all([CitationCapture(citation_id=a.id, capture_id=c.id) for c in (older, newer)])
        jobs["https://example.org/a"].state = "done"
        b = cites["http://example.net/b"]
        failed = _capture(s, "http://example.net/b", datetime.now(UTC), ok=False, warc=warc)
        s.add(CitationCapture(citation_id=b.id, capture_id=failed.id))
        jobs["http://example.net/b"].state = "failed"
        jobs["http://example.net/b"].reason = "connection refused by example.net"
        p = cites["https://example.org/private-only"]
        private = _capture(s, "https://example.org/private-only", datetime.now(UTC), warc=warc)
        s.add(CitationCapture(citation_id=p.id, capture_id=private.id))
        ids = (newer.id, older.id, failed.id, private.id)
    # With the app's lifespan: it opens the processes that extract submitted documents.
    with TestClient(create_app(settings, runtime=rt)) as client:
        yield Site(client, rt, key, *ids)


def test_home_lists_public_documents_and_searches(site: Site) -> None:
    home = site.get("/")
    assert home.status_code == 200
    assert 'href="/documents/report"' in home.text
    assert "secret" not in home.text
    for q in ("report", "REPORT", "example.net/b", "Report"):
        found = site.get("/", params={"q": q})
        assert 'href="/documents/report"' in found.text, q
    assert 'href="/documents' not in site.get("/", params={"q": "nothing-cites-this"}).text
    assert 'href="/documents' not in site.get("/", params={"q": "%_"}).text
    # A private document is found by the URL it cites only with a key.
    assert "/documents/secret" not in site.get("/", params={"q": "private-only"}).text
    assert "/documents/secret" in site.get("/", params={"q": "private-only"}, auth=True).text


def test_document_page_shows_each_citation_with_status_and_timeline(site: Site) -> None:
    page = site.get("/documents/report")
    assert page.status_code == 200
    html = page.text
    chunks = html.split('<li class="citation"')[1:]
    markers = {
        "example.org/a": '<div class="url">https://example.org/a</div>',
        "example.net/b": '<div class="url">http://example.net/b</div>',
        "example.com/c": '<div class="url">https://example.com/c</div>',
        "WikiLeaks": '<div class="cited-title">WikiLeaks',
    }
    by_url = {name: next(c for c in chunks if marker in c) for name, marker in markers.items()}
    assert 'class="badge captured">captured · HTTP 200' in by_url["example.org/a"]
    assert 'class="badge failed">failed' in by_url["example.net/b"]
    assert "connection refused by example.net" in by_url["example.net/b"]
    assert 'class="badge pending">pending' in by_url["example.com/c"]
    assert 'class="badge unresolved">unresolved' in by_url["WikiLeaks"]
    assert "candidate: https://wikileaks.org/" in by_url["WikiLeaks"]
    # The timeline is newest first and links each capture page.
    timeline = by_url["example.org/a"]
    newer = timeline.index(f'href="/captures/{site.captured}"')
    assert newer < timeline.index(f'href="/captures/{site.older}"')
    assert "2025-06-07 08:09:10 UTC" in timeline and "2024-01-02 03:04:05 UTC" in timeline
    assert 'href="/api/documents/report/export.wacz"' in html
    assert 'href="/api/documents/report/citations?version=1"' in html
    assert '<meta name="viewport"' in html


def test_hostile_text_is_escaped_and_pages_run_no_script(site: Site) -> None:
    for path in ("/", "/documents/report", "/?q=report", f"/captures/{site.captured}"):
        page = site.get(path)
        assert page.status_code == 200
        assert "<script" not in page.text, path
        assert "<img src=x" not in page.text, path
        csp = page.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert "frame-ancestors 'none'" in csp
    doc = site.get("/documents/report").text
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Report" in doc
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc
    search = site.get("/", params={"q": "<script>x</script>"}).text
    assert "&lt;script&gt;x&lt;/script&gt;" in search


def test_private_and_missing_documents_are_404_pages(site: Site) -> None:
    for path in ("/documents/secret", "/documents/nope", "/documents/bad%20id", "/documents/a..b"):
        page = site.get(path)
        assert page.status_code == 404, path
        assert page.headers["content-type"].startswith("text/html")
        assert "Not found" in page.text
    assert "secret" in site.get("/documents/secret").text  # only the id asked for, echoed
    assert "private-only" not in site.get("/documents/secret").text
    with_key = site.get("/documents/secret", auth=True)
    assert with_key.status_code == 200
    assert "private-only" in with_key.text and 'class="badge private"' in with_key.text
    assert site.get("/documents/report?version=9").status_code == 404


def test_capture_page_has_banner_replay_frame_and_downloads(site: Site) -> None:
    page = site.get(f"/captures/{site.captured}")
    assert page.status_code == 200
    html = page.text
    assert "https://example.org/a" in html
    assert "2025-06-07 08:09:10 UTC" in html
    assert "<dd>200</dd>" in html
    assert "sha1:AAAABBBBCCCC" in html
    with site.rt.sessions()() as s:
        cap = s.get(Capture, site.captured)
        assert cap is not None
        expected = replay_url(site.rt.settings, cap)
    assert expected.startswith(f"http://127.0.0.1:{site.rt.settings.replay.port}/citevault/")
    assert expected.endswith("/20250607080910/https://example.org/a")
    frame = re.search(r"<iframe[^>]*>", html, re.S)
    assert frame is not None
    assert f'src="{expected}"' in frame.group(0)
    assert 'sandbox="allow-scripts' in frame.group(0)
    assert "allow-same-origin" not in frame.group(0)
    assert (
        f"frame-src http://127.0.0.1:{site.rt.settings.replay.port}"
        in page.headers["content-security-policy"]
    )
    assert f'href="/api/captures/{site.captured}/warc"' in html
    assert f'href="/api/captures/{site.captured}/payload"' in html
    assert 'href="/api/documents/report/export.wacz"' in html
    assert 'href="/documents/report"' in html  # cited by
    assert f'href="/captures/{site.older}"' in html  # the other capture of the URL
    assert page.headers["memento-datetime"] == "Sat, 07 Jun 2025 08:09:10 GMT"
    assert page.headers["link"] == (
        '<https://example.org/a>; rel="original", '
        '<http://testserver/timegate/https://example.org/a>; rel="timegate", '
        '<http://testserver/timemap/link/https://example.org/a>; rel="timemap"; '
        'type="application/link-format"'
    )


def test_failed_capture_page_says_why_and_offers_no_replay(site: Site) -> None:
    page = site.get(f"/captures/{site.failed_capture}")
    assert page.status_code == 200
    assert "<iframe" not in page.text
    assert "connection refused by example.net" in page.text
    assert "/warc" not in page.text


def test_capture_404s(site: Site) -> None:
    for path in ("/captures/999999", "/captures/abc", f"/captures/{site.private_capture}"):
        page = site.get(path)
        assert page.status_code == 404, path
        assert "Not found" in page.text
    assert site.get(f"/captures/{site.private_capture}", auth=True).status_code == 200


def test_replay_route_redirects_or_explains(site: Site) -> None:
    moved = site.get(f"/replay/{site.captured}")
    assert moved.status_code == 302
    assert moved.headers["location"].endswith("/citevault/20250607080910/https://example.org/a")
    assert site.get(f"/replay/{site.failed_capture}").status_code == 404
    assert site.get(f"/replay/{site.private_capture}").status_code == 404
    refused = site.get(f"/replay/{site.private_capture}", auth=True)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_replayable"
    status = site.get("/api/replay").json()
    assert status["engine"] == "pywb"
    assert status["origin"] == f"http://127.0.0.1:{site.rt.settings.replay.port}"


def test_submit_form_needs_a_key_and_adds_the_document(site: Site) -> None:
    form = site.get("/submit")
    assert form.status_code == 200
    assert 'name="api_key"' in form.text and 'enctype="multipart/form-data"' in form.text
    upload = {
        "file": ("notes.md", b"# Notes\n\nSee [a page](https://example.org/x).\n", "text/markdown")
    }
    fields = {"id": "notes", "title": "My <b>notes</b>"}
    nokey = site.client.post("/submit", data=fields, files=upload)
    assert nokey.status_code == 401 and "API key is required" in nokey.text
    assert 'value="My &lt;b&gt;notes&lt;/b&gt;"' in nokey.text  # the form keeps what was typed
    bad = site.client.post("/submit", data={**fields, "api_key": "cv_wrong"}, files=upload)
    assert bad.status_code == 401 and "unknown or has been revoked" in bad.text
    neither = site.client.post("/submit", data={**fields, "api_key": site.key})
    assert neither.status_code == 400 and "either a URL or a file" in neither.text
    badid = site.client.post(
        "/submit", data={**fields, "id": "<script>", "api_key": site.key}, files=upload
    )
    assert badid.status_code == 400 and "<script>" not in badid.text
    done = site.client.post(
        "/submit", data={**fields, "api_key": site.key}, files=upload, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/documents/notes"
    page = site.get("/documents/notes")
    assert "My &lt;b&gt;notes&lt;/b&gt;" in page.text and "https://example.org/x" in page.text
    private = site.client.post(
        "/submit",
        data={"id": "hidden", "private": "on", "api_key": site.key},
        files={"file": ("h.txt", b"See https://example.org/h\n", "text/plain")},
        follow_redirects=False,
    )
    assert private.status_code == 303
    assert site.get("/documents/hidden").status_code == 404
    assert site.get("/documents/hidden", auth=True).status_code == 200


def test_stylesheet_is_served_and_nothing_else(site: Site) -> None:
    home = site.get("/").text
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', home)
    assert href is not None
    css = site.get(href.group(1))
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "@media" in css.text
    for path in ("/static/nope.css", "/static/..%2Fweb.py", "/static/%2e%2e%2fapp.py"):
        assert site.get(path).status_code == 404, path


def test_capture_page_says_when_the_replay_engine_is_down(
    site: Site, engine_stand_in: socket.socket
) -> None:
    engine_stand_in.close()
    page = site.get(f"/captures/{site.captured}")
    assert page.status_code == 200
    assert "<iframe" not in page.text
    assert "replay engine is not running" in page.text
    assert f'href="/api/captures/{site.captured}/warc"' in page.text
