"""One pass over a stored object: its SHA-256 and size, and its capture records.

A WARC file can be gigabytes, so it is hashed chunk by chunk as it streams
from the store and never held whole.  The records its captures name are cut
out of the same stream (the captures come sorted by offset) and checked
there: every byte is read from the store once.  A first pass keeps only the
head and the trailer of each record (``check_record_head``); a file whose
digest turns out wrong is read a second time with every record kept whole
(``check_record``, payloads re-hashed), to say which captures the damage hit.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO

from archive.fixity.records import HEAD, RecordRef, check_record, check_record_head
from archive.fixity.throttle import Throttle

# A record up to this size is cut out in memory; a larger one spills to a temporary file.
_RECORD_IN_MEMORY = 8 * 1024 * 1024
_TAIL = 8


@dataclass(slots=True)
class StreamOutcome:
    sha256: str
    size: int
    records_checked: int = 0
    # (capture id, why its record is wrong)
    bad_records: list[tuple[RecordRef, str]] = field(default_factory=list)


class _Cut:
    """The bytes of one record, collected as the stream passes its range: all of them
    (``whole``), or only the head and the last eight bytes."""

    def __init__(self, ref: RecordRef, whole: bool) -> None:
        self.ref = ref
        self.whole = whole
        self.buffer: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_RECORD_IN_MEMORY)  # noqa: SIM115
        self.head = bytearray()
        self.tail = b""
        self.filled = 0

    def take(self, chunk: memoryview, chunk_start: int) -> None:
        begin = max(self.ref.offset, chunk_start) - chunk_start
        end = min(self.ref.end, chunk_start + len(chunk)) - chunk_start
        if end <= begin:
            return
        piece = chunk[begin:end]
        if self.whole:
            self.buffer.write(piece)
        else:
            if len(self.head) < HEAD:
                self.head += piece[: HEAD - len(self.head)]
            self.tail = (self.tail + piece[-_TAIL:].tobytes())[-_TAIL:]
        self.filled += end - begin

    def finish(self) -> str | None:
        try:
            if self.filled < self.ref.length:
                return (
                    f"the file ends {self.ref.length - self.filled} bytes before "
                    f"the end of the record (offset {self.ref.offset}, length {self.ref.length})"
                )
            if not self.whole:
                return check_record_head(bytes(self.head), self.tail, self.ref)
            self.buffer.seek(0)
            return check_record(self.buffer, self.ref)
        finally:
            self.buffer.close()


def stream_check(
    chunks: Iterable[bytes],
    records: Sequence[RecordRef],
    throttle: Throttle,
    *,
    whole_records: bool = False,
) -> StreamOutcome:
    """Hash ``chunks`` and check ``records`` (sorted by offset) from the same pass."""
    digest = hashlib.sha256()
    position = 0
    waiting = iter(records)
    upcoming = next(waiting, None)
    open_cuts: list[_Cut] = []
    outcome = StreamOutcome("", 0)

    def close(cut: _Cut) -> None:
        problem = cut.finish()
        outcome.records_checked += 1
        if problem is not None:
            outcome.bad_records.append((cut.ref, problem))

    for chunk in chunks:
        digest.update(chunk)
        view = memoryview(chunk)
        chunk_end = position + len(chunk)
        while upcoming is not None and upcoming.offset < chunk_end:
            open_cuts.append(_Cut(upcoming, whole_records))
            upcoming = next(waiting, None)
        still_open = []
        for cut in open_cuts:
            cut.take(view, position)
            if cut.ref.end <= chunk_end:
                close(cut)
            else:
                still_open.append(cut)
        open_cuts = still_open
        position = chunk_end
        throttle.consumed(len(chunk))
    # Records the file is too short for, or that start past its end.
    for cut in open_cuts:
        close(cut)
    while upcoming is not None:
        close(_Cut(upcoming, whole_records))
        upcoming = next(waiting, None)
    outcome.sha256 = digest.hexdigest()
    outcome.size = position
    return outcome
