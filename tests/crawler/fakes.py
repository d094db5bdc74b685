"""In-memory stand-ins for the archive side of the capture contract.

The crawler only sees ``archive.capture.contract``'s protocols; these record
every call so that tests can check what the crawler reported, in what order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from archive.capture.contract import IndexedWarc, JobSpec, KnownPayload


@dataclass
class ListJobSource:
    """Hands out ``jobs`` in order, ``limit`` at a time; records fails and heartbeats."""

    jobs: list[JobSpec]
    leases: list[int] = field(default_factory=list)
    failures: list[tuple[int, str, bool]] = field(default_factory=list)
    heartbeats: list[list[int]] = field(default_factory=list)

    def lease(self, limit: int) -> list[JobSpec]:
        taken, self.jobs = self.jobs[:limit], self.jobs[limit:]
        self.leases.append(len(taken))
        return taken

    def fail(self, job_id: int, reason: str, *, retryable: bool) -> None:
        self.failures.append((job_id, reason, retryable))

    def heartbeat(self, job_ids: list[int]) -> None:
        self.heartbeats.append(list(job_ids))


@dataclass
class DictDigestIndex:
    """Payloads "already in the archive", by digest; records every lookup."""

    known: dict[str, KnownPayload] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    blocking: bool = False  # True: the crawler asks from its lookup thread
    batches: list[int] = field(default_factory=list)  # sizes of lookup_many calls

    def lookup(self, payload_digest: str) -> KnownPayload | None:
        self.lookups.append(payload_digest)
        return self.known.get(payload_digest)

    def lookup_many(self, digests: list[str]) -> dict[str, KnownPayload]:
        self.batches.append(len(digests))
        return {d: known for d in digests if (known := self.lookup(d)) is not None}


@dataclass
class ListSink:
    """Collects closed WARC paths; checks each is complete when handed over."""

    paths: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    indexes: list[IndexedWarc | None] = field(default_factory=list)

    def closed(self, path: Path, index: IndexedWarc | None = None) -> None:
        if not path.exists():
            self.problems.append(f"{path} does not exist when handed over")
        if path.name.endswith(".open") or not path.name.endswith(".warc.gz"):
            self.problems.append(f"{path} is not a closed .warc.gz file")
        self.paths.append(path)
        self.indexes.append(index)
