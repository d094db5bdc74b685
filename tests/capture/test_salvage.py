"""Files a killed crawler left open: whole records are kept and committed, the cut tail
dropped; a file its crawler still writes (and holds locked) is left alone."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import Any

from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from archive.capture.salvage import salvage
from archive.capture.spool import flush, open_files, spool_dir
from archive.db.models import Capture
from tests.capture.test_archive_cli import warcio_check
from tests.capture.test_commit import PAGE, _runtime
from tests.capture.warcs import ContractWarc


def _open_file(spool: Path, name: str, pages: int) -> tuple[Path, list[str]]:
    """A WARC written as a crawler writes it: under its ``.open`` name."""
    w = ContractWarc(spool / f"{name}.warc.gz.open")
    ids = [w.exchange(f"https://example.org/{name}/{n}", PAGE * (n + 1)) for n in range(pages)]
    return w.close(), ids


def _record_ids(path: Path) -> list[str]:
    with path.open("rb") as fh:
        return [
            r.rec_headers.get_header("WARC-Record-ID")
            for r in ArchiveIterator(fh)
            if r.rec_type == "response"
        ]


def test_a_cut_open_file_keeps_its_whole_records_and_is_committed(
    make_settings: Any, database_url: str, tmp_path: Path
) -> None:
    rt = _runtime(make_settings, database_url, tmp_path)
    spool = spool_dir(rt)
    path, ids = _open_file(spool, "cut", 3)
    path.write_bytes(path.read_bytes()[:-25])  # killed while writing the last record

    closed = salvage(path)
    assert closed == spool / "cut.warc.gz" and not path.exists()
    warcio_check(closed)
    assert _record_ids(closed) == ids[:2]

    report = flush(rt, spool)
    assert [r.captures for r in report.committed] == [2]
    assert open_files(spool) == []
    with rt.sessions()() as s:
        stored = {c.warc_record_id for c in s.scalars(select(Capture))}
    assert stored == set(ids[:2])


def test_an_open_file_cut_at_a_record_boundary_is_kept_whole(tmp_path: Path) -> None:
    path, ids = _open_file(tmp_path, "whole", 2)
    closed = salvage(path)
    assert closed is not None and _record_ids(closed) == ids


def test_a_file_being_written_is_left_alone(tmp_path: Path) -> None:
    path, _ = _open_file(tmp_path, "busy", 2)
    before = path.read_bytes()
    with path.open("rb") as writer:  # as the crawler holds it while writing
        fcntl.flock(writer, fcntl.LOCK_EX)
        assert salvage(path) is None
        assert path.read_bytes() == before
    assert salvage(path) == tmp_path / "busy.warc.gz"  # its writer is gone


def test_a_file_cut_before_any_capture_is_removed(tmp_path: Path) -> None:
    info_only, _ = _open_file(tmp_path, "emptx", 0)  # a name of the same length
    warcinfo_size = info_only.stat().st_size
    info_only.unlink()
    path, _ = _open_file(tmp_path, "empty", 1)
    path.write_bytes(path.read_bytes()[: warcinfo_size + 10])  # warcinfo whole, the next cut
    assert salvage(path) is None
    assert list(tmp_path.iterdir()) == []
