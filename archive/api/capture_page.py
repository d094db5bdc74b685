"""The page of one capture: what was fetched, its replay or a download panel.

It is rendered with the templates, filters and page headers of ``web.py``
(the other pages: search, documents, submit).  Besides the capture's own facts it says how the
capture relates to a redirect chain, because the frame alone misleads
there: a hop's frame follows the redirect and shows the next page, and a
final answer stands at another address than the one the document cites.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from archive.api.reads import key_checker, read, runtime
from archive.api.routes.memento import memento_link
from archive.api.routes.replay import engine_reachable, unreplayable_reason
from archive.api.web import TIMELINE_LIMIT, not_found, render, safe_href, shared_seconds
from archive.db.models import Capture, Citation, CitationCapture, Document
from archive.errors import NotFoundError
from archive.lookup import access
from archive.lookup.source import chain_into, cited_start, next_hop, source_status
from archive.net.httpdate import http_date
from archive.replay import replay_url
from archive.settings import Settings

router = APIRouter(include_in_schema=False)


def _citing_documents(session: Session, capture_id: int, privileged: bool) -> list[Document]:
    stmt = (
        select(Document)
        .join(Citation, Citation.document_id == Document.id)
        .join(CitationCapture, CitationCapture.citation_id == Citation.id)
        .where(CitationCapture.capture_id == capture_id, access.visible_documents(privileged))
        .distinct()
        .order_by(Document.id)
    )
    return list(session.scalars(stmt))


def _reached_from(session: Session, cap: Capture, privileged: bool) -> list[dict[str, object]]:
    """The redirects a citation of this capture went through to get here (often none)."""
    cited = session.scalars(
        select(Citation)
        .join(CitationCapture, CitationCapture.citation_id == Citation.id)
        .join(Document, Document.id == Citation.document_id)
        .where(CitationCapture.capture_id == cap.id, access.visible_documents(privileged))
        .order_by(Citation.id)
    )
    starts = list(dict.fromkeys(cited_start(c) for c in cited))
    return chain_into(session.connection(), starts, cap.id, cap.url, cap.captured_at)


def _is_hop(cap: Capture) -> bool:
    status = cap.http_status
    return cap.redirect_to is not None and status is not None and 300 <= status < 400


def _next_capture(session: Session, cap: Capture, privileged: bool) -> int | None:
    if cap.redirect_to is None:
        return None
    conn = session.connection()
    return next_hop(conn, cap.id, cap.redirect_to, cap.captured_at, privileged)


def _same_url(session: Session, cap: Capture, privileged: bool) -> list[Capture]:
    stmt = select(Capture).where(
        Capture.url_normalized == cap.url_normalized, access.visible_captures(privileged)
    )
    order = (Capture.captured_at.desc(), Capture.id.desc())
    return list(session.scalars(stmt.order_by(*order).limit(TIMELINE_LIMIT)))


@router.get("/captures/{capture_id}", response_class=HTMLResponse)
async def capture_page(request: Request, capture_id: str) -> HTMLResponse:
    privileged = key_checker(request)
    settings = runtime(request).settings

    def work(conn: Connection) -> HTMLResponse:
        with Session(conn) as session:
            return _capture_page(session, settings, capture_id, privileged(conn), request)

    return await read(request, work)


def _capture_page(
    session: Session, settings: Settings, capture_id: str, privileged: bool, request: Request
) -> HTMLResponse:
    try:
        if not capture_id.isdigit() or len(capture_id) > 18:
            raise NotFoundError(f"no capture with id {capture_id!r}")
        cap = access.visible_capture(session, int(capture_id), privileged=privileged)
    except NotFoundError as exc:
        return not_found(settings, exc.message)
    reason = unreplayable_reason(cap)
    # Only a local engine is probed: a public one may sit behind a proxy we cannot see.
    engine_down = (
        reason is None and not settings.replay.public_url and not engine_reachable(settings)
    )
    has_record = cap.warc_file_id is not None and bool(cap.warc_length)
    timeline = _same_url(session, cap, privileged)
    hop = _is_hop(cap)
    headers = {
        # This page is a memento (URI-M) in the Memento API: say so as RFC 7089 asks.
        "Memento-Datetime": http_date(cap.captured_at),
        "Link": memento_link(request, cap.url) if safe_href(cap.url) else "",
    }
    return render(
        settings,
        "capture.html",
        headers={k: v for k, v in headers.items() if v},
        cap=cap,
        replay=replay_url(settings, cap) if reason is None else None,
        reason=reason,
        engine_down=engine_down,
        has_record=has_record,
        download=has_record and _is_file(cap),
        source=source_status(cap.http_status, False) if cap.http_status is not None else None,
        documents=_citing_documents(session, cap.id, privileged),
        reached_from=[] if hop else _reached_from(session, cap, privileged),
        hop=hop,
        next_capture=_next_capture(session, cap, privileged) if hop else None,
        timeline=timeline,
        precise=shared_seconds([cap, *(t for t in timeline if t.id != cap.id)]),
    )


# Media types a browser shows in the replay frame; anything else (a PDF, an image,
# an archive) gets the download panel, where a frame would stay empty or
# hand the file to the browser's downloader with no word of what it is.
_INLINE_TYPES = ("application/xhtml+xml", "application/xml", "application/json")


def _is_file(cap: Capture) -> bool:
    """A successful answer of a type no frame shows; an untyped one is left to the replay."""
    if cap.http_status is None or not 200 <= cap.http_status < 300 or not cap.media_type:
        return False
    kind = cap.media_type.split(";")[0].strip().lower()
    return not (kind.startswith("text/") or kind in _INLINE_TYPES or kind.endswith("+xml"))
