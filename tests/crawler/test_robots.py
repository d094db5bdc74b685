"""robots.txt obeyed when configured, and said so in the WARC either way.

(Ignoring it is the default; ``test_capture`` checks that case: robots.txt is
not fetched and ``/private/page.html`` is captured.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from archive.capture.contract import JobSpec
from tests.crawler.harness import CrawlResult, run_crawl_process
from tests.sites import TestSite, expected


@pytest.fixture(scope="module")
def site() -> Iterator[TestSite]:
    with TestSite() as running:
        yield running
    assert not running.errors


@pytest.fixture(scope="module")
def crawl(site: TestSite, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    return run_crawl_process(
        tmp_path_factory.mktemp("robots"),
        [
            JobSpec(1, site.url("/page/plain.html")),
            JobSpec(2, site.url("/private/page.html")),
            JobSpec(3, site.url("/page/requisites2.html")),
        ],
        fetch={"obey_robots_txt": True},
    )


def test_disallowed_pages_are_not_fetched(crawl: CrawlResult, site: TestSite) -> None:
    reason, retryable = crawl.failure(2)
    assert not retryable
    assert "robots.txt" in reason and "/private/page.html" in reason
    assert site.count("/private/page.html") == 0
    assert crawl.for_uri(site.url("/private/page.html")) == []


def test_allowed_pages_are_captured_with_the_policy_recorded(
    crawl: CrawlResult, site: TestSite
) -> None:
    for job_id, path in ((1, "/page/plain.html"), (3, "/page/requisites2.html")):
        meta = crawl.metadata(job_id)
        assert meta["robots"] == "obey"
        assert crawl.by_id(meta["final_record_id"]).payload == expected(path).entity
    assert len(crawl.metadata(3)["requisites"]) == 7
    assert "robots: obey" in crawl.records[0].payload.decode()


def test_robots_txt_is_fetched_once_and_archived(crawl: CrawlResult, site: TestSite) -> None:
    assert site.count("/robots.txt") == 1
    answers = crawl.answers(site.url("/robots.txt"))
    assert [a.payload for a in answers] == [expected("/robots.txt").entity]
    for record in crawl.of_type("metadata"):
        assert site.url("/robots.txt") not in record.job()["requisites"]
