"""The API's lean citations reader gives exactly what the CLI's ORM reader gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from archive.db.models import Citation, Document
from archive.lookup import citations as lookup
from tests.api.archives import T1, T2, Archive


def test_core_reader_matches_orm_reader(archive: Archive) -> None:
    ok = archive.add("https://example.org/a", T1)
    later = archive.add("https://example.org/a", T2)
    failed = archive.add("https://example.org/b", T2 + timedelta(microseconds=1500), status=None)
    for capture in (ok, later, failed):
        archive.cite(capture, "doc", private=False)
    with archive.sessions() as s:
        named = s.query(Citation).filter_by(document_id="doc", ordinal=1).one()
        named.kind, named.source_name, named.authors = "named", "Reuters", ["A. B."]
        named.identifiers = {"isbn": "978-3-16-148410-0"}
        named.source_type, named.work_title = "organisation", "Financial Stability Report"
        named.speaker, named.speaker_role = "Ana Ruiz", "spokesperson"
        named.container, named.claim, named.claim_start, named.claim_end = "BIS", "up", 4, 6
        named.mentions = [{"start": 1, "end": 8, "context": "Reuters said", "extractor": "x"}]
        named.resolved_at = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
        s.get(Document, "doc").title = "Harbour"  # type: ignore[union-attr]
        s.commit()
        expected = lookup.to_json(lookup.load(s, "doc"))
    assert len(expected["citations"]) == 3
    assert expected["citations"][2]["archive_url"] is None  # only a failed capture
    details = expected["citations"][1]["named"]
    assert details["source_type"] == "organisation"
    assert details["speaker"] == "Ana Ruiz" and details["speaker_role"] == "spokesperson"
    assert details["work_title"] == "Financial Stability Report" and details["container"] == "BIS"
    assert details["claim"] == {"text": "up", "start": 4, "end": 6}
    assert details["mentions"][0]["context"] == "Reuters said"
    assert details["resolvable"] is True

    body = archive.client.get("/api/documents/doc/citations").json()
    assert body == expected
    assert archive.client.get("/api/documents/doc/citations?version=1").json() == expected
    missing = archive.client.get("/api/documents/doc/citations?version=2")
    assert missing.status_code == 404
    assert "no version 2" in missing.json()["error"]["message"]
