"""The one index engine: captures of a URL (or a range of URLs) in time.

The CDX API, Memento (``lookup.memento``) and the replay feed
(``replay.index``) ask the ``captures`` table the same two questions --
"which captures has this URL, or this range, in index order?" and "which
capture is closest to this moment?" -- answered here alone, on the
``(surt, captured_at)`` index and never by loading every row:

* A URL is matched by its SURT key (``surt_key``, also the key the capture
  commit stores), which folds http/https, ``www.``, letter case and query
  order, as Wayback and pywb do.  Prefix, host and domain are SURT ranges.
* Only captures that got an HTTP response count; failures have no record to
  show.  What a caller may see is ``access.visible_captures``, in SQL, so that
  paging and limits see the already-filtered stream.
* Long results are read in keyset batches (``(surt, captured_at, id) > last``)
  so a query over a large domain costs memory for one batch only.
"""

from __future__ import annotations

import heapq
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

import surt
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    func,
    literal,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session

from archive.db.models import Capture, WarcFile
from archive.errors import InputError
from archive.lookup.access import visible_captures

MATCH_TYPES = ("exact", "prefix", "host", "domain")
BATCH = 500
_TICK = timedelta(microseconds=1)  # the resolution of captured_at


@dataclass(frozen=True, slots=True)
class IndexLine:
    """What a CDX line needs of one capture (and of the WARC file holding it)."""

    id: int
    surt: str
    captured_at: datetime
    url: str
    media_type: str | None
    http_status: int | None
    payload_digest: str | None
    warc_length: int | None
    warc_offset: int | None
    filename: str | None
    revisit_of_id: int | None
    redirect_to: str | None


@dataclass(frozen=True, slots=True)
class SurtRange:
    """``start <= surt < stop``, or ``surt == start`` when ``stop`` is None."""

    start: str
    stop: str | None = None

    @property
    def exact(self) -> bool:
        return self.stop is None


_HTTP = re.compile(r"^(https?):/*", re.IGNORECASE)
_ENCODED = re.compile(r"^https?%3A", re.IGNORECASE)
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")  # any space (Unicode too) or control character
# A scheme is letters before a colon; a colon before digits is a port.
_OTHER_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(?!\d)")


def target_url(raw: str) -> str:
    """The archived URL a request names, repaired the way it arrives in practice.

    Proxies and path normalisers squeeze ``http://`` to ``http:/``; some
    clients percent-encode the whole URL; people leave the scheme out.  All
    of that is undone here; what is still not an http(s) URL with a host is
    an error naming the problem.
    """
    url = raw.strip()
    if _ENCODED.match(url):
        url = unquote(url)
    if not url:
        raise InputError("no URL given", hint="append the archived URL, e.g. /http://example.org/")
    if _UNSAFE.search(url):
        raise InputError(f"{url!r} is not a URL: it contains spaces or control characters")
    if m := _HTTP.match(url):
        url = m.group(1).lower() + "://" + url[m.end() :]
    elif url.startswith("//"):
        url = "http:" + url
    elif m := _OTHER_SCHEME.match(url):
        raise InputError(f"only http and https URLs are archived, not {m.group(1)!r} ones")
    else:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises on a malformed port
    except ValueError as exc:
        raise InputError(f"{url!r} is not a valid URL: {exc}") from exc
    if not parts.hostname:
        raise InputError(f"{url!r} has no host name")
    return url


def surt_key(url: str) -> str:
    """The SURT key of ``url``: what the capture commit stores and every lookup matches on."""
    try:
        key = str(surt.surt(url))
    except Exception as exc:  # surt raises whatever its URL parser raises
        raise InputError(f"cannot make a SURT key of {url!r}: {exc}") from exc
    if ")" not in key:
        raise InputError(f"{url!r} has no host")
    return key


def _next_string(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def surt_range(url: str, match_type: str = "exact") -> SurtRange:
    """The SURT range a Wayback ``matchType`` stands for.

    Host and domain ranges follow pywb: a host is ``host)/...`` (the port is
    part of the host), a domain is the host and every name below it, which
    in SURT order sit together between ``host`` and ``host-`` (``,`` and
    ``)`` sort before ``-``; ``-`` and letters in a longer name after it).
    A port stays in a domain's key as pywb keeps it: ``example.org:8080``
    as a domain is that host and port, not the bare name (whose ported
    hosts, ``:`` sorting after ``-``, no such range could hold anyway).
    """
    key = surt_key(url)
    host = key.split(")", 1)[0]
    if match_type == "exact":
        return SurtRange(key)
    if match_type == "prefix":
        # SURT drops a trailing slash, which for a prefix says "below, not beside".
        if urlsplit(url).path.endswith("/") and not key.endswith("/"):
            key += "/"
        return SurtRange(key, _next_string(key))
    if match_type == "host":
        return SurtRange(host + ")/", host + ")0")
    if match_type == "domain":
        return SurtRange(host, host + "-")
    raise InputError(f"unknown matchType {match_type!r}; use one of {', '.join(MATCH_TYPES)}")


# SURT ranges assume byte order.  SQLite compares bytes; PostgreSQL compares in
# the database's collation, which for en_US and most locales is not byte order
# (letter case and punctuation sort otherwise), so there the ranges need
# COLLATE "C", which the plain index cannot serve.  Probed once per engine.
Reader = Session | Connection  # the CDX API reads on a connection, the rest on sessions
_BYTEWISE: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()
_PROBE = ["org,example)/x", "org,example)0", "org,example,a)/", "B", "a", "a-b", "ab", "_", "~"]


def _bytewise(session: Reader) -> bool:
    if isinstance(session, Session):
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
    else:
        engine = session.engine
    known = _BYTEWISE.get(engine)
    if known is None:
        if engine.dialect.name == "sqlite":
            known = True
        else:
            probe = text("SELECT v FROM unnest(CAST(:values AS text[])) AS v ORDER BY v")
            got = session.scalars(probe, {"values": _PROBE}).all()
            known = list(got) == sorted(_PROBE)
        _BYTEWISE[engine] = known
    return known


def _surt_column(session: Reader) -> ColumnElement[str]:
    if _bytewise(session):
        return Capture.surt.expression
    return Capture.surt.collate("C")


@dataclass(frozen=True, slots=True)
class Bounds:
    """Who asks, and over which span of time: what every CDX read filters on."""

    privileged: bool
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


def _conditions(session: Reader, rng: SurtRange, bounds: Bounds) -> list[ColumnElement[bool]]:
    col = _surt_column(session)
    where: list[ColumnElement[bool]] = [Capture.http_status.is_not(None)]
    if rng.stop is None:
        where.append(Capture.surt == rng.start)
    else:
        where += [col >= rng.start, col < rng.stop]
    if bounds.since is not None:
        where.append(Capture.captured_at >= bounds.since)
    if bounds.until is not None:
        where.append(Capture.captured_at < bounds.until)
    where.append(visible_captures(bounds.privileged))
    return where


# --------------------------------------------------------------------- CDX


def _ordered(
    session: Reader, rng: SurtRange, bounds: Bounds, reverse: bool, by_time: bool
) -> tuple[Select[*tuple[Any, ...]], list[ColumnElement[Any]]]:
    """Lines in index order: SURT (unless exact or ``by_time``), time, id -- or reversed."""
    order: list[ColumnElement[Any]] = [Capture.captured_at.expression, Capture.id.expression]
    if not (rng.exact or by_time):
        order.insert(0, _surt_column(session))
    stmt = select(
        Capture.id,
        Capture.surt,
        Capture.captured_at,
        Capture.url,
        Capture.media_type,
        Capture.http_status,
        Capture.payload_digest,
        Capture.warc_length,
        Capture.warc_offset,
        WarcFile.filename,
        Capture.revisit_of_id,
        Capture.redirect_to,
    ).outerjoin(WarcFile, WarcFile.id == Capture.warc_file_id)
    stmt = stmt.where(*_conditions(session, rng, bounds))
    return stmt.order_by(*(c.desc() if reverse else c.asc() for c in order)), order


def _lines(session: Reader, stmt: Select[*tuple[Any, ...]]) -> list[IndexLine]:
    return [IndexLine(*row) for row in session.execute(stmt).all()]


def scan(
    session: Reader,
    rng: SurtRange,
    bounds: Bounds,
    *,
    reverse: bool = False,
    by_time: bool = False,
) -> Iterator[IndexLine]:
    """Every matching capture in index order (or the reverse), one batch at a time."""
    stmt, order = _ordered(session, rng, bounds, reverse, by_time)
    key = tuple_(*order)
    last: IndexLine | None = None
    while True:
        page = stmt
        if last is not None:
            values = [last.surt, last.captured_at, last.id][-len(order) :]
            bound = tuple_(*(literal(v, c.type) for v, c in zip(values, order, strict=True)))
            page = stmt.where(key < bound if reverse else key > bound)
        lines = _lines(session, page.limit(BATCH))
        yield from lines
        if len(lines) < BATCH:
            return
        last = lines[-1]


def window(
    session: Reader, rng: SurtRange, bounds: Bounds, *, offset: int, size: int, reverse: bool
) -> list[IndexLine]:
    """One page of the scan: ``size`` captures after skipping ``offset``."""
    stmt, _ = _ordered(session, rng, bounds, reverse, False)
    return _lines(session, stmt.offset(offset).limit(size))


def count(session: Reader, rng: SurtRange, bounds: Bounds) -> int:
    where = _conditions(session, rng, bounds)
    return int(session.scalar(select(func.count()).select_from(Capture).where(*where)) or 0)


def closest(session: Reader, rng: SurtRange, when: datetime, bounds: Bounds) -> Iterator[IndexLine]:
    """Matching captures nearest ``when`` first (ties: the earlier first).

    Two scans walk away from ``when`` in both directions and are merged by
    distance, so for one URL the first N cost N index rows, not its whole
    history; a range is sorted by time in the database.
    """
    edge = when + _TICK  # the older half holds everything up to and at ``when``
    since, until = bounds.since, bounds.until
    older_bounds = Bounds(bounds.privileged, since, edge if until is None else min(edge, until))
    newer_bounds = Bounds(bounds.privileged, edge if since is None else max(edge, since), until)
    older = scan(session, rng, older_bounds, reverse=True, by_time=True)
    newer = scan(session, rng, newer_bounds, by_time=True)
    ranked = (
        ((when - line.captured_at, 0, n, line) for n, line in enumerate(older)),
        ((line.captured_at - when, 1, n, line) for n, line in enumerate(newer)),
    )
    for _, _, _, line in heapq.merge(*ranked, key=lambda item: item[:3]):
        yield line
