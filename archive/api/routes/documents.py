"""Documents and their citations: submit, list, look up, resolve named references."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from archive.api.errors import ApiError
from archive.api.pagination import Limit, Offset, Version, page
from archive.api.reads import (
    JsonBytes,
    citations_cache,
    evict_citations,
    key_checker,
    read,
    runtime,
)
from archive.api.submission import Submission, bounded, ingest, read_form
from archive.db.base import MAX_ROW_ID
from archive.db.models import CaptureJob
from archive.ingest.ids import validate_id
from archive.ingest.resolve import resolve_citation
from archive.ingest.service import AddResult
from archive.lookup import access, documents, health, versions
from archive.lookup import citations as lookup

router = APIRouter(prefix="/api", tags=["documents"])


async def _read_limited(request: Request, limit: int) -> bytes:
    too_long = ApiError(413, "too_large", f"the body is larger than {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_long
    return b"".join([chunk async for chunk in bounded(request.stream(), limit, too_long)])


async def _submission(request: Request, limit: int) -> Submission:
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        return await read_form(request, limit)
    if ctype.startswith("application/json"):
        raw = await _read_limited(request, 64 * 1024)
        try:
            fields = json.loads(raw or b"{}")
        except ValueError as exc:
            raise ApiError(400, "bad_request", f"the body is not valid JSON: {exc}") from None
        if not isinstance(fields, dict) or not isinstance(fields.get("url"), str):
            raise ApiError(400, "bad_request", "give {'url': 'https://…'} or upload a file")
        return Submission(fields)
    raise ApiError(
        415, "unsupported_media_type", "send multipart/form-data with a file, or JSON with a url"
    )


@router.post(
    "/documents",
    status_code=201,
    response_class=JsonBytes,
    responses={201: {"content": {"application/json": {}}}},
)
async def submit_document(request: Request) -> JsonBytes:
    """Upload a document (multipart ``file``) or give its http(s) ``url`` (JSON or a form field).

    Paths on the server and ``-`` are refused: they are for the command line.
    """
    rt = runtime(request)
    await read(request, key_checker(request, required=True))  # before the body is read
    sub = await _submission(request, rt.settings.max_document_bytes)
    result = await ingest(request, rt, sub)
    # Rendered in the thread too: a document can cite thousands of sources.
    body = await read(request, lambda conn: _submitted(conn, result))
    return JsonBytes(body, status_code=201 if result.created else 200)


def _submitted(conn: Connection, result: AddResult) -> bytes:
    with Session(conn) as session:
        data = lookup.to_json(lookup.load(session, result.document_id, result.version))
        jobs = session.scalars(
            select(CaptureJob)
            .where(CaptureJob.document_id == result.document_id)
            .order_by(CaptureJob.id)
        ).all()
    data["created"] = result.created
    data["warnings"] = result.warnings
    data["jobs"] = [{"id": j.id, "url": j.url, "state": j.state} for j in jobs]
    return lookup.dumps(data)


@router.get("/documents")
async def list_documents(
    request: Request,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[str | None, Query(description="Search id or title.")] = None,
) -> dict[str, Any]:
    privileged = key_checker(request)

    def work(conn: Connection) -> dict[str, Any]:
        with Session(conn) as session:
            total, listed = documents.list_documents(
                session, limit=limit, offset=offset, privileged=privileged(conn), q=q
            )
            items = [
                {**lookup.document_json(doc, ver), "private": doc.is_private}
                for doc, ver, _ in listed
            ]
        return page(items, total=total, limit=limit, offset=offset)

    return await read(request, work)


def doc_id_or_400(doc_id: str) -> str:
    try:
        return validate_id(doc_id)
    except Exception as exc:
        raise ApiError(400, "bad_request", str(exc)) from None


@router.get("/documents/{doc_id}")
async def get_document(request: Request, doc_id: str, version: Version = None) -> dict[str, Any]:
    privileged = key_checker(request)

    def work(conn: Connection) -> dict[str, Any]:
        with Session(conn) as session:
            doc = access.visible_document(
                session, doc_id_or_400(doc_id), privileged=privileged(conn)
            )
            data = lookup.load(session, doc.id, version)
            out = lookup.document_json(data.document, data.version)
        out["private"] = doc.is_private
        out["citation_count"] = len(data.citations)
        return out

    return await read(request, work)


@router.get(
    "/documents/{doc_id}/citations",
    response_class=JsonBytes,
    responses={200: {"content": {"application/json": {}}}},
)
async def get_citations(
    request: Request,
    doc_id: str,
    version: Version = None,
) -> JsonBytes:
    """The same JSON as ``citevault citations ID --format json``.

    Bodies are kept in the citations cache (PostgreSQL); a caller without a
    key whose body is missing joins a render already under way for it.
    """
    privileged = key_checker(request)
    keyed = "authorization" in request.headers
    key = (doc_id, version)
    cache = citations_cache(request)

    def build(conn: Connection) -> tuple[bool, bytes]:
        private, data = lookup.citations_view(conn, doc_id_or_400(doc_id), version)
        return private, lookup.dumps(data)

    entry = cache.get(key) if cache is not None else None
    if entry is not None:
        # a wrong key is a 401 even for a public body; no key needs no database
        allowed = await read(request, privileged) if keyed else False
        private, body = entry.private, entry.body
    elif cache is not None and not keyed:
        allowed = False
        private, body = await cache.shared(key, lambda: read(request, build))
    else:
        epoch = cache.epoch if cache is not None else 0
        allowed, (private, body) = await read(request, lambda c: (privileged(c), build(c)))
        if cache is not None:
            cache.put(key, private, body, epoch)
    if private and not allowed:
        raise lookup.missing_document(doc_id)
    return JsonBytes(body)


@router.get("/documents/{doc_id}/health")
async def get_health(
    request: Request,
    doc_id: str,
    history: Annotated[
        int, Query(ge=0, le=1000, description="Checks listed per citation, newest first.")
    ] = 20,
) -> dict[str, Any]:
    """Each cited URL's health state, drift label and check history (``citevault health``)."""
    privileged = key_checker(request)

    def work(conn: Connection) -> dict[str, Any]:
        with Session(conn) as session:
            return health.document_health(
                session, doc_id_or_400(doc_id), privileged=privileged(conn), history=history
            )

    return await read(request, work)


@router.post("/citations/{citation_id}/resolve")
async def resolve(citation_id: int, request: Request) -> dict[str, Any]:
    """Attach a URL to a named reference: ``{"url": "https://…"}``."""
    await read(request, key_checker(request, required=True))  # before the body is read
    raw = await _read_limited(request, 16 * 1024)
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise ApiError(400, "bad_request", "the body must be JSON: {'url': '…'}") from None
    if not isinstance(body, dict) or not isinstance(body.get("url"), str):
        raise ApiError(400, "bad_request", "the body must be JSON: {'url': '…'}")
    # The same service as ``citevault resolve``; it opens its own transaction.
    citation, queued = await run_in_threadpool(
        resolve_citation, runtime(request), citation_id, body["url"]
    )
    evict_citations(request, citation.document_id)
    return {
        "id": citation.id,
        "resolution": {"state": citation.resolution, "url": citation.resolved_url},
        "queued": queued,
    }


@router.get("/documents/{doc_id}/versions/{version}/diff")
async def version_diff(
    request: Request,
    doc_id: str,
    version: int,
    against: Annotated[
        int | None,
        Query(ge=1, description="The version to compare with (default: the one before)."),
    ] = None,
) -> dict[str, Any]:
    """The citations a version added and removed: the same JSON as
    ``citevault citations ID --version N --diff --format json``."""
    privileged = key_checker(request)
    if not 1 <= version <= MAX_ROW_ID or (against is not None and against > MAX_ROW_ID):
        raise ApiError(400, "bad_request", f"versions are numbers from 1 to {MAX_ROW_ID}")

    def work(conn: Connection) -> dict[str, Any]:
        with Session(conn) as session:
            doc = access.visible_document(
                session, doc_id_or_400(doc_id), privileged=privileged(conn)
            )
            return versions.version_diff(session, doc, version, against)

    return await read(request, work)
