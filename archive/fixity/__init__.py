"""Fixity: re-reading what citevault stored, to prove it is still what was recorded.

Every WARC file is re-hashed against ``warc_files.sha256`` and its size, each
capture's byte range is parsed as the record its row claims, every document
version's bytes are re-hashed, and the store's listing is compared with the
database for objects nothing refers to.  ``citevault verify`` and the
scheduler's ``verify`` action both run it through ``verify_run``.
"""

from __future__ import annotations

from collections.abc import Callable

from archive.clock import Clock, SystemClock
from archive.fixity import runs
from archive.fixity.audit import Audit, Checked
from archive.fixity.result import CORRUPT, MISSING, ORPHANED, Finding, VerifyResult
from archive.fixity.throttle import Throttle
from archive.runtime import Runtime
from archive.settings import Settings

__all__ = [
    "CORRUPT",
    "MISSING",
    "ORPHANED",
    "Checked",
    "Finding",
    "VerifyResult",
    "run_scheduled",
    "verify_run",
]

MB = 1_000_000


def verify_run(
    rt: Runtime,
    run_id: int,
    *,
    rate_mb_per_second: float | None = None,
    on_checked: Callable[[Checked], None] | None = None,
    clock: Clock | None = None,
) -> VerifyResult:
    """Go on with run ``run_id`` where it stopped and return what it found.

    ``rate_mb_per_second`` overrides ``fixity.rate_mb_per_second``;
    ``on_checked`` hears of every object once its check is committed.
    """
    rate = (
        rt.settings.fixity.rate_mb_per_second if rate_mb_per_second is None else rate_mb_per_second
    )
    audit = Audit(
        rt.sessions(), rt.store(), clock or SystemClock(), Throttle(rate * MB), on_checked
    )
    return audit.run(run_id)


def run_scheduled(settings: Settings, *, sample: float, run_key: str) -> VerifyResult:
    """The scheduler's ``verify`` action: one run per ``run_key``.

    Called again with the same key (the scheduler died and runs the tick
    again), it goes on with that run where it stopped, or returns it as it
    ended; the sample is the one the run began with.
    """
    rt = Runtime(settings)
    try:
        clock = SystemClock()
        run_id = runs.keyed_run(rt.sessions(), clock, sample, run_key)
        return verify_run(rt, run_id, clock=clock)
    finally:
        rt.close()
