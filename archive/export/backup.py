"""``citevault export --all``: the whole archive as plain files another installation imports.

Rows are read table by table, children before the tables they point at
(captures before WARC files, citations before documents): rows written
meanwhile by a worker can then add parents the export has no children for,
but never leave a child whose parent is missing.  On PostgreSQL the whole
read is one REPEATABLE READ snapshot besides.  Objects are immutable and a
row is committed only after its object is stored, so every object a row
names can be copied; each copy is checked against the digest the row records.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, select
from sqlalchemy.orm import Session

from archive import __version__
from archive.db.base import Base
from archive.db.migrate import current_revision
from archive.db.models import (
    Capture,
    Citation,
    CitationCapture,
    Document,
    DocumentVersion,
    WarcFile,
)
from archive.errors import InputError, IntegrityError, NotFoundError
from archive.export import bundle
from archive.export.signing import Signer
from archive.export.wacz import write_wacz
from archive.lookup import citations as lookup
from archive.settings import Settings
from archive.storage import ObjectStore, open_store
from archive.storage.base import sha256_file

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ExportSummary:
    where: str
    documents: int
    packages: int
    rows: dict[str, int]
    objects: int
    object_bytes: int


def open_sink(settings: Settings, dest: str) -> bundle.Sink:
    """A folder, or ``s3://bucket/prefix`` reached with the configured store's endpoint
    and credentials; either must be empty, so that two exports never mix."""
    if dest.startswith("s3://"):
        store = open_store(
            settings.model_copy(update={"store": settings.store.model_copy(update={"url": dest})})
        )
        store.check()
        if next(iter(store.iter_keys()), None) is not None:
            raise InputError(
                f"{dest} is not empty", hint="export into a new, empty prefix or bucket"
            )
        return bundle.StoreSink(store)
    if "://" in dest:
        raise InputError(f"cannot export to {dest!r}", hint="give a folder or s3://bucket/prefix")
    root = Path(dest).expanduser().absolute()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise InputError(f"{root} exists and is not an empty folder", hint="give a new folder")
    root.mkdir(parents=True, exist_ok=True)
    return bundle.FolderSink(root)


def plain_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _rows(session: Session, table: Table) -> Iterator[dict[str, Any]]:
    stmt = select(table).order_by(*table.primary_key.columns)
    for row in session.execute(stmt, execution_options={"yield_per": 1000}).mappings():
        yield {key: plain_value(value) for key, value in row.items()}


def document_manifest(session: Session, doc_id: str) -> list[tuple[str, str]]:
    """(sha256, path in an export) of a document's versions and the WARC files of its
    captures, as the database records them (each was verified when it was stored)."""
    if session.get(Document, doc_id) is None:
        raise NotFoundError(
            f"no document with id {doc_id!r}", hint="`citevault documents` lists the ids"
        )
    versions = session.execute(
        select(DocumentVersion.sha256, DocumentVersion.store_key)
        .where(DocumentVersion.document_id == doc_id)
        .order_by(DocumentVersion.version)
    ).all()
    warcs = session.execute(
        select(WarcFile.sha256, WarcFile.store_key)
        .where(
            WarcFile.id.in_(
                select(Capture.warc_file_id)
                .join(CitationCapture, CitationCapture.capture_id == Capture.id)
                .join(Citation, Citation.id == CitationCapture.citation_id)
                .where(Citation.document_id == doc_id)
            )
        )
        .order_by(WarcFile.id)
    ).all()
    return [(sha, bundle.object_path(key)) for sha, key in [*versions, *warcs]]


class _Writer:
    """Files into the sink, each hashed for SHA256SUMS on the way."""

    def __init__(self, sink: bundle.Sink, scratch: Path) -> None:
        self.sink, self.scratch = sink, scratch
        self.sums: list[tuple[str, str]] = []

    def text(self, name: str, text: str) -> str:
        path = self.scratch / "part"
        path.write_text(text, encoding="utf-8")
        return self.file(name, path)

    def file(self, name: str, path: Path, sha256: str | None = None) -> str:
        if sha256 is None:
            sha256 = sha256_file(path)[0]
        self.sink.put(name, path)
        self.sums.append((sha256, name))
        return sha256


def _dump_rows(session: Session, out: _Writer, progress: Progress) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in reversed(bundle.TABLES):
        table = Base.metadata.tables[name]
        path = out.scratch / "rows.jsonl"
        n = 0
        with path.open("w", encoding="utf-8") as fh:
            for row in _rows(session, table):
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                n += 1
        out.file(f"rows/{name}.jsonl", path)
        counts[name] = n
        progress(f"rows: {name} {n}")
    return counts


def _copy_objects(
    session: Session, store: ObjectStore, out: _Writer, progress: Progress
) -> tuple[int, int]:
    wanted = [
        *session.execute(select(WarcFile.store_key, WarcFile.sha256, WarcFile.size)),
        *session.execute(
            select(DocumentVersion.store_key, DocumentVersion.sha256, DocumentVersion.size)
        ),
    ]
    total = 0
    for i, (key, sha256, size) in enumerate(wanted, 1):
        path = out.scratch / "object"
        got = store.download(key, path)
        if got.sha256 != sha256 or got.size != size:
            raise IntegrityError(
                f"stored object {key!r} does not match its row (sha256 {got.sha256}, "
                f"size {got.size}; the database records {sha256}, {size})",
                hint="the store was changed outside citevault; restore the object from a backup",
            )
        out.file(bundle.object_path(key), path, sha256)
        total += size
        if i % 100 == 0 or i == len(wanted):
            progress(f"objects: {i}/{len(wanted)} ({total} bytes)")
    return len(wanted), total


def _documents(
    session: Session,
    store: ObjectStore,
    out: _Writer,
    signer: Signer | None,
    progress: Progress,
) -> tuple[int, int]:
    ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    packages = 0
    for i, doc_id in enumerate(ids, 1):
        folder = bundle.document_dir(doc_id)
        body = lookup.to_json(lookup.load(session, doc_id))
        name = f"{folder}/citations.json"
        mine = [(out.text(name, json.dumps(body, indent=2, ensure_ascii=False) + "\n"), name)]
        wacz = out.scratch / "captures.wacz"
        try:
            result = write_wacz(session, store, doc_id, wacz, privileged=True, signer=signer)
        except NotFoundError:
            pass  # nothing captured yet: no package, the rows say why
        else:
            name = f"{folder}/captures.wacz"
            mine.append((out.file(name, wacz, result.sha256), name))
            packages += 1
        lines = [*document_manifest(session, doc_id), *mine]
        out.text(f"{folder}/{bundle.MANIFEST}", "".join(bundle.sum_line(s, n) for s, n in lines))
        progress(f"documents: {i}/{len(ids)} {doc_id}")
    return len(ids), packages


def export_all(
    session: Session,
    store: ObjectStore,
    sink: bundle.Sink,
    *,
    signer: Signer | None,
    progress: Progress,
) -> ExportSummary:
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    scratch = Path(tempfile.mkdtemp(prefix="citevault-export-"))
    try:
        out = _Writer(sink, scratch)
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        revision = current_revision(engine)
        rows = _dump_rows(session, out, progress)
        objects, object_bytes = _copy_objects(session, store, out, progress)
        documents, packages = _documents(session, store, out, signer, progress)
        meta = {
            "format": bundle.FORMAT,
            "software": f"citevault {__version__}",
            "created": datetime.now(UTC).isoformat(),
            "schema_revision": revision,
            "rows": rows,
            "objects": objects,
            "object_bytes": object_bytes,
            "documents": documents,
        }
        out.text(bundle.META, json.dumps(meta, indent=2) + "\n")
        sums = "".join(bundle.sum_line(s, n) for s, n in out.sums)
        path = scratch / "sums"
        path.write_text(sums, encoding="utf-8")
        sink.put(bundle.SUMS, path)  # last: its presence says the export is whole
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return ExportSummary(sink.where, documents, packages, rows, objects, object_bytes)
