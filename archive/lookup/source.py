"""What the cited source answered, told apart from whether citevault captured it.

A capture that holds a 404 page is a faithful capture of a source that is
gone: the researcher must see both facts, never one green "captured".  And a
cited URL that redirected was captured at another address: each hop is its
own capture row (``redirect_to`` set, not a requisite), and the citation is
linked to the final answer only, so the chain is walked here from the cited
URL to that final answer, one indexed lookup per hop.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from archive.capture.failures import blocking_policy, unreachable
from archive.db.models import Capture
from archive.db.models.captures import JobState
from archive.extract.urlforms import normalize_url
from archive.lookup.access import visible_captures

# A chain is fetched within one job's run; hops older than this before the
# final answer belong to another crawl.
CHAIN_WINDOW = timedelta(hours=1)
# Well past any redirect limit a fetch allows; it only stops a cycle of rows.
MAX_HOPS = 64

_CAP = Capture.__table__.c


def source_status(http_status: int | None, redirected: bool) -> str:
    """``ok``, ``redirected``, ``client_error``, ``server_error`` or ``unreachable``.

    (``blocked``, the other status a ``source`` entry has, comes from a job, not an answer.)
    """
    if http_status is None:
        return "unreachable"
    if http_status >= 500:
        return "server_error"
    if http_status >= 400:
        return "client_error"
    if redirected or 300 <= http_status < 400:
        return "redirected"
    return "ok"


def _normalized(url: str) -> str:
    try:
        return normalize_url(url)
    except ValueError:
        return url


def redirect_chain(
    conn: Connection, start: str | None, final_id: int, final_url: str, final_at: datetime
) -> list[dict[str, Any]]:
    """The hops from the cited URL (normalized ``start``) to the final capture, in order.

    Empty when the final capture is at the cited URL, or when the hops cannot
    be found (a chain whose rows are missing is not guessed at).
    """
    # Most finals are at the cited URL already; normalizing costs ~30 us a citation.
    if not start or final_url == start:
        return []
    target = _normalized(final_url)
    if start == target:
        return []
    hops: list[dict[str, Any]] = []
    seen: set[str] = set()
    at, lookup = final_at - CHAIN_WINDOW, start
    stmt = (
        select(_CAP.id, _CAP.url, _CAP.captured_at, _CAP.http_status, _CAP.redirect_to)
        .where(
            _CAP.redirect_to.is_not(None),
            _CAP.is_requisite.is_(False),
            _CAP.http_status >= 300,
            _CAP.http_status < 400,
            _CAP.id != final_id,
        )
        .order_by(_CAP.captured_at.desc(), _CAP.id.desc())
        .limit(1)
    )
    while lookup not in seen and len(hops) < MAX_HOPS:
        seen.add(lookup)
        hop = conn.execute(
            stmt.where(
                _CAP.url_normalized == lookup,
                _CAP.captured_at >= at,
                _CAP.captured_at <= final_at,
            )
        ).first()
        if hop is None:
            return []
        hops.append(
            {
                "capture_id": hop.id,
                "url": hop.url,
                "http_status": hop.http_status,
                "location": hop.redirect_to,
            }
        )
        lookup, at = _normalized(hop.redirect_to), hop.captured_at
        if lookup == target:
            return hops
    return []


def source_json(
    conn: Connection, start: str | None, captures: list[dict[str, Any]], job: Any | None = None
) -> dict[str, Any] | None:
    """The ``source`` entry of a citation, from its captures as ``capture_json`` gives them.

    It reports the capture ``archive_url`` points to (the newest with an HTTP
    answer).  With none, a citation that was tried is ``unreachable`` (from
    its failed capture rows, or from the reason its job ``job`` failed or is
    retrying with, when no row was written: DNS, refused connection), or
    ``blocked`` when the fetch policy refused it (``policy`` names the
    setting); one never tried, or whose job failed on citevault's side, has
    no entry.
    """
    final = next((cap for cap in captures if cap["http_status"] is not None), None)
    if final is None:
        return _unanswered(captures, job)
    hops = redirect_chain(conn, start, final["id"], final["url"], final["captured_at"])
    return {
        "status": source_status(final["http_status"], bool(hops)),
        "http_status": final["http_status"],
        "url": final["url"],
        "error": None,
        "policy": None,
        "redirects": hops,
    }


def _unanswered(captures: list[dict[str, Any]], job: Any | None) -> dict[str, Any] | None:
    reason: str | None = None
    job_url: str | None = None
    if job is not None and job.state in (JobState.QUEUED, JobState.FAILED):
        reason, job_url = job.reason, job.url
    policy = blocking_policy(reason)
    if policy is not None:
        status, url, error = "blocked", job_url, reason
    elif captures:
        status, url, error = "unreachable", captures[0]["url"], captures[0]["error"]
    elif unreachable(reason):
        status, url, error = "unreachable", job_url, reason
    else:
        return None
    return {
        "status": status,
        "http_status": None,
        "url": url,
        "error": error,
        "policy": policy,
        "redirects": [],
    }


def cited_start(c: Any) -> str | None:
    """Where a citation's chain starts: the URL as cited, else the one it resolved to."""
    if c.url_normalized:
        return str(c.url_normalized)
    return _normalized(c.resolved_url) if c.resolved_url else None


def next_hop(
    conn: Connection, hop_id: int, location: str, at: datetime, privileged: bool
) -> int | None:
    """The capture a redirect hop led to in the same crawl, or None when it was not captured.

    The capture page of a hop says where the redirect went and links there,
    because the replay frame follows the redirect and would otherwise show
    the next page's content under this address's facts.
    """
    row = conn.execute(
        select(_CAP.id)
        .where(
            _CAP.url_normalized == _normalized(location),
            _CAP.captured_at >= at,
            _CAP.captured_at <= at + CHAIN_WINDOW,
            _CAP.id != hop_id,
            visible_captures(privileged),
        )
        .order_by(_CAP.captured_at, _CAP.id)
        .limit(1)
    ).first()
    return None if row is None else int(row.id)


def chain_into(
    conn: Connection, starts: list[str | None], final_id: int, final_url: str, final_at: datetime
) -> list[dict[str, Any]]:
    """The hops by which one of ``starts`` (cited URLs) reached the final capture, or [].

    A capture reached through redirects shows another address than the one
    the document cites; its page names the cited address and each hop so
    that the researcher sees why.
    """
    for start in starts:
        hops = redirect_chain(conn, start, final_id, final_url, final_at)
        if hops:
            return hops
    return []
