"""Where a document's extraction runs: in this process, or in a child process.

``extract_here`` is the command line's way: it has nothing else to serve.
The API uses an ``ExtractionPool``: extraction makes long single calls into
C (one regular expression over a whole large text) that hold the
interpreter's lock, and in a worker thread of the server every other
request waited for them, anonymous TimeGate answers among them, during a
large submission.  A child process has a lock of its own.

Both run ``extract_document``, so a document reads the same either way.
What crosses the process boundary is chosen for the server's sake, since
it pickles and unpickles holding its lock, and the server's other threads
wait meanwhile:

- the document goes through a temporary file, not a pickle: pickling a
  large document's bytes kept them waiting longer than writing the file,
  and held a second copy of the document in memory;
- the decoded text (``Extraction.text``) is not sent back: ingest does not
  keep it, and the citations carry their own context;
- the citations come back pickled in batches, unpickled one batch at a time:
  ``pickle.loads`` of a hundred thousand citations in one call is one long
  wait.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archive.errors import ExtractionError
from archive.extract import extract
from archive.extract.types import Extraction

if TYPE_CHECKING:
    from archive.ingest.source import SourceBytes

# Citations unpickled in one call: small enough that the wait goes unnoticed.
BATCH = 250

# What ``add_document`` calls to read a document: (source, format or None).
Extractor = Callable[["SourceBytes", str | None], Extraction]


def extract_document(
    data: bytes, filename: str | None, fmt: str | None, base_url: str | None
) -> Extraction:
    """The citations of a document, without its decoded text (ingest stores the bytes)."""
    extraction = extract(data, filename=filename, format=fmt, base_url=base_url)
    extraction.text = None
    return extraction


def extract_here(src: SourceBytes, fmt: str | None) -> Extraction:
    return extract_document(src.data, src.filename, fmt, src.base_url)


@dataclass(slots=True)
class Packed:
    """An extraction on its way back from a child: the citations as pickled batches."""

    extraction: Extraction
    batches: list[bytes]

    @classmethod
    def pack(cls, extraction: Extraction) -> Packed:
        found, extraction.citations = extraction.citations, []
        batches = [
            pickle.dumps(found[i : i + BATCH], protocol=pickle.HIGHEST_PROTOCOL)
            for i in range(0, len(found), BATCH)
        ]
        return cls(extraction, batches)

    def unpack(self) -> Extraction:
        citations = self.extraction.citations
        for batch in self.batches:
            # Bytes from our own child, as every result concurrent.futures unpickles.
            citations.extend(pickle.loads(batch))  # noqa: S301
        self.batches = []
        return self.extraction


def _extract_file(path: str, filename: str | None, fmt: str | None, base_url: str | None) -> Packed:
    """In the child: the extraction of the document the server wrote to ``path``, packed."""
    return Packed.pack(extract_document(Path(path).read_bytes(), filename, fmt, base_url))


def _ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group; the server decides when its children stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ExtractionPool:
    """Child processes that extract documents for one server process.

    Processes start on the first submission, not with the server: an API
    process that never receives a document never pays for them.  They are
    started with 'spawn' (a fresh interpreter), never forked from a process
    that runs threads and an event loop.  A child that dies mid-extraction
    (out of memory, killed) breaks the executor: that submission and those
    waiting with it fail with ``ExtractionError``, and the next one
    gets a new executor.
    """

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise ExtractionError(
                    "the server is stopping and reads no more documents",
                    hint="submit the document again once the server is back",
                )
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_ignore_interrupts,
                )
            return self._executor

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is executor:
                self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def extract(self, src: SourceBytes, fmt: str | None) -> Extraction:
        """``extract_here``'s result, computed in a child; blocks the calling thread only."""
        executor = self._current()
        with tempfile.NamedTemporaryFile(prefix="citevault-extract-") as doc:
            doc.write(src.data)
            doc.flush()
            try:
                future = executor.submit(_extract_file, doc.name, src.filename, fmt, src.base_url)
                packed = future.result()
            except BrokenProcessPool as exc:
                self._discard(executor)
                raise ExtractionError(
                    f"the process reading {src.source} stopped before it finished",
                    hint="it may have run out of memory or been killed; submit the document "
                    "again (a new process reads it), and see the server's log if it fails again",
                ) from exc
        return packed.unpack()

    def close(self) -> None:
        """Stop the children, after the extractions under way (the server is stopping)."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
