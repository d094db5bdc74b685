"""Records name their job and role, so links and flags survive files cut by a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from archive.capture.commit import commit_warc
from archive.capture.contract import JOB_FIELD, ROLE_FIELD
from archive.capture.spool import spool_dir
from archive.db.models import Capture, CaptureJob, CitationCapture
from tests.capture.test_commit import LOGO, PAGE, _citation, _runtime
from tests.capture.warcs import ContractWarc, meta

URL = "https://example.org/page"


def _tags(job_id: int, role: str) -> dict[str, str]:
    return {JOB_FIELD: str(job_id), ROLE_FIELD: role}


def test_a_page_without_its_metadata_closes_its_job_and_requisites_keep_their_flag(
    make_settings: Any, database_url: str, tmp_path: Path
) -> None:
    rt = _runtime(make_settings, database_url, tmp_path)
    citation_id, job_id = _citation(rt, URL)
    spool = spool_dir(rt)
    # The first file closes (rollover) after the page and one requisite...
    first = ContractWarc(spool / "1.warc.gz")
    page_id = first.exchange(URL, PAGE, fields=_tags(job_id, "page"))
    first.exchange(
        f"{URL}/a.png", LOGO, content_type="image/png", fields=_tags(job_id, "requisite")
    )
    commit_warc(rt, first.close())
    with rt.sessions()() as s:
        page = s.scalars(select(Capture).where(Capture.warc_record_id == page_id)).one()
        assert page.job_id == job_id and not page.is_requisite
        assert s.get(CaptureJob, job_id).state == "done"  # type: ignore[union-attr]
        assert s.get(CitationCapture, (citation_id, page.id)) is not None
        icon = s.scalars(select(Capture).where(Capture.url == f"{URL}/a.png")).one()
        assert icon.is_requisite and icon.job_id is None

    # ... the second, with the rest and the metadata, lands later (or is salvaged)
    second = ContractWarc(spool / "2.warc.gz")
    second.exchange(
        f"{URL}/b.png", LOGO + b"b", content_type="image/png", fields=_tags(job_id, "requisite")
    )
    second.metadata(meta(job_id, URL, page_id, requisites=[f"{URL}/a.png", f"{URL}/b.png"]))
    commit_warc(rt, second.close())
    with rt.sessions()() as s:
        flags = {c.url: c.is_requisite for c in s.scalars(select(Capture))}
        assert flags == {URL: False, f"{URL}/a.png": True, f"{URL}/b.png": True}
        links = s.scalars(select(CitationCapture)).all()
        assert [(li.citation_id, li.capture_id) for li in links] == [(citation_id, page.id)]


def test_a_redirect_hop_alone_leaves_its_job_open(
    make_settings: Any, database_url: str, tmp_path: Path
) -> None:
    rt = _runtime(make_settings, database_url, tmp_path)
    _, job_id = _citation(rt, URL)
    w = ContractWarc(spool_dir(rt) / "hop.warc.gz")
    w.exchange(
        URL,
        b"",
        status="302 Found",
        extra=[("Location", "/elsewhere")],
        fields=_tags(job_id, "page"),
    )
    commit_warc(rt, w.close())
    with rt.sessions()() as s:
        assert s.get(CaptureJob, job_id).state == "queued"  # type: ignore[union-attr]
        hop = s.scalars(select(Capture)).one()
        assert hop.job_id is None and hop.http_status == 302
        assert s.scalars(select(CitationCapture)).all() == []
