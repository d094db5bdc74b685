"""Runs that stop and go on: interrupted, resumed, sampled, and keyed by the scheduler."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from archive.clock import SystemClock
from archive.db.models import DocumentVersion, VerifyRun, WarcFile
from archive.fixity import Checked, run_scheduled, runs, verify_run
from tests.fixity.conftest import Archived
from tests.helpers import run_cli


def _stop_after(count: int, seen: list[str]) -> object:
    def hear(checked: Checked) -> None:
        seen.append(checked.store_key)
        if len(seen) == count:
            raise KeyboardInterrupt

    return hear


def test_an_interrupted_run_resumes_without_checking_anything_twice(archived: Archived) -> None:
    rt = archived.rt
    damaged = archived.warc_keys()[0]
    archived.flip_byte(damaged, 200)
    run_id = runs.start_run(rt.sessions(), SystemClock(), 1.0)
    first: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        verify_run(rt, run_id, on_checked=_stop_after(2, first))  # type: ignore[arg-type]
    partial = runs.load_result(rt.sessions(), run_id)
    assert partial.state == "running" and partial.objects_checked == 2
    assert [f.store_key for f in partial.findings if f.subject == "warc_file"] == [damaged]

    second: list[str] = []
    done = verify_run(rt, run_id, on_checked=lambda c: second.append(c.store_key))
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(archived.all_keys())
    assert done.finished and done.objects_checked == 4
    # the damage found before the interruption is reported once, not lost or doubled
    assert [f.store_key for f in done.findings if f.subject == "warc_file"] == [damaged]


def test_cli_resume_goes_on_with_the_unfinished_run(archived: Archived) -> None:
    rt = archived.rt
    run_id = runs.start_run(rt.sessions(), SystemClock(), 1.0)
    with pytest.raises(KeyboardInterrupt):
        verify_run(rt, run_id, on_checked=_stop_after(3, []))  # type: ignore[arg-type]

    result = run_cli("verify", "--resume", "--format", "json", env=archived.env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"going on with run #{run_id}" in result.stderr
    report = json.loads(result.stdout)
    # three objects before the interruption plus the one left: none read twice
    assert (report["run_id"], report["objects_checked"]) == (run_id, 4)

    again = run_cli("verify", "--resume", "--format", "json", env=archived.env)
    assert again.returncode == 0
    assert "no unfinished run; starting a new one" in again.stderr
    assert json.loads(again.stdout)["run_id"] != run_id


def test_a_sample_reads_exactly_the_objects_its_seed_picks(archived: Archived) -> None:
    rt = archived.rt
    run_id = runs.start_run(rt.sessions(), SystemClock(), 0.5)
    read: list[Checked] = []
    result = verify_run(rt, run_id, on_checked=read.append)
    with rt.sessions()() as s:
        seed = s.get(VerifyRun, run_id).seed  # type: ignore[union-attr]
        rows = [("warc_file", i, k) for i, k in s.execute(select(WarcFile.id, WarcFile.store_key))]
        rows += [
            ("document_version", i, k)
            for i, k in s.execute(select(DocumentVersion.id, DocumentVersion.store_key))
        ]
    picked = {key for kind, row_id, key in rows if runs.is_chosen(seed, 0.5, kind, row_id)}
    assert {c.store_key for c in read} == picked
    assert result.objects_checked == len(picked) and result.sample == 0.5
    assert result.keys_listed == 4  # orphans are looked for in the whole listing

    cli = run_cli("verify", "--sample", "0.5", "--format", "json", env=archived.env)
    assert cli.returncode == 0, cli.stderr
    report = json.loads(cli.stdout)
    assert report["sample"] == 0.5 and report["objects_checked"] <= 4


def test_the_scheduled_action_is_one_run_per_key(archived: Archived) -> None:
    settings = archived.rt.settings
    first = run_scheduled(settings, sample=1.0, run_key="tick-1")
    assert first.finished and first.ok and first.objects_checked == 4

    # The tick is run again (the scheduler died after it): the finished run is
    # returned as it ended, nothing is read again, even though an object is gone now.
    archived.delete(archived.document_keys()[0])
    again = run_scheduled(settings, sample=1.0, run_key="tick-1")
    assert again.run_id == first.run_id and again.ok and again.objects_checked == 4

    later = run_scheduled(settings, sample=1.0, run_key="tick-2")
    assert later.run_id != first.run_id and later.missing == 1


def test_the_scheduled_action_resumes_its_interrupted_run(archived: Archived) -> None:
    rt = archived.rt
    run_id = runs.keyed_run(rt.sessions(), SystemClock(), 1.0, "tick-7")
    with pytest.raises(KeyboardInterrupt):
        verify_run(rt, run_id, on_checked=_stop_after(1, []))  # type: ignore[arg-type]
    result = run_scheduled(rt.settings, sample=1.0, run_key="tick-7")
    assert result.run_id == run_id and result.finished and result.objects_checked == 4
