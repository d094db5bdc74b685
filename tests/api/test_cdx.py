"""``GET /cdx``: every Wayback/pywb CDX parameter, privacy, paging, and a real client.

The index is written as capture rows directly.  cdx_toolkit, a CDX client
library used against pywb and Wayback servers, is pointed at a real uvicorn
server on loopback to show that existing tooling reads what /cdx says.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import cdx_toolkit
import pytest
import surt
import uvicorn
from cdx_toolkit import myrequests
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.api.routes import cdx as cdx_route
from archive.db import migrate
from archive.db.models import (
    Capture,
    Citation,
    CitationCapture,
    Document,
    DocumentVersion,
    WarcFile,
)
from archive.lookup import memento as lookup
from archive.runtime import Runtime


def at(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


# name: (url, timestamp, status, media type, digest, extra columns)
ROWS: dict[str, tuple[str, str, int | None, str, str | None, dict[str, Any]]] = {
    "A": ("http://example.org/", "20200101100000", 200, "text/html", "sha1:AAA", {}),
    "B": ("https://www.example.org/", "20200101150000", 200, "text/html", "sha1:AAA", {}),
    "C": ("http://example.org/", "20200305000000", 200, "text/html", "sha1:BBB", {}),
    "D": ("http://example.org/", "20210601000000", 404, "text/html", "sha1:CCC", {}),
    "E": ("http://example.org/about", "20200202000000", 200, "text/html; charset=utf-8", None, {}),
    "F": (
        "http://example.org/about/team",
        "20200203000000",
        301,
        "text/html",
        "sha1:FFF",
        {"redirect_to": "http://example.org/team"},
    ),
    "G": ("http://example.org/style.css", "20200202000001", 200, "text/css", "sha1:GGG", {}),
    "H": ("http://blog.example.org/post", "20200401000000", 200, "text/html", "sha1:HHH", {}),
    "I": ("http://deep.blog.example.org/x", "20200402000000", 200, "application/pdf", None, {}),
    "J": ("http://example.com/", "20200101000000", 200, "text/html", "sha1:JJJ", {}),
    "L": ("http://examples.org/", "20200101000000", 200, "text/html", "sha1:LLL", {}),
    "M": ("http://example.org/", "20200505000000", None, "", None, {"error": "timeout"}),
    "N": ("http://example.org/secret", "20200606000000", 200, "text/html", "sha1:NNN", {}),
}
EXACT = ["A", "B", "C", "D"]
# SURT order: org,example)/  )/about  )/about/team  )/secret (private)  )/style.css  ,blog)...
HOST = ["A", "B", "C", "D", "E", "F", "G"]
DOMAIN = [*HOST, "H", "I"]
DOMAIN_WITH_KEY = ["A", "B", "C", "D", "E", "F", "N", "G", "H", "I"]


@dataclass
class Index:
    client: TestClient
    rt: Runtime
    ids: dict[str, int]
    key: str

    def names(self, body: str, column: int = -1) -> list[str]:
        """The row names of text lines whose last (or given) column is capture_id."""
        by_id = {str(v): k for k, v in self.ids.items()}
        return [by_id[line.split(" ")[column]] for line in body.splitlines()]

    def get(self, auth: bool = False, **params: Any) -> Any:
        headers = {"Authorization": f"ApiKey {self.key}"} if auth else {}
        return self.client.get("/cdx", params=params, headers=headers)

    def ids_of(self, **params: Any) -> list[str]:
        params.setdefault("fl", "capture_id")
        r = self.get(**params)
        if r.status_code == 404:
            return []
        assert r.status_code == 200, r.text
        return self.names(r.text)


def populate(rt: Runtime) -> tuple[dict[str, int], str]:
    ids: dict[str, int] = {}
    with rt.sessions()() as s:
        wf = WarcFile(store_key="warcs/f1.warc.gz", filename="f1.warc.gz", size=1, sha256="0" * 64)
        wf.record_count = len(ROWS)
        s.add(wf)
        s.flush()
        for n, (name, (url, stamp, status, mime, digest, extra)) in enumerate(ROWS.items()):
            cap = Capture(
                url=url,
                url_normalized=url,
                surt=surt.surt(url),
                captured_at=at(stamp),
                http_status=status,
                media_type=mime or None,
                payload_digest=digest,
                warc_file_id=wf.id if status else None,
                warc_offset=1000 * n if status else None,
                warc_length=100 + n if status else None,
                **extra,
            )
            s.add(cap)
            s.flush()
            ids[name] = cap.id
        s.get(Capture, ids["B"]).revisit_of_id = ids["A"]  # type: ignore[union-attr]
        s.add(Document(id="embargoed", is_private=True))
        s.add(
            DocumentVersion(
                document_id="embargoed",
                version=1,
                sha256="0" * 64,
                size=1,
                format="text",
                store_key="documents/embargoed",
            )
        )
        s.flush()
        version = s.query(DocumentVersion).one()
        citation = Citation(
            version_id=version.id,
            document_id="embargoed",
            ordinal=0,
            kind="url",
            extractor="text",
            resolution="resolved",
        )
        s.add(citation)
        s.flush()
        s.add(CitationCapture(citation_id=citation.id, capture_id=ids["N"]))
        _, key = create_key(s, "cdx test")
        s.commit()
    return ids, key


def _index(url: str, make_settings: Any) -> Iterator[Index]:
    migrate.upgrade(url)
    rt = Runtime(make_settings(database_url=url))
    ids, key = populate(rt)
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        yield Index(client, rt, ids, key)
    rt.close()


@pytest.fixture
def index(database_url: str, make_settings: Any) -> Iterator[Index]:
    yield from _index(database_url, make_settings)


@pytest.fixture
def sqlite_index(sqlite_url: str, make_settings: Any) -> Iterator[Index]:
    yield from _index(sqlite_url, make_settings)


# ------------------------------------------------------------------ output


def test_default_output_is_cdx11_text(index: Index) -> None:
    r = index.get(url="example.org")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    lines = [line.split(" ") for line in r.text.splitlines()]
    assert all(len(fields) == 11 for fields in lines)
    n = list(ROWS).index("A")
    assert lines[0] == [
        *("org,example)/", "20200101100000", "http://example.org/", "text/html", "200"),
        *("AAA", "-", "-", str(100 + n), str(1000 * n), "f1.warc.gz"),
    ]
    assert lines[1][2:6] == ["https://www.example.org/", "warc/revisit", "200", "AAA"]
    assert [fields[1] for fields in lines] == [ROWS[k][1] for k in EXACT]
    assert lines[3][4] == "404"
    r = index.get(url="example.org/about/team", fl="original,redirect,statuscode,mime")
    assert r.text == "http://example.org/about/team http://example.org/team 301 text/html\n"
    r = index.get(url="example.org/about", fl="mimetype,digest")
    assert r.text == "text/html -\n"


def test_json_output_is_pywb_ndjson_and_cdxj(sqlite_index: Index) -> None:
    r = sqlite_index.get(url="http://www.example.org/", output="json", limit=1)
    assert r.status_code == 200
    (line,) = r.text.splitlines()
    n = list(ROWS).index("A")
    assert json.loads(line) == {
        "urlkey": "org,example)/",
        "timestamp": "20200101100000",
        "url": "http://example.org/",
        "mime": "text/html",
        "status": "200",
        "digest": "AAA",
        "length": str(100 + n),
        "offset": str(1000 * n),
        "filename": "f1.warc.gz",
        "capture_id": str(sqlite_index.ids["A"]),
    }
    r = sqlite_index.get(url="example.org/about", output="json", fl="timestamp,url,status,digest")
    assert json.loads(r.text) == {
        "timestamp": "20200202000000",
        "url": ROWS["E"][0],
        "status": "200",
    }
    r = sqlite_index.get(url="example.org/about", output="cdxj", fl="urlkey,timestamp,mime")
    assert r.text == 'org,example)/about 20200202000000 {"mime": "text/html"}\n'


# ------------------------------------------------------------------- scope


def test_match_types(index: Index) -> None:
    assert index.ids_of(url="http://example.org/") == EXACT
    assert index.ids_of(url="https://www.EXAMPLE.org") == EXACT
    assert index.ids_of(url="example.org/about", matchType="prefix") == ["E", "F"]
    assert index.ids_of(url="example.org/about*") == ["E", "F"]
    assert index.ids_of(url="example.org/about/", matchType="prefix") == ["F"]
    assert index.ids_of(url="example.org/anything", matchType="host") == HOST
    assert index.ids_of(url="example.org", matchType="domain") == DOMAIN
    assert index.ids_of(url="*.example.org") == DOMAIN
    assert index.ids_of(url="blog.example.org", matchType="domain") == ["H", "I"]
    r = index.get(url="*.example.org", matchType="prefix")
    assert r.status_code == 400


def test_from_and_to_pad_like_wayback(index: Index) -> None:
    assert index.ids_of(url="example.org", **{"from": "2020", "to": "2020"}) == ["A", "B", "C"]
    assert index.ids_of(url="*.example.org", **{"from": "202002", "to": "202002"}) == [
        "E",
        "F",
        "G",
    ]
    assert index.ids_of(url="example.org", to="20200101") == ["A", "B"]
    assert index.ids_of(url="example.org", **{"from": "20200101150000"}) == ["B", "C", "D"]
    assert index.ids_of(url="example.org", to="20200101145959") == ["A"]


def test_limit_and_sort(index: Index) -> None:
    assert index.ids_of(url="example.org", limit=2) == ["A", "B"]
    assert index.ids_of(url="example.org", limit=-2) == ["C", "D"]
    assert index.ids_of(url="example.org", sort="reverse") == ["D", "C", "B", "A"]
    assert index.ids_of(url="example.org", sort="reverse", limit=1) == ["D"]
    assert index.ids_of(url="*.example.org", limit=-2) == ["H", "I"]
    closest = {"sort": "closest", "closest": "20200301"}
    assert index.ids_of(url="example.org", **closest) == ["C", "B", "A", "D"]
    assert index.ids_of(url="example.org", closest="20200301", limit=2) == ["C", "B"]
    assert index.ids_of(url="example.org", sort="closest", closest="20200101123000") == [
        "A",  # 2.5 hours before; B is 2.5 hours after: the earlier wins the tie
        "B",
        "C",
        "D",
    ]
    assert index.get(url="example.org", sort="closest").status_code == 400
    assert index.get(url="example.org/*", sort="closest", closest="2020").status_code == 400


def test_filters(index: Index) -> None:
    assert index.ids_of(url="example.org", filter="statuscode:200") == ["A", "B", "C"]
    assert index.ids_of(url="example.org", filter="!statuscode:200") == ["D"]
    assert index.ids_of(url="example.org", filter="statuscode:20") == []  # whole-field regex
    assert index.ids_of(url="example.org", filter="~status:20") == ["A", "B", "C"]
    assert index.ids_of(url="example.org", filter="status:[24]0[04]") == EXACT
    assert index.ids_of(url="*.example.org", filter="=mime:text/css") == ["G"]
    assert index.ids_of(url="*.example.org", filter="!=mimetype:text/html") == [
        "B",  # a revisit's mimetype is warc/revisit
        "G",
        "I",
    ]
    assert index.ids_of(url="*.example.org", filter=["mime:text/.*", "!~original:.*about"]) == [
        "A",
        "C",
        "D",
        "G",
        "H",
    ]
    assert index.ids_of(url="*.example.org", filter="digest:-") == ["E", "I"]
    for bad in ("statuscode:(", "nosuchfield:1", "statuscode", ":200"):
        r = index.get(url="example.org", filter=bad)
        assert r.status_code == 400, bad
        assert r.json()["error"]["code"] == "bad_cdx_parameter"


def test_collapse(index: Index) -> None:
    assert index.ids_of(url="*.example.org", collapse="urlkey") == ["A", "E", "F", "G", "H", "I"]
    assert index.ids_of(url="example.org", collapse="timestamp:8") == ["A", "C", "D"]
    assert index.ids_of(url="example.org", collapse="digest") == ["A", "C", "D"]
    # limit=-N reads newest first but still keeps the first of each run
    assert index.ids_of(url="example.org", collapse="timestamp:6", limit=-3) == ["A", "C", "D"]
    assert index.ids_of(url="example.org", collapse="timestamp:6", limit=-2) == ["C", "D"]
    assert index.ids_of(url="example.org", collapse="timestamp:6", sort="reverse") == [
        "D",
        "C",
        "A",
    ]
    # several collapses chain: each sees what the one before it kept
    both = index.ids_of(url="*.example.org", collapse=["urlkey", "statuscode"])
    assert both == ["A", "F", "G"]
    for bad in ("nosuch", "timestamp:x", "timestamp:0"):
        assert index.get(url="example.org", collapse=bad).status_code == 400, bad


def test_pages(index: Index) -> None:
    r = index.get(url="*.example.org", showNumPages="true", pageSize=4)
    assert r.json() == {"pages": 3, "pageSize": 4, "blocks": 3}
    pages = [index.ids_of(url="*.example.org", page=n, pageSize=4) for n in range(3)]
    assert pages == [DOMAIN[:4], DOMAIN[4:8], DOMAIN[8:]]
    assert index.get(url="*.example.org", page=3, pageSize=4).status_code == 400
    r = index.get(url="*.example.org", page=0, pageSize=4, filter="mime:application/pdf")
    assert r.status_code == 404  # nothing on this page, but later pages may have some
    assert index.ids_of(url="*.example.org", page=2, pageSize=4, filter="mime:application/.*") == [
        "I"
    ]
    assert index.ids_of(url="*.example.org", page=0, pageSize=2, sort="reverse") == ["I", "H"]


def test_no_captures_is_a_404_json(index: Index) -> None:
    r = index.get(url="never.example.net")
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "No Captures found for: http://never.example.net"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"url": "  "},
        {"url": "example.org", "matchType": "everything"},
        {"url": "example.org", "output": "xml"},
        {"url": "example.org", "from": "2020-01"},
        {"url": "example.org", "from": "202013"},
        {"url": "example.org", "to": "123456789012345"},
        {"url": "example.org", "limit": "0"},
        {"url": "example.org", "limit": "20000"},
        {"url": "example.org", "limit": "ten"},
        {"url": "example.org", "sort": "random"},
        {"url": "example.org", "pageSize": "0"},
        {"url": "example.org", "fl": "urlkey,colour"},
        {"url": "ftp://example.org/"},
        {"url": "http://example.org:99999/"},
        {"url": "example.org", "closest": "20200101", "collapse": "digest"},
    ],
)
def test_bad_parameters_are_400s(sqlite_index: Index, params: dict[str, str]) -> None:
    r = sqlite_index.get(**params)
    assert r.status_code == 400, r.text
    assert set(r.json()["error"]) >= {"code", "message"}


def test_private_captures_need_a_key(index: Index) -> None:
    assert "N" not in index.ids_of(url="*.example.org")
    assert index.get(url="example.org/secret").status_code == 404
    assert index.ids_of(url="example.org/secret", auth=True) == ["N"]
    assert index.ids_of(url="*.example.org", auth=True) == DOMAIN_WITH_KEY
    r = index.get(url="*.example.org", showNumPages="true", pageSize=1)
    assert r.json()["pages"] == len(DOMAIN)
    r = index.get(url="*.example.org", showNumPages="true", pageSize=1, auth=True)
    assert r.json()["pages"] == len(DOMAIN_WITH_KEY)


def test_results_read_in_small_batches_are_the_same(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyset paging over (surt, captured_at, id) loses and repeats nothing."""
    queries: list[dict[str, Any]] = [
        {"url": "*.example.org"},
        {"url": "*.example.org", "sort": "reverse"},
        {"url": "*.example.org", "limit": -4},
        {"url": "example.org"},
        {"url": "example.org", "sort": "reverse"},
        {"url": "example.org", "closest": "20200301"},
        {"url": "*.example.org", "collapse": "urlkey"},
    ]
    expected = [index.ids_of(**q) for q in queries]
    monkeypatch.setattr(lookup, "BATCH", 2)
    assert [index.ids_of(**q) for q in queries] == expected
    monkeypatch.setattr(lookup, "BATCH", 1)
    assert [index.ids_of(**q) for q in queries] == expected


def test_unlimited_queries_are_capped_and_say_so(
    sqlite_index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cdx_route, "MAX_LINES", 3)
    r = sqlite_index.get(url="*.example.org", fl="capture_id")
    assert sqlite_index.names(r.text) == DOMAIN[:3]
    assert r.headers["x-cdx-truncated"] == "true"
    r = sqlite_index.get(url="*.example.org", fl="capture_id", limit=3)
    assert "x-cdx-truncated" not in r.headers


# ------------------------------------------------- a locale that is not C


@pytest.fixture
def icu_url(pg_admin_url: str) -> Iterator[str]:
    """A database whose default collation (ICU en-US) does not sort by bytes."""
    name = f"cvtest_icu_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            try:
                conn.execute(
                    text(
                        f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE_PROVIDER icu '
                        "ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
                    )
                )
            except Exception as exc:  # a server built without ICU
                pytest.skip(f"PostgreSQL cannot create an ICU database here: {exc}")
        yield make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_ranges_are_right_under_a_linguistic_collation(icu_url: str, make_settings: Any) -> None:
    for index in _index(icu_url, make_settings):
        with index.rt.sessions()() as s:
            assert lookup._bytewise(s) is False
        assert index.ids_of(url="*.example.org") == DOMAIN
        assert index.ids_of(url="example.org/about*") == ["E", "F"]
        assert index.ids_of(url="*.example.org", limit=-3) == ["G", "H", "I"]


# -------------------------------------------------- an existing CDX client


@pytest.fixture
def cdx_server(index: Index, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The application on a real loopback port, for clients that speak HTTP themselves."""
    app: FastAPI = index.client.app  # type: ignore[assignment]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    # cdx_toolkit waits 3 s between requests to one host, out of politeness.
    monkeypatch.setitem(
        myrequests.retry_info, "127.0.0.1", {"next_fetch": 0, "minimum_interval": 0.0}
    )
    try:
        yield f"http://127.0.0.1:{port}/cdx"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_cdx_toolkit_lists_the_captures(index: Index, cdx_server: str) -> None:
    fetcher = cdx_toolkit.CDXFetcher(source=cdx_server)
    by_id = {v: k for k, v in index.ids.items()}

    got = fetcher.get("example.org/")
    assert [by_id[int(c["capture_id"])] for c in got] == EXACT
    assert [c["timestamp"] for c in got] == [ROWS[k][1] for k in EXACT]
    assert got[0]["url"] == "http://example.org/" and got[0]["status"] == "200"
    assert got[1]["mime"] == "warc/revisit"

    got = fetcher.get("example.org/", filter=["statuscode:200"], from_ts="2020", to="2020")
    assert [by_id[int(c["capture_id"])] for c in got] == ["A", "B", "C"]
    got = fetcher.get("*.example.org", limit=3)
    assert [by_id[int(c["capture_id"])] for c in got] == DOMAIN[:3]
    got = fetcher.get("example.org/", closest="20200301", sort="closest", limit=1)
    assert [by_id[int(c["capture_id"])] for c in got] == ["C"]
    assert fetcher.get("never.example.net/") == []
    assert fetcher.get("example.org/secret") == []  # private, and no key

    paged = list(fetcher.iter("*.example.org", pageSize=3))
    assert [by_id[int(c["capture_id"])] for c in paged] == DOMAIN
    filtered = list(fetcher.iter("example.org/*", pageSize=2, filter=["=status:301"]))
    assert [by_id[int(c["capture_id"])] for c in filtered] == ["F"]
