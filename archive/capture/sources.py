"""Database-backed implementations of the crawler contract.

The crawler process builds these from the same settings as the CLI, so that
leasing, failure reporting, revisit lookups and commits all go through the
system of record.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import select

from archive.capture import queue
from archive.capture.commit import commit_warc
from archive.capture.contract import JobSpec, KnownPayload
from archive.db.models import Capture
from archive.errors import StoreError
from archive.runtime import Runtime

log = logging.getLogger(__name__)


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

    def lease(self, limit: int) -> list[JobSpec]:
        with self.rt.sessions()() as session:
            return queue.lease(
                session,
                self.owner,
                limit,
                lease_seconds=self.lease_seconds,
                document_id=self.document_id,
                job_ids=self.job_ids,
            )

    def fail(self, job_id: int, reason: str, *, retryable: bool) -> None:
        with self.rt.sessions()() as session:
            queue.fail(session, job_id, reason, retryable=retryable)

    def heartbeat(self, job_ids: list[int]) -> None:
        # All of this owner's leases, including fetched jobs whose WARC file is
        # not closed yet; ``job_ids`` (those in flight) is a subset of them.
        with self.rt.sessions()() as session:
            queue.heartbeat(session, self.owner, None, self.lease_seconds)


class DatabaseDigestIndex:
    """Finds an earlier full response with the same payload digest."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def lookup(self, payload_digest: str) -> KnownPayload | None:
        with self.rt.sessions()() as session:
            row = session.scalars(
                select(Capture)
                .where(
                    Capture.payload_digest == payload_digest,
                    Capture.revisit_of_id.is_(None),
                    Capture.warc_record_id.is_not(None),
                    Capture.truncated.is_(None),
                )
                .order_by(Capture.captured_at)
                .limit(1)
            ).first()
            if row is None or row.warc_record_id is None:
                return None
            date = row.captured_at.strftime("%Y-%m-%dT%H:%M:%SZ")
            return KnownPayload(uri=row.url, date=date, record_id=row.warc_record_id)


class CommittingSink:
    """Commits each closed WARC file at once; on a store failure it stays in the spool."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.committed = 0
        self.waiting: list[Path] = []

    def closed(self, path: Path) -> None:
        try:
            commit_warc(self.rt, path)
            self.committed += 1
        except StoreError as exc:
            log.error("store unavailable, %s stays in the spool: %s", path.name, exc.message)
            self.waiting.append(path)
        except Exception:
            # Database down or anything else: the file is still in the spool, and
            # the next flush commits it; the crawl itself goes on.
            log.exception("could not commit %s; it stays in the spool", path.name)
            self.waiting.append(path)
