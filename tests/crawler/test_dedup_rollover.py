"""Payloads the archive already holds become revisits; files roll over between exchanges."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from archive.capture.contract import REVISIT_PROFILE, JobSpec
from tests.crawler.harness import CrawlResult, run_crawl_process, sha256_b32
from tests.sites import TestSite, expected

PLAIN_ID = "<urn:uuid:11111111-1111-4111-8111-111111111111>"
LOGO_ID = "<urn:uuid:22222222-2222-4222-8222-222222222222>"
ROLLOVER = 8000


@pytest.fixture(scope="module")
def site() -> Iterator[TestSite]:
    with TestSite() as running:
        yield running
    assert not running.errors


@pytest.fixture(scope="module", params=[False, True], ids=["inline-lookups", "lookup-thread"])
def crawl(
    site: TestSite, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> CrawlResult:
    """The same crawl with the index asked inline (SQLite) and from the lookup thread."""
    known = {
        sha256_b32(expected("/page/plain.html").entity): {
            "uri": "http://old.example/plain.html",
            "date": "2020-02-03T04:05:06Z",
            "record_id": PLAIN_ID,
        },
        sha256_b32(expected("/img/logo.png").entity): {
            "uri": "http://old.example/logo.png",
            "date": "2021-01-01T00:00:00.123456Z",
            "record_id": LOGO_ID,
        },
    }
    return run_crawl_process(
        tmp_path_factory.mktemp("dedup"),
        [
            JobSpec(1, site.url("/page/plain.html")),
            JobSpec(2, site.url("/page/requisites.html")),
            JobSpec(3, site.url("/status/204")),
        ],
        known=known,
        rollover=ROLLOVER,
        blocking_digests=request.param,
    )


def test_known_payloads_become_revisits_of_the_archived_record(
    crawl: CrawlResult, site: TestSite
) -> None:
    plain = crawl.by_id(crawl.metadata(1)["final_record_id"])
    assert plain.type == "revisit"
    assert plain.headers["WARC-Profile"] == REVISIT_PROFILE
    assert plain.headers["WARC-Refers-To"] == PLAIN_ID
    assert plain.headers["WARC-Refers-To-Target-URI"] == "http://old.example/plain.html"
    assert plain.headers["WARC-Refers-To-Date"] == "2020-02-03T04:05:06Z"
    assert plain.headers["WARC-Payload-Digest"] == sha256_b32(expected("/page/plain.html").entity)
    assert plain.http_status == 200 and plain.http_header("Content-Type")
    assert plain.payload == b""
    (logo,) = crawl.answers(site.url("/img/logo.png"))
    assert logo.type == "revisit" and logo.headers["WARC-Refers-To"] == LOGO_ID
    (other,) = crawl.answers(site.url("/img/p.png"))
    assert other.type == "response"


def test_the_index_is_asked_with_sha256_base32_of_each_payload(crawl: CrawlResult) -> None:
    lookups = crawl.raw["lookups"]
    batches = crawl.raw["lookup_batches"]
    if crawl.raw["spec_blocking"]:  # asked from the lookup thread, several at a time
        assert sum(batches) == len(lookups) and 1 <= len(batches) <= len(lookups)
    else:
        assert batches == []
    assert sha256_b32(expected("/page/plain.html").entity) in lookups
    assert sha256_b32(expected("/css/main.css").entity) in lookups
    assert sha256_b32(b"") not in lookups  # an empty payload is never a revisit
    assert all(re.fullmatch(r"sha256:[A-Z2-7]{52}====", digest) for digest in lookups)


def test_files_roll_over_between_exchanges(crawl: CrawlResult) -> None:
    assert len(crawl.files) >= 4
    names = [path.name for path in crawl.files]
    assert len(set(names)) == len(names)
    serials = [int(name.rsplit("-", 1)[1].split(".")[0]) for name in names]
    assert serials == list(range(len(names)))
    by_file: dict[str, list[str]] = {}
    for record in crawl.records:
        by_file.setdefault(record.file.name, []).append(record.type)
    for name, types in by_file.items():
        assert types[0] == "warcinfo" and "warcinfo" not in types[1:]
        pairs = [t for t in types[1:] if t != "metadata"]
        assert pairs[::2] == ["request"] * (len(pairs) // 2), name
        assert len(pairs) % 2 == 0, name
    for path in crawl.files[:-1]:
        assert path.stat().st_size >= ROLLOVER


def test_every_record_follows_the_warcinfo_of_its_own_file(crawl: CrawlResult) -> None:
    """Records belong to the warcinfo before them (WARC 1.1): each file's own, and it names it."""
    current: dict[str, str] = {}
    for record in crawl.records:
        if record.type == "warcinfo":
            assert record.file.name not in current  # one per file, and first
            assert record.headers["WARC-Filename"] == record.file.name
            current[record.file.name] = record.id
        else:
            assert record.file.name in current
            assert "WARC-Warcinfo-ID" not in record.headers


def test_a_204_is_written_in_full(crawl: CrawlResult) -> None:
    answer = crawl.by_id(crawl.metadata(3)["final_record_id"])
    assert answer.type == "response" and answer.http_status == 204
