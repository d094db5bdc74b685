"""One capture in full: the JSON of ``GET /api/captures/{id}`` and ``citevault show``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import Capture, CitationCapture, WarcFile
from archive.lookup.citations import capture_json, plain


def capture_detail(session: Session, cap: Capture) -> dict[str, Any]:
    """Where the capture is stored and which citations it preserves, besides the basics."""
    out = plain(capture_json(cap))
    warc = session.get(WarcFile, cap.warc_file_id) if cap.warc_file_id else None
    out.update(
        surt=cap.surt,
        url_normalized=cap.url_normalized,
        payload_length=cap.payload_length,
        ip_address=cap.ip_address,
        redirect_to=cap.redirect_to,
        is_requisite=cap.is_requisite,
        robots=cap.robots_policy,
        warc={
            "file": warc.filename,
            "store_key": warc.store_key,
            "sha256": warc.sha256,
            "offset": cap.warc_offset,
            "length": cap.warc_length,
            "record_id": cap.warc_record_id,
        }
        if warc
        else None,
        citations=list(
            session.scalars(
                select(CitationCapture.citation_id).where(CitationCapture.capture_id == cap.id)
            )
        ),
    )
    return out
