"""Database-backed implementations of the crawler contract.

The crawler process builds these from the same settings as the CLI, so that
leasing, failure reporting, revisit lookups and commits all go through the
system of record.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ARRAY, Connection, Row, Select, String, any_, bindparam, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from archive.capture import queue
from archive.capture.commit import commit_warc
from archive.capture.contract import IndexedWarc, JobSpec, KnownPayload
from archive.db.models import Capture
from archive.errors import DatabaseError, StoreError
from archive.runtime import Runtime

log = logging.getLogger(__name__)

EXPIRE_SWEEP_SECONDS = 60.0


class DatabaseJobSource:
    def __init__(
        self,
        rt: Runtime,
        owner: str,
        *,
        document_id: str | None = None,
        job_ids: list[int] | None = None,
        lease_seconds: int = queue.DEFAULT_LEASE_SECONDS,
    ) -> None:
        self.rt = rt
        self.owner = owner
        self.document_id = document_id
        self.job_ids = job_ids
        self.lease_seconds = lease_seconds
        self._swept_at = -EXPIRE_SWEEP_SECONDS

    def lease(self, limit: int) -> list[JobSpec]:
        # Failing exhausted leases is a sweep over the whole queue; once a
        # minute is soon enough for leases that last ten.
        now = time.monotonic()
        sweep = now - self._swept_at >= EXPIRE_SWEEP_SECONDS
        with self.rt.sessions()() as session:
            jobs = queue.lease(
                session,
                self.owner,
                limit,
                lease_seconds=self.lease_seconds,
                document_id=self.document_id,
                job_ids=self.job_ids,
                expire=sweep,
            )
        if sweep:
            self._swept_at = now
        return jobs

    def fail(self, job_id: int, reason: str, *, retryable: bool) -> None:
        with self.rt.sessions()() as session:
            queue.fail(session, job_id, reason, retryable=retryable)

    def heartbeat(self, job_ids: list[int]) -> None:
        # All of this owner's leases, including fetched jobs whose WARC file is
        # not closed yet; ``job_ids`` (those in flight) is a subset of them.
        with self.rt.sessions()() as session:
            queue.heartbeat(session, self.owner, None, self.lease_seconds)


def _first_per_digest(rows: Iterable[Sequence[Any]]) -> dict[str, KnownPayload]:
    """Rows of (digest, url, captured_at, record id) ordered by capture time: the first wins."""
    found: dict[str, KnownPayload] = {}
    for digest, url, captured_at, record_id in rows:
        if digest is not None and record_id is not None and digest not in found:
            found[digest] = KnownPayload(url, captured_at, record_id)
    return found


def _positional(stmt: Select[*tuple[Any, ...]]) -> tuple[str, list[Any], int]:
    """SQLite SQL for ``stmt``, its positional values, and where ``digest`` goes among them."""
    comp = stmt.compile(dialect=sqlite.dialect())
    names = list(comp.positiontup or ())
    return str(comp), [comp.params.get(name) for name in names], names.index("digest")


def _sqlite_time(stored: str) -> datetime:
    """A ``captured_at`` as SQLite holds it (UTC, no offset, microseconds kept)."""
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


class DatabaseDigestIndex:
    """Finds an earlier full response with the same payload digest.

    Asked once per response, so it keeps one connection and one compiled
    statement for the whole crawl instead of a session per call (which cost
    more CPU than writing the record).  The connection is in autocommit mode:
    one round trip per lookup, and no snapshot held open between lookups; a
    broken connection is replaced once per call.  The date of the original
    comes back exactly as stored, which is its ``WARC-Date`` to the
    microsecond: a revisit must name that date, not a rounded one.
    """

    _COLUMNS = (Capture.payload_digest, Capture.url, Capture.captured_at, Capture.warc_record_id)
    _FULL_RESPONSE = (  # a record a revisit may refer to: whole, and not a revisit itself
        Capture.revisit_of_id.is_(None),
        Capture.warc_record_id.is_not(None),
        Capture.truncated.is_(None),
    )
    # One digest, as the crawl asks inline on SQLite: the earliest row only.  A
    # shared stylesheet or logo has a capture for every crawl that met it, and
    # reading all of them back on every lookup grows with the archive.
    _ONE = (
        select(*_COLUMNS)
        .where(Capture.payload_digest == bindparam("digest"), *_FULL_RESPONSE)
        .order_by(Capture.captured_at)
        .limit(1)
    )
    # The same on SQLite, run on the driver's connection: SQLAlchemy's execute
    # is not in the way of a question asked once per response.
    _ONE_SQLITE = _positional(_ONE)
    _MANY = (
        select(*_COLUMNS)
        .where(Capture.payload_digest.in_(bindparam("digests", expanding=True)), *_FULL_RESPONSE)
        .order_by(Capture.captured_at)
    )
    # PostgreSQL, where the crawler asks in batches: one array parameter (no
    # statement rendered per batch size) and one row per digest (DISTINCT ON),
    # not every capture of a stylesheet that every crawl met
    _MANY_PG = (
        select(*_COLUMNS)
        .where(
            Capture.payload_digest == any_(bindparam("digests", type_=ARRAY(String))),
            *_FULL_RESPONSE,
        )
        .ext(distinct_on(Capture.payload_digest))
        .order_by(Capture.payload_digest, Capture.captured_at)
    )

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._conn: Connection | None = None
        # SQLite answers in microseconds, in process; a server costs a round trip
        self.blocking = not rt.is_sqlite

    def _connection(self) -> Connection:
        if self._conn is None:
            conn = self.rt.engine().connect()
            self._conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        return self._conn

    def lookup_many(self, digests: Sequence[str]) -> dict[str, KnownPayload]:
        """The earliest full response for each of several digests, in one query."""
        try:
            rows = self._query_many(digests)
        except DBAPIError:
            self.close()
            rows = self._query_many(digests)
        return _first_per_digest(rows)

    def _query_many(
        self, digests: Sequence[str]
    ) -> Sequence[Row[str | None, str, datetime, str | None]]:
        stmt = self._MANY if self.rt.is_sqlite else self._MANY_PG
        return self._connection().execute(stmt, {"digests": list(digests)}).all()

    def lookup(self, payload_digest: str) -> KnownPayload | None:
        if self.rt.is_sqlite:
            sql, args, at = self._ONE_SQLITE
            args = list(args)
            args[at] = payload_digest
            found = self._sqlite().execute(sql, args).fetchone()
            if found is None:
                return None
            return KnownPayload(found[1], _sqlite_time(found[2]), found[3])
        try:
            row = self._query_one(payload_digest)
        except DBAPIError:
            self.close()
            row = self._query_one(payload_digest)
        return _first_per_digest([row]).get(payload_digest) if row is not None else None

    def _sqlite(self) -> sqlite3.Connection:
        raw = self._connection().connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        return raw

    def _query_one(self, digest: str) -> Row[str | None, str, datetime, str | None] | None:
        return self._connection().execute(self._ONE, {"digest": digest}).first()

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(DBAPIError):
                self._conn.close()
            self._conn = None


class CommittingSink:
    """Commits each closed WARC file; on a store failure it stays in the spool.

    Commits run on a thread of their own, one file at a time in the order
    they closed: uploading a large file to a remote store takes seconds, and
    the crawl (on the reactor thread) goes on meanwhile instead of stalling
    at every rollover.  ``wait`` returns once every handed-over file is
    committed or left in the spool; ``waiting`` and ``store_error`` then say
    what stayed there and why, as a spool flush would (the next flush commits it).
    """

    def __init__(self, rt: Runtime, *, background: bool = True) -> None:
        self.rt = rt
        self.committed = 0
        self.waiting: list[Path] = []
        self.store_error: str | None = None
        self._pool = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="citevault-commit")
            if background
            else None
        )
        self._pending: list[Future[None]] = []

    def closed(self, path: Path, index: IndexedWarc | None = None) -> None:
        if self._pool is None:
            self._commit(path, index)
        else:
            self._pending.append(self._pool.submit(self._commit, path, index))

    def wait(self) -> None:
        for pending in self._pending:
            pending.result()  # _commit logs and keeps its own errors
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def _commit(self, path: Path, index: IndexedWarc | None) -> None:
        try:
            commit_warc(self.rt, path, index)
            self.committed += 1
        except StoreError as exc:
            log.error("store unavailable, %s stays in the spool: %s", path.name, exc.message)
            self.store_error = exc.message
            self.waiting.append(path)
        except (DatabaseError, OperationalError, InterfaceError) as exc:
            log.error("database unavailable, %s stays in the spool: %s", path.name, exc)
            self.store_error = f"database: {exc}".splitlines()[0]
            self.waiting.append(path)
        except Exception:
            # Database down or anything else: the file is still in the spool, and
            # the next flush commits it; the crawl itself goes on.
            log.exception("could not commit %s; it stays in the spool", path.name)
            self.waiting.append(path)
