"""WARC files in the spool: naming, gzip level per record, rollover, closing.

A file is written as ``<name>.warc.gz.open`` and renamed to ``<name>.warc.gz``
only once complete and synced, so anything without ``.open`` in the spool is
a whole file that any worker may commit, even after this process died.  The
writer holds an exclusive ``flock`` on the open file until it is renamed: the
lock dies with the process, and is how the next start tells a file abandoned
by a killed crawler (salvaged, ``archive.capture.salvage``) from one still
being written.
Names carry a UTC timestamp with microseconds, the host name, the process id
and a serial, which keeps them unique across workers and machines without any
coordination; the file is created exclusively and never overwritten.

Each record is its own gzip member (what ``.warc.gz`` readers and ranged
reads expect) at a level chosen per record: level 0 for payloads that are
already compressed, where deflating again costs CPU and saves nothing.
Rollover happens between groups of records, so a request and its response
never end up in different files: at a size, and at an age, so that a worker
busy with a steady trickle of jobs still commits its captures every few
minutes instead of holding them in an open file until it is large.

Each record may come with the facts the database will record of it (an
``IndexedRecord`` for a response or revisit, a ``CaptureMetadata`` for a
metadata record); the file's offsets are filled in as it is written, and the
finished index is handed on with the closed file, so that committing it does
not read and decompress the whole file again.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import socket
import time
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from archive.capture.contract import (
    CLOSED_SUFFIX,
    OPEN_MARK,
    CaptureMetadata,
    IndexedRecord,
    IndexedWarc,
)
from crawler.warc.records import NO_PAYLOAD_DIGEST_TYPES, RecordFactory

log = logging.getLogger(__name__)

Note = IndexedRecord | CaptureMetadata | None
"""What the index keeps of a record written: its capture facts, or nothing."""


class _GzipMember:
    """One gzip member around one record, at a chosen compression level."""

    def __init__(self, out: IO[bytes], level: int) -> None:
        self._out = out
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)

    def write(self, data: bytes) -> None:
        self._out.write(self._compressor.compress(data))

    def flush(self) -> None:
        self._out.write(self._compressor.flush())


class _HashingOut:
    """The open file, hashed as it is written: committing it then needs no extra pass."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.out.write(data)

    def tell(self) -> int:
        return self.out.tell()

    def flush(self) -> None:
        self.out.flush()


class _Writer(WARCWriter):  # type: ignore[misc]
    NO_PAYLOAD_DIGEST_TYPES = NO_PAYLOAD_DIGEST_TYPES

    def __init__(self, out: _HashingOut) -> None:
        super().__init__(out, gzip=False, warc_version="1.1")

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")

    def write_at_level(self, record: Any, level: int) -> None:
        self._write_warc_record(_GzipMember(self.out, level), record)


def _hostname() -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "_", socket.gethostname()) or "host"


class WarcFiles:
    """The WARC file currently being written, and the ones closed before it."""

    def __init__(
        self,
        spool: Path,
        *,
        rollover_bytes: int,
        warcinfo: dict[str, str],
        on_closed: Callable[[Path, IndexedWarc], None],
        factory: RecordFactory,
        prefix: str = "citevault",
        rollover_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.spool = spool
        self.rollover_bytes = rollover_bytes
        self.rollover_seconds = rollover_seconds  # 0: no age limit
        self.clock = clock
        self._opened_at = 0.0
        self.warcinfo_fields = warcinfo
        self.on_closed = on_closed
        self.factory = factory
        self.prefix = prefix
        self.closed_paths: list[Path] = []
        self._serial = 0
        self._file: IO[bytes] | None = None
        self._writer: _Writer | None = None
        self._path: Path | None = None
        self._index: IndexedWarc | None = None
        self._hashing: _HashingOut | None = None
        self.bytes_written = 0

    def _name(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        name = (
            f"{self.prefix}-{stamp}-{_hostname()}-{os.getpid()}-{self._serial:05d}{CLOSED_SUFFIX}"
        )
        self._serial += 1
        return name

    def _open(self) -> None:
        self.spool.mkdir(parents=True, exist_ok=True)
        name = self._name()
        path = self.spool / name
        self._file = (self.spool / (name + OPEN_MARK)).open("xb")
        fcntl.flock(self._file, fcntl.LOCK_EX)
        self._opened_at = self.clock()
        self._path = path
        self._hashing = _HashingOut(self._file)
        self._writer = _Writer(self._hashing)
        opened = datetime.now(UTC)
        info = self.factory.warcinfo(name, self.warcinfo_fields, opened)
        self._writer.write_at_level(info, 6)
        self._index = IndexedWarc(
            path,
            robots=self.warcinfo_fields.get("robots"),
            record_count=1,
            first_date=opened,
        )

    def write(self, records: Sequence[tuple[Any, int, Note]]) -> None:
        """Write records (each with its gzip level and index note) together, then roll over."""
        if self._file is None or self._writer is None:
            self._open()
        assert self._file is not None and self._writer is not None and self._index is not None
        start = self._file.tell()
        notes: list[Note] = []
        try:
            for record, level, note in records:
                offset = self._file.tell()
                self._writer.write_at_level(record, level)
                if isinstance(note, IndexedRecord):
                    note.offset, note.length = offset, self._file.tell() - offset
                notes.append(note)
        except OSError:
            # Cut the half-written group off, so that the file still ends on a
            # whole record and can be closed as a valid WARC (whose running
            # digest no longer holds: the committer hashes the file itself).
            self._hashing = None
            self._file.truncate(start)
            self._file.seek(start)
            raise
        for note in notes:
            if isinstance(note, IndexedRecord):
                self._index.records.append(note)
            elif note is not None:
                self._index.metadata.append(note)
        self._index.record_count += len(notes)
        self.bytes_written += self._file.tell() - start
        if self._file.tell() >= self.rollover_bytes:
            self.close()
        else:
            self.close_if_old()

    def close_if_old(self) -> None:
        """Close the current file once it is older than ``rollover_seconds``."""
        if (
            self._file is not None
            and self.rollover_seconds > 0
            and self.clock() - self._opened_at >= self.rollover_seconds
        ):
            self.close()

    def close(self) -> None:
        """Finish the current file (if any): sync, rename, hand it on."""
        if self._file is None or self._path is None or self._index is None:
            return
        handle, path, index = self._file, self._path, self._index
        if self._hashing is not None and self._hashing.size == handle.tell():
            index.file_digest = (self._hashing.sha256.hexdigest(), self._hashing.size)
        self._file = self._writer = self._path = self._index = self._hashing = None
        try:
            handle.flush()
            os.fsync(handle.fileno())
            if path.exists():  # pragma: no cover - names are unique; never overwrite a capture
                raise FileExistsError(f"refusing to overwrite the WARC file {path}")
            # Renamed while still locked: a salvage never takes a file being closed.
            Path(str(path) + OPEN_MARK).rename(path)
        finally:
            handle.close()
        directory = os.open(self.spool, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        self.closed_paths.append(path)
        log.info("closed WARC file %s", path)
        self.on_closed(path, index)
