"""The layout of a whole-archive export, shared by ``export --all`` and ``import``.

An export is a folder (or a prefix in a bucket) of plain files::

    citevault-export.json            what this is: format, software, schema revision, counts
    rows/<table>.jsonl               every row of every table, one JSON object per line
    objects/<store key>              every stored object the rows name (WARC files,
                                     document versions), byte for byte
    documents/<id>/citations.json    the document's citations JSON (the API's form)
    documents/<id>/captures.wacz     its captures as a (signed) WACZ, when it has any
    documents/<id>/MANIFEST.sha256   the SHA-256 of the document's versions and WARC files
    SHA256SUMS                       the SHA-256 of every file above

``SHA256SUMS`` and the manifests are in ``sha256sum`` form (``<hex>  <path>``,
paths from the export's top folder), so ``sha256sum -c SHA256SUMS`` run in
the folder checks a copy with no citevault at hand.  ``SHA256SUMS`` is
written last: an export without it did not finish.

Only the ``rows/`` and ``objects/`` files are needed to restore an
installation; the WACZ and citations files are for readers of the export.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol
from urllib.parse import quote

from archive.errors import InputError
from archive.storage import ObjectStore

FORMAT = "citevault/export/1"
META = "citevault-export.json"
SUMS = "SHA256SUMS"
MANIFEST = "MANIFEST.sha256"
# Insertion order: every table after the tables its foreign keys name.
TABLES = (
    "schedules",
    "api_keys",
    "documents",
    "document_versions",
    "citations",
    "capture_jobs",
    "warc_files",
    "captures",
    "citation_captures",
)
_SUM_LINE = re.compile(r"^([0-9a-f]{64})  (.+)$")
_CHUNK = 1024 * 1024


def object_path(store_key: str) -> str:
    return f"objects/{store_key}"


def document_dir(doc_id: str) -> str:
    # ids may hold "/" or other characters a path cannot: one escaped segment each
    return "documents/" + quote(doc_id, safe="")


def sum_line(sha256: str, name: str) -> str:
    return f"{sha256}  {name}\n"


def parse_sums(text: str, source: str) -> dict[str, str]:
    """name -> sha256 of a ``sha256sum`` file; a line that is not one is an error."""
    out: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _SUM_LINE.match(line)
        if not match:
            raise InputError(
                f"{source} line {number} is not '<sha256>  <path>': {line[:80]!r}",
                hint="the export is damaged; export again from the source installation",
            )
        out[match.group(2)] = match.group(1)
    return out


def hash_copy(src: IO[bytes], dest: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := src.read(_CHUNK):
        digest.update(chunk)
        dest.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class Sink(Protocol):
    """Where an export's files go: a folder, or a store prefix."""

    where: str

    def put(self, name: str, path: Path) -> None:
        """Move the finished local file ``path`` to ``name`` (consumed)."""
        ...


@dataclass
class FolderSink:
    root: Path
    where: str = field(init=False)

    def __post_init__(self) -> None:
        self.where = str(self.root)

    def put(self, name: str, path: Path) -> None:
        dest = self.root / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, dest)


@dataclass
class StoreSink:
    store: ObjectStore
    where: str = field(init=False)

    def __post_init__(self) -> None:
        self.where = self.store.url

    def put(self, name: str, path: Path) -> None:
        self.store.put_file(name, path)
        path.unlink()
