"""Planning one ``recapture`` tick over many citations: time and jobs written.

Builds a database (SQLite by default, or ``--database-url`` for an empty
PostgreSQL database) holding ``--documents`` documents with ``--citations``
resolved URL citations each, adds one ``--all`` recapture schedule, and times
the claim of its first tick: the tick row and every capture job, written in
one transaction.  The CPU time is this process's (on SQLite, the database's
work too); on a shared machine the wall time includes waiting for a core.

    python bench/schedule_tick.py --documents 1000 --citations 100
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from archive.db import migrate
from archive.db.models import CaptureJob, Citation, Document, DocumentVersion
from archive.runtime import Runtime
from archive.schedule import manage
from archive.schedule.scheduler import claim
from archive.settings import load_settings

START = datetime(2026, 1, 1, tzinfo=UTC)


def build(session: Session, documents: int, citations: int) -> None:
    session.execute(
        insert(Document), [{"id": f"d{d}", "latest_version": 1} for d in range(documents)]
    )
    session.execute(
        insert(DocumentVersion),
        [
            {
                "id": d + 1,
                "document_id": f"d{d}",
                "version": 1,
                "sha256": f"{d:064x}",
                "size": 1,
                "format": "html",
                "store_key": f"documents/d{d}",
            }
            for d in range(documents)
        ],
    )
    for d in range(documents):
        rows = [
            {
                "version_id": d + 1,
                "document_id": f"d{d}",
                "ordinal": i,
                "kind": "url",
                "extractor": "bench",
                "url_as_cited": f"https://site{i % 97}.example/{d}/{i}",
                "url_normalized": f"https://site{i % 97}.example/{d}/{i}",
                "resolution": "resolved",
                "resolved_url": f"https://site{i % 97}.example/{d}/{i}",
            }
            for i in range(citations)
        ]
        session.execute(insert(Citation), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--citations", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate.upgrade(url)
        rt = Runtime(load_settings(database_url=url, data_dir=Path(tmp) / "data"))
        with rt.sessions()() as session, session.begin():
            build(session, args.documents, args.citations)
            sid = manage.add_schedule(
                session,
                manage.NewSchedule(cron="0 * * * *", action="recapture", document_id=None),
                now=START,
            ).id
        tick = START + timedelta(hours=1)
        began, cpu = time.perf_counter(), time.process_time()
        claimed = claim(rt, sid, tick, owner="bench", now=tick)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        with rt.sessions()() as session:
            jobs = session.scalar(select(func.count()).select_from(CaptureJob))
        rt.close()
    total = args.documents * args.citations
    assert claimed is not None and claimed[1] == total == jobs
    backend = url.split(":", 1)[0]
    print(
        f"{backend}: one recapture tick over {total:,} citations in {args.documents:,} "
        f"documents: {seconds:.2f} s wall, {cpu:.2f} s CPU of this process "
        f"({total / seconds:,.0f} jobs/s wall)"
    )


if __name__ == "__main__":
    main()
