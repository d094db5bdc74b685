"""``GET /cdx``: the capture index in the form Wayback and pywb CDX clients speak.

Parameters (Wayback CDX server, with pywb's additions):

* ``url`` (required); ``matchType=exact|prefix|host|domain``, or the
  shorthands ``url=example.org/path/*`` (prefix) and ``url=*.example.org``
  (domain).  URLs match by SURT, so http/https and ``www.`` do not matter.
* ``from`` / ``to``: 1 to 14 digit timestamps, padded down / up, inclusive.
* ``limit=N`` the first N lines, ``limit=-N`` the last N (at most
  ``MAX_LINES``; without a limit that many at most, and the response then
  says ``X-Cdx-Truncated: true`` when more matched).
* ``sort=reverse`` newest first; ``sort=closest&closest=<ts>`` nearest first
  (exact matches only; ``closest`` alone implies the sort).
* ``filter=[!][=|~]field:expr`` (repeatable).  Without a modifier ``expr`` is
  a regular expression that must match the whole field, as in the Wayback
  CDX server (pywb's plain form means "contains" instead; ``~`` is pywb's
  regex-from-the-start and ``=`` its exact match); ``!`` negates.
  Expressions run on RE2, in time linear in the field's length: at most
  ``MAX_FILTERS`` of them, of at most ``MAX_PATTERN`` characters each, and
  without backreferences, lookaround and the other backtracking-only syntax
  (a 400 names what is not supported; see ``archive.lookup.linear_regex``).
* ``collapse=field[:N]`` (repeatable): of adjacent lines whose field (or its
  first N characters) is equal, only the first is kept.
* ``fl=a,b,c``: the fields to print.  Fields: ``urlkey`` (SURT),
  ``timestamp`` (14 digits, UTC), ``original`` (``url``), ``mimetype``
  (``mime``), ``statuscode`` (``status``), ``digest`` (the record's payload
  digest without ``sha1:``), ``redirect``, ``robotflags``, ``length`` /
  ``offset`` (of the WARC record), ``filename`` (of the WARC file) and
  ``capture_id``.  A revisit row says ``warc/revisit`` for its mimetype and
  ``-`` for its status, as pywb's indexer writes it (status is given for
  response records only); the Wayback CDX server's README names
  ``warc/revisit`` as a revisit's mimetype too.
* ``output``: by default space-separated text lines, one capture a line,
  with the Wayback CDX server's 7 public fields (``urlkey timestamp original
  mimetype statuscode digest length``); ``output=json`` is pywb's form, one
  JSON object a line (NDJSON) with pywb's key names (``url``, ``mime``,
  ``status``) -- not the Wayback server's array of arrays;
  ``output=cdxj`` is pywb's ``urlkey timestamp {json}``.  A missing value
  is ``-`` in text and left out of JSON.
* ``page`` / ``pageSize`` / ``showNumPages=true``: a page is ``pageSize`` index
  lines before filters and collapsing (pywb pages blocks the same way); a
  page past the end is a 400, which is how pywb clients stop paging.

No match is a 200 with an empty body, as the Wayback CDX server and pywb
answer; with ``output=json`` the body is ``[]``, the Wayback server's empty
JSON answer, which clients such as cdx_toolkit read as "no captures" (an empty
body, pywb's answer, makes them fail).  Bad parameters are 400s.  Captures
only private documents cite are left out for callers without an API key.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Connection

from archive.api.errors import ApiError
from archive.api.pagination import CdxPage
from archive.api.reads import key_checker, read
from archive.errors import InputError
from archive.lookup import cdx as lookup
from archive.lookup.cdx import IndexLine
from archive.lookup.linear_regex import LinearPattern, compile_linear

router = APIRouter(tags=["cdx"])

MAX_LINES = 10_000
DEFAULT_PAGE_SIZE = 1_000
# Filters run on RE2 (``linear_regex``): time is linear in the field's length
# but also grows with the compiled expression, which grows with the pattern.
# 500 characters is far more than any real filter (a URL with some classes and
# alternatives) and keeps compiling and matching one line cheap whatever the
# expression.
MAX_PATTERN = 500
# Each filter is compiled (a large expression is costly to compile) and run on
# every line read: their number bounds a request's cost too.
# Wayback and pywb clients send one or two.
MAX_FILTERS = 10


def _digest(line: IndexLine) -> str:
    value = line.payload_digest
    if not value:
        return "-"
    return value[5:] if value.lower().startswith("sha1:") else value


def _mime(line: IndexLine) -> str:
    if line.revisit_of_id is not None:
        return "warc/revisit"
    return (line.media_type or "-").split(";", 1)[0].strip() or "-"


def _status(line: IndexLine) -> str:
    if line.revisit_of_id is not None:
        return "-"
    return _text(line.http_status)


def _text(value: object) -> str:
    return "-" if value is None or value == "" else str(value)


FIELDS: dict[str, Callable[[IndexLine], str]] = {
    "urlkey": lambda line: line.surt,
    "timestamp": lambda line: line.captured_at.astimezone(UTC).strftime("%Y%m%d%H%M%S"),
    "original": lambda line: line.url.replace(" ", "%20"),
    "mimetype": _mime,
    "statuscode": _status,
    "digest": _digest,
    "redirect": lambda line: _text(line.redirect_to),
    "robotflags": lambda line: "-",
    "length": lambda line: _text(line.warc_length),
    "offset": lambda line: _text(line.warc_offset),
    "filename": lambda line: _text(line.filename),
    "capture_id": lambda line: str(line.id),
}
ALIASES = {"url": "original", "mime": "mimetype", "status": "statuscode"}
JSON_NAMES = {"original": "url", "mimetype": "mime", "statuscode": "status"}
# The Wayback CDX server's public fields, its default text line.
TEXT_FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
JSON_FIELDS = [
    *("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest"),
    *("length", "offset", "filename", "capture_id"),
]
OUTPUTS = {
    "text": "text/plain; charset=utf-8",
    "json": "text/x-ndjson; charset=utf-8",
    "cdxj": "text/x-cdxj; charset=utf-8",
}


def _bad(message: str) -> ApiError:
    return ApiError(400, "bad_cdx_parameter", message)


def _field(name: str, param: str) -> str:
    canonical = ALIASES.get(name, name)
    if canonical not in FIELDS:
        known = ", ".join([*FIELDS, *ALIASES])
        raise _bad(f"{param}: unknown field {name!r}; fields are {known}")
    return canonical


_PAD_DOWN = "10000101000000"
_PAD_UP = "29991231235959"


def parse_timestamp(value: str, *, param: str, up: bool = False) -> datetime:
    """A 1-14 digit Wayback timestamp, padded to the start (or end) of the span it names."""
    if not re.fullmatch(r"\d{1,14}", value):
        raise _bad(f"{param}={value!r}: a timestamp is 1 to 14 digits, yyyyMMddhhmmss")
    padded = value + (_PAD_UP if up else _PAD_DOWN)[len(value) :]
    year, month = int(padded[:4]), int(padded[4:6])
    day, hour, minute, second = (int(padded[i : i + 2]) for i in (6, 8, 10, 12))
    if up and len(value) < 8 and 1 <= month <= 12 and year >= 1:
        day = min(day, calendar.monthrange(year, month)[1])
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError as exc:
        raise _bad(f"{param}={value!r} is not a valid time: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Filter:
    field: str
    mode: str  # "regex" (whole field), "match" (from the start), "exact"
    expr: str
    negate: bool
    pattern: LinearPattern | None

    @classmethod
    def parse(cls, spec: str) -> Filter:
        negate = spec.startswith("!")
        rest = spec[1:] if negate else spec
        mode = {"=": "exact", "~": "match"}.get(rest[:1], "regex")
        if mode != "regex":
            rest = rest[1:]
        name, sep, expr = rest.partition(":")
        if not sep or not name:
            raise _bad(f"filter={spec!r}: use [!][=|~]field:expression")
        if len(expr) > MAX_PATTERN:
            raise _bad(
                f"filter={spec[:40]!r}...: the expression is {len(expr)} characters long; "
                f"at most {MAX_PATTERN} are accepted"
            )
        pattern = None
        if mode != "exact":
            try:
                pattern = compile_linear(expr)
            except InputError as exc:
                raise ApiError(
                    400, "bad_cdx_parameter", f"filter={spec!r}: {exc.message}", exc.hint
                ) from exc
        return cls(_field(name, "filter"), mode, expr, negate, pattern)

    def __call__(self, line: IndexLine) -> bool:
        value = FIELDS[self.field](line)
        if self.pattern is None:
            hit = value == self.expr
        elif self.mode == "match":
            hit = self.pattern.match(value)
        else:
            hit = self.pattern.fullmatch(value)
        return hit != self.negate


def _collapser(spec: str) -> Callable[[IndexLine], str]:
    name, sep, size = spec.partition(":")
    field = _field(name, "collapse")
    if not sep:
        return FIELDS[field]
    if not size.isdigit() or int(size) < 1:
        raise _bad(f"collapse={spec!r}: use field or field:N with N a positive number")
    n = int(size)
    return lambda line: FIELDS[field](line)[:n]


def _collapse(
    lines: Iterable[IndexLine], key: Callable[[IndexLine], str], *, reverse: bool
) -> Iterator[IndexLine]:
    """Keep the first line of each run of equal keys, in time order.

    Read newest first, the first of a run in time order is its last line
    read, so a line is kept when the line after it starts another run.
    """
    if not reverse:
        previous: str | None = None
        for line in lines:
            current = key(line)
            if current != previous:
                yield line
            previous = current
        return
    pending: IndexLine | None = None
    for line in lines:
        if pending is not None and key(pending) != key(line):
            yield pending
        pending = line
    if pending is not None:
        yield pending


@dataclass(frozen=True, slots=True)
class Scope:
    url: str
    range: lookup.SurtRange


def _scope(url: str | None, match_type: str | None) -> Scope:
    if not url or not url.strip():
        raise _bad("url is required, e.g. /cdx?url=example.org/page")
    raw = url.strip()
    implied = None
    if raw.startswith("*."):
        raw, implied = raw[2:], "domain"
    elif raw.endswith("*"):
        raw, implied = raw[:-1], "prefix"
    if match_type is not None and match_type not in lookup.MATCH_TYPES:
        raise _bad(f"matchType={match_type!r}: use one of {', '.join(lookup.MATCH_TYPES)}")
    if implied and match_type and match_type != implied:
        raise _bad(f"url={url!r} implies matchType={implied}, but matchType={match_type} is given")
    try:
        target = lookup.target_url(raw)
        return Scope(target, lookup.surt_range(target, match_type or implied or "exact"))
    except InputError as exc:
        raise ApiError(400, "bad_url", exc.message, exc.hint) from exc


def _render(lines: list[IndexLine], fields: list[str], output: str) -> str:
    out: list[str] = []
    for line in lines:
        if output == "text":
            out.append(" ".join(FIELDS[f](line) for f in fields))
            continue
        values = {JSON_NAMES.get(f, f): FIELDS[f](line) for f in fields}
        record = {k: v for k, v in values.items() if v != "-" or k == "robotflags"}
        if output == "json":
            out.append(json.dumps(record, ensure_ascii=False))
        else:
            rest = {k: v for k, v in record.items() if k not in ("urlkey", "timestamp")}
            stamp = FIELDS["timestamp"](line)
            out.append(f"{line.surt} {stamp} {json.dumps(rest, ensure_ascii=False)}")
    return "".join(f"{text}\n" for text in out)


Param = Annotated[str | None, Query()]


@router.get("/cdx")
async def cdx(
    request: Request,
    url: Param = None,
    match_type: Annotated[str | None, Query(alias="matchType")] = None,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: Param = None,
    limit: Annotated[int | None, Query()] = None,
    sort: Param = None,
    closest: Param = None,
    output: Param = None,
    fl: Param = None,
    filter: Annotated[list[str] | None, Query()] = None,
    collapse: Annotated[list[str] | None, Query()] = None,
    page: CdxPage = None,
    page_size: Annotated[int | None, Query(alias="pageSize")] = None,
    show_num_pages: Annotated[str | None, Query(alias="showNumPages")] = None,
) -> Response:
    """Captures by URL and time, as a CDX server lists them.

    The parameters are checked before any database work; the lines are read
    and rendered in one turn on a connection (``reads.read``).
    """
    scope = _scope(url, match_type)
    since = parse_timestamp(from_, param="from") if from_ else None
    until = parse_timestamp(to, param="to", up=True) + timedelta(seconds=1) if to else None
    fmt = output or "text"
    if fmt not in OUTPUTS:
        raise _bad(f"output={output!r}: use text, json or cdxj")
    fields = [_field(f.strip(), "fl") for f in fl.split(",") if f.strip()] if fl else None
    fields = fields or (TEXT_FIELDS if fmt == "text" else JSON_FIELDS)
    if filter and len(filter) > MAX_FILTERS:
        raise _bad(f"{len(filter)} filters given; at most {MAX_FILTERS} are accepted")
    filters = [Filter.parse(spec) for spec in filter or []]
    collapsers = [_collapser(spec) for spec in collapse or []]
    if sort not in (None, "", "regular", "reverse", "closest"):
        raise _bad(f"sort={sort!r}: use reverse or closest")
    near = parse_timestamp(closest, param="closest") if closest else None
    if sort == "closest" and near is None:
        raise _bad("sort=closest needs closest=<timestamp>")
    if limit is not None and (limit == 0 or abs(limit) > MAX_LINES):
        raise _bad(f"limit={limit}: use 1 to {MAX_LINES}, or -1 to -{MAX_LINES} for the last ones")
    size = page_size if page_size is not None else min(DEFAULT_PAGE_SIZE, MAX_LINES)
    if not 1 <= size <= MAX_LINES:
        raise _bad(f"pageSize={size}: use 1 to {MAX_LINES}")
    paged = page is not None and page >= 0
    if near is not None:
        if not scope.range.exact:
            raise _bad("sort=closest works with matchType=exact only")
        if collapsers or paged:
            raise _bad("sort=closest cannot be combined with collapse or page")
    counting = show_num_pages is not None and show_num_pages.lower() in ("true", "1")
    reverse = sort == "reverse" or (limit is not None and limit < 0 and near is None)
    privileged = key_checker(request)

    def answer(conn: Connection) -> Response:
        bounds = lookup.Bounds(privileged(conn), since, until)
        if counting:
            total = lookup.count(conn, scope.range, bounds)
            pages = max(1, -(-total // size))
            return JSONResponse({"pages": pages, "pageSize": size, "blocks": pages})
        source: Iterable[IndexLine]
        if near is not None:
            source = lookup.closest(conn, scope.range, near, bounds)
        elif paged:
            assert page is not None
            offset = page * size
            source = lookup.window(
                conn, scope.range, bounds, offset=offset, size=size, reverse=reverse
            )
            if not source and page > 0:
                raise _bad(f"page={page} is past the last page of this query")
        else:
            source = lookup.scan(conn, scope.range, bounds, reverse=reverse)

        stream: Iterable[IndexLine] = (
            line for line in source if all(check(line) for check in filters)
        )
        for collapser in collapsers:
            stream = _collapse(stream, collapser, reverse=reverse)
        stream = iter(stream)
        lines = list(islice(stream, abs(limit) if limit is not None else MAX_LINES))
        headers = {}
        if limit is None and len(lines) == MAX_LINES and next(stream, None) is not None:
            headers["X-Cdx-Truncated"] = "true"
        if not lines and fmt == "json":
            return Response("[]\n", media_type=OUTPUTS[fmt], headers=headers)
        if reverse and sort != "reverse":
            lines.reverse()
        return Response(_render(lines, fields, fmt), media_type=OUTPUTS[fmt], headers=headers)

    return await read(request, answer)
