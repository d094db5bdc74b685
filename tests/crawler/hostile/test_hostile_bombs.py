"""Decompression bombs of every coding, as pages and as requisites.

Each bomb is a page (or stylesheet) that names one requisite before its
filler and one after it.  The crawler archives the bomb as received and
reads it through the streaming decoder, so the requisite before the filler
is found and fetched, the one past the ceiling is never seen, and the crawl
goes on.  ``bench/hostile.py`` measures the memory this takes with 1 GiB
bombs; here they are 16 MiB so that the module stays quick.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.crawler.harness import CrawlResult, sha256_b32
from tests.crawler.hostile.crawls import (
    answer,
    assert_normal_capture,
    assert_warcs_read_back,
    crawl_cases,
    hostile_id,
)
from tests.sites.hostile import AFTER, BEFORE, HostileServer

BOMB_SIZE = 16 << 20
CEILING = 1 << 20
CODINGS = {"gzip": "gzip", "br": "br", "gzip-gzip": "gzip, gzip", "deflate": "deflate"}
CASES = [f"/bomb/{name}.html" for name in CODINGS] + ["/bomb/gzip.tags", "/requisite-bombs.html"]


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer(bomb_size=BOMB_SIZE) as running:
        yield running


@pytest.fixture(scope="module")
def crawl(server: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    return crawl_cases(
        server,
        tmp_path_factory.mktemp("hostile-bombs"),
        CASES,
        {"max_decompressed_bytes": CEILING},
    )


@pytest.mark.parametrize("case", range(len(CASES)))
def test_the_next_capture_works(crawl: CrawlResult, server: HostileServer, case: int) -> None:
    assert_normal_capture(crawl, server, case)


@pytest.mark.parametrize("name", sorted(CODINGS))
def test_a_page_bomb_is_archived_encoded_and_read_up_to_the_ceiling(
    crawl: CrawlResult, server: HostileServer, name: str
) -> None:
    job = hostile_id(CASES.index(f"/bomb/{name}.html"))
    record = answer(crawl, job)
    entity = server.bomb(CODINGS[name], "html")
    assert record.payload == entity
    assert record.headers["WARC-Payload-Digest"] == sha256_b32(entity)
    assert record.http_header("Content-Encoding") == CODINGS[name]
    assert "WARC-Truncated" not in record.headers
    assert crawl.metadata(job)["requisites"] == [server.url(BEFORE)]


def test_a_bomb_of_tiny_tags_is_read_up_to_the_ceiling_only(
    crawl: CrawlResult, server: HostileServer
) -> None:
    job = hostile_id(CASES.index("/bomb/gzip.tags"))
    assert answer(crawl, job).payload == server.bomb("gzip", "tags")
    assert crawl.metadata(job)["requisites"] == [server.url(BEFORE)]


def test_bombs_as_stylesheet_and_frame(crawl: CrawlResult, server: HostileServer) -> None:
    meta = crawl.metadata(hostile_id(CASES.index("/requisite-bombs.html")))
    assert set(meta["requisites"]) == {
        server.url("/bomb/gzip-gzip.css"),
        server.url("/bomb/br.html"),
        server.url("/ok.png"),
        server.url(BEFORE + ".css"),  # imported before the stylesheet's filler
        server.url(BEFORE),  # named before the frame's filler
    }
    sheet = crawl.answers(server.url("/bomb/gzip-gzip.css"))
    assert [r.payload for r in sheet] == [server.bomb("gzip, gzip", "css")]


def test_nothing_past_the_ceiling_was_fetched(crawl: CrawlResult, server: HostileServer) -> None:
    assert server.count(AFTER) == 0
    assert server.count(AFTER + ".css") == 0
    assert server.count(BEFORE) == 1  # once per crawl, whichever job found it first
    assert crawl.stats["failures"] == 0


def test_every_warc_record_reads_back(crawl: CrawlResult) -> None:
    assert_warcs_read_back(crawl)
