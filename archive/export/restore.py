"""``citevault import``: an ``export --all`` loaded into an empty installation.

The order is the capture path's: every file is checked against
``SHA256SUMS`` before anything is written, the objects are uploaded next,
and the rows go in last, in one transaction.  A damaged or partial export is
refused untouched; an import that fails while writing rows leaves no row,
only objects that a second run of the same import accepts as its own.

Rows keep their ids, so citation, capture and job ids (and every URL built
from them) stay the same.  Jobs a worker of the old installation held are
queued again: its lease means nothing here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Integer, Table, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.db import migrate
from archive.db.base import Base, UTCDateTime
from archive.db.models.captures import JobState
from archive.errors import ImportRefusedError
from archive.export import bundle
from archive.storage import ObjectStore
from archive.storage.base import sha256_file

Progress = Callable[[str], None]
_BATCH = 1000
_HINT = "export again from the source installation (or copy the export again)"


@dataclass(frozen=True)
class ImportSummary:
    rows: dict[str, int]
    objects: int


@dataclass(frozen=True)
class Export:
    root: Path
    meta: dict[str, Any]
    sums: dict[str, str]


def _refuse(message: str, hint: str = _HINT) -> ImportRefusedError:
    return ImportRefusedError(message, hint=hint)


def read_export(root: Path, progress: Progress) -> Export:
    """The export at ``root`` with every file checked against ``SHA256SUMS``."""
    if not root.is_dir():
        raise _refuse(f"{root} is not a folder", "give the folder `citevault export --all` wrote")
    if not (root / bundle.META).is_file():
        raise _refuse(f"{root} is not a citevault export: {bundle.META} is missing")
    if not (root / bundle.SUMS).is_file():
        raise _refuse(f"the export in {root} is partial: {bundle.SUMS} (written last) is missing")
    sums = bundle.parse_sums((root / bundle.SUMS).read_text("utf-8"), bundle.SUMS)
    missing = [name for name in sums if not (root / name).is_file()]
    if missing:
        raise _refuse(
            f"the export in {root} is partial: {len(missing)} listed files are missing, "
            f"e.g. {missing[0]}"
        )
    needed = [bundle.META, *(f"rows/{t}.jsonl" for t in bundle.TABLES)]
    unlisted = [name for name in needed if name not in sums]
    if unlisted:
        raise _refuse(f"the export in {root} does not list {unlisted[0]} in {bundle.SUMS}")
    for i, (name, sha256) in enumerate(sums.items(), 1):
        if sha256_file(root / name)[0] != sha256:
            raise _refuse(f"{root / name} is damaged: its SHA-256 differs from {bundle.SUMS}")
        if i % 100 == 0 or i == len(sums):
            progress(f"checked {i}/{len(sums)} files")
    meta = json.loads((root / bundle.META).read_text("utf-8"))
    if meta.get("format") != bundle.FORMAT:
        raise _refuse(
            f"{root} is in format {meta.get('format')!r}; this citevault reads {bundle.FORMAT}",
            "import with the citevault version that wrote it",
        )
    return Export(root, meta, sums)


def check_empty(session: Session, store: ObjectStore, export: Export) -> None:
    """Refuse a database with any row, or a store with objects not from this export."""
    for name in bundle.TABLES:
        table = Base.metadata.tables[name]
        count = session.scalar(select(func.count()).select_from(table)) or 0
        if count:
            raise _refuse(
                f"the installation is not empty: table {name} has {count} rows",
                "import into a new database and store (run `citevault db upgrade` on it first)",
            )
    for key in store.iter_keys():
        found = store.head(key)
        if found is None or export.sums.get(bundle.object_path(key)) != found.sha256:
            raise _refuse(
                f"the store {store.url} is not empty: it holds {key!r}, which this export lacks",
                "import into a new, empty bucket, prefix or folder",
            )


def _lines(export: Export, table: str) -> Iterator[dict[str, Any]]:
    with (export.root / f"rows/{table}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _check_columns(export: Export) -> None:
    for name in bundle.TABLES:
        known = set(Base.metadata.tables[name].columns.keys())
        for row in _lines(export, name):
            extra = set(row) - known
            if extra:
                raise _refuse(
                    f"the export's {name} rows have columns this citevault lacks: "
                    f"{sorted(extra)} (schema {export.meta.get('schema_revision')})",
                    "upgrade citevault to the version that wrote the export",
                )
            break


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for col in table.columns:
        value = out.get(col.key)
        if isinstance(value, str) and isinstance(col.type, UTCDateTime):
            out[col.key] = datetime.fromisoformat(value)
    if table.name == "capture_jobs" and out.get("state") == JobState.LEASED:
        out.update(state=JobState.QUEUED, lease_owner=None, lease_expires_at=None)
    return out


def upload_objects(store: ObjectStore, export: Export, progress: Progress) -> int:
    names = [n for n in export.sums if n.startswith("objects/")]
    for i, name in enumerate(names, 1):
        path = export.root / name
        store.put_file(
            name.removeprefix("objects/"), path, (export.sums[name], path.stat().st_size)
        )
        if i % 100 == 0 or i == len(names):
            progress(f"uploaded {i}/{len(names)} objects")
    return len(names)


def _insert_rows(session: Session, export: Export, progress: Progress) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in bundle.TABLES:
        table = Base.metadata.tables[name]
        batch: list[dict[str, Any]] = []
        forward: list[tuple[int, int]] = []  # a capture revisiting one with a higher id
        n = 0
        for raw in _lines(export, name):
            row = _typed(table, raw)
            if name == "captures" and (row.get("revisit_of_id") or 0) > row["id"]:
                forward.append((row["id"], row["revisit_of_id"]))
                row["revisit_of_id"] = None
            batch.append(row)
            if len(batch) >= _BATCH:
                session.execute(insert(table), batch)
                n += len(batch)
                batch = []
        if batch:
            session.execute(insert(table), batch)
            n += len(batch)
        for cid, target in forward:
            session.execute(update(table).where(table.c.id == cid).values(revisit_of_id=target))
        counts[name] = n
        progress(f"rows: {name} {n}")
    return counts


def _advance_sequences(session: Session) -> None:
    """Rows were inserted with their ids: PostgreSQL's sequences must start after them."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite takes max(id) + 1 by itself
    for name in bundle.TABLES:
        table = Base.metadata.tables[name]
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        col = pk[0]
        top = func.max(col)
        session.execute(
            select(
                func.setval(
                    func.pg_get_serial_sequence(name, col.name),
                    func.coalesce(top, 1),
                    top.is_not(None),
                )
            ).select_from(table)
        )


def import_all(
    session: Session, store: ObjectStore, export: Export, progress: Progress
) -> ImportSummary:
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    if not migrate.is_current(engine):
        raise _refuse(
            "the database's schema is not at this citevault's revision",
            "run `citevault db upgrade` on it first",
        )
    _check_columns(export)
    check_empty(session, store, export)
    session.rollback()  # the checks' reads end here; the rows get a transaction of their own
    objects = upload_objects(store, export, progress)
    try:
        with session.begin():
            rows = _insert_rows(session, export, progress)
            _advance_sequences(session)
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise _refuse(
            f"the database refused the export's rows, none were kept: {first}",
            "the export does not fit this database; `citevault import` into a new one "
            "(the objects already uploaded are reused)",
        ) from None
    return ImportSummary(rows, objects)
