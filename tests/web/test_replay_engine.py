"""The replay engine's side of citevault: its index, its feed, installing and starting it.

The index is plain SQL over the captures table, so it runs on SQLite and on
PostgreSQL; the feed is checked over real HTTP, the way pywb reads it.
"""

from __future__ import annotations

import io
import json
import socket
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.db import migrate
from archive.db.models import (
    Capture,
    CitationCapture,
    WarcFile,
)
from archive.lookup import cdx
from archive.replay import ReplayEngine, ReplayEngineError, is_installed, replay_url
from archive.replay import index as replay_index
from archive.replay.feed import Feed
from archive.runtime import Runtime
from archive.settings import load_settings
from tests.factories import cite
from tests.web.conftest import require_engine, web_settings

URL = "https://example.org/page"


def _record(url: str, body: bytes) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
    http = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))], "HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
    )
    return out.getvalue()


class Archive:
    """Captures written straight into a database (and, for record bytes, the store)."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        with rt.sessions()() as s, s.begin():
            warc = WarcFile(
                store_key="warcs/x.warc.gz", filename="x.warc.gz", size=1, sha256="0" * 64,
                record_count=1,
            )  # fmt: skip
            s.add(warc)
            s.flush()
            self.warc_id = warc.id
        self.n = 0

    def capture(self, url: str, when: datetime, *, body: bytes | None = None, **kw: Any) -> int:
        self.n += 1
        warc_id, length = self.warc_id, 500
        if body is not None:
            data = _record(url, body)
            key = f"warcs/rec-{self.n}.warc.gz"
            self.rt.store().put_bytes(key, data)
            with self.rt.sessions()() as s, s.begin():
                wf = WarcFile(
                    store_key=key, filename=key, size=len(data), sha256="0" * 64, record_count=1
                )
                s.add(wf)
                s.flush()
                warc_id, length = wf.id, len(data)
        fields: dict[str, Any] = {
            "url": url,
            "url_normalized": url,
            "surt": surt.surt(url),
            "captured_at": when,
            "http_status": 200,
            "media_type": "text/html",
            "payload_digest": f"sha1:{self.n}",
            "warc_file_id": warc_id,
            "warc_offset": 0,
            "warc_length": length,
            "warc_record_id": f"<urn:uuid:{uuid.uuid4()}>",
        }
        fields.update(kw)
        with self.rt.sessions()() as s, s.begin():
            cap = Capture(**fields)
            s.add(cap)
            s.flush()
            return cap.id

    def cite_privately(self, capture_id: int) -> None:
        with self.rt.sessions()() as s, s.begin():
            (citation,) = cite(s, "hidden", [None], private=True)
            s.add(CitationCapture(citation_id=citation.id, capture_id=capture_id))


@pytest.fixture
def archive(database_url: str, tmp_path: Path) -> Archive:
    if database_url.startswith("postgresql"):
        migrate.upgrade(database_url)
    settings = load_settings(data_dir=tmp_path / "data", database_url=database_url)
    return Archive(Runtime(settings))


def _lines(rt: Runtime, **query: Any) -> list[dict[str, str]]:
    with rt.sessions()() as s:
        text = replay_index.cdxj(s, replay_index.Query(**query))
    rows = []
    for line in text.splitlines():
        key, ts, data = line.split(" ", 2)
        rows.append({"key": key, "ts": ts, **json.loads(data)})
    return rows


def test_index_answers_closest_first_and_only_what_anyone_may_see(archive: Archive) -> None:
    old = archive.capture(URL, datetime(2020, 1, 1, tzinfo=UTC))
    mid = archive.capture(URL, datetime(2022, 6, 1, 12, 0, 0, tzinfo=UTC))
    new = archive.capture(URL, datetime(2024, 1, 1, tzinfo=UTC))
    archive.capture(URL, datetime(2023, 1, 1, tzinfo=UTC), http_status=None, warc_file_id=None)
    hidden = archive.capture(URL, datetime(2022, 6, 2, tzinfo=UTC))
    archive.cite_privately(hidden)
    archive.capture("https://example.org/other", datetime(2022, 6, 1, tzinfo=UTC))

    rows = _lines(archive.rt, url=URL, closest="20220601")
    assert [r["filename"] for r in rows] == [str(mid), str(new), str(old)]
    assert rows[0] | {"key": "org,example)/page", "ts": "20220601120000"} == rows[0]
    assert rows[0]["offset"] == "0" and rows[0]["length"] == "500"
    assert rows[0]["url"] == URL and rows[0]["status"] == "200"
    # Without a time: in time order; the same URL spelled differently finds the same key.
    plain = _lines(archive.rt, url="https://EXAMPLE.org/page")
    assert [r["filename"] for r in plain] == [str(old), str(mid), str(new)]
    assert len(_lines(archive.rt, url=URL, closest="2022", limit=1)) == 1
    prefix = _lines(archive.rt, url="https://example.org/", match_type="prefix")
    assert {r["url"] for r in prefix} == {URL, "https://example.org/other"}
    host = _lines(archive.rt, url="https://example.org/zzz", match_type="host")
    assert len(host) == 4
    assert _lines(archive.rt, url="https://example.org/pa%", match_type="prefix") == []


def test_closest_over_a_range_is_in_distance_order_across_urls(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pywb's fuzzy lookups ask for the closest capture under a prefix, not of one URL."""
    when = {
        "a": datetime(2022, 6, 1, tzinfo=UTC),
        "b": datetime(2022, 6, 3, tzinfo=UTC),
        "c": datetime(2022, 5, 20, tzinfo=UTC),
        "d": datetime(2021, 1, 1, tzinfo=UTC),
        "e": datetime(2024, 1, 1, tzinfo=UTC),
    }
    ids = {
        name: archive.capture(f"https://example.org/page?v={name}", moment)
        for name, moment in when.items()
    }
    archive.capture("https://example.org/other", datetime(2022, 6, 2, tzinfo=UTC))
    query = {"url": "https://example.org/page", "match_type": "prefix", "closest": "20220602"}
    expected = [str(ids[n]) for n in ("a", "b", "c", "d", "e")]
    assert [r["filename"] for r in _lines(archive.rt, **query)] == expected
    monkeypatch.setattr(cdx, "BATCH", 1)  # keyset paging in time order, one row at a time
    assert [r["filename"] for r in _lines(archive.rt, **query)] == expected
    assert [r["filename"] for r in _lines(archive.rt, **query, limit=2)] == expected[:2]


def test_a_revisit_is_served_with_the_record_it_revisits(archive: Archive) -> None:
    first = archive.capture(URL, datetime(2020, 1, 1, tzinfo=UTC))
    again = archive.capture(
        URL, datetime(2021, 1, 1, tzinfo=UTC), revisit_of_id=first, media_type=None
    )
    row = _lines(archive.rt, url=URL, closest="2021")[0]
    assert row["filename"] == str(again)
    assert row["mime"] == "text/html"
    assert (row["orig.filename"], row["orig.offset"], row["orig.length"]) == (
        str(first),
        "0",
        "500",
    )


def test_feed_serves_records_by_capture_id_as_pywb_reads_them(tmp_path: Path) -> None:
    rt = Runtime(load_settings(data_dir=tmp_path / "data"))
    archive = Archive(rt)
    public = archive.capture(URL, datetime(2020, 1, 1, tzinfo=UTC), body=b"<p>hello</p>")
    hidden = archive.capture(URL, datetime(2020, 2, 1, tzinfo=UTC), body=b"<p>secret</p>")
    archive.cite_privately(hidden)
    feed = Feed(rt)
    feed.start()
    try:
        with httpx.Client(base_url=feed.base_url) as http:
            cdx = http.get("/cdx", params={"url": URL, "closest": "20200101", "sort": "closest"})
            assert cdx.status_code == 200
            assert [
                json.loads(line.split(" ", 2)[2])["filename"]
                for line in cdx.text.split("\n")
                if line
            ] == [str(public)]
            rec = http.get(f"/record/{public}", headers={"Range": "bytes=0-10"})
            assert rec.status_code == 200
            record = next(iter(ArchiveIterator(io.BytesIO(rec.content))))
            assert record.rec_headers.get_header("WARC-Target-URI") == URL
            assert record.content_stream().read() == b"<p>hello</p>"
            assert http.get(f"/record/{hidden}").status_code == 404
            assert http.get("/record/987654").status_code == 404
            assert http.get("/cdx").status_code == 400
            assert http.get("/cdx", params={"url": URL, "matchType": "weird"}).status_code == 400
            assert http.get("/cdx", params={"url": URL, "limit": "x"}).status_code == 400
            assert http.get("/elsewhere").status_code == 404
    finally:
        feed.stop()
    with rt.sessions()() as s:
        cap = s.get(Capture, public)
        assert cap is not None
        assert replay_url(rt.settings, cap).endswith("/citevault/20200101000000/" + URL)


def test_starting_without_the_engine_says_how_to_install_it(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data", replay={"engine_dir": tmp_path / "none"})
    assert not is_installed(settings)
    with pytest.raises(ReplayEngineError) as err:
        ReplayEngine(Runtime(settings)).start(install_missing=False)
    assert "not installed" in err.value.message
    assert err.value.hint is not None and "citevault replay install" in err.value.hint


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        settings = web_settings(tmp_path / "data", port=sock.getsockname()[1])
        require_engine(settings)
        engine = ReplayEngine(Runtime(settings))
        with pytest.raises(ReplayEngineError) as err:
            engine.start(install_missing=False)
    assert "already in use" in err.value.message
    assert not engine.running


def test_the_engine_refuses_regex_filters_on_its_own_cdx_api(tmp_path: Path) -> None:
    # pywb would run "~" filters on Python's backtracking re: this one would
    # hold the engine for seconds on a 31-character URL, and for ever on this.
    archive = Archive(Runtime(web_settings(tmp_path / "data")))
    archive.capture("http://example.org/" + "a" * 200, datetime(2020, 1, 1, tzinfo=UTC))
    require_engine(archive.rt.settings)
    with ReplayEngine(archive.rt) as engine:
        cdx = f"{engine.origin}/citevault/cdx"
        for spec in ("~original:http:(.+)+X", "!~original:http:(.+)+X", "~http:(.+)+X"):
            r = httpx.get(cdx, params={"url": "example.org/*", "filter": spec}, timeout=30)
            assert r.status_code == 400, spec
            assert "use citevault's /cdx" in r.text
            assert "sandbox" in r.headers["content-security-policy"]
        # Filters that compile no expression are still pywb's to answer.
        r = httpx.get(cdx, params={"url": "example.org/*", "filter": "=status:200"}, timeout=30)
        assert r.status_code == 200
        assert "example.org/" + "a" * 200 in r.text
