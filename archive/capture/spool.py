"""The local spool: WARC files waiting for the store.

The crawler writes ``*.warc.gz.open`` and renames a file to ``*.warc.gz`` when
it is closed; only closed files are committed, and files left open by a
crawler that died are salvaged first (``archive.capture.salvage``).  When the
store is down the files simply stay here, and the next worker to run commits
them.  Nothing is deleted from the spool before the store has it and the
database records it.

A file that cannot be committed for any reason of its own (damaged, a value
the database refuses, a record the indexer trips on) is moved to
``spool/damaged`` with a ``.reason`` file beside it, and the flush goes on: one
bad file must never hold back the rest of the spool or every later capture.
Only an outage (the store, or the database connection) stops a flush, since
then every file would fail alike and each is retried later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import InterfaceError, OperationalError

from archive.capture.commit import CommitResult, commit_warc
from archive.capture.contract import CLOSED_SUFFIX, OPEN_SUFFIX
from archive.capture.salvage import salvage
from archive.errors import DatabaseError, IntegrityError, StoreError
from archive.runtime import Runtime

log = logging.getLogger(__name__)

QUARANTINE = "damaged"
REASON_SUFFIX = ".reason"


def spool_dir(rt: Runtime) -> Path:
    path = rt.settings.data_dir.expanduser() / "spool"
    path.mkdir(parents=True, exist_ok=True)
    (path / QUARANTINE).mkdir(exist_ok=True)
    return path


def closed_files(spool: Path) -> list[Path]:
    return sorted(p for p in spool.glob(f"*{CLOSED_SUFFIX}") if p.is_file())


def open_files(spool: Path) -> list[Path]:
    return sorted(spool.glob(f"*{OPEN_SUFFIX}"))


def quarantine(spool: Path, path: Path, reason: str) -> Path:
    """Move ``path`` aside with its reason; the reason file is written first."""
    folder = spool / QUARANTINE
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    (folder / (path.name + REASON_SUFFIX)).write_text(reason.strip() + "\n", encoding="utf-8")
    path.rename(target)
    log.error("moved %s aside to %s: %s", path.name, folder, reason)
    return target


def quarantined(spool: Path) -> list[tuple[Path, str]]:
    """Files moved aside, each with the reason it could not be committed."""
    found = []
    for path in sorted((spool / QUARANTINE).glob(f"*{CLOSED_SUFFIX}")):
        note = path.with_name(path.name + REASON_SUFFIX)
        reason = note.read_text(encoding="utf-8").strip() if note.exists() else "no reason kept"
        found.append((path, reason))
    return found


@dataclass
class FlushReport:
    committed: list[CommitResult] = field(default_factory=list)
    waiting: list[Path] = field(default_factory=list)
    damaged: list[Path] = field(default_factory=list)
    salvaged: list[Path] = field(default_factory=list)
    store_error: str | None = None


def flush(rt: Runtime, spool: Path | None = None) -> FlushReport:
    """Salvage abandoned files, then commit every closed one; stop only at an outage."""
    spool = spool or spool_dir(rt)
    report = FlushReport()
    for path in open_files(spool):
        closed = salvage(path)
        if closed is not None:
            report.salvaged.append(closed)
    files = closed_files(spool)
    for index, path in enumerate(files):
        try:
            report.committed.append(commit_warc(rt, path))
        except IntegrityError as exc:  # damaged, or a name already taken by other bytes
            report.damaged.append(quarantine(spool, path, exc.message))
        except StoreError as exc:
            report.store_error = exc.message
            report.waiting = files[index:]
            break
        except (DatabaseError, OperationalError, InterfaceError) as exc:
            report.store_error = f"database: {exc}".splitlines()[0]
            report.waiting = files[index:]
            break
        except FileNotFoundError:
            continue  # another worker on this machine committed it first
        except Exception as exc:  # anything else is this file's own problem
            reason = f"cannot commit: {type(exc).__name__}: {exc}".splitlines()[0][:2000]
            report.damaged.append(quarantine(spool, path, reason))
    return report
