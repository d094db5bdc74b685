"""The web pages: search, a document's citations, submit (one capture: ``capture_page``).

Server-rendered HTML with no script of our own, so every page works without
JavaScript, loads fast on a phone, and can carry a strict Content-Security-
Policy (``script-src`` is never allowed); only the replay frame runs scripts,
and those belong to the archived page, on the replay engine's sandboxed
origin.  Jinja2 autoescapes everything, and links are only ever made from
http(s) URLs, because cited URLs and titles come from documents anyone may
submit.  Access follows the API: what an anonymous caller may not see is a
404 page, the same as what does not exist.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import Session

from archive.api.errors import status_for
from archive.api.keys import key_is_active
from archive.api.pagination import Version
from archive.api.reads import key_checker, read, runtime
from archive.api.submission import ingest, read_form
from archive.db.models import Capture, CaptureJob, Citation, Document
from archive.errors import CitevaultError, InputError, NotFoundError
from archive.ingest.ids import validate_id
from archive.ingest.source import public_source
from archive.lookup import access
from archive.lookup import citations as lookup
from archive.lookup.health_changes import badges
from archive.replay import replay_origin
from archive.settings import Settings

router = APIRouter(include_in_schema=False)

HERE = Path(__file__).resolve().parent
STATIC = {"citevault.css": "text/css; charset=utf-8"}
_CSS_VERSION = hashlib.sha256((HERE / "static" / "citevault.css").read_bytes()).hexdigest()[:12]
SEARCH_LIMIT = 50
TIMELINE_LIMIT = 50


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S UTC")


def _when_ms(value: datetime | None) -> str:
    """``_when`` to the millisecond, for captures that share a second with another."""
    if value is None:
        return ""
    value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S.") + f"{value.microsecond // 1000:03d} UTC"


def shared_seconds(captures: list[Capture]) -> set[int]:
    """Ids of the captures whose time, to the second, another capture of the list shares.

    Those are shown to the millisecond; the rest keep the shorter form.
    """
    by_second: dict[datetime, list[int]] = {}
    for cap in captures:
        by_second.setdefault(cap.captured_at.replace(microsecond=0), []).append(cap.id)
    return {ident for ids in by_second.values() if len(ids) > 1 for ident in ids}


def safe_href(url: str | None) -> str | None:
    """A URL fit for an href, or None: never ``javascript:`` and the like."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["when"] = _when
_env.filters["when_ms"] = _when_ms
_env.filters["href"] = safe_href
_env.filters["public_source"] = public_source
_env.globals["css_url"] = f"/static/citevault.css?v={_CSS_VERSION}"


def _page_headers(settings: Settings) -> dict[str, str]:
    return {
        "Content-Security-Policy": (
            "default-src 'none'; style-src 'self'; img-src 'self' data:; "
            f"frame-src {replay_origin(settings)}; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }


def render(
    rt_settings: Settings,
    template: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    html = _env.get_template(template).render(**context)
    return HTMLResponse(html, status, headers={**_page_headers(rt_settings), **(headers or {})})


def not_found(settings: Settings, message: str) -> HTMLResponse:
    return render(settings, "not_found.html", 404, message=message)


# --- search -------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search(session: Session, q: str, privileged: bool) -> list[dict[str, Any]]:
    docs = select(Document).where(access.visible_documents(privileged))
    if q:
        pattern = _like(q)
        citing = select(Citation.document_id).where(
            or_(
                func.lower(Citation.url_as_cited).like(pattern, escape="\\"),
                func.lower(Citation.url_normalized).like(pattern, escape="\\"),
                func.lower(Citation.resolved_url).like(pattern, escape="\\"),
            )
        )
        docs = docs.where(
            or_(
                func.lower(Document.id).like(pattern, escape="\\"),
                func.lower(Document.title).like(pattern, escape="\\"),
                Document.id.in_(citing),
            )
        )
    found = session.scalars(
        docs.order_by(Document.updated_at.desc(), Document.id).limit(SEARCH_LIMIT)
    ).all()
    counts = dict(
        session.execute(
            select(Citation.document_id, func.count(Citation.id))
            .where(Citation.document_id.in_([d.id for d in found]))
            .group_by(Citation.document_id)
        ).all()
    )
    exact = [d for d in found if d.id == q]
    ordered = exact + [d for d in found if d.id != q]
    return [{"doc": d, "citations": counts.get(d.id, 0), "updated": d.updated_at} for d in ordered]


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, q: str = "") -> HTMLResponse:
    privileged = key_checker(request)
    settings = runtime(request).settings
    q = q.strip()[:500]

    def work(conn: Connection) -> HTMLResponse:
        with Session(conn) as session:
            results = _search(session, q, privileged(conn))
            return render(settings, "home.html", q=q, results=results)

    return await read(request, work)


# --- a document -----------------------------------------------------------------


_SOURCE_WORDS = {"client_error": "client error", "server_error": "server error"}


def _captured_badge(source: dict[str, Any]) -> dict[str, Any]:
    """A capture of a source that answered an error is a warning, never a green badge."""
    code = source["http_status"]
    hops = len(source["redirects"])
    via = f" after {hops} redirect{'' if hops == 1 else 's'}" if hops else ""
    if source["status"] in _SOURCE_WORDS:
        word = "gone" if code in (404, 410) else _SOURCE_WORDS[source["status"]]
        label = f"captured · source answered {code} ({word}){via}"
        return {"kind": "warning", "label": label, "detail": None}
    if hops:
        label = f"captured · source redirected · HTTP {code}{via}"
        return {"kind": "moved", "label": label, "detail": None}
    return {"kind": "captured", "label": f"captured · HTTP {code}", "detail": None}


def _status(
    citation: Citation,
    captures: list[Capture],
    job: CaptureJob | None,
    source: dict[str, Any] | None,
    pending: dict[str, Any] | None,
) -> dict[str, Any]:
    """The badge: captured (and what the source answered), failed, pending, or unresolved."""
    if source is not None and source["http_status"] is not None:
        return _captured_badge(source)
    if citation.resolution != "resolved" and not citation.url_normalized:
        detail = f"candidate: {citation.candidate_url}" if citation.candidate_url else None
        return {"kind": "unresolved", "label": "unresolved", "detail": detail}
    if pending is not None:
        # The same sentence as the citations JSON gives (``lookup/pending.py``);
        # a refusal also shows the fetch policy's own words.
        detail = pending["last_error"] if pending["state"] == "blocked" else None
        return {"kind": "pending", "label": f"pending · {pending['reason']}", "detail": detail}
    reason = (job.reason if job is not None else None) or next(
        (c.error for c in captures if c.error), None
    )
    if job is not None or captures:
        state = "cancelled" if job is not None and job.state == "cancelled" else "failed"
        if state == "failed" and source is not None and source["status"] == "unreachable":
            state = "failed · source unreachable"
            reason = source["error"] or reason
        return {"kind": "failed", "label": state, "detail": reason or "no reason recorded"}
    return {"kind": "pending", "label": "not queued yet", "detail": None}


def _latest_jobs(session: Session, doc_id: str) -> dict[int, CaptureJob]:
    jobs: dict[int, CaptureJob] = {}
    for job in session.scalars(
        select(CaptureJob).where(CaptureJob.document_id == doc_id).order_by(CaptureJob.id)
    ):
        if job.citation_id is not None:
            jobs[job.citation_id] = job
    return jobs


def _valid_id(doc_id: str) -> str | None:
    try:
        return validate_id(doc_id)
    except InputError:
        return None


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
async def document_page(request: Request, doc_id: str, version: Version = None) -> HTMLResponse:
    privileged = key_checker(request)
    settings = runtime(request).settings

    def work(conn: Connection) -> HTMLResponse:
        with Session(conn) as session:
            return _document_page(session, settings, doc_id, version, privileged(conn))

    return await read(request, work)


def _document_page(
    session: Session, settings: Settings, doc_id: str, version: int | None, privileged: bool
) -> HTMLResponse:
    try:
        checked = _valid_id(doc_id)
        if checked is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        doc = access.visible_document(session, checked, privileged=privileged)
        data = lookup.load(session, doc.id, version)
    except NotFoundError as exc:
        return not_found(settings, exc.message)
    jobs = _latest_jobs(session, doc.id)
    health = badges(session, [c.id for c in data.citations])
    items = [
        {
            "c": c,
            "url": c.url_as_cited or c.resolved_url,
            "status": _status(
                c, data.captures[c.id], jobs.get(c.id), data.sources[c.id], data.pending[c.id]
            ),
            "source": data.sources[c.id],
            "precise": shared_seconds(data.captures[c.id][:TIMELINE_LIMIT]),
            "captures": data.captures[c.id][:TIMELINE_LIMIT],
            "more": max(0, len(data.captures[c.id]) - TIMELINE_LIMIT),
            "health": health.get(c.id),
        }
        for c in data.citations
    ]
    tally: dict[str, int] = {}
    for c in data.citations:
        status = _status(
            c, data.captures[c.id], jobs.get(c.id), data.sources[c.id], data.pending[c.id]
        )
        kind = status["kind"]
        tally[kind] = tally.get(kind, 0) + 1
    return render(settings, "document.html", doc=doc, ver=data.version, items=items, tally=tally)


# --- submit ---------------------------------------------------------------------


@router.get("/submit", response_class=HTMLResponse)
def submit_form(request: Request) -> HTMLResponse:
    return render(runtime(request).settings, "submit.html", error=None, hint=None, form={})


@router.post("/submit", response_class=HTMLResponse)
async def submit(request: Request) -> Response:
    """The form's twin of ``POST /api/documents``: the API key comes as a field."""
    rt = runtime(request)
    fields: dict[str, Any] = {}
    try:
        sub = await read_form(request, rt.settings.max_document_bytes)
        fields = {n: sub.fields.get(n, "") for n in ("url", "id", "title", "private")}
        api_key = sub.fields.get("api_key", "")
        if not api_key:
            raise PermissionError("an API key is required to submit documents")
        if not await read(request, lambda conn: key_is_active(conn, api_key)):
            raise PermissionError("the API key is unknown or has been revoked")
        result = await ingest(request, rt, sub)
    except PermissionError as exc:
        return render(rt.settings, "submit.html", 401, error=str(exc), hint=None, form=fields)
    except CitevaultError as exc:
        return render(
            rt.settings,
            "submit.html",
            status_for(exc),
            error=exc.message,
            hint=exc.hint,
            form=fields,
        )
    return RedirectResponse(f"/documents/{quote(result.document_id, safe='')}", status_code=303)


# --- the stylesheet -------------------------------------------------------------


@router.get("/static/{name}")
def static(name: str) -> Response:
    media_type = STATIC.get(name)
    if media_type is None:
        return Response("not found\n", 404, media_type="text/plain")
    return Response(
        (HERE / "static" / name).read_bytes(),
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )
