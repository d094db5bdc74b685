"""The ad hoc entry points: ``python -m crawler`` and ``scrapy crawl capture``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawler.harness import ROOT, read_records, warcio_check
from tests.sites import TestSite, expected

SCRAPY = Path(sys.executable).with_name("scrapy")


@pytest.fixture(scope="module")
def site() -> Iterator[TestSite]:
    with TestSite() as running:
        yield running
    assert not running.errors


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CITEVAULT_")}
    clean.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        args, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


def test_module_entry_point_prints_closed_files_and_failures(
    site: TestSite, tmp_path: Path
) -> None:
    spool = tmp_path / "spool"
    done = _run(
        [
            sys.executable,
            "-m",
            "crawler",
            "--spool",
            str(spool),
            "--allow-private",
            "--log-level",
            "WARNING",
            "--urls",
            site.url("/page/plain.html"),
            "http://127.0.0.1:1/refused",
        ]
    )
    assert done.returncode == 1, done.stderr
    paths = [Path(line) for line in done.stdout.splitlines()]
    assert len(paths) == 1 and paths[0].parent == spool and paths[0].exists()
    assert "failed: http://127.0.0.1:1/refused: connection refused" in done.stderr
    warcio_check(paths[0])
    records = read_records(paths[0])
    (meta,) = [r.job() for r in records if r.type == "metadata"]
    assert meta["job_id"] is None
    assert meta["url"] == site.url("/page/plain.html")
    answer = next(r for r in records if r.id == meta["final_record_id"])
    assert answer.payload == expected("/page/plain.html").entity


def test_module_entry_point_keeps_the_policy_on_by_default(site: TestSite, tmp_path: Path) -> None:
    done = _run(
        [sys.executable, "-m", "crawler", "--spool", str(tmp_path), "--urls", site.base_url + "/"]
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "loopback address 127.0.0.1" in done.stderr
    assert site.count("/") == 0


def test_module_entry_point_reports_bad_configuration(tmp_path: Path) -> None:
    done = _run(
        [
            sys.executable,
            "-m",
            "crawler",
            "--spool",
            str(tmp_path),
            "--config",
            str(tmp_path / "missing.toml"),
            "--urls",
            "https://example.org/",
        ]
    )
    assert done.returncode == 2
    assert "config file not found" in done.stderr


def test_scrapy_crawl_works_from_the_checkout(site: TestSite, tmp_path: Path) -> None:
    spool = tmp_path / "x"
    done = _run(
        [
            str(SCRAPY),
            "crawl",
            "capture",
            "-a",
            f"urls={site.url('/page/requisites2.html')},{site.url('/data.json')}",
            "-a",
            f"spool={spool}",
            "-s",
            "CITEVAULT_BLOCK_PRIVATE=false",
            "-s",
            "LOG_LEVEL=WARNING",
        ],
        SCRAPY_SETTINGS_MODULE="crawler.settings",
    )
    assert done.returncode == 0, done.stderr
    (path,) = sorted(spool.iterdir())
    assert path.name.endswith(".warc.gz")
    warcio_check(path)
    metas = [r.job() for r in read_records(path) if r.type == "metadata"]
    assert sorted(m["url"] for m in metas) == [
        site.url("/data.json"),
        site.url("/page/requisites2.html"),
    ]
    assert site.count("/css/main.css") == 1
