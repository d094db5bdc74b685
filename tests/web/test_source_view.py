"""What the source answered, told apart from the capture, on the pages and in the JSON.

A document comes in through the real ingest service; its captures are then
written as the capture side records them (rows.py): a redirect hop is a row
of its own with ``redirect_to`` and no job, and the citation is linked to the
final answer only.  Each test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.api.app import create_app
from archive.db import migrate
from archive.db.models import Capture, Citation, CitationCapture, WarcFile
from archive.extract.urlforms import normalize_url
from archive.ingest.service import add_document
from archive.ingest.source import SourceBytes
from archive.runtime import Runtime
from archive.settings import load_settings
from tests.web.conftest import engine_dir

GONE = "https://gone.example/page"
MOVED = "http://old.example/start"
MID = "https://new.example/mid"
FINAL = "https://new.example/final"
PDF = "https://files.example/paper.pdf"
TWICE = "https://twice.example/x"
FINE = "https://fine.example/"
TEXT = f"Sources: {GONE} then {MOVED} and {PDF}, {TWICE} and {FINE} here.\n"
WHEN = datetime(2026, 3, 4, 12, 0, 0, tzinfo=UTC)


@dataclass
class View:
    client: TestClient
    ids: dict[str, int]

    def citation(self, body: dict[str, Any], url: str) -> dict[str, Any]:
        found: dict[str, Any] = next(c for c in body["citations"] if c["url"] == url)
        return found

    def item(self, html: str, url: str) -> str:
        chunks = html.split('<li class="citation"')[1:]
        return next(c for c in chunks if f'<div class="url">{url}</div>' in c)


def _row(
    s: Session, warc: WarcFile, url: str, when: datetime, status: int, **extra: Any
) -> Capture:
    cap = Capture(
        url=url,
        url_normalized=normalize_url(url),
        surt=url,
        captured_at=when,
        http_status=status,
        media_type=extra.pop("media_type", "text/html"),
        payload_digest=extra.pop("payload_digest", f"sha256:{uuid.uuid4().hex.upper()}"),
        payload_length=extra.pop("payload_length", 321),
        warc_file_id=warc.id,
        warc_offset=0,
        warc_length=400,
        warc_record_id=f"<urn:uuid:{uuid.uuid4()}>",
        **extra,
    )
    s.add(cap)
    s.flush()
    return cap


@pytest.fixture
def view(tmp_path: Path, database_url: str) -> Iterator[View]:
    migrate.upgrade(database_url)
    with socket.socket() as engine:  # the capture page frames only an engine that answers
        engine.bind(("127.0.0.1", 0))
        engine.listen()
        settings = load_settings(
            data_dir=tmp_path / "data",
            database_url=database_url,
            replay={"engine_dir": engine_dir(), "port": engine.getsockname()[1]},
        )
        rt = Runtime(settings)
        src = SourceBytes(TEXT.encode(), "notes.txt", "notes.txt", None, "text/plain")
        add_document(rt, src, doc_id="notes", title="Notes")
        ids: dict[str, int] = {}
        with rt.sessions()() as s, s.begin():
            warc = WarcFile(
                store_key="warcs/v.warc.gz", filename="v.warc.gz", size=1, sha256="0" * 64,
                record_count=1,
            )  # fmt: skip
            s.add(warc)
            s.flush()
            cites = {c.url_as_cited: c.id for c in s.scalars(select(Citation))}
            gone = _row(s, warc, GONE, WHEN, 404)
            # An older crawl's hop of the same URL, pointing elsewhere: not this chain.
            _row(
                s, warc, MOVED, WHEN - timedelta(days=30), 301, redirect_to="https://else.example/"
            )
            hop1 = _row(s, warc, MOVED, WHEN, 301, redirect_to=MID)
            hop2 = _row(s, warc, MID, WHEN + timedelta(milliseconds=40), 302, redirect_to=FINAL)
            final = _row(s, warc, FINAL, WHEN + timedelta(milliseconds=90), 200)
            pdf = _row(
                s, warc, PDF, WHEN, 200, media_type="application/pdf", payload_length=48213,
                payload_digest="sha256:PDFDIGESTPDFDIGEST",
            )  # fmt: skip
            early = _row(s, warc, TWICE, WHEN + timedelta(milliseconds=250), 200)
            late = _row(s, warc, TWICE, WHEN + timedelta(milliseconds=750), 200)
            fine = _row(s, warc, FINE, WHEN, 200)
            links = [(GONE, gone), (MOVED, final), (PDF, pdf), (TWICE, early), (TWICE, late)]
            links.append((FINE, fine))
            s.add_all(CitationCapture(citation_id=cites[u], capture_id=c.id) for u, c in links)
            ids = {
                "gone": gone.id, "hop1": hop1.id, "hop2": hop2.id, "final": final.id,
                "pdf": pdf.id, "early": early.id, "late": late.id,
            }  # fmt: skip
        with TestClient(create_app(settings, runtime=rt)) as client:
            yield View(client, ids)
        rt.close()


def test_a_404_source_is_a_warning_not_a_green_capture(view: View) -> None:
    html = view.client.get("/documents/notes").text
    item = view.item(html, GONE)
    assert 'class="badge warning">captured · source answered 404 (gone)</span>' in item
    assert "badge captured" not in item
    # A source that answered 200 keeps its green badge and label.
    assert 'class="badge captured">captured · HTTP 200</span>' in view.item(html, FINE)

    body = view.client.get("/api/documents/notes/citations").json()
    assert body["schema"] == "citevault/citations/1"
    source = view.citation(body, GONE)["source"]
    assert source == {
        "status": "client_error",
        "http_status": 404,
        "url": GONE,
        "error": None,
        "policy": None,
        "redirects": [],
    }
    assert view.citation(body, FINE)["source"]["status"] == "ok"
    # Existing fields are unchanged: the capture's own status is still there.
    assert view.citation(body, GONE)["captures"][0]["http_status"] == 404

    page = view.client.get(f"/captures/{view.ids['gone']}").text
    assert 'class="badge warning">source answered 404 (gone)</span>' in page


def test_a_redirected_source_shows_each_hop(view: View) -> None:
    body = view.client.get("/api/documents/notes/citations").json()
    cited = view.citation(body, MOVED)
    source = cited["source"]
    assert source["status"] == "redirected"
    assert source["http_status"] == 200 and source["url"] == FINAL
    assert source["redirects"] == [
        {"capture_id": view.ids["hop1"], "url": MOVED, "http_status": 301, "location": MID},
        {"capture_id": view.ids["hop2"], "url": MID, "http_status": 302, "location": FINAL},
    ]
    assert cited["archive_url"] == f"/captures/{view.ids['final']}"

    item = view.item(view.client.get("/documents/notes").text, MOVED)
    assert 'class="badge moved">captured · source redirected · HTTP 200 after 2 redirects' in item
    chain = re.search(r'<ol class="chain"[^>]*>(.*?)</ol>', item, re.S)
    assert chain is not None
    hops = re.findall(r"HTTP (\d+)</span> <(?:a|span)[^>]*>([^<]+)<", chain.group(1))
    assert hops == [("301", MOVED), ("302", MID), ("200", FINAL)]
    assert f'href="/captures/{view.ids["hop1"]}"' in chain.group(1)


def _banner(html: str) -> str:
    found = re.search(r'<section class="banner"[^>]*>(.*?)</section>', html, re.S)
    assert found is not None
    return found.group(1)


def test_capture_pages_place_themselves_in_the_chain(view: View) -> None:
    """The final answer names the hops from the cited URL; each hop links to the next."""
    final = view.client.get(f"/captures/{view.ids['final']}").text
    chain = re.search(r"<dt>Redirected from</dt><dd><ol[^>]*>(.*?)</ol>", _banner(final), re.S)
    assert chain is not None
    hops = re.findall(r'HTTP (\d+)</span> <a href="/captures/(\d+)" class="url">([^<]+)<', chain[1])
    assert hops == [("301", str(view.ids["hop1"]), MOVED), ("302", str(view.ids["hop2"]), MID)]

    hop1 = view.client.get(f"/captures/{view.ids['hop1']}").text
    assert "Redirected from" not in hop1
    assert (
        f'<dt>Redirects to</dt><dd class="url"><a href="/captures/{view.ids["hop2"]}">{MID}</a>'
        in (_banner(hop1))
    )
    notice = re.search(r'<p class="notice redirect">(.*?)</p>', hop1, re.S)
    assert notice is not None and "answered HTTP 301" in notice[1]
    assert f'href="/captures/{view.ids["hop2"]}"' in notice[1]
    hop2 = view.client.get(f"/captures/{view.ids['hop2']}").text
    assert f'<a href="/captures/{view.ids["final"]}">{FINAL}</a>' in _banner(hop2)

    # A capture reached without redirects has neither.
    fine = view.client.get(f"/captures/{view.ids['pdf']}").text
    assert "Redirected from" not in fine and "notice redirect" not in fine


def test_the_orm_and_core_readers_agree_on_the_source(view: View, database_url: str) -> None:
    """The CLI's reader (``load``/``to_json``) and the API's give the same ``source``."""
    from archive.lookup import citations as lookup

    api = view.client.get("/api/documents/notes/citations").json()
    rt = Runtime(load_settings(database_url=database_url))
    try:
        with rt.sessions()() as s:
            cli = lookup.to_json(lookup.load(s, "notes"))
    finally:
        rt.close()
    assert [c["source"] for c in cli["citations"]] == [c["source"] for c in api["citations"]]


def test_a_pdf_capture_page_offers_a_download_panel(view: View) -> None:
    page = view.client.get(f"/captures/{view.ids['pdf']}")
    assert page.status_code == 200
    html = page.text
    assert "<iframe" not in html
    panel = re.search(r'<section class="payload"[^>]*>(.*?)</section>', html, re.S)
    assert panel is not None
    text = panel.group(1)
    assert "<dd>application/pdf</dd>" in text
    assert "<dd>48213 bytes</dd>" in text
    assert "sha256:PDFDIGESTPDFDIGEST" in text
    assert f'href="/api/captures/{view.ids["pdf"]}/payload"' in text
    # An HTML capture, and a redirect hop, keep their replay frame and have no panel.
    for name in ("final", "hop1"):
        html_page = view.client.get(f"/captures/{view.ids[name]}").text
        assert "<iframe" in html_page and 'class="payload"' not in html_page, name


def test_two_captures_in_one_second_have_distinct_times(view: View) -> None:
    item = view.item(view.client.get("/documents/notes").text, TWICE)
    assert "2026-03-04 12:00:00.750 UTC" in item
    assert "2026-03-04 12:00:00.250 UTC" in item
    # A capture alone in its second keeps the shorter form.
    assert "2026-03-04 12:00:00 UTC" in view.item(view.client.get("/documents/notes").text, FINE)

    page = view.client.get(f"/captures/{view.ids['early']}").text
    assert '<time datetime="2026-03-04T12:00:00.250000+00:00">2026-03-04 12:00:00.250 UTC' in page
    assert "2026-03-04 12:00:00.750 UTC" in page  # the other one, in the timeline

    body = view.client.get("/api/documents/notes/citations").json()
    times = [cap["captured_at"] for cap in view.citation(body, TWICE)["captures"]]
    assert times == ["2026-03-04T12:00:00.750000Z", "2026-03-04T12:00:00.250000Z"]
