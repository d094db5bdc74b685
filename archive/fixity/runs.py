"""Verify runs in the database: started, found again, advanced, read back.

Every checked object is committed with the cursor past it, its counts and
its findings in one transaction, so an interruption at any moment loses at
most the object being read, and nothing is counted twice when the run goes on.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError as SqlIntegrityError
from sqlalchemy.orm import Session, sessionmaker

from archive.clock import Clock
from archive.db.models import VerifyFinding, VerifyRun
from archive.errors import InputError, NotFoundError
from archive.fixity.result import Finding, VerifyResult

RUNNING = "running"
FINISHED = "finished"


def check_sample(sample: float) -> float:
    if not 0 < sample <= 1:
        raise InputError(
            f"sample {sample} is not a fraction in (0, 1]",
            hint="--sample 0.05 reads 5% of the objects; --all reads every one",
        )
    return sample


def start_run(
    sessions: sessionmaker[Session], clock: Clock, sample: float, run_key: str | None = None
) -> int:
    now = clock.now()
    with sessions() as session, session.begin():
        run = VerifyRun(
            run_key=run_key,
            sample=check_sample(sample),
            seed=secrets.token_hex(8),
            state=RUNNING,
            phase="warc_files",
            cursor=0,
            objects_checked=0,
            bytes_checked=0,
            records_checked=0,
            keys_listed=0,
            started_at=now,
            updated_at=now,
        )
        session.add(run)
        session.flush()
        return run.id


def keyed_run(sessions: sessionmaker[Session], clock: Clock, sample: float, run_key: str) -> int:
    """The run of ``run_key``, started now if there is none yet (also when two callers race)."""
    for _ in range(2):
        with sessions() as session:
            found = session.scalar(select(VerifyRun.id).where(VerifyRun.run_key == run_key))
        if found is not None:
            return found
        try:
            return start_run(sessions, clock, sample, run_key)
        except SqlIntegrityError:
            continue  # started by the other caller between our look and our insert
    raise AssertionError(f"verify run {run_key!r} neither found nor started")


def latest_unfinished(sessions: sessionmaker[Session]) -> int | None:
    """The newest run started from the command line that did not finish."""
    with sessions() as session:
        return session.scalar(
            select(VerifyRun.id)
            .where(VerifyRun.run_key.is_(None), VerifyRun.state == RUNNING)
            .order_by(VerifyRun.id.desc())
            .limit(1)
        )


def is_chosen(seed: str, sample: float, subject: str, row_id: int) -> bool:
    """Whether the run with ``seed`` reads this row's object: the same answer every time
    it is asked, so a resumed run keeps the sample it began with."""
    if sample >= 1:
        return True
    point = hashlib.sha256(f"{seed}:{subject}:{row_id}".encode()).digest()[:8]
    return int.from_bytes(point, "big") / 2**64 < sample


def record_progress(
    sessions: sessionmaker[Session],
    clock: Clock,
    run_id: int,
    *,
    cursor: int,
    objects: int = 0,
    size: int = 0,
    records: int = 0,
    keys: int = 0,
    findings: Sequence[Finding] = (),
    phase: str | None = None,
    finished: bool = False,
) -> None:
    now = clock.now()
    values: dict[str, object] = {
        "cursor": cursor,
        "objects_checked": VerifyRun.objects_checked + objects,
        "bytes_checked": VerifyRun.bytes_checked + size,
        "records_checked": VerifyRun.records_checked + records,
        "keys_listed": VerifyRun.keys_listed + keys,
        "updated_at": now,
    }
    if phase is not None:
        values["phase"] = phase
    if finished:
        values.update(state=FINISHED, finished_at=now)
    with sessions() as session, session.begin():
        session.execute(update(VerifyRun).where(VerifyRun.id == run_id).values(**values))
        session.add_all(
            VerifyFinding(
                run_id=run_id,
                problem=f.problem,
                subject=f.subject,
                row_id=f.row_id,
                store_key=f.store_key,
                detail=f.detail,
                found_at=now,
            )
            for f in findings
        )


def load_result(sessions: sessionmaker[Session], run_id: int) -> VerifyResult:
    with sessions() as session:
        run = session.get(VerifyRun, run_id)
        if run is None:
            raise NotFoundError(f"no verify run #{run_id}")
        rows = session.scalars(
            select(VerifyFinding).where(VerifyFinding.run_id == run_id).order_by(VerifyFinding.id)
        )
        findings = [Finding(r.problem, r.subject, r.store_key, r.row_id, r.detail) for r in rows]
        return VerifyResult(
            run_id=run.id,
            run_key=run.run_key,
            sample=run.sample,
            state=run.state,
            started_at=run.started_at,
            finished_at=run.finished_at,
            objects_checked=run.objects_checked,
            bytes_checked=run.bytes_checked,
            records_checked=run.records_checked,
            keys_listed=run.keys_listed,
            findings=findings,
        )
