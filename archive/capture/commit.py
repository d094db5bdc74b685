"""Store, then record: a closed WARC file becomes capture rows only once it is safe.

The file is uploaded and verified first; the WarcFile row, its capture rows,
the citation links and the job state changes are then committed in one
transaction; only after that commit is the spool copy deleted.  A crash at
any point therefore leaves either the file in the spool (committed by the next
worker, idempotently) or a complete capture, never a row pointing at missing
bytes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError as DBIntegrityError

from archive import metrics
from archive.capture.contract import IndexedWarc
from archive.capture.indexer import index_warc
from archive.capture.rows import record_rows
from archive.db.base import utcnow
from archive.db.models import WarcFile
from archive.db.models.captures import WarcState
from archive.errors import IntegrityError
from archive.logs import ids
from archive.runtime import Runtime
from archive.storage.base import sha256_file

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CommitResult:
    path: Path
    store_key: str
    captures: int
    jobs_done: int
    already: bool = False


def warc_key(indexed: IndexedWarc, name: str) -> str:
    when = indexed.first_date or utcnow()
    return f"warcs/{when:%Y/%m/%d}/{name}"


def commit_warc(rt: Runtime, path: Path, indexed: IndexedWarc | None = None) -> CommitResult:
    """Upload, verify and record one closed WARC file, then remove it from the spool.

    ``indexed`` is the index its writer kept; without it the file is read back.
    """
    if indexed is None:
        indexed = index_warc(path)
    sha256, size = indexed.file_digest or sha256_file(path)
    key = warc_key(indexed, path.name)
    sessions = rt.sessions()
    with sessions() as session:
        existing = session.scalars(select(WarcFile).where(WarcFile.store_key == key)).first()
        if existing is not None:
            if existing.sha256 != sha256:
                raise IntegrityError(
                    f"{key} is already recorded with other content (sha256 {existing.sha256})",
                    hint="WARC file names must be unique; keep this file for inspection",
                )
            path.unlink(missing_ok=True)  # committed before a crash; the spool copy is spare
            return CommitResult(path, key, 0, 0, already=True)

    rt.store().put_file(key, path, (sha256, size))  # verified there, once

    try:
        with sessions() as session, session.begin():
            wf = WarcFile(
                store_key=key,
                filename=path.name,
                size=size,
                sha256=sha256,
                record_count=indexed.record_count,
                state=WarcState.STORED,
                stored_at=utcnow(),
            )
            session.add(wf)
            session.flush()
            recorded = record_rows(session, indexed, wf.id)
    except DBIntegrityError:
        # Another worker committed the same spool file at the same moment.
        with sessions() as session:
            if session.scalars(select(WarcFile).where(WarcFile.store_key == key)).first():
                path.unlink(missing_ok=True)
                return CommitResult(path, key, 0, 0, already=True)
        raise
    path.unlink(missing_ok=True)
    log.info(
        "committed %s: %d capture(s), %d job(s) done",
        key,
        recorded.captures,
        recorded.jobs_done,
    )
    for job_id, document_id, capture_id in recorded.finished:
        log.info(
            "job %d captured: capture %d",
            job_id,
            capture_id,
            extra=ids(job_id=job_id, document_id=document_id, capture_id=capture_id),
        )
    metrics.bytes_written(size)
    metrics.capture_outcome(metrics.CAPTURED, recorded.jobs_done)
    return CommitResult(path, key, recorded.captures, recorded.jobs_done)
