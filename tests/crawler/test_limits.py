"""Size cap, deadline and redirect limit, in one crawl.

What is cut is kept up to the cut and marked ``WARC-Truncated``; what never
answered is reported as a retryable failure without a record; a redirect
loop fails the job but keeps the hops it followed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from archive.capture.contract import JobSpec
from tests.crawler.harness import CrawlResult, run_crawl_process, sha256_b32
from tests.sites import TestSite, big_body, expected
from tests.sites.encodings import SLOW_TICK

CAP = 2_000_000
DEADLINE = 1.5
MAX_REDIRECTS = 3
PARSE_CEILING = 1 << 20

JOBS = {
    1: "/big?bytes=5000000",
    2: "/big-chunked?bytes=5000000",
    3: f"/big?bytes={CAP}",
    4: "/slow?seconds=6",
    5: "/hang",
    6: "/redirect/chain/3",
    7: "/redirect/loop/a",
}


@pytest.fixture(scope="module")
def site() -> Iterator[TestSite]:
    with TestSite() as running:
        yield running
    assert not running.errors


@pytest.fixture(scope="module")
def crawl(site: TestSite, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    return run_crawl_process(
        tmp_path_factory.mktemp("limits"),
        [JobSpec(job_id, site.url(path)) for job_id, path in JOBS.items()],
        fetch={
            "max_response_bytes": CAP,
            "max_decompressed_bytes": PARSE_CEILING,
            "download_timeout_seconds": DEADLINE,
            "max_redirects": MAX_REDIRECTS,
        },
    )


def _answer(crawl: CrawlResult, job_id: int):  # type: ignore[no-untyped-def]
    return crawl.by_id(crawl.metadata(job_id)["final_record_id"])


def test_limits_are_stated_in_the_warcinfo(crawl: CrawlResult) -> None:
    info = crawl.records[0].payload.decode()
    assert f"max-response-bytes: {CAP}" in info
    assert f"max-decompressed-bytes: {PARSE_CEILING}" in info
    assert f"download-timeout-seconds: {DEADLINE}" in info
    assert f"max-redirects: {MAX_REDIRECTS}" in info


@pytest.mark.parametrize("job_id", [1, 2])
def test_oversized_bodies_keep_the_first_cap_bytes(crawl: CrawlResult, job_id: int) -> None:
    answer = _answer(crawl, job_id)
    kept = big_body(5_000_000)[:CAP]
    assert answer.type == "response"
    assert answer.headers["WARC-Truncated"] == "length"
    assert answer.payload == kept
    assert answer.headers["WARC-Payload-Digest"] == sha256_b32(kept)
    assert answer.http_header("Content-Length") == str(CAP)
    assert answer.http_header("Transfer-Encoding") is None


def test_a_body_exactly_at_the_cap_is_whole(crawl: CrawlResult) -> None:
    answer = _answer(crawl, 3)
    assert "WARC-Truncated" not in answer.headers
    assert answer.payload == expected(JOBS[3]).entity


def test_the_deadline_keeps_what_arrived_and_marks_time(crawl: CrawlResult) -> None:
    answer = _answer(crawl, 4)
    full = expected(JOBS[4]).entity
    assert answer.headers["WARC-Truncated"] == "time"
    assert 0 < len(answer.payload) < len(full)
    assert full.startswith(answer.payload)
    assert len(answer.payload) % len(SLOW_TICK) == 0
    assert answer.headers["WARC-Payload-Digest"] == sha256_b32(answer.payload)
    assert answer.http_header("Content-Length") == str(len(answer.payload))


def test_no_answer_before_the_deadline_is_a_retryable_failure(
    crawl: CrawlResult, site: TestSite
) -> None:
    reason, retryable = crawl.failure(5)
    assert retryable
    assert "timed out" in reason and "/hang" in reason
    assert crawl.for_uri(site.url("/hang")) == []
    assert site.count("/hang") == 1


def test_redirects_up_to_the_limit_are_followed(crawl: CrawlResult, site: TestSite) -> None:
    meta = crawl.metadata(6)
    assert len(meta["chain"]) == MAX_REDIRECTS + 1
    assert meta["final_url"] == site.url("/page/plain.html")


def test_a_redirect_loop_fails_the_job_and_keeps_its_hops(
    crawl: CrawlResult, site: TestSite
) -> None:
    reason, retryable = crawl.failure(7)
    assert not retryable
    assert f"more than {MAX_REDIRECTS} redirects" in reason
    loop = [site.url("/redirect/loop/a"), site.url("/redirect/loop/b")]
    hops = [r for r in crawl.records if r.uri in loop and r.type in ("response", "revisit")]
    assert [r.uri for r in hops] == loop * 2
    assert all(r.http_status == 302 for r in hops)
    assert not [m for m in crawl.of_type("metadata") if m.job()["job_id"] == 7]


def test_counts(crawl: CrawlResult) -> None:
    assert crawl.stats["truncated"] == 3
    assert crawl.stats["failures"] == 2
    assert crawl.stats["pages"] == len(JOBS) - 2
