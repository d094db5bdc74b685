"""Jobs of a crawler that died: back to the queue at once, charged only if in flight.

A crawler's leases name it ``host:pid``.  When it dies, whoever notices (the
CLI process that started it, or the next crawler to start on the same host)
first salvages and commits its WARC files (``spool.flush``), so that every
job whose page made it to disk is done, and then gives the remaining leases
back instead of leaving them to run out.

Which of them were in flight is what the crawler wrote, as it went, to its
journal in the spool (``started-<owner>.jobs``, one job id a line, appended
when the answer to a job's page request starts arriving: a job can bring its
crawler down only through what it receives, while those merely queued in the
downloader or waiting for a connection cannot).  A plain append costs no
database round trip and survives ``kill -9`` (the data is in the page cache);
only a power cut may lose the last lines, and then those jobs are refunded
rather than charged.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path

from archive.capture import queue
from archive.runtime import Runtime

log = logging.getLogger(__name__)


def local_owner(pid: int) -> str:
    """The lease owner name of a crawler process on this host."""
    return f"{socket.gethostname()}:{pid}"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def journal_path(spool: Path, owner: str) -> Path:
    return spool / f"started-{_safe(owner)}.jobs"


def read_journal(path: Path) -> set[int]:
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return set()
    return {int(line) for line in text.split() if line.isdigit()}


@dataclass(frozen=True, slots=True)
class Reclaimed:
    refunded: list[int]
    charged: list[int]

    @property
    def count(self) -> int:
        return len(self.refunded) + len(self.charged)


def reclaim(rt: Runtime, spool: Path, owner: str, why: str) -> Reclaimed:
    """Return a dead crawler's leases; call after flushing its spool."""
    journal = journal_path(spool, owner)
    started = read_journal(journal)
    with rt.sessions()() as session:
        refunded, charged = queue.release(session, owner, started, why)
    journal.unlink(missing_ok=True)
    if refunded or charged:
        log.warning(
            "crawler %s stopped (%s): %d job(s) back in the queue, %d of them charged an attempt",
            owner,
            why,
            len(refunded) + len(charged),
            len(charged),
        )
    return Reclaimed(refunded, charged)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def reclaim_dead_local(rt: Runtime, spool: Path) -> Reclaimed:
    """Return the leases of crawlers on this host whose process is gone."""
    host = socket.gethostname()
    refunded: list[int] = []
    charged: list[int] = []
    with rt.sessions()() as session:
        owners = queue.leased_owners(session)
    for owner in owners:
        name, _, pid = owner.rpartition(":")
        if name != host or not pid.isdigit() or _alive(int(pid)):
            continue
        got = reclaim(rt, spool, owner, "its process is gone")
        refunded += got.refunded
        charged += got.charged
    # Journals of crawlers that ended without leases left are spent.
    for journal in spool.glob(f"started-{_safe(host)}_*.jobs"):
        pid = journal.stem.rpartition("_")[2]
        if pid.isdigit() and not _alive(int(pid)):
            journal.unlink(missing_ok=True)
    return Reclaimed(refunded, charged)
