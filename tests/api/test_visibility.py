"""Who sees which capture, on every surface that reads captures: one matrix.

Three captures -- cited by a public document only, by a private one only, and
by both -- asked for by four callers -- anonymous, a key nobody issued, a
revoked key and a valid key -- through the capture API, the WARC download,
the CDX API, the TimeGate, the JSON TimeMap, the replay engine's feed and
the WACZ export.  Every surface must give the answer of the one rule
(``access.visible_captures``): a private-only capture does not exist without
a valid key, a bad key is refused (401), and the replay feed, which has no
notion of keys, always answers as for an anonymous reader.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.api.app import create_app
from archive.api.keys import create_key, revoke_key
from archive.db import migrate
from archive.db.models import Capture, CitationCapture, WarcFile
from archive.lookup.cdx import surt_key
from archive.replay.feed import Feed
from archive.runtime import Runtime
from tests.factories import cite

WHEN = datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)
CAPTURES = ("public", "private", "both")
CALLERS = ("anonymous", "wrong key", "revoked key", "right key")
SEEN, HIDDEN, REFUSED = "seen", "hidden", "refused"


def _record(url: str) -> tuple[bytes, str]:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
    body = f"<p>{url}</p>".encode()
    http = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))], "HTTP/1.1"
    )
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
    writer.write_record(record)
    return out.getvalue(), str(record.rec_headers.get_header("WARC-Record-ID"))


@dataclass
class World:
    rt: Runtime
    client: TestClient
    ids: dict[str, int]  # capture name -> id
    headers: dict[str, dict[str, str]]  # caller -> request headers

    @staticmethod
    def url(name: str) -> str:
        return f"http://example.org/{name}"


def _capture(rt: Runtime, url: str, revisit_of: int | None = None) -> int:
    """A capture with its own one-record WARC file in the store."""
    data, record_id = _record(url)
    key = f"warcs/{surt_key(url).replace(')/', '-')}.warc.gz"
    rt.store().put_bytes(key, data)
    with rt.sessions()() as s, s.begin():
        warc = WarcFile(store_key=key, filename=key, size=len(data), sha256="0" * 64)
        warc.record_count = 1
        s.add(warc)
        s.flush()
        cap = Capture(
            url=url,
            url_normalized=url,
            surt=surt_key(url),
            captured_at=WHEN,
            http_status=200,
            media_type="text/html",
            warc_file_id=warc.id,
            warc_offset=0,
            warc_length=len(data),
            warc_record_id=record_id,
            revisit_of_id=revisit_of,
        )
        s.add(cap)
        s.flush()
        return cap.id


def _link(rt: Runtime, doc_id: str, capture_id: int, *, private: bool) -> None:
    with rt.sessions()() as s, s.begin():
        (citation,) = cite(s, doc_id, [None], private=private)
        s.add(CitationCapture(citation_id=citation.id, capture_id=capture_id))


@pytest.fixture
def world(database_url: str, make_settings: Any) -> Iterator[World]:
    migrate.upgrade(database_url)
    rt = Runtime(make_settings(database_url=database_url))
    ids = {name: _capture(rt, World.url(name)) for name in CAPTURES}
    for name in ("public", "both"):
        _link(rt, "open", ids[name], private=False)
    for name in ("private", "both"):
        _link(rt, "closed", ids[name], private=True)
    # A public document whose pages revisit the three: its export takes the
    # originals the caller may see and withholds the others.
    for name in CAPTURES:
        _link(rt, "reader", _capture(rt, World.url(f"reader/{name}"), ids[name]), private=False)
    with rt.sessions()() as s, s.begin():
        _, right = create_key(s, "visibility test")
        revoked_row, revoked = create_key(s, "revoked")
        revoke_key(s, revoked_row.id)
    wrong = "cv_" + "x" * 43  # well formed, never issued
    headers = {
        "anonymous": {},
        "wrong key": {"Authorization": f"ApiKey {wrong}"},
        "revoked key": {"Authorization": f"ApiKey {revoked}"},
        "right key": {"Authorization": f"ApiKey {right}"},
    }
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        yield World(rt, client, ids, headers)
    rt.close()


# Each surface answers, for one caller, what it shows of each capture.
Probe = Callable[[World, dict[str, str]], dict[str, str]]


def _by_status(
    world: World, headers: dict[str, str], path: Callable[[str], str], shown: int
) -> dict[str, str]:
    out = {}
    for name in CAPTURES:
        r = world.client.get(path(name), headers=headers, follow_redirects=False)
        out[name] = {shown: SEEN, 404: HIDDEN, 401: REFUSED}.get(r.status_code, str(r.status_code))
        if r.status_code == shown and r.headers.get("location"):
            assert r.headers["location"].endswith(f"/captures/{world.ids[name]}")
    return out


def capture_api(world: World, headers: dict[str, str]) -> dict[str, str]:
    return _by_status(world, headers, lambda n: f"/api/captures/{world.ids[n]}", 200)


def warc_download(world: World, headers: dict[str, str]) -> dict[str, str]:
    return _by_status(world, headers, lambda n: f"/api/captures/{world.ids[n]}/warc", 200)


def timegate(world: World, headers: dict[str, str]) -> dict[str, str]:
    return _by_status(world, headers, lambda n: f"/timegate/{World.url(n)}", 302)


def timemap(world: World, headers: dict[str, str]) -> dict[str, str]:
    return _by_status(world, headers, lambda n: f"/timemap/json/{World.url(n)}", 200)


def cdx(world: World, headers: dict[str, str]) -> dict[str, str]:
    out = {}
    for name in CAPTURES:
        params = {"url": World.url(name), "fl": "capture_id"}
        r = world.client.get("/cdx", params=params, headers=headers)
        if r.status_code == 200 and not r.text:  # no match is an empty 200, as in Wayback
            out[name] = HIDDEN
            continue
        if r.status_code == 200:
            assert r.text.split() == [str(world.ids[name])]
        out[name] = {200: SEEN, 401: REFUSED}.get(r.status_code, str(r.status_code))
    return out


def replay_feed(world: World, headers: dict[str, str]) -> dict[str, str]:
    out = {}
    feed = Feed(world.rt)
    feed.start()
    try:
        with httpx.Client(base_url=feed.base_url, headers=headers) as http:
            for name in CAPTURES:
                lines = http.get("/cdx", params={"url": World.url(name), "closest": "2021"})
                assert lines.status_code == 200
                listed = [
                    json.loads(line.split(" ", 2)[2])["filename"]
                    for line in lines.text.splitlines()
                ]
                record = http.get(f"/record/{world.ids[name]}").status_code
                if listed == [str(world.ids[name])] and record == 200:
                    out[name] = SEEN
                elif listed == [] and record == 404:
                    out[name] = HIDDEN
                else:
                    out[name] = f"index {listed}, record {record}"
    finally:
        feed.stop()
    return out


def wacz_export(world: World, headers: dict[str, str]) -> dict[str, str]:
    r = world.client.get("/api/documents/reader/export.wacz", headers=headers)
    if r.status_code == 401:
        return dict.fromkeys(CAPTURES, REFUSED)
    assert r.status_code == 200, r.text
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        index = zf.read("indexes/index.cdx").decode().splitlines()
        withheld = json.loads(zf.read("datapackage.json"))["citevault"]["withheld_private_captures"]
    urls = {json.loads(line.split(" ", 2)[2])["url"] for line in index}
    assert {World.url(f"reader/{n}") for n in CAPTURES} <= urls  # the document's own pages
    out = {n: SEEN if World.url(n) in urls else HIDDEN for n in CAPTURES}
    assert withheld == list(out.values()).count(HIDDEN)
    return out


ANONYMOUS = {"public": SEEN, "private": HIDDEN, "both": SEEN}
EVERYTHING = dict.fromkeys(CAPTURES, SEEN)
NOTHING = dict.fromkeys(CAPTURES, REFUSED)
# What every surface that knows keys shows each caller; the feed shows anyone ANONYMOUS.
EXPECTED = {
    "anonymous": ANONYMOUS,
    "wrong key": NOTHING,
    "revoked key": NOTHING,
    "right key": EVERYTHING,
}


@pytest.mark.parametrize(
    "surface",
    [capture_api, warc_download, cdx, timegate, timemap, replay_feed, wacz_export],
    ids=lambda f: f.__name__,
)
def test_every_surface_shows_each_caller_what_the_rule_allows(world: World, surface: Probe) -> None:
    seen = {caller: surface(world, world.headers[caller]) for caller in CALLERS}
    expected = dict.fromkeys(CALLERS, ANONYMOUS) if surface is replay_feed else EXPECTED
    assert seen == expected
