"""A store outage during ``archive``: the captures wait in the spool, and the command says
which store failed and exits non-zero instead of reporting jobs as merely remaining."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from archive.db.models import CaptureJob
from tests.capture.test_archive_cli import _add, _env, _runtime, _s3_env
from tests.helpers import run_cli
from tests.sites.site import TestSite


def test_archive_names_the_store_that_failed_and_exits_non_zero(
    tmp_path: Path, test_site: TestSite, s3_store_settings: dict[str, Any]
) -> None:
    env = _env(tmp_path, **_s3_env(s3_store_settings))
    urls = [f"{test_site.base_url}/page/plain.html?v={i}" for i in range(3)]
    _add(env, tmp_path, "Sources:\n" + "\n".join(urls) + "\n", doc_id="doc")
    down = dict(env, CITEVAULT_STORE__ENDPOINT_URL="http://127.0.0.1:9")
    result = run_cli("archive", "doc", env=down)
    text = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 5, text  # a store error
    assert f"the store {s3_store_settings['url']}" in text, text
    assert "WARC file(s) of this crawl wait in" in text
    spool = tmp_path / "data" / "spool"
    assert list(spool.glob("*.warc.gz"))  # nothing lost

    # the store is back: the next run commits what waited, and the jobs are done
    result = run_cli("worker", "--once", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(spool.glob("*.warc.gz"))
    with _runtime(env).sessions()() as s:
        assert {j.state for j in s.scalars(select(CaptureJob))} == {"done"}
