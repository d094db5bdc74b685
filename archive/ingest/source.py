"""Reading a document from a path, a URL or standard input, within the size limit.

The size is checked before the bytes are read where possible (stat for files,
Content-Length while streaming for URLs, a bounded read for stdin), so a
200 MB file is refused without first holding 200 MB in memory.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from archive.errors import InputError
from archive.net.fetch import fetch_document
from archive.settings import Settings


@dataclass(frozen=True, slots=True)
class SourceBytes:
    data: bytes
    source: str  # as the user gave it (path, URL or "-")
    filename: str | None
    base_url: str | None
    media_type: str | None


def _too_big(what: str, size: int | None, limit: int) -> InputError:
    got = f"{size / 1e6:.1f} MB" if size is not None else "more than that"
    return InputError(
        f"{what} is {got}, above the limit of {limit / 1e6:.1f} MB (max_document_bytes)",
        hint="raise max_document_bytes (CITEVAULT_MAX_DOCUMENT_BYTES) if it is legitimate",
    )


def read_source(source: str, settings: Settings, stdin: BinaryIO | None = None) -> SourceBytes:
    limit = settings.max_document_bytes
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise _too_big("standard input", None, limit)
        return SourceBytes(data, "-", None, None, None)
    lowered = source.lower()
    if lowered.startswith(("http://", "https://")):
        fetched = fetch_document(source, settings.fetch, max_bytes=limit)
        name = fetched.url.rstrip("/").rsplit("/", 1)[-1] or None
        return SourceBytes(fetched.body, source, name, fetched.url, fetched.media_type)
    if "://" in source:
        raise InputError(
            f"unsupported source {source!r}",
            hint="give a file path, an http(s) URL, or - for stdin",
        )
    path = Path(source)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"no such file: {source}") from None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None
    if path.is_dir():
        raise InputError(f"{source} is a folder, not a document")
    if size > limit:
        raise _too_big(source, size, limit)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None
    return SourceBytes(data, source, path.name, None, None)
