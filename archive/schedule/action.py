"""What an action is; the registry of them is ``archive.schedule.actions``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import Document, Schedule
from archive.settings import Settings

if TYPE_CHECKING:
    from archive.schedule.lease import TickLease


class Chunk(NamedTuple):
    """What writing one chunk of a tick's jobs did."""

    jobs: int  # jobs it wrote
    through: int | None  # the last citation id it covered; None when there was none
    last: bool  # no citation comes after it: the tick's jobs are all written


# Writes the jobs of the next ``limit`` citations with an id above ``after``
# (0 at the start), in the caller's transaction (commits nothing itself).  The
# scheduler calls it chunk after chunk, each in its own transaction, after the
# tick's claim: a job's key names the tick and the citation, so a chunk
# written again (its scheduler died before recording it) adds nothing.
Expand = Callable[[Session, Schedule, datetime, int, int], Chunk]
# Work that cannot live in one transaction (network fetches), run after the
# claim commits.  A scheduler that dies leaves the tick unfinished and the next
# one runs it again, so a runner's writes must be idempotent (unique keys).  A
# runner that may outlast the lease renews it between units of work.
Run = Callable[[Settings, Schedule, datetime, "TickLease"], None]
# Refuses a schedule the action cannot work on (an InputError), before it is stored.
Validate = Callable[[Session, Schedule], None]


def accepts_any(session: Session, schedule: Schedule) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    summary: str
    expand: Expand | None = None
    run: Run | None = None
    validate: Validate = accepts_any


def target_documents(session: Session, schedule: Schedule) -> list[str]:
    """The ids of the documents a schedule acts on: its one, or every document."""
    if schedule.document_id is not None:
        return [schedule.document_id]
    return list(session.scalars(select(Document.id).order_by(Document.id)))
