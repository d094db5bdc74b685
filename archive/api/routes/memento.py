"""Memento (RFC 7089): a TimeGate and TimeMaps for every archived URL.

``GET /timegate/<url>`` negotiates in time: it answers ``302`` to the memento
closest to ``Accept-Datetime`` (the most recent one without the header), with
``Vary: accept-datetime`` and a ``Link`` header naming the original, the
TimeGate, the TimeMaps and the first, last, previous and next mementos.
``GET /timemap/link/<url>`` lists every memento in ``application/link-format``
(RFC 7089 section 5.1.1); ``GET /timemap/json/<url>`` gives the same as JSON in
the shape of mementoweb.org's JSON TimeMaps (``original_uri``,
``timegate_uri``, ``timemap_uri``, ``mementos.first/last/list``), which pywb
and the Time Travel service also speak.

A memento (URI-M) is ``/captures/{id}``, the page that shows one capture; the
template is ``MEMENTO_PATH`` below and nowhere else.  A memento must answer
with ``Memento-Datetime`` and a ``Link`` naming its original, TimeGate and
TimeMap (``memento_link``), as ``/api/captures/{id}/payload`` and the capture
page do, so a client that follows the TimeGate's redirect can tell it reached
a memento and find the rest of the family from there.

The archived URL is the rest of the path plus the query string, taken from
the raw request so that its percent-escapes and query survive untouched; a
``http:/host`` squeezed by a proxy, a fully percent-encoded URL and a missing
scheme are repaired (``lookup.cdx.target_url``).  Captures only private
documents cite are not mementos for a caller without an API key.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Connection

from archive.api.errors import ApiError
from archive.api.reads import key_checker, read
from archive.errors import InputError, NotFoundError
from archive.lookup import cdx
from archive.lookup import memento as lookup
from archive.lookup.memento import Memento
from archive.net.httpdate import http_date

router = APIRouter(tags=["memento"])

MEMENTO_PATH = "captures/{id}"  # relative to the application's base URL
TIMEGATE = "/timegate/"
TIMEMAP_LINK = "/timemap/link/"
TIMEMAP_JSON = "/timemap/json/"
LINK_FORMAT = "application/link-format"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RFC1123 = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (" + "|".join(_MONTHS) + r") "
    r"(\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT"
)
# Characters a URI may carry inside <...> of a Link header; the rest is escaped.
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"


def parse_accept_datetime(value: str) -> datetime:
    """An RFC 1123 date in GMT, as RFC 7089 requires of ``Accept-Datetime``."""
    m = _RFC1123.fullmatch(value.strip())
    if m is None:
        raise ApiError(
            400,
            "bad_accept_datetime",
            f"Accept-Datetime {value!r} is not an RFC 1123 date",
            hint="e.g. 'Accept-Datetime: Thu, 31 May 2007 20:35:00 GMT'",
        )
    day, month, year, hour, minute, second = m.groups()
    try:
        return datetime(
            int(year),
            _MONTHS.index(month) + 1,
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=UTC,
        )
    except ValueError as exc:
        raise ApiError(
            400, "bad_accept_datetime", f"Accept-Datetime {value!r} is not a real date: {exc}"
        ) from exc


def iso_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _uri(value: str) -> str:
    return quote(value, safe=_URI_SAFE)


def _requested_url(request: Request, prefix: str) -> str:
    """The archived URL: the raw path after ``prefix``, plus the raw query string."""
    raw = request.scope.get("raw_path") or request.scope["path"].encode()
    path = bytes(raw).decode("utf-8", "replace")
    start = path.find(prefix)
    target = path[start + len(prefix) :] if start >= 0 else ""
    query = bytes(request.scope.get("query_string", b"")).decode("utf-8", "replace")
    if query:
        target += "?" + query
    try:
        return cdx.target_url(target)
    except InputError as exc:
        raise ApiError(400, "bad_url", exc.message, exc.hint) from exc


def _key(url: str) -> str:
    try:
        return cdx.surt_key(url)
    except InputError as exc:
        raise ApiError(400, "bad_url", exc.message) from exc


class _Uris:
    """The absolute URIs of one original resource's Memento family."""

    def __init__(self, request: Request, original: str) -> None:
        self.base = str(request.base_url).rstrip("/")
        self.original = _uri(original)
        self.timegate = self.base + TIMEGATE + self.original
        self.timemap_link = self.base + TIMEMAP_LINK + self.original
        self.timemap_json = self.base + TIMEMAP_JSON + self.original

    def memento(self, capture_id: int) -> str:
        return f"{self.base}/{MEMENTO_PATH.format(id=capture_id)}"


def _link(uri: str, **params: str) -> str:
    return f"<{uri}>" + "".join(f'; {name}="{value}"' for name, value in params.items())


def _memento_links(uris: _Uris, roles: dict[int, tuple[Memento, list[str]]]) -> list[str]:
    """One link per memento; a memento with several roles gets them all in one rel."""
    ordered = sorted(roles.values(), key=lambda item: (item[0].captured_at, item[0].id))
    return [
        _link(
            uris.memento(m.id), rel=" ".join([*names, "memento"]), datetime=http_date(m.captured_at)
        )
        for m, names in ordered
    ]


def memento_link(request: Request, original: str) -> str:
    """The ``Link`` header of a memento of ``original`` (RFC 7089 section 2.2.1).

    A client that reached a memento by any road learns from it where to
    negotiate in time and where the list of all mementos is.
    """
    uris = _Uris(request, original)
    return ", ".join(
        [
            _link(uris.original, rel="original"),
            _link(uris.timegate, rel="timegate"),
            _link(uris.timemap_link, rel="timemap", type=LINK_FORMAT),
        ]
    )


def _family_links(uris: _Uris, first: Memento, last: Memento, *, self_map: bool) -> list[str]:
    span = {"from": http_date(first.captured_at), "until": http_date(last.captured_at)}
    return [
        _link(uris.original, rel="original"),
        _link(uris.timegate, rel="timegate"),
        _link(uris.timemap_link, rel="self" if self_map else "timemap", type=LINK_FORMAT, **span),
        _link(uris.timemap_json, rel="timemap", type="application/json", **span),
    ]


@router.get(TIMEGATE + "{url:path}")
async def timegate(request: Request, url: str) -> Response:
    """Redirect to the memento closest to Accept-Datetime (RFC 7089 section 4.1)."""
    privileged = key_checker(request)
    original, when, key = _negotiation_inputs(request)

    def work(conn: Connection) -> lookup.Negotiated | None:
        return lookup.negotiate(conn, key, when, privileged=privileged(conn))

    return _redirect(request, original, await read(request, work))


def _negotiation_inputs(request: Request) -> tuple[str, datetime | None, str]:
    """The archived URL, the moment asked for (None: the latest) and the URL's SURT key."""
    original = _requested_url(request, TIMEGATE)
    header = request.headers.get("accept-datetime")
    when = parse_accept_datetime(header) if header is not None else None
    return original, when, _key(original)


def _redirect(request: Request, original: str, found: lookup.Negotiated | None) -> Response:
    if found is None:
        raise NotFoundError(
            f"no mementos of {original}", hint="/cdx?url=... lists what is archived"
        )
    uris = _Uris(request, original)
    roles: dict[int, tuple[Memento, list[str]]] = {}
    for role, m in (
        ("first", found.first),
        ("prev", found.prev),
        ("", found.memento),
        ("next", found.next),
        ("last", found.last),
    ):
        if m is not None:
            names = roles.setdefault(m.id, (m, []))[1]
            if role:
                names.append(role)
    links = _family_links(uris, found.first, found.last, self_map=False)
    links += _memento_links(uris, roles)
    return Response(
        status_code=302,
        headers={
            "Location": uris.memento(found.memento.id),
            "Vary": "accept-datetime",
            "Link": ", ".join(links),
        },
    )


async def _timemap(request: Request, prefix: str) -> tuple[_Uris, list[Memento]]:
    privileged = key_checker(request)
    original = _requested_url(request, prefix)
    key = _key(original)

    def work(conn: Connection) -> list[Memento]:
        return lookup.timemap(conn, key, privileged=privileged(conn))

    mementos = await read(request, work)
    if not mementos:
        raise NotFoundError(
            f"no mementos of {original}", hint="/cdx?url=... lists what is archived"
        )
    return _Uris(request, original), mementos


@router.get(TIMEMAP_LINK + "{url:path}")
async def timemap_link(request: Request, url: str) -> Response:
    """Every memento of the URL as an RFC 7089 link-format TimeMap."""
    uris, mementos = await _timemap(request, TIMEMAP_LINK)
    first, last = mementos[0], mementos[-1]
    links = _family_links(uris, first, last, self_map=True)
    for m in mementos:
        names = [n for n, edge in (("first", first), ("last", last)) if m is edge]
        links.append(
            _link(
                uris.memento(m.id),
                rel=" ".join([*names, "memento"]),
                datetime=http_date(m.captured_at),
            )
        )
    return Response(",\n".join(links) + "\n", media_type=LINK_FORMAT)


@router.get(TIMEMAP_JSON + "{url:path}")
async def timemap_json(request: Request, url: str) -> Response:
    """Every memento of the URL as a JSON TimeMap (mementoweb.org's JSON form)."""
    uris, mementos = await _timemap(request, TIMEMAP_JSON)

    def entry(m: Memento) -> dict[str, str]:
        return {"datetime": iso_date(m.captured_at), "uri": uris.memento(m.id)}

    body = {
        "original_uri": uris.original,
        "timegate_uri": uris.timegate,
        "timemap_uri": {"link_format": uris.timemap_link, "json_format": uris.timemap_json},
        "mementos": {
            "first": entry(mementos[0]),
            "last": entry(mementos[-1]),
            "list": [entry(m) for m in mementos],
        },
    }
    return JSONResponse(body)
