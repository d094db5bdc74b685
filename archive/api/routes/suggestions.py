"""Candidate URLs for a named reference: ``GET /api/citations/{id}/suggestions``.

Anonymous like the other reads; a caller without a key neither sees a private
document's reference nor gets suggestions drawn from private documents.  The
ranking is ``archive.ingest.suggest``, the same as ``citevault resolve --suggest``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from archive.api.reads import key_checker, read
from archive.ingest.suggest import MAX_LIMIT, suggest

router = APIRouter(prefix="/api", tags=["citations"])


@router.get("/citations/{citation_id}/suggestions")
async def get_suggestions(
    request: Request,
    citation_id: int,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
) -> dict[str, Any]:
    """Ranked candidate URLs: earlier resolutions of the same source, the known home page."""
    privileged = key_checker(request)

    def work(conn: Connection) -> dict[str, Any]:
        with Session(conn) as session:
            found = suggest(session, citation_id, privileged=privileged(conn), limit=limit)
            return found.to_json()

    return await read(request, work)
