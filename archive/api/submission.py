"""One way in for a document over HTTP, shared by ``POST /api/documents`` and the web form.

Both take an http(s) URL or uploaded bytes and nothing else (``read_url``):
a path handed to a server would name the server's own files.  Uploads are
parsed here, with the size limit applied while the body streams in, so an
upload without a ``Content-Length`` (or with a false one) is cut at the limit
instead of being spooled to disk whole first.

The rest — fetching the URL, extraction, the store upload and the database
writes — blocks, for as long as a slow source takes; ``ingest`` runs it in a
worker thread so the event loop keeps answering everyone else meanwhile.
Extraction itself runs in a child process (the app's ``ExtractionPool``,
opened by its lifespan): its long calls into C would hold this process's
interpreter lock, and the event loop with it, for as long as each call runs.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser

from archive.api.reads import evict_citations
from archive.errors import InputError
from archive.ingest.extraction import ExtractionPool
from archive.ingest.service import AddResult, add_document
from archive.ingest.source import SourceBytes, read_url, too_big
from archive.runtime import Runtime

# Room for the other fields, part headers and boundaries next to a document
# of exactly max_document_bytes.
FORM_OVERHEAD = 64 * 1024
MAX_FIELDS = 32


@dataclass
class Submission:
    """What was handed in: text fields, and the uploaded document if there is one."""

    fields: dict[str, Any] = field(default_factory=dict)
    upload: SourceBytes | None = None


async def bounded(
    stream: AsyncIterator[bytes], cap: int, too_long: Exception
) -> AsyncGenerator[bytes, None]:
    """A request body's chunks, raising ``too_long`` once more than ``cap`` bytes came."""
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > cap:
            raise too_long
        yield chunk


def _upload_name(name: str | None) -> str:
    """The file name alone: a client may send a whole path, of its machine or made up."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    return base if base not in ("", ".", "..") else "upload"


async def read_form(request: Request, limit: int) -> Submission:
    """A submitted form (multipart, or urlencoded without a file), its ``file`` part read in."""
    ctype = request.headers.get("content-type", "")
    cap = limit + FORM_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_big("the upload", int(declared), limit)
    parser: MultiPartParser | FormParser
    if ctype.startswith("multipart/form-data"):
        parser = MultiPartParser(
            request.headers,
            bounded(request.stream(), cap, too_big("the upload", None, limit)),
            max_files=1,
            max_fields=MAX_FIELDS,
            max_part_size=FORM_OVERHEAD,
        )
    elif ctype.startswith("application/x-www-form-urlencoded"):  # a form without a file
        too_long = InputError(f"the form's fields are longer than {FORM_OVERHEAD} bytes")
        parser = FormParser(
            request.headers,
            bounded(request.stream(), FORM_OVERHEAD, too_long),
            max_fields=MAX_FIELDS,
            max_part_size=FORM_OVERHEAD,
        )
    else:
        raise InputError(f"expected a form, not {ctype.split(';')[0] or 'an untyped body'}")
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise InputError(f"the form is not valid: {exc.message}") from None
    try:
        fields = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
        upload = form.get("file")
        src = None
        # A browser sends an empty, nameless file part when no file was chosen.
        if isinstance(upload, UploadFile) and (upload.filename or upload.size):
            data = await upload.read(limit + 1)
            if len(data) > limit:
                raise too_big("the upload", None, limit)
            name = _upload_name(upload.filename)
            src = SourceBytes(data, name, name, None, upload.content_type)
        return Submission(fields, src)
    finally:
        await form.close()


def flag(value: Any) -> bool | None:
    """A yes/no field (``private``) as JSON, a form or a checkbox (``on``) send it."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise InputError(f"'private' must be true or false, not {value!r}")


def text_field(fields: dict[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"{name!r} must be a string, not {type(value).__name__}")
    return value


async def ingest(request: Request, rt: Runtime, sub: Submission) -> AddResult:
    """Add the submitted document: its URL is fetched, or its upload taken as is."""
    url = text_field(sub.fields, "url")
    if (sub.upload is None) == (url is None):
        raise InputError(
            "give either a URL or a file (exactly one of them)",
            hint="send JSON {'url': 'https://…'} or a multipart 'file' part",
        )
    options: dict[str, Any] = {
        "doc_id": text_field(sub.fields, "id"),
        "fmt": text_field(sub.fields, "format"),
        "title": text_field(sub.fields, "title"),
        "private": flag(sub.fields.get("private")),
    }
    pool = getattr(request.app.state, "extraction_pool", None)
    if not isinstance(pool, ExtractionPool):
        raise RuntimeError("the app's lifespan did not run: it opens the extraction processes")
    result = await run_in_threadpool(_ingest, rt, pool, sub.upload, url, options)
    evict_citations(request, result.document_id)
    return result


def _ingest(
    rt: Runtime,
    pool: ExtractionPool,
    upload: SourceBytes | None,
    url: str | None,
    options: dict[str, Any],
) -> AddResult:
    src = upload if upload is not None else read_url(url or "", rt.settings)
    return add_document(rt, src, extractor=pool.extract, **options)
