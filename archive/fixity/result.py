"""What a fixity run reports: its counts and every problem it found.

The counts are plain fields so that whatever watches the service (a metrics
hook, the scheduler's log) can read them without parsing the findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MISSING = "missing"
CORRUPT = "corrupt"
ORPHANED = "orphaned"
PROBLEMS = (MISSING, CORRUPT, ORPHANED)


@dataclass(frozen=True, slots=True)
class Finding:
    problem: str  # missing, corrupt or orphaned
    subject: str  # warc_file, capture, document_version or object
    store_key: str
    row_id: int | None
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {
            "problem": self.problem,
            "subject": self.subject,
            "store_key": self.store_key,
            "row_id": self.row_id,
            "detail": self.detail,
        }


@dataclass(slots=True)
class VerifyResult:
    run_id: int
    run_key: str | None
    sample: float
    state: str  # running (interrupted, resumable) or finished
    started_at: datetime
    finished_at: datetime | None
    objects_checked: int
    bytes_checked: int
    records_checked: int
    keys_listed: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.state == "finished"

    @property
    def ok(self) -> bool:
        return not self.findings

    def count(self, problem: str) -> int:
        return sum(1 for f in self.findings if f.problem == problem)

    @property
    def missing(self) -> int:
        return self.count(MISSING)

    @property
    def corrupt(self) -> int:
        return self.count(CORRUPT)

    @property
    def orphaned(self) -> int:
        return self.count(ORPHANED)

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "run_key": self.run_key,
            "sample": self.sample,
            "state": self.state,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "objects_checked": self.objects_checked,
            "bytes_checked": self.bytes_checked,
            "records_checked": self.records_checked,
            "keys_listed": self.keys_listed,
            "counts": {problem: self.count(problem) for problem in PROBLEMS},
            "ok": self.ok,
            "findings": [f.to_json() for f in self.findings],
        }
