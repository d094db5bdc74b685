"""captures.private_only follows the privacy rule whatever writes, on both databases.

The rule: a capture is hidden from callers without a key when it is cited,
and only by private documents (``_rule`` below works it out from the links).
The flag that reads use instead (``access.visible_captures``) is kept by
triggers (migration 0004); each step below
changes links or documents the way some part of citevault can, and then every
capture's flag must equal the rule and the expected value.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, delete, event, insert, select, update
from sqlalchemy.orm import Session

from archive.capture import rows
from archive.db import migrate
from archive.db.engine import make_engine
from archive.db.models import Capture, Citation, CitationCapture, Document
from tests.factories import cite

WHEN = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    migrate.upgrade(database_url)
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


def _document(s: Session, doc_id: str, *, private: bool, cites: int) -> list[int]:
    return [c.id for c in cite(s, doc_id, [None] * cites, private=private)]


def _capture(s: Session, name: str) -> int:
    url = f"https://example.org/{name}"
    cap = Capture(url=url, url_normalized=url, surt=f"org,example)/{name}", captured_at=WHEN)
    s.add(cap)
    s.flush()
    return cap.id


def _rule(s: Session, capture_id: int) -> bool:
    """Whether the capture is cited, and only by private documents, from the links themselves."""
    flags = s.scalars(
        select(Document.is_private)
        .join(Citation, Citation.document_id == Document.id)
        .join(CitationCapture, CitationCapture.citation_id == Citation.id)
        .where(CitationCapture.capture_id == capture_id)
    ).all()
    return bool(flags) and all(flags)


def _check(engine: Engine, caps: dict[str, int], expected: set[str]) -> None:
    """Each capture's flag is the rule's answer, and the rule says ``expected`` are hidden."""
    with Session(engine) as s:
        flags: dict[int, bool] = dict(s.execute(select(Capture.id, Capture.private_only)).all())
        for name, ident in caps.items():
            assert flags[ident] == _rule(s, ident), name
        assert {name for name, ident in caps.items() if flags[ident]} == expected


def test_flag_follows_links_privacy_and_deletes(engine: Engine) -> None:
    with Session(engine) as s:
        a = _document(s, "open", private=False, cites=2)
        b = _document(s, "closed", private=True, cites=3)
        c = _document(s, "sealed", private=True, cites=1)
        caps = {name: _capture(s, name) for name in ("x", "y", "z", "w", "v")}
        s.commit()
        # Links as an executemany (one INSERT per row on psycopg).
        s.execute(
            insert(CitationCapture),
            [
                {"citation_id": b[0], "capture_id": caps["x"]},
                {"citation_id": a[0], "capture_id": caps["y"]},
                {"citation_id": b[1], "capture_id": caps["y"]},
                {"citation_id": b[2], "capture_id": caps["w"]},
                {"citation_id": c[0], "capture_id": caps["w"]},
            ],
        )
        s.commit()
    _check(engine, caps, {"x", "w"})

    with Session(engine) as s:  # the ORM's way, as the queue links a reused capture
        s.add(CitationCapture(citation_id=a[1], capture_id=caps["v"], how="reused"))
        s.add(CitationCapture(citation_id=b[0], capture_id=caps["z"], how="reused"))
        s.commit()
    _check(engine, caps, {"x", "w", "z"})

    with Session(engine) as s:  # a private document made public, then private again
        s.execute(update(Document).where(Document.id == "closed").values(is_private=False))
        s.commit()
        _check(engine, caps, set())
        s.execute(update(Document).where(Document.id == "closed").values(is_private=True))
        s.commit()
    _check(engine, caps, {"x", "w", "z"})

    with Session(engine) as s:  # the public link of y removed; x's only link moved to a
        s.execute(
            delete(CitationCapture).where(
                CitationCapture.citation_id == a[0], CitationCapture.capture_id == caps["y"]
            )
        )
        s.execute(
            update(CitationCapture)
            .where(CitationCapture.capture_id == caps["x"])
            .values(citation_id=a[0])
        )
        s.commit()
    _check(engine, caps, {"y", "w", "z"})

    with Session(engine) as s:  # a document deleted: its citations and links cascade
        s.execute(delete(Document).where(Document.id == "closed"))
        s.commit()
    _check(engine, caps, {"w"})  # y and z are cited by nobody now; w still by "sealed"


def test_upgrade_fills_the_flag_for_existing_rows(database_url: str, engine: Engine) -> None:
    with Session(engine) as s:
        (secret,) = _document(s, "closed", private=True, cites=1)
        caps = {name: _capture(s, name) for name in ("hidden", "plain")}
        s.flush()
        s.add(CitationCapture(citation_id=secret, capture_id=caps["hidden"]))
        s.commit()
    _check(engine, caps, {"hidden"})
    engine.dispose()
    migrate.downgrade(database_url, "0003")  # the column goes, the rows stay
    migrate.upgrade(database_url)
    _check(engine, caps, {"hidden"})


def test_commit_writes_links_as_one_statement(engine: Engine) -> None:
    """The crawl's commit links captures in one INSERT, and the flags still come out right.

    Sent as one INSERT per link (psycopg's executemany), every link ran the
    table's statement triggers once more; one multi-row statement runs them
    once, with all the links in its transition table.
    """
    with Session(engine) as s:
        public = _document(s, "open", private=False, cites=20)
        secret = _document(s, "closed", private=True, cites=20)
        caps = {f"c{n}": _capture(s, f"c{n}") for n in range(30)}
        s.commit()
    ids = list(caps.values())
    # c0-c9: the public document only; c10-c19: both; c20-c29: the private one only
    links = {(public[n], ids[n]): None for n in range(20)}
    links.update({(secret[n], ids[n + 10]): None for n in range(20)})
    inserts: list[int] = []  # rows per statement the database receives

    def one(cursor: Any, statement: str, parameters: Any, context: Any) -> None:
        if statement.startswith("INSERT INTO citation_captures"):
            inserts.append(len(parameters) // 4)  # citation_id, capture_id, how, linked_at

    def many(cursor: Any, statement: str, parameters: Any, context: Any) -> None:
        if statement.startswith("INSERT INTO citation_captures"):
            inserts.extend([1] * len(parameters))  # the driver sends one statement per row

    event.listen(engine, "do_execute", one)
    event.listen(engine, "do_executemany", many)
    with Session(engine) as s:
        rows.link(s, links)
        s.commit()
    assert inserts == [40]
    _check(engine, caps, {f"c{n}" for n in range(20, 30)})
