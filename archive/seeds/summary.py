"""What a seed run did: counts, the documents it added, and every failure with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archive.seeds.sources import Problem

OUTCOMES = ("new", "changed", "unchanged", "failed", "skipped", "excluded", "too_old")


@dataclass(frozen=True, slots=True)
class SeedProgress:
    """One entry handled, for a progress display."""

    seed: str
    url: str
    outcome: str  # one of OUTCOMES
    done: int  # entries of this seed handled so far
    total: int  # entries this seed's source listed
    detail: str | None = None  # the document id and version, or the reason


@dataclass
class SeedRunSummary:
    run_id: int | None = None
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    # Entries left alone on purpose: outside include/exclude, or older than lookback_days.
    excluded: int = 0
    too_old: int = 0
    # Requests that carried If-None-Match / If-Modified-Since (entries seen before).
    conditional_requests: int = 0
    captures_queued: int = 0
    failed: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    # {seed, url, document_id, version, outcome} of each new or changed document
    documents: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "counts": {
                "new": self.new,
                "changed": self.changed,
                "unchanged": self.unchanged,
                "failed": len(self.failed),
                "skipped": len(self.skipped),
                "excluded": self.excluded,
                "too_old": self.too_old,
            },
            "conditional_requests": self.conditional_requests,
            "captures_queued": self.captures_queued,
            "documents": self.documents,
            "failed": [p.to_json() for p in self.failed],
            "skipped": [p.to_json() for p in self.skipped],
        }
