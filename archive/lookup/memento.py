"""Memento lookups: the TimeGate's negotiation in one statement, and TimeMaps.

On the ``(surt, captured_at)`` index, with the visibility rule of
``access.visible_captures``; URL repair and SURT keys are the index engine's
(``lookup.cdx``), shared with the CDX API and the replay feed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Select,
    bindparam,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from archive.db.models import Capture
from archive.lookup.access import visible_captures


@dataclass(frozen=True, slots=True)
class Memento:
    id: int
    url: str
    captured_at: datetime


@dataclass(frozen=True, slots=True)
class Negotiated:
    """The memento a TimeGate picked, and its neighbours for the ``Link`` header."""

    memento: Memento
    first: Memento
    last: Memento
    prev: Memento | None
    next: Memento | None


def _memento_query(privileged: bool) -> Select[int, str, datetime]:
    """Mementos of the URL whose SURT is the bound parameter ``key``."""
    return select(Capture.id, Capture.url, Capture.captured_at).where(
        Capture.surt == bindparam("key", type_=Capture.__table__.c.surt.type),
        Capture.http_status.is_not(None),
        visible_captures(privileged),
    )


def _earliest(stmt: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    return stmt.order_by(Capture.captured_at.asc(), Capture.id.asc())


def _latest(stmt: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    return stmt.order_by(Capture.captured_at.desc(), Capture.id.desc())


def _probe(base: Select[int, str, datetime], role: str, size: int) -> Select[*tuple[Any, ...]]:
    """A LIMIT probe tagged with its role, wrapped so SQLite accepts it inside UNION ALL."""
    inner = base.add_columns(literal_column(f"'{role}'").label("role")).limit(size).subquery()
    return select(inner.c.id, inner.c.url, inner.c.captured_at, inner.c.role)


@functools.cache
def _negotiation(privileged: bool, timed: bool) -> CompoundSelect[*tuple[Any, ...]]:
    """The TimeGate's statement, built once: building and cache-keying it cost more than running it.

    Its text never changes, so the driver prepares it and PostgreSQL plans it once per
    connection instead of once per request.
    """
    when = bindparam("when", type_=Capture.__table__.c.captured_at.type)
    base = _memento_query(privileged)
    probes = [_probe(_earliest(base), "first", 1)]
    if timed:
        probes += [
            _probe(_latest(base.where(Capture.captured_at <= when)), "older", 2),
            _probe(_earliest(base.where(Capture.captured_at > when)), "newer", 2),
            _probe(_latest(base), "last", 1),
        ]
    else:
        probes.append(_probe(_latest(base), "older", 2))
    return union_all(*probes)


def choose(rows: Iterable[Sequence[Any]], when: datetime | None) -> Negotiated | None:
    """The memento closest to ``when`` (the latest when None); a tie goes to the earlier.

    ``rows`` are ``(id, url, captured_at, role)`` as the negotiation returns them.
    """
    found: dict[str, list[Memento]] = {"first": [], "older": [], "newer": [], "last": []}
    for ident, url, captured_at, role in rows:
        found[role].append(Memento(ident, url, captured_at.astimezone(UTC)))
    below, above = found["older"], found["newer"]
    if not found["first"] or not (below or above):
        return None
    first = found["first"][0]
    last = found["last"][0] if found["last"] else below[0]
    if not below or (
        above and when is not None and above[0].captured_at - when < when - below[0].captured_at
    ):
        chosen, prev, nxt = above[0], (below[0] if below else None), _at(above, 1)
    else:
        chosen, prev, nxt = below[0], _at(below, 1), (above[0] if above else None)
    return Negotiated(chosen, first, last, prev, nxt)


def negotiate(
    session: Session | Connection, key: str, when: datetime | None, *, privileged: bool
) -> Negotiated | None:
    """The memento closest to ``when`` (the latest when None), and its neighbours.

    One statement of LIMIT probes of the ``(surt, captured_at)`` index joined
    by UNION ALL, rather than a scan: each probe touches a handful of index
    entries however many captures the URL has, and one round trip replaces
    six.  The two probes around ``when`` fetch two rows each, because the
    neighbour of the chosen memento on its own side is the second row of that
    side, and on the other side the first.
    """
    stmt = _negotiation(privileged, when is not None)
    params = {"key": key} if when is None else {"key": key, "when": when}
    return choose(session.execute(stmt, params).all(), when)


def _at(items: list[Memento], index: int) -> Memento | None:
    return items[index] if len(items) > index else None


def timemap(conn: Session | Connection, key: str, *, privileged: bool) -> list[Memento]:
    rows = conn.execute(_earliest(_memento_query(privileged)), {"key": key}).all()
    return [Memento(r[0], r[1], r[2]) for r in rows]
