"""WARC files a killed crawler left open: keep their whole records, drop the cut tail.

A crawler writes ``*.warc.gz.open`` and holds an exclusive ``flock`` on it
for as long as it writes (``crawler.warc.files``); the kernel drops that lock
when the process dies, however it dies.  A file whose lock can be taken is
therefore abandoned, never one another crawler is still writing.

Every record is its own gzip member, so the records that were written whole
are exactly the gzip members that end properly; what follows the last of
them is a record cut short by the kill.  The file is cut back to that point
and renamed to its closed name, and from there it is committed like any
other closed file.  Cutting in place and renaming keeps this idempotent: a
salvage interrupted in turn leaves a file the next one finishes.
"""

from __future__ import annotations

import fcntl
import logging
import os
import zlib
from pathlib import Path
from typing import IO

from archive.capture.contract import OPEN_MARK

log = logging.getLogger(__name__)

_CHUNK = 1024 * 1024


def whole_members(fh: IO[bytes]) -> tuple[int, int]:
    """(end offset of the last complete gzip member, number of complete members)."""
    fh.seek(0)
    decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
    consumed = end = members = 0
    try:
        while chunk := fh.read(_CHUNK):
            while chunk:
                decomp.decompress(chunk)
                if not decomp.eof:
                    consumed += len(chunk)
                    break
                used = len(chunk) - len(decomp.unused_data)
                consumed += used
                end, members = consumed, members + 1
                chunk = decomp.unused_data
                decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
    except zlib.error:
        pass  # garbage after the last whole member: part of the cut tail
    return end, members


def _sync_dir(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def salvage(path: Path) -> Path | None:
    """Close one abandoned ``.open`` file; its closed path, or None.

    None when a live crawler still writes it, when it is gone, or when it held
    no record beyond its ``warcinfo`` (then it is removed: nothing was
    captured in it).
    """
    try:
        fh = path.open("r+b")
    except FileNotFoundError:
        return None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # its crawler is alive and writing
        if os.fstat(fh.fileno()).st_nlink == 0 or not path.exists():
            return None  # closed (renamed) or salvaged meanwhile
        end, members = whole_members(fh)
        size = os.fstat(fh.fileno()).st_size
        if members <= 1:
            path.unlink()
            log.warning("removed %s: cut before any record after its warcinfo", path.name)
            return None
        if end < size:
            fh.truncate(end)
        fh.flush()
        os.fsync(fh.fileno())
        closed = path.with_name(path.name.removesuffix(OPEN_MARK))
        if closed.exists():  # pragma: no cover - names are unique; never overwrite a capture
            log.error("cannot salvage %s: %s exists", path.name, closed.name)
            return None
        path.rename(closed)
        _sync_dir(path.parent)
    log.warning(
        "salvaged %s: %d whole records kept, %d bytes of a cut record dropped",
        closed.name,
        members,
        size - end,
    )
    return closed
