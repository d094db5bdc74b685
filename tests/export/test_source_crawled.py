"""What the source answered, on a real crawl of the test site (SQLite).

The rows here are the ones the crawler and the commit wrote: the redirect's
hop is found from the cited URL to the page it led to, the 404 is a warning,
the dead host is unreachable with its job's reason, and the PDF's capture page
offers the file.
"""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.settings import load_settings
from tests.export.conftest import Archive


def _client(arc: Archive) -> TestClient:
    with mock.patch.dict("os.environ", arc.env, clear=True):
        settings = load_settings()
    return TestClient(create_app(settings))


def _cited(body: dict[str, Any], url: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in body["citations"] if c["url"] == url)
    return found


def test_crawled_sources_say_what_they_answered(archive: Archive) -> None:
    b = archive.base
    with _client(archive) as client:
        body = client.get("/api/documents/notes/citations", params={"version": 1}).json()
        moved = _cited(body, f"{b}/redirect/301")["source"]
        hop = archive.any_capture("/redirect/301")[0]
        final = archive.capture("/page/plain.html")
        assert moved["status"] == "redirected"
        assert moved["http_status"] == 200 and moved["url"] == f"{b}/page/plain.html"
        assert moved["redirects"] == [
            {
                "capture_id": hop.id,
                "url": f"{b}/redirect/301",
                "http_status": 301,
                "location": f"{b}/page/plain.html",
            }
        ]
        assert _cited(body, f"{b}/redirect/301")["archive_url"] == f"/captures/{final.id}"

        gone = _cited(body, f"{b}/status/404")["source"]
        assert (gone["status"], gone["http_status"], gone["redirects"]) == ("client_error", 404, [])
        page = _cited(body, f"{b}/page/requisites.html")["source"]
        assert (page["status"], page["redirects"]) == ("ok", [])
        # A refused connection leaves no capture row, only the job's reason, which the
        # crawler writes in words archive.capture.failures reads back: unreachable, not null.
        dead = _cited(body, "http://127.0.0.1:9/gone")["source"]
        assert (dead["status"], dead["http_status"], dead["policy"]) == ("unreachable", None, None)
        assert dead["error"] == "connection refused fetching http://127.0.0.1:9/gone"

        html = client.get("/documents/notes", params={"version": 1}).text
        items = html.split('<li class="citation"')[1:]
        missing = next(i for i in items if f'<div class="url">{b}/status/404</div>' in i)
        assert 'class="badge warning">captured · source answered 404 (gone)' in missing
        redirected = next(i for i in items if f'<div class="url">{b}/redirect/301</div>' in i)
        assert 'class="badge moved">captured · source redirected · HTTP 200 after 1 redirect' in (
            redirected
        )
        assert f'href="/captures/{hop.id}"' in redirected

        pdf = archive.capture("/doc.pdf")
        capture_page = client.get(f"/captures/{pdf.id}").text
        panel = re.search(r'<section class="payload"[^>]*>(.*?)</section>', capture_page, re.S)
        assert panel is not None and "<iframe" not in capture_page
        assert f"<dd>{pdf.media_type}</dd>" in panel.group(1)
        assert f"<dd>{pdf.payload_length} bytes</dd>" in panel.group(1)
        assert str(pdf.payload_digest) in panel.group(1)
        link = f"/api/captures/{pdf.id}/payload"
        assert f'href="{link}"' in panel.group(1)
        payload = client.get(link)
        assert payload.status_code == 200
        assert payload.content.startswith(b"%PDF")
        assert len(payload.content) == pdf.payload_length
