"""Candidate URLs for a named reference: ``GET /api/citations/{id}/suggestions``.

Anonymous like the other reads; a caller without a key neither sees a private
document's reference nor gets suggestions drawn from private documents.  The
ranking is ``archive.ingest.suggest``, the same as ``citevault resolve --suggest``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from archive.api.deps import OptionalKey, SessionDep
from archive.ingest.suggest import MAX_LIMIT, suggest

router = APIRouter(prefix="/api", tags=["citations"])


@router.get("/citations/{citation_id}/suggestions")
def get_suggestions(
    citation_id: int,
    session: SessionDep,
    key: OptionalKey,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
) -> dict[str, Any]:
    """Ranked candidate URLs: earlier resolutions of the same source, the known home page."""
    return suggest(session, citation_id, privileged=key is not None, limit=limit).to_json()
