"""The walk of a fixity run: WARC files, then documents, then the store's listing.

Rows are taken in id order in small batches, so the cursor (the last id
done) is all a resumed run needs.  The listing for orphans comes last and in
one go: it reads names, not bytes, and an object uploaded before its row is
committed (a worker between upload and commit) must not be called an orphan,
so every candidate is looked up again once the listing is done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from archive import metrics
from archive.clock import Clock
from archive.db.models import Capture, DocumentVersion, VerifyRun, WarcFile
from archive.db.models.captures import WarcState
from archive.errors import NotFoundError, ObjectNotFoundError
from archive.fixity import runs
from archive.fixity.records import RecordRef
from archive.fixity.result import CORRUPT, MISSING, ORPHANED, Finding, VerifyResult
from archive.fixity.stream import StreamOutcome, stream_check
from archive.fixity.throttle import Throttle
from archive.storage import ObjectStore

WARC_FILES = "warc_files"
DOCUMENTS = "documents"
ORPHANS = "orphans"
_BATCH = 100
_LIST_BATCH = 500


@dataclass(frozen=True, slots=True)
class Checked:
    """One object whose check was just committed: for progress lines and for tests."""

    subject: str
    store_key: str
    size: int
    problems: int


@dataclass(frozen=True, slots=True)
class _Target:
    row_id: int
    store_key: str
    size: int
    sha256: str


class Audit:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        store: ObjectStore,
        clock: Clock,
        throttle: Throttle,
        on_checked: Callable[[Checked], None] | None = None,
    ) -> None:
        self.sessions = sessions
        self.store = store
        self.clock = clock
        self.throttle = throttle
        self.on_checked = on_checked

    def run(self, run_id: int) -> VerifyResult:
        """Go on with ``run_id`` from its cursor to the end; a finished run is only read."""
        with self.sessions() as session:
            run = session.get(VerifyRun, run_id)
            if run is None:
                raise NotFoundError(f"no verify run #{run_id}")
            phase, cursor, seed, sample = run.phase, run.cursor, run.seed, run.sample
            finished = run.state == runs.FINISHED
        if not finished:
            if phase == WARC_FILES:
                self._objects(run_id, WARC_FILES, cursor, seed, sample)
                phase, cursor = DOCUMENTS, 0
            if phase == DOCUMENTS:
                self._objects(run_id, DOCUMENTS, cursor, seed, sample)
            self._orphans(run_id)
        return runs.load_result(self.sessions, run_id)

    def _batch(self, subject: str, after: int) -> list[_Target]:
        with self.sessions() as session:
            if subject == WARC_FILES:
                query = (
                    select(WarcFile.id, WarcFile.store_key, WarcFile.size, WarcFile.sha256)
                    .where(WarcFile.state == WarcState.STORED, WarcFile.id > after)
                    .order_by(WarcFile.id)
                )
            else:
                query = (
                    select(
                        DocumentVersion.id,
                        DocumentVersion.store_key,
                        DocumentVersion.size,
                        DocumentVersion.sha256,
                    )
                    .where(DocumentVersion.id > after)
                    .order_by(DocumentVersion.id)
                )
            return [_Target(*row) for row in session.execute(query.limit(_BATCH))]

    def _objects(self, run_id: int, subject: str, cursor: int, seed: str, sample: float) -> None:
        next_phase = DOCUMENTS if subject == WARC_FILES else ORPHANS
        while batch := self._batch(subject, cursor):
            for target in batch:
                cursor = target.row_id
                kind = "warc_file" if subject == WARC_FILES else "document_version"
                if not runs.is_chosen(seed, sample, kind, target.row_id):
                    continue
                records = self._records(target.row_id) if subject == WARC_FILES else []
                findings, outcome = self._check(kind, target, records)
                runs.record_progress(
                    self.sessions,
                    self.clock,
                    run_id,
                    cursor=cursor,
                    objects=1,
                    size=outcome.size if outcome else 0,
                    records=outcome.records_checked if outcome else 0,
                    findings=findings,
                )
                metrics.fixity_result(findings[0].problem if findings else "ok")
                if self.on_checked is not None:
                    size = outcome.size if outcome else 0
                    self.on_checked(Checked(kind, target.store_key, size, len(findings)))
            # Rows the sample left out move the cursor too, once per batch.
            runs.record_progress(self.sessions, self.clock, run_id, cursor=cursor)
        runs.record_progress(self.sessions, self.clock, run_id, cursor=0, phase=next_phase)

    def _records(self, warc_file_id: int) -> list[RecordRef]:
        with self.sessions() as session:
            rows = session.execute(
                select(
                    Capture.id,
                    Capture.url,
                    Capture.warc_offset,
                    Capture.warc_length,
                    Capture.warc_record_id,
                    Capture.payload_digest,
                )
                .where(
                    Capture.warc_file_id == warc_file_id,
                    Capture.warc_offset.is_not(None),
                    Capture.warc_length.is_not(None),
                )
                .order_by(Capture.warc_offset, Capture.id)
            )
            return [
                RecordRef(cid, url, offset or 0, length or 0, record_id, digest)
                for cid, url, offset, length, record_id, digest in rows
            ]

    def _check(
        self, kind: str, target: _Target, records: Sequence[RecordRef]
    ) -> tuple[list[Finding], StreamOutcome | None]:
        key = target.store_key
        try:
            outcome = stream_check(self.store.read_chunks(key), records, self.throttle)
        except ObjectNotFoundError:
            pointing = f"; {len(records)} captures point into it" if records else ""
            detail = f"{kind.replace('_', ' ')} #{target.row_id} is not in the store{pointing}"
            return [Finding(MISSING, kind, key, target.row_id, detail)], None
        findings = []
        if (outcome.sha256, outcome.size) != (target.sha256, target.size) and records:
            # The bytes changed since capture: read them again, each record
            # whole and its payload re-hashed, to name the captures hit.
            again = stream_check(
                self.store.read_chunks(key), records, self.throttle, whole_records=True
            )
            outcome.bad_records, outcome.records_checked = again.bad_records, again.records_checked
        if (outcome.sha256, outcome.size) != (target.sha256, target.size):
            findings.append(
                Finding(
                    CORRUPT,
                    kind,
                    key,
                    target.row_id,
                    f"holds {outcome.size} bytes with sha256 {outcome.sha256}; the database "
                    f"records {target.size} bytes with sha256 {target.sha256}",
                )
            )
        for ref, why in outcome.bad_records:
            findings.append(
                Finding(
                    CORRUPT,
                    "capture",
                    key,
                    ref.capture_id,
                    f"capture #{ref.capture_id} at offset {ref.offset}: {why}",
                )
            )
        return findings, outcome

    def _listed(self) -> Iterator[list[str]]:
        batch: list[str] = []
        for key in self.store.iter_keys():
            if any(part.startswith(".") for part in key.split("/")):
                continue  # the store's own probes and bookkeeping, never an object
            batch.append(key)
            if len(batch) >= _LIST_BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def _known(self, keys: list[str]) -> set[str]:
        with self.sessions() as session:
            known = set(
                session.scalars(select(WarcFile.store_key).where(WarcFile.store_key.in_(keys)))
            )
            known.update(
                session.scalars(
                    select(DocumentVersion.store_key).where(DocumentVersion.store_key.in_(keys))
                )
            )
        return known

    def _orphans(self, run_id: int) -> None:
        candidates: list[str] = []
        listed = 0
        for batch in self._listed():
            listed += len(batch)
            known = self._known(batch)
            candidates.extend(key for key in batch if key not in known)
        late = set()
        for start in range(0, len(candidates), _LIST_BATCH):
            late |= self._known(candidates[start : start + _LIST_BATCH])
        findings = [
            Finding(
                ORPHANED, "object", key, None, "in the store, but no row of the database names it"
            )
            for key in candidates
            if key not in late
        ]
        metrics.fixity_result(ORPHANED, len(findings))
        runs.record_progress(
            self.sessions,
            self.clock,
            run_id,
            cursor=0,
            keys=listed,
            findings=findings,
            phase="done",
            finished=True,
        )
