"""A document's captures as a WACZ download.

The package is built per request into a scratch file and streamed from it;
the file is unlinked as soon as it is open, so nothing is left behind however
the download ends.  Two builds differ in their ``created`` time, so byte
ranges of one cannot be combined with another: the response is a whole-file
download (``Accept-Ranges: none``) with its length and SHA-256 up front.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from archive.api.errors import ApiError
from archive.api.reads import key_checker, read, runtime
from archive.errors import InputError
from archive.export import MEDIA_TYPE, WaczResult, write_wacz
from archive.export.signing import signer_for
from archive.ingest.ids import validate_id

router = APIRouter(prefix="/api", tags=["export"])

CHUNK = 256 * 1024


def _chunks(fh: BinaryIO) -> Iterator[bytes]:
    try:
        while chunk := fh.read(CHUNK):
            yield chunk
    finally:
        fh.close()


@router.get(
    "/documents/{doc_id}/export.wacz",
    response_class=StreamingResponse,
    responses={
        200: {"content": {MEDIA_TYPE: {}}, "description": "The WACZ package."},
        404: {"description": "No such document, or it has no captures yet."},
    },
)
async def export_wacz(request: Request, doc_id: str) -> StreamingResponse:
    """Every capture of the document (all versions) with the records each page needs.

    Private documents need an API key; without one they do not exist (404).
    A document with no capture yet is a 404 too: there is nothing to replay.
    """
    try:
        validate_id(doc_id)
    except InputError as exc:
        raise ApiError(400, "bad_request", exc.message) from None
    privileged = key_checker(request)
    rt = runtime(request)
    store = rt.store()
    signer = signer_for(rt.settings)

    def build(conn: Connection) -> tuple[WaczResult, BinaryIO]:
        work = Path(tempfile.mkdtemp(prefix="citevault-export-"))
        try:
            with Session(conn) as session:
                dest = work / "export.wacz"
                result = write_wacz(
                    session, store, doc_id, dest, privileged=privileged(conn), signer=signer
                )
            return result, result.path.open("rb")
        finally:
            shutil.rmtree(work, ignore_errors=True)

    result, fh = await read(request, build)
    digest = base64.b64encode(bytes.fromhex(result.sha256)).decode()
    headers = {
        "Content-Disposition": f'attachment; filename="{doc_id}.wacz"',
        "Content-Length": str(result.size),
        "Accept-Ranges": "none",
        "Repr-Digest": f"sha-256=:{digest}:",
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(_chunks(fh), media_type=MEDIA_TYPE, headers=headers)
