"""Decompression bombs: archived as received, never inflated past the parse ceiling.

Each bomb inflates to 1 GiB.  The crawler keeps the compressed bytes (that is
the payload) and decodes at most ``fetch.max_decompressed_bytes`` of them to
look for requisites.  (``warcio check`` itself inflates every payload: ten
seconds and more here, so the bomb files are checked in the background while
the other modules run, each in its own file, and joined at the session end.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from archive.capture.contract import JobSpec
from tests.crawler.harness import CrawlResult, run_crawl_process, sha256_b32
from tests.sites import TestSite, bomb_entity

JOBS = {1: ("/bomb.html", "gzip"), 2: ("/bomb-br.html", "br")}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlResult]:
    with TestSite() as site:
        yield run_crawl_process(
            tmp_path_factory.mktemp("bombs"),
            [JobSpec(job_id, site.url(path)) for job_id, (path, _) in JOBS.items()],
            fetch={"max_decompressed_bytes": 1 << 20},
            rollover=100_000,
            check_later=True,
            overrides={"CONCURRENT_REQUESTS_PER_DOMAIN": 1},
        )


@pytest.mark.parametrize("job_id", sorted(JOBS))
def test_bombs_are_archived_compressed(crawl: CrawlResult, job_id: int) -> None:
    coding = JOBS[job_id][1]
    answer = crawl.by_id(crawl.metadata(job_id)["final_record_id"])
    entity = bomb_entity(coding)
    assert answer.payload == entity
    assert answer.headers["WARC-Payload-Digest"] == sha256_b32(entity)
    assert answer.http_header("Content-Encoding") == coding
    assert answer.http_header("Content-Length") == str(len(entity))
    assert "WARC-Truncated" not in answer.headers
    assert crawl.metadata(job_id)["requisites"] == []


def test_memory_stays_far_below_a_bomb(crawl: CrawlResult) -> None:
    # Each bomb inflates to 1 GiB; a crawl process that decoded either would
    # pass that. Alone it peaks near 100 MB; on a loaded machine, in the full
    # suite, up to ~340 MB has been seen, hence the margin.
    assert crawl.raw["maxrss_kb"] < 512 * 1024, crawl.raw["maxrss_kb"]
    bomb_files = {crawl.by_id(crawl.metadata(j)["final_record_id"]).file for j in JOBS}
    assert len(bomb_files) == 2
