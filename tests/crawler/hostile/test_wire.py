"""Broken HTTP on the wire: impossible status lines and headers, lying lengths, slowness.

Whatever the server sends, the crawl goes on: a response that Twisted can
parse is archived as received (the status line included, however absurd),
one that it cannot is a retryable failure without a record, what is cut is
marked ``WARC-Truncated``, every WARC file passes ``warcio check`` (in the
harness), and the page after each case is captured whole.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.crawler.harness import CrawlResult, Record
from tests.crawler.hostile.crawls import (
    answer,
    assert_normal_capture,
    assert_warcs_read_back,
    crawl_cases,
    hostile_id,
)
from tests.sites.hostile import NORMAL_HTML, HostileServer

CAP = 1 << 20
DEADLINE = 1.0
CASES = [
    "/status/huge",
    "/status/negative",
    "/status/garbage",
    "/status/nothing",
    "/headers/odd",
    "/length/short",
    "/length/long",
    "/chunked/endless",
    "/slow/headers",
    "/slow/body",
    "/redirect/onwards/1",
]


def _case(path: str) -> int:
    return CASES.index(path)


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


@pytest.fixture(scope="module")
def crawl(server: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    return crawl_cases(
        server,
        tmp_path_factory.mktemp("wire"),
        CASES,
        {
            "max_response_bytes": CAP,
            "download_timeout_seconds": DEADLINE,
            "max_redirects": 3,
        },
    )


@pytest.mark.parametrize("case", range(len(CASES)))
def test_the_next_capture_works(crawl: CrawlResult, server: HostileServer, case: int) -> None:
    assert_normal_capture(crawl, server, case)


def test_an_impossible_status_is_archived_as_received(crawl: CrawlResult) -> None:
    record = answer(crawl, hostile_id(_case("/status/huge")))
    assert record.type == "response"
    assert record.http_block.startswith(b"HTTP/1.1 9999999999999999999 WHAT\r\n")
    assert record.payload == NORMAL_HTML
    negative = answer(crawl, hostile_id(_case("/status/negative")))
    assert negative.http_block.startswith(b"HTTP/1.1 -1 Negative\r\n")


@pytest.mark.parametrize("path", ["/status/garbage", "/status/nothing"])
def test_an_unparsable_status_line_is_a_retryable_failure(
    crawl: CrawlResult, server: HostileServer, path: str
) -> None:
    reason, retryable = crawl.failure(hostile_id(_case(path)))
    assert retryable
    assert path in reason
    assert "<twisted" not in reason and "Failure" not in reason, reason
    assert crawl.for_uri(server.url(path)) == []


def test_odd_header_bytes_are_kept(crawl: CrawlResult) -> None:
    record = answer(crawl, hostile_id(_case("/headers/odd")))
    raw = _raw_block(record)
    assert b"X-Latin1: caf\xe9 \xff\xfe\r\n" in raw
    assert b"X-Control: a\x01b\x7fc\r\n" in raw
    assert b"X-Long: " + b"v" * 12_000 + b"\r\n" in raw
    assert raw.startswith(b"HTTP/1.1 200 Fine\xe9\r\n")
    assert record.type == "revisit"  # the body is the normal page's, archived before


def _raw_block(record: Record) -> bytes:
    """The record's block as stored in the file, before warcio re-encodes its headers."""
    with record.file.open("rb") as handle:
        for rec in ArchiveIterator(handle, no_record_parse=True):
            if rec.rec_headers.get_header("WARC-Record-ID") == record.id:
                data: bytes = rec.raw_stream.read()
                return data
    raise AssertionError(f"{record.id} not found")


def test_a_short_body_is_kept_and_marked_as_cut(crawl: CrawlResult) -> None:
    record = answer(crawl, hostile_id(_case("/length/short")))
    assert record.headers["WARC-Truncated"] == "disconnect"
    assert record.payload == b"s" * 1000
    assert record.http_header("Content-Length") == "1000"


def test_bytes_past_the_content_length_are_not_a_response(crawl: CrawlResult) -> None:
    record = answer(crawl, hostile_id(_case("/length/long")))
    assert record.payload == b"0123456789"
    assert "WARC-Truncated" not in record.headers
    assert not [r for r in crawl.records if b"smuggled" in r.payload]


def test_an_endless_chunked_body_stops_at_the_cap(crawl: CrawlResult) -> None:
    record = answer(crawl, hostile_id(_case("/chunked/endless")))
    assert record.headers["WARC-Truncated"] == "length"
    assert record.payload == b"z" * CAP


def test_slow_headers_end_at_the_deadline(crawl: CrawlResult, server: HostileServer) -> None:
    reason, retryable = crawl.failure(hostile_id(_case("/slow/headers")))
    assert retryable
    assert "timed out" in reason
    assert crawl.for_uri(server.url("/slow/headers")) == []


def test_a_slow_body_ends_at_the_deadline_and_is_marked(crawl: CrawlResult) -> None:
    record = answer(crawl, hostile_id(_case("/slow/body")))
    assert record.headers["WARC-Truncated"] == "time"
    assert 0 < len(record.payload) < 1_000_000
    assert set(record.payload) == {ord(".")}


def test_endless_redirects_stop_at_the_limit(crawl: CrawlResult, server: HostileServer) -> None:
    reason, retryable = crawl.failure(hostile_id(_case("/redirect/onwards/1")))
    assert not retryable
    assert "more than 3 redirects" in reason
    hops = [r.uri for r in crawl.records if "/redirect/onwards/" in r.uri and r.type != "request"]
    assert hops == [server.url(f"/redirect/onwards/{n}") for n in range(1, 5)]


def test_counts(crawl: CrawlResult) -> None:
    failed = {"/status/garbage", "/status/nothing", "/slow/headers", "/redirect/onwards/1"}
    assert crawl.stats["failures"] == len(failed)
    assert crawl.stats["pages"] == 2 * len(CASES) - len(failed)
    assert crawl.stats["truncated"] == 3


@pytest.fixture(scope="module")
def many_headers(server: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """Parsing 200,000 header lines takes Twisted seconds: a deadline far from that."""
    return crawl_cases(
        server,
        tmp_path_factory.mktemp("many-headers"),
        ["/headers/many"],
        {"download_timeout_seconds": 120, "max_seconds_per_job": 300},
    )


def test_200000_headers_are_archived_and_the_next_capture_works(
    many_headers: CrawlResult, server: HostileServer
) -> None:
    record = answer(many_headers, hostile_id(0))
    raw = _raw_block(record)
    assert raw.count(b"\r\nX-Many-") == 200_000
    assert b"\r\nX-Many-199999: 199999\r\n" in raw
    assert_normal_capture(many_headers, server, 0)
    assert_warcs_read_back(many_headers)


def test_every_warc_record_reads_back(crawl: CrawlResult) -> None:
    assert_warcs_read_back(crawl)
