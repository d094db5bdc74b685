"""One capture: its metadata, its exact WARC record, its archived payload; jobs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from archive.api import ranged
from archive.api.head import is_head
from archive.api.reads import key_checker, read, runtime
from archive.api.routes.memento import memento_link
from archive.db.base import MAX_ROW_ID
from archive.db.models import Capture, CaptureJob, WarcFile
from archive.errors import NotFoundError
from archive.lookup import access, records
from archive.lookup.detail import capture_detail
from archive.net.httpdate import http_date

router = APIRouter(prefix="/api", tags=["captures"])

# Archived bodies are evidence, not part of this application: never let a
# browser run them in the API's origin.
PAYLOAD_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"


@router.get("/captures/{capture_id}")
async def get_capture(request: Request, capture_id: int) -> dict[str, Any]:
    privileged = key_checker(request)

    def work(conn: Connection) -> dict[str, Any]:
        with Session(conn) as session:
            cap = access.visible_capture(session, capture_id, privileged=privileged(conn))
            return capture_detail(session, cap)

    return await read(request, work)


@router.get("/captures/{capture_id}/warc", response_class=Response)
async def get_warc_record(request: Request, capture_id: int) -> Response:
    """The exact bytes of the capture's WARC record (one gzip member), for download."""
    privileged = key_checker(request)

    def work(conn: Connection) -> access.RecordLocation:
        return access.record_location(conn, capture_id, privileged=privileged(conn))

    where = await read(request, work)
    headers = {
        "Content-Disposition": f'attachment; filename="capture-{where.id}.warc.gz"',
        "X-Content-Type-Options": "nosniff",
    }
    if is_head(request):
        # The database knows the record's length, and GET answers exactly that many
        # bytes or fails: no need to read them from the store only to drop them.
        headers["Content-Length"] = str(ranged.record_length(where))
        return Response(b"", media_type="application/warc", headers=headers)
    data = await ranged.record_bytes(
        runtime(request), getattr(request.app.state, "s3_session", None), where
    )
    return Response(data, media_type="application/warc", headers=headers)


@router.get("/captures/{capture_id}/payload")
async def get_payload(request: Request, capture_id: int) -> Response:
    """The archived HTTP body with its original media type (revisits: the original's)."""
    privileged = key_checker(request)
    rt = runtime(request)

    def work(conn: Connection) -> Response:
        with Session(conn) as session:
            cap = access.visible_capture(session, capture_id, privileged=privileged(conn))
            source: Capture = cap
            if cap.revisit_of_id is not None:
                original = session.get(Capture, cap.revisit_of_id)
                if original is None:
                    raise NotFoundError(f"capture {cap.id} revisits a capture that is not recorded")
                source = original
            warc = session.get(WarcFile, source.warc_file_id) if source.warc_file_id else None
            body = records.payload(rt, source, warc)
            headers = {
                "Content-Security-Policy": PAYLOAD_CSP,
                "X-Content-Type-Options": "nosniff",
                "Memento-Datetime": http_date(cap.captured_at),
                "Link": memento_link(request, cap.url),
            }
            media_type = source.media_type or "application/octet-stream"
        return Response(body.body, media_type=media_type, headers=headers)

    return await read(request, work)


@router.get("/jobs/{job_id}")
async def get_job(request: Request, job_id: int) -> dict[str, Any]:
    privileged = key_checker(request)

    def work(conn: Connection) -> dict[str, Any]:
        with Session(conn) as session:
            return _job(session, job_id, privileged(conn))

    return await read(request, work)


def _job(session: Session, job_id: int, privileged: bool) -> dict[str, Any]:
    # A job of a private document is missing to a caller without a key, with the
    # same words as one that does not exist: ids are sequential, and the
    # document's 404 would name the document.
    missing = NotFoundError(f"no job with id {job_id}")
    job = session.get(CaptureJob, job_id) if 0 < job_id <= MAX_ROW_ID else None
    if job is None:
        raise missing
    if job.document_id is not None:
        try:
            access.visible_document(session, job.document_id, privileged=privileged)
        except NotFoundError:
            raise missing from None
    capture = session.scalars(select(Capture.id).where(Capture.job_id == job.id)).first()
    return {
        "id": job.id,
        "url": job.url,
        "state": job.state,
        "document_id": job.document_id,
        "citation_id": job.citation_id,
        "attempts": job.attempts,
        "reason": job.reason,
        "not_before": job.not_before.isoformat().replace("+00:00", "Z"),
        "capture_id": capture,
        "updated_at": job.updated_at.isoformat().replace("+00:00", "Z"),
    }
