"""Adding a document with many citations: rows in order, written in a few statements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select

from archive.db import migrate
from archive.db.models import CaptureJob, Citation
from archive.ingest.service import add_document
from archive.ingest.source import SourceBytes
from archive.runtime import Runtime


def test_many_citations_go_in_together(database_url: str, make_settings: Any) -> None:
    migrate.upgrade(database_url)
    rt = Runtime(make_settings(database_url=database_url))
    urls = [f"https://example{n % 7}.org/page/{n}" for n in range(600)]
    text = "Sources\n" + "\n".join(urls) + "\nSee also https://example0.org/page/0 again.\n"
    src = SourceBytes(text.encode(), "many.txt", "many.txt", None, "text/plain")
    inserts: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if statement.startswith("INSERT INTO"):
            inserts.append(statement.split()[2])

    engine = rt.sessions()().get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = add_document(rt, src, doc_id="many")
    finally:
        event.remove(engine, "before_cursor_execute", count)
        rt.close()
    rt = Runtime(make_settings(database_url=database_url))
    with rt.sessions()() as s:
        rows = s.scalars(select(Citation).order_by(Citation.id)).all()
        jobs = s.scalars(select(CaptureJob)).all()
    rt.close()
    assert [c.ordinal for c in rows] == list(range(601))
    assert [c.url_as_cited for c in rows] == [*urls, urls[0]]
    assert {c.resolution for c in rows} == {"resolved"}
    assert result.jobs_queued == 600 and len(jobs) == 600  # the URL cited twice is fetched once
    assert {j.citation_id for j in jobs} == {c.id for c in rows[:600]}
    assert inserts.count("citations") <= 1 and inserts.count("capture_jobs") <= 1, inserts
