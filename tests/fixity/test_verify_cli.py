"""``citevault verify`` on a real archive, folder store and SeaweedFS alike.

The damage is done the way storage goes wrong (a flipped bit, a lost object,
a stray upload) and the audit must name each one, in the table and in JSON,
and exit non-zero; an undamaged archive passes with 0.
"""

from __future__ import annotations

import json

from archive.cli.exits import ExitCode
from tests.fixity.conftest import Archived
from tests.helpers import run_cli


def test_a_clean_archive_passes(archived: Archived) -> None:
    result = run_cli("verify", "--format", "json", env=archived.env)
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["findings"] == []
    assert report["state"] == "finished"
    assert report["objects_checked"] == 4  # two WARC files, two documents
    assert report["keys_listed"] == 4
    # every capture with a record was parsed back from the stream
    assert report["records_checked"] >= 2

    # progress lines go to stderr (here after every object), the report to stdout
    env = {**archived.env, "CITEVAULT_FIXITY__PROGRESS_SECONDS": "0.000001"}
    table = run_cli("verify", env=env)
    assert table.returncode == ExitCode.OK, table.stdout + table.stderr
    assert "0 missing, 0 corrupt, 0 orphaned" in table.stdout
    assert "verify: 4 objects" in table.stderr and "verify:" not in table.stdout


def test_flipped_byte_lost_object_and_orphan_are_all_found(archived: Archived) -> None:
    damaged_warc, intact_warc = archived.warc_keys()
    capture = archived.a_capture_in(damaged_warc)
    assert capture.warc_offset is not None and capture.warc_length is not None
    archived.flip_byte(damaged_warc, capture.warc_offset + capture.warc_length // 2)
    lost = archived.document_keys()[1]
    archived.delete(lost)
    stray = "warcs/2020/01/01/stray.warc.gz"
    archived.add_stray(stray)

    result = run_cli("verify", "--format", "json", env=archived.env)
    assert result.returncode == ExitCode.DAMAGED == 9, result.stdout + result.stderr
    assert "1 missing" in result.stderr and "1 orphaned" in result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False
    found = {(f["problem"], f["subject"], f["store_key"]) for f in report["findings"]}
    assert ("corrupt", "warc_file", damaged_warc) in found
    assert ("missing", "document_version", lost) in found
    assert ("orphaned", "object", stray) in found
    # the record the flipped byte sits in is named, by its capture row
    bad_records = [f for f in report["findings"] if f["subject"] == "capture"]
    assert [f["row_id"] for f in bad_records] == [capture.id]
    # nothing else is accused: the other WARC file and document are intact
    assert not any(f["store_key"] == intact_warc for f in report["findings"])
    assert report["counts"] == {"missing": 1, "corrupt": 2, "orphaned": 1}

    table = run_cli("verify", env=archived.env)
    assert table.returncode == 9
    for text in (damaged_warc, lost, stray, "missing", "corrupt", "orphaned"):
        assert text in table.stdout
    assert "1 missing, 2 corrupt, 1 orphaned" in table.stdout
    assert "error:" in table.stderr and "hint:" in table.stderr


def test_a_lost_warc_file_names_the_captures_that_point_into_it(archived: Archived) -> None:
    lost = archived.warc_keys()[0]
    archived.delete(lost)
    result = run_cli("verify", "--format", "json", env=archived.env)
    assert result.returncode == 9
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["problem"], finding["store_key"]) == ("missing", lost)
    assert "captures point into it" in finding["detail"]


def test_all_and_sample_together_are_refused(archived: Archived) -> None:
    result = run_cli("verify", "--all", "--sample", "0.5", env=archived.env)
    assert result.returncode == ExitCode.INPUT
    assert "contradict" in result.stderr
    result = run_cli("verify", "--sample", "1.5", env=archived.env)
    assert result.returncode == ExitCode.INPUT
