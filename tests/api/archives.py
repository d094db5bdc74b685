"""Archives the API tests read: capture rows written directly, served by the real app.

``Archive`` is a few captures of one page for the Memento, WARC and citations
tests; ``Index`` is the CDX tests' sample index, every row named by a letter.
Their fixtures are in this folder's ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import surt
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.db import migrate
from archive.db.models import (
    Capture,
    CitationCapture,
    WarcFile,
)
from archive.runtime import Runtime
from tests.factories import cite

T1 = datetime(2020, 1, 1, 12, 0, 0, tzinfo=UTC)
T2 = datetime(2020, 1, 10, 12, 0, 0, tzinfo=UTC)
T3 = datetime(2020, 1, 20, 12, 0, 0, tzinfo=UTC)


@dataclass
class Archive:
    client: TestClient
    sessions: sessionmaker[Session]

    def add(self, url: str, when: datetime, status: int | None = 200) -> int:
        with self.sessions() as s:
            cap = Capture(
                url=url,
                url_normalized=url,
                surt=surt.surt(url),
                captured_at=when,
                http_status=status,
                media_type="text/html",
                error=None if status else "connection refused",
            )
            s.add(cap)
            s.commit()
            return cap.id

    def cite(self, capture_id: int, doc_id: str, *, private: bool) -> None:
        with self.sessions() as s:
            (citation,) = cite(s, doc_id, [None], private=private)
            s.add(CitationCapture(citation_id=citation.id, capture_id=capture_id))
            s.commit()

    def api_key(self) -> str:
        with self.sessions() as s:
            _, key = create_key(s, "memento test")
            s.commit()
            return key


def open_archive(database_url: str, make_settings: Any) -> Iterator[Archive]:
    migrate.upgrade(database_url)
    rt = Runtime(make_settings(database_url=database_url))
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        yield Archive(client, rt.sessions())
    rt.close()


# ------------------------------------------------------------- CDX sample


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
        (citation,) = cite(s, "embargoed", [None], private=True)
        s.add(CitationCapture(citation_id=citation.id, capture_id=ids["N"]))
        _, key = create_key(s, "cdx test")
        s.commit()
    return ids, key


def open_index(url: str, make_settings: Any) -> Iterator[Index]:
    migrate.upgrade(url)
    rt = Runtime(make_settings(database_url=url))
    ids, key = populate(rt)
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        yield Index(client, rt, ids, key)
    rt.close()
