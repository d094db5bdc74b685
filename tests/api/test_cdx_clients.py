"""``GET /cdx`` as existing CDX clients and non-C collations meet it.

cdx_toolkit, a CDX client library used against pywb and Wayback servers, is
pointed at a real uvicorn server on loopback to show that existing tooling
reads what /cdx says; and SURT ranges must hold under a database whose
default collation does not sort by bytes.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import cdx_toolkit
import pytest
import uvicorn
from cdx_toolkit import myrequests
from fastapi import FastAPI
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from archive.lookup import cdx as lookup
from tests.api.archives import DOMAIN, EXACT, ROWS, Index, open_index

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
    for index in open_index(icu_url, make_settings):
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

    assert "status" not in got[1]  # a revisit has no status of its own (pywb's indexer)
    got = fetcher.get("example.org/", filter=["statuscode:200"], from_ts="2020", to="2020")
    assert [by_id[int(c["capture_id"])] for c in got] == ["A", "C"]  # B is a revisit
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
