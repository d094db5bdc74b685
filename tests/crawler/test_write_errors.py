"""A WARC write that fails (disk full) stops the crawl without leaving a broken file."""

from __future__ import annotations

import pytest

from archive.capture.contract import JobSpec
from tests.crawler.harness import CrawlResult, run_crawl_process
from tests.sites import TestSite


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    with TestSite() as site:
        return run_crawl_process(
            tmp_path_factory.mktemp("write-errors"),
            [
                JobSpec(1, site.url("/page/plain.html")),
                JobSpec(2, site.url("/page/requisites.html")),
            ],
            overrides={"CONCURRENT_REQUESTS_PER_DOMAIN": 1},
            fail_writes_after=12,
            expect_error=True,
        )


def test_run_crawl_raises_a_store_error(crawl: CrawlResult) -> None:
    assert "StoreError: cannot write WARC files in" in crawl.raw["error"]
    assert "No space left on device" in crawl.raw["error"]


def test_the_file_is_cut_back_to_whole_records_and_handed_over(crawl: CrawlResult) -> None:
    (path,) = crawl.files  # warcio check has passed on it
    types = [r.type for r in crawl.records]
    assert types[0] == "warcinfo"
    assert types[1:] == ["request", "response"] * ((len(types) - 1) // 2)
    assert sorted(crawl.spool.iterdir()) == [path]


def test_unfinished_jobs_go_back_to_the_queue(crawl: CrawlResult) -> None:
    assert crawl.failures
    assert all(retryable for _, _, retryable in crawl.failures)
    failed = {job_id for job_id, _, _ in crawl.failures}
    captured = {r.job()["job_id"] for r in crawl.of_type("metadata")}
    assert failed | captured == {1, 2}
    assert not failed & captured
