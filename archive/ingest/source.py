"""Reading a document from a file, standard input, a URL or an upload, within the size limit.

Which sources an interface may read is decided here, not by its callers:
the command line reads files, ``-`` and http(s) URLs; the API and the web
form read http(s) URLs and uploaded bytes only (``read_url``), because a
path given to a server names the server's own files.

Every reader stops at ``max_document_bytes`` while reading: a size from
``stat`` or ``Content-Length`` only refuses early, it is never trusted, since
a FIFO, ``/proc`` file or a file that grows while read reports 0 or too little.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import urlsplit

from archive.errors import InputError, TooLargeError
from archive.net.fetch import fetch_document
from archive.settings import Settings

_URL_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class SourceBytes:
    data: bytes
    source: str  # as the user gave it (path, URL, upload name or "-")
    filename: str | None
    base_url: str | None
    media_type: str | None


def too_big(what: str, size: int | None, limit: int) -> TooLargeError:
    got = f"{size / 1e6:.1f} MB" if size is not None else "more than that"
    return TooLargeError(
        f"{what} is {got}, above the limit of {limit / 1e6:.1f} MB (max_document_bytes)",
        hint="raise max_document_bytes (CITEVAULT_MAX_DOCUMENT_BYTES) if it is legitimate",
    )


def read_bounded(stream: BinaryIO, what: str, limit: int) -> bytes:
    """At most ``limit`` bytes of ``stream``; one byte more is the proof that it is too big."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_big(what, None, limit)
    return data


def _scheme(source: str) -> str | None:
    try:
        parts = urlsplit(source)
    except ValueError:
        return None
    return parts.scheme.lower() if parts.scheme and (parts.netloc or "://" in source) else None


def read_url(url: str, settings: Settings) -> SourceBytes:
    """An http(s) URL: the only source, besides uploaded bytes, that the API and form read."""
    text = url.strip()
    try:
        scheme = urlsplit(text).scheme.lower() or None
    except ValueError:
        scheme = None
    hint = (
        "give an http(s) URL or upload the file; server paths and - work only on the command line"
    )
    if not text:
        raise InputError("the URL is empty", hint=hint)
    if text == "-":
        raise InputError("'-' (standard input) cannot be read through the API", hint=hint)
    if scheme is None:
        raise InputError(f"{text[:200]!r} is not an http(s) URL; paths are not read", hint=hint)
    if scheme not in _URL_SCHEMES:
        raise InputError(f"the URL scheme {scheme!r} is not supported, only http(s)", hint=hint)
    limit = settings.max_document_bytes
    fetched = fetch_document(text, settings.fetch, max_bytes=limit)
    name = fetched.url.rstrip("/").rsplit("/", 1)[-1] or None
    return SourceBytes(fetched.body, text, name, fetched.url, fetched.media_type)


def read_source(source: str, settings: Settings, stdin: BinaryIO | None = None) -> SourceBytes:
    """What the command line reads: a regular file, ``-`` (standard input) or an http(s) URL."""
    limit = settings.max_document_bytes
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return SourceBytes(read_bounded(stream, "standard input", limit), "-", None, None, None)
    scheme = _scheme(source)
    if scheme in _URL_SCHEMES:
        return read_url(source, settings)
    if scheme is not None:
        raise InputError(
            f"unsupported source {source!r}",
            hint="give a file path, an http(s) URL, or - for stdin",
        )
    path = Path(source)
    return SourceBytes(_read_file(path, source, limit), source, path.name, None, None)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, label in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return label
    return "not a regular file"


def _refuse_kind(source: str, mode: int) -> None:
    kind = _kind(mode)
    if kind is not None:
        raise InputError(
            f"{source} is {kind}, not a document file",
            hint="give a regular file; to read from a pipe, use - (standard input)",
        )


def _read_file(path: Path, source: str, limit: int) -> bytes:
    # stat before open: opening a device or FIFO can block or have effects of its own.
    try:
        _refuse_kind(source, path.stat().st_mode)
        # O_NONBLOCK: a FIFO swapped in after the stat must not hang the open;
        # the fstat below then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(f"no such file: {source}") from None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        _refuse_kind(source, info.st_mode)
        if info.st_size > limit:
            raise too_big(source, info.st_size, limit)
        try:
            return read_bounded(stream, source, limit)
        except OSError as exc:
            raise InputError(f"cannot read {source}: {exc.strerror}") from None


def public_source(source: str | None) -> str | None:
    """A document's source as anyone may see it: a URL, or a file's name without its folders.

    The full path a document was added from names the server's (or a user's)
    folders; it stays in the database for the operator, and every public body
    (API JSON, the CLI's same JSON, web pages) shows this instead.
    """
    if not source:
        return None
    try:
        parts = urlsplit(source)
    except ValueError:
        parts = None
    if parts is not None and parts.scheme.lower() in _URL_SCHEMES and parts.netloc:
        # user:password@ is a secret too
        host = parts.netloc.rpartition("@")[2]
        return parts._replace(netloc=host).geturl()
    if source == "-":
        return source
    return PurePosixPath(source.replace("\\", "/")).name or None
