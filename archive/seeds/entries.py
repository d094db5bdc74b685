"""Seed entries in the database: what was seen, with which validators and bytes.

Rows are written with INSERT … ON CONFLICT on ``(seed, url_key)``: two runs
at once recording the same entry leave one row, the later answer's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from archive.capture.rows import chunks
from archive.db.models import SeedEntry


@dataclass(frozen=True, slots=True)
class Known:
    document_id: str
    etag: str | None
    last_modified: str | None
    sha256: str | None


def url_key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def load_known(session: Session, seed: str) -> dict[str, Known]:
    """Every entry of ``seed`` seen before, by ``url_key``: one query for the whole seed."""
    rows = session.execute(
        select(
            SeedEntry.url_key,
            SeedEntry.document_id,
            SeedEntry.etag,
            SeedEntry.last_modified,
            SeedEntry.sha256,
        ).where(SeedEntry.seed == seed)
    )
    return {r.url_key: Known(r.document_id, r.etag, r.last_modified, r.sha256) for r in rows}


def record(
    session: Session,
    seed: str,
    url: str,
    known: Known,
    now: datetime,
    *,
    changed: bool,
) -> None:
    """Insert or update the entry of ``url`` (commit is the caller's)."""
    values = dict(
        seed=seed,
        url_key=url_key(url),
        url=url,
        document_id=known.document_id,
        etag=known.etag,
        last_modified=known.last_modified,
        sha256=known.sha256,
        first_seen_at=now,
        checked_at=now,
        changed_at=now,
    )
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(SeedEntry).values(**values)
    fresh = {
        "etag": stmt.excluded.etag,
        "last_modified": stmt.excluded.last_modified,
        "sha256": stmt.excluded.sha256,
        "checked_at": stmt.excluded.checked_at,
    }
    if changed:
        fresh["changed_at"] = stmt.excluded.changed_at
    session.execute(stmt.on_conflict_do_update(index_elements=["seed", "url_key"], set_=fresh))


def mark_checked(session: Session, seed: str, keys: Iterable[str], now: datetime) -> None:
    """Stamp entries that answered "not modified", many in one statement."""
    for batch in chunks(sorted(set(keys))):
        session.execute(
            update(SeedEntry)
            .where(SeedEntry.seed == seed, SeedEntry.url_key.in_(batch))
            .values(checked_at=now)
        )
