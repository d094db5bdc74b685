"""The local spool: WARC files waiting for the store.

The crawler writes ``*.warc.gz.open`` and renames a file to ``*.warc.gz`` when
it is closed; only closed files are committed.  When the store is down the
files simply stay here, and the next worker to run commits them.  Nothing is
deleted from the spool before the store has it and the database records it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from archive.capture.commit import CommitResult, commit_warc
from archive.errors import DamagedWarcError, StoreError
from archive.runtime import Runtime

log = logging.getLogger(__name__)

CLOSED_SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".warc.gz.open"


def spool_dir(rt: Runtime) -> Path:
    path = rt.settings.data_dir.expanduser() / "spool"
    path.mkdir(parents=True, exist_ok=True)
    (path / "damaged").mkdir(exist_ok=True)
    return path


def closed_files(spool: Path) -> list[Path]:
    return sorted(p for p in spool.glob(f"*{CLOSED_SUFFIX}") if p.is_file())


def open_files(spool: Path) -> list[Path]:
    return sorted(spool.glob(f"*{OPEN_SUFFIX}"))


@dataclass
class FlushReport:
    committed: list[CommitResult] = field(default_factory=list)
    waiting: list[Path] = field(default_factory=list)
    damaged: list[Path] = field(default_factory=list)
    store_error: str | None = None


def flush(rt: Runtime, spool: Path | None = None) -> FlushReport:
    """Commit every closed file in the spool; stop at the first store failure."""
    spool = spool or spool_dir(rt)
    report = FlushReport()
    files = closed_files(spool)
    for index, path in enumerate(files):
        try:
            report.committed.append(commit_warc(rt, path))
        except DamagedWarcError as exc:
            target = spool / "damaged" / path.name
            path.rename(target)
            report.damaged.append(target)
            log.error("moved damaged WARC %s aside: %s", path.name, exc.message)
        except StoreError as exc:
            report.store_error = exc.message
            report.waiting = files[index:]
            break
        except FileNotFoundError:
            continue  # another worker on this machine committed it first
    return report
