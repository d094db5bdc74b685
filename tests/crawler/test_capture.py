"""One crawl over most of the test site, checked record by record.

The crawl runs once for the module (a crawl is a process); every test reads
the same WARC files.  Expected bytes come from ``tests.sites`` and digests are
recomputed here, never taken from the crawler.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import __version__
from archive.capture.contract import METADATA_PROFILE, REVISIT_PROFILE, JobSpec
from tests.crawler.driver import DNS_DOWN
from tests.crawler.harness import CrawlResult, Record, run_crawl_process, sha256_b32
from tests.sites import (
    NOT_REQUISITES,
    REQUISITES2_ALL,
    REQUISITES_ALL,
    TestSite,
    expected,
)

PAGES = {
    1: "/page/requisites.html",
    2: "/page/requisites2.html",
    3: "/page/plain.html",
    4: "/doc.pdf",
    5: "/data.json",
    6: "/img/photo.jpg",
    7: "/enc/gzip.html",
    8: "/enc/br.html",
    9: "/enc/deflate.html",
    10: "/enc/chunked.html",
    11: "/enc/gzip-chunked.html",
    12: "/status/404",
    13: "/status/500",
    14: "/status/204",
    15: "/redirect/301",
    16: "/redirect/302",
    17: "/redirect/307",
    18: "/redirect/308",
    19: "/redirect/chain/3",
    20: "/cookie",
    21: "/private/page.html",  # disallowed by robots.txt, which this crawl ignores
}
HTTPS_JOB = 30
REFUSED_JOB = 40
NXDOMAIN_JOB = 41
DNS_DOWN_JOB = 42
INVALID_JOB = 43
CONTACT = "https://github.com/citevault/citevault"


@pytest.fixture(scope="module")
def site() -> Iterator[TestSite]:
    with TestSite() as running:
        yield running
    assert not running.errors


@pytest.fixture(scope="module")
def crawl(site: TestSite, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    jobs = [
        JobSpec(job_id, site.url(path), document_id=f"doc-{job_id}", citation_ids=(job_id, 100))
        for job_id, path in PAGES.items()
    ]
    jobs += [
        JobSpec(HTTPS_JOB, site.url("/page/requisites2.html", https=True)),
        JobSpec(REFUSED_JOB, "http://127.0.0.1:1/nothing-listens-here"),
        JobSpec(NXDOMAIN_JOB, "http://nxdomain.test/page"),
        JobSpec(DNS_DOWN_JOB, "http://dns-down.test/page"),
        # RFC 6761: never resolves, so never looked up (the driver would refuse the lookup)
        JobSpec(INVALID_JOB, "http://host.invalid/page"),
    ]
    return run_crawl_process(
        tmp_path_factory.mktemp("capture"),
        jobs,
        fake_dns={"nxdomain.test": None, "dns-down.test": DNS_DOWN},
        overrides={"CITEVAULT_LEASE_BATCH": 4, "CITEVAULT_HEARTBEAT_SECONDS": 0.05},
    )


def _final(crawl: CrawlResult, job_id: int) -> Record:
    meta = crawl.metadata(job_id)
    return crawl.by_id(meta["final_record_id"])


def _payload_of(crawl: CrawlResult, record: Record) -> bytes:
    """A revisit's payload is the one of the record it refers to."""
    if record.type == "revisit":
        return crawl.by_id(record.headers["WARC-Refers-To"]).payload
    return record.payload


# --- the files ---------------------------------------------------------------------


def test_one_file_warcinfo_first_and_checked(crawl: CrawlResult) -> None:
    assert len(crawl.files) == 1
    assert crawl.records[0].type == "warcinfo"
    assert [r for r in crawl.records if r.type == "warcinfo"] == crawl.records[:1]
    info = crawl.records[0].payload.decode()
    assert f"software: citevault/{__version__} (Scrapy" in info
    assert "format: WARC File Format 1.1" in info
    assert "robots: ignore" in info
    assert "max-response-bytes: 104857600" in info
    assert "max-redirects: 20" in info
    assert "download-timeout-seconds: 120.0" in info
    assert "block-private-addresses: off" in info
    assert "tls-certificate-validation: off" in info
    assert f"http-header-user-agent: citevault/{__version__} (+{CONTACT})" in info
    # every record belongs to the warcinfo its file begins with, by position (WARC 1.1)
    assert not any("WARC-Warcinfo-ID" in r.headers for r in crawl.records)


# The WARC fields of each record, and no other: what the standard requires and
# readers use (bench/_record_bytes.py says why each one and what it costs).
REQUEST_FIELDS = {
    "WARC-Type",
    "WARC-Record-ID",
    "WARC-Date",
    "WARC-Target-URI",
    "WARC-IP-Address",
    "WARC-Block-Digest",
    "Content-Type",
    "Content-Length",
}
ANSWER_FIELDS = REQUEST_FIELDS | {
    "WARC-Concurrent-To",
    "WARC-Payload-Digest",
    "WARC-Citevault-Job",
    "WARC-Citevault-Role",
}
REVISIT_FIELDS = ANSWER_FIELDS | {
    "WARC-Profile",
    "WARC-Refers-To-Target-URI",
    "WARC-Refers-To-Date",
    "WARC-Refers-To",
}


def test_every_exchange_is_a_linked_request_response_pair(crawl: CrawlResult) -> None:
    records = [r for r in crawl.records if r.type not in ("warcinfo", "metadata")]
    assert len(records) % 2 == 0
    for request, answer in zip(records[::2], records[1::2], strict=True):
        assert request.type == "request"
        assert answer.type in ("response", "revisit")
        assert request.uri == answer.uri
        # the answer names its request (one side makes the link, WARC 1.1 5.7),
        # as pywb and cdxj-indexer read it: a record naming the one before it
        assert answer.headers["WARC-Concurrent-To"] == request.id
        assert request.headers["WARC-Date"] == answer.headers["WARC-Date"]
        assert answer.headers["WARC-IP-Address"] == "127.0.0.1"
        assert request.headers["WARC-Block-Digest"].startswith("sha256:")
        assert answer.headers["WARC-Payload-Digest"].startswith("sha256:")
        assert request.headers["Content-Type"] == "application/http; msgtype=request"
        assert answer.headers["Content-Type"] == "application/http; msgtype=response"
        # a GET has no payload, so no payload digest; nothing is said twice
        names = [name for name, _ in request.all_headers]
        assert set(names) == REQUEST_FIELDS and len(names) == len(REQUEST_FIELDS)
        names = [name for name, _ in answer.all_headers if name != "WARC-Truncated"]
        wanted = REVISIT_FIELDS if answer.type == "revisit" else ANSWER_FIELDS
        if "WARC-Citevault-Job" not in answer.headers:  # fetched for no job
            wanted = wanted - {"WARC-Citevault-Job", "WARC-Citevault-Role"}
        assert set(names) == wanted and len(names) == len(wanted), answer.type
    assert crawl.stats["exchanges"] == len(records) // 2


def test_request_records_show_what_was_sent(crawl: CrawlResult, site: TestSite) -> None:
    request = crawl.for_uri(site.url("/page/plain.html"), "request")[0]
    assert request.http_block.startswith(b"GET /page/plain.html HTTP/1.1\r\n")
    assert request.http_header("Host") == f"127.0.0.1:{site.port}"
    assert request.http_header("User-Agent") == f"citevault/{__version__} (+{CONTACT})"
    assert request.http_header("Accept-Encoding") == "gzip, deflate, br"
    sent = next(r for r in site.requests_for("http") if r.path == "/page/plain.html")
    assert sent.headers["User-Agent"] == request.http_header("User-Agent")


# --- payloads against the site's own bytes -----------------------------------------


STATIC_JOBS = sorted(j for j, p in PAGES.items() if not p.startswith(("/redirect/", "/cookie")))


@pytest.mark.parametrize("job_id", STATIC_JOBS)
def test_static_pages_are_stored_as_sent(crawl: CrawlResult, job_id: int) -> None:
    item = expected(PAGES[job_id])
    answer = _final(crawl, job_id)
    assert answer.http_status == item.status
    assert answer.headers["WARC-Payload-Digest"] == sha256_b32(item.entity)
    assert _payload_of(crawl, answer) == item.entity
    assert answer.http_header("Content-Encoding") == item.content_encoding
    assert answer.http_header("Transfer-Encoding") is None
    if item.status == 204:
        assert answer.http_header("Content-Length") is None
    else:
        assert answer.http_header("Content-Length") == str(len(item.entity))
    assert "WARC-Truncated" not in answer.headers


def test_compressed_payloads_keep_their_encoding_and_digest(crawl: CrawlResult) -> None:
    for job_id in (7, 8, 9, 11):
        item = expected(PAGES[job_id])
        answer = _final(crawl, job_id)
        assert answer.payload == item.entity != item.body
        assert answer.headers["WARC-Payload-Digest"] == sha256_b32(item.entity)


def test_chunked_bodies_are_dechunked_with_a_matching_length(crawl: CrawlResult) -> None:
    for job_id in (10, 11):
        item = expected(PAGES[job_id])
        assert item.chunked
        answer = _final(crawl, job_id)
        assert answer.payload == item.entity
        assert answer.payload != item.wire
        assert answer.http_header("Content-Length") == str(len(item.entity))


def test_error_statuses_are_captured_as_evidence(crawl: CrawlResult) -> None:
    for job_id, status in ((12, 404), (13, 500), (14, 204)):
        assert _final(crawl, job_id).http_status == status
        assert crawl.metadata(job_id)["final_url"].endswith(f"/status/{status}")
    assert 12 not in [f[0] for f in crawl.failures]


def test_repeated_headers_stay_separate_lines(crawl: CrawlResult, site: TestSite) -> None:
    answer = _final(crawl, 20)
    cookies = [v for k, v in answer.http_headers if k.lower() == "set-cookie"]
    assert cookies == [
        "citevault_session=abc123; Path=/; HttpOnly",
        "citevault_pref=dark; Path=/; Max-Age=3600; SameSite=Lax",
    ]


# --- redirects ------------------------------------------------------------------------


@pytest.mark.parametrize("job_id", [15, 16, 17, 18])
def test_each_redirect_hop_is_its_own_exchange(
    crawl: CrawlResult, site: TestSite, job_id: int
) -> None:
    first = site.url(PAGES[job_id])
    meta = crawl.metadata(job_id)
    assert meta["chain"] == [first, site.url("/page/plain.html")]
    assert meta["final_url"] == site.url("/page/plain.html")
    hop = crawl.answers(first)
    assert [r.http_status for r in hop] == [int(PAGES[job_id].rsplit("/", 1)[1])]
    assert hop[0].http_header("Location") == site.url("/page/plain.html")
    final = crawl.by_id(meta["final_record_id"])
    assert final.uri == site.url("/page/plain.html")
    assert _payload_of(crawl, final) == expected("/page/plain.html").entity


def test_redirect_chain_records_every_hop(crawl: CrawlResult, site: TestSite) -> None:
    meta = crawl.metadata(19)
    assert meta["chain"] == [
        site.url("/redirect/chain/3"),
        site.url("/redirect/chain/2"),
        site.url("/redirect/chain/1"),
        site.url("/page/plain.html"),
    ]
    for url in meta["chain"][:-1]:
        assert [r.http_status for r in crawl.answers(url)] == [302]


# --- requisites ---------------------------------------------------------------------


def _paths(site: TestSite, urls: list[str]) -> set[str]:
    return {url.removeprefix(site.base_url) for url in urls}


def test_every_requisite_is_captured_and_listed(crawl: CrawlResult, site: TestSite) -> None:
    meta = crawl.metadata(1)
    assert _paths(site, meta["requisites"]) == set(REQUISITES_ALL)
    assert not _paths(site, meta["requisites"]) & NOT_REQUISITES
    for path in REQUISITES_ALL:
        answers = crawl.answers(site.url(path))
        assert len(answers) == 1, path
        item = expected(path)
        assert _payload_of(crawl, answers[0]) == item.entity
        assert answers[0].headers["WARC-Payload-Digest"] == sha256_b32(item.entity)


def test_requisites_are_fetched_once_per_crawl(crawl: CrawlResult, site: TestSite) -> None:
    meta = crawl.metadata(2)
    assert _paths(site, meta["requisites"]) == set(REQUISITES2_ALL)
    for path in REQUISITES_ALL | REQUISITES2_ALL:
        assert site.count(path, scheme="http") == 1, path
    shared = site.url("/css/main.css")
    assert len(crawl.for_uri(shared, "request")) == 1


def test_metadata_comes_after_every_exchange_it_names(crawl: CrawlResult) -> None:
    """Also for requisites fetched by another job: a job waits for those to be answered."""
    position = {record.id: i for i, record in enumerate(crawl.records)}
    for index, record in enumerate(crawl.records):
        if record.type != "metadata":
            continue
        meta = record.job()
        assert position[meta["final_record_id"]] < index
        for url in meta["chain"] + meta["requisites"]:
            answers = crawl.answers(url)
            assert answers, url
            assert min(position[a.id] for a in answers) < index, url


def test_https_page_captured_despite_a_self_signed_certificate(
    crawl: CrawlResult, site: TestSite
) -> None:
    meta = crawl.metadata(HTTPS_JOB)
    assert meta["final_url"] == site.url("/page/requisites2.html", https=True)
    answer = crawl.by_id(meta["final_record_id"])
    assert answer.uri.startswith("https://127.0.0.1:")
    assert _payload_of(crawl, answer) == expected("/page/requisites2.html").entity
    assert {u.removeprefix(site.https_url) for u in meta["requisites"]} == set(REQUISITES2_ALL)
    for path in REQUISITES2_ALL:
        assert site.count(path, scheme="https") == 1


# --- deduplication within the crawl --------------------------------------------------


def test_identical_payloads_become_revisits_of_the_first(
    crawl: CrawlResult, site: TestSite
) -> None:
    revisits = crawl.of_type("revisit")
    assert revisits, "the https copies and the repeated plain page are identical payloads"
    for revisit in revisits:
        original = crawl.by_id(revisit.headers["WARC-Refers-To"])
        assert original.type == "response"
        assert crawl.records.index(original) < crawl.records.index(revisit)
        assert revisit.headers["WARC-Profile"] == REVISIT_PROFILE
        assert revisit.headers["WARC-Refers-To-Target-URI"] == original.uri
        assert revisit.headers["WARC-Refers-To-Date"] == original.headers["WARC-Date"]
        assert revisit.headers["WARC-Payload-Digest"] == original.headers["WARC-Payload-Digest"]
        assert revisit.payload == b""
        assert revisit.http_status is not None
    plain = [r for r in crawl.records if r.uri == site.url("/page/plain.html")]
    answers = [r for r in plain if r.type in ("response", "revisit")]
    assert [r.type for r in answers].count("response") == 1
    assert crawl.stats["revisits"] == len(revisits)


# --- metadata and the job source --------------------------------------------------------


def test_metadata_record_shape(crawl: CrawlResult, site: TestSite) -> None:
    record = next(r for r in crawl.of_type("metadata") if r.job()["job_id"] == 1)
    # the form replay engines leave out of their indexes (pywb: exactly this type)
    assert record.headers["Content-Type"] == "application/warc-fields"
    assert record.uri == site.url("/page/requisites.html")
    meta = record.job()
    assert record.headers["WARC-Concurrent-To"] == meta["final_record_id"]
    # a metadata record has a block and no payload (WARC 1.1): no payload digest
    assert "WARC-Payload-Digest" not in record.headers
    assert record.headers["WARC-Block-Digest"] == sha256_b32(record.payload)
    names = [name for name, _ in record.fields()]
    assert names[:5] == ["profile", "job-id", "url", "final-url", "final-record-id"]
    assert set(names) == {
        "profile",
        "job-id",
        "url",
        "final-url",
        "final-record-id",
        "document-id",
        "citation-id",
        "chain",
        "requisite",
        "robots",
    }
    assert meta["profile"] == METADATA_PROFILE
    assert meta["budget_exhausted"] is None
    assert meta["url"] == meta["final_url"] == site.url("/page/requisites.html")
    assert meta["chain"] == [meta["url"]]
    assert meta["document_id"] == "doc-1"
    assert meta["citation_ids"] == [1, 100]
    assert meta["robots"] == "ignore"


def test_non_html_jobs_have_no_requisites(crawl: CrawlResult) -> None:
    for job_id in (4, 5, 6, 12, 14):
        assert crawl.metadata(job_id)["requisites"] == []


def test_one_metadata_record_per_captured_job(crawl: CrawlResult) -> None:
    ids = sorted(r.job()["job_id"] for r in crawl.of_type("metadata"))
    assert ids == sorted([*PAGES, HTTPS_JOB])
    assert crawl.stats["pages"] == len(ids)


def test_failures_without_a_response_are_reported_not_recorded(crawl: CrawlResult) -> None:
    reason, retryable = crawl.failure(REFUSED_JOB)
    assert retryable and "connection refused" in reason and "127.0.0.1:1" in reason
    assert len(crawl.failures) == 4
    assert crawl.stats["failures"] == 4
    assert not [r for r in crawl.records if "127.0.0.1:1/" in r.uri or r.uri.endswith(".test/page")]
    assert not [r for r in crawl.records if ".invalid" in r.uri]


def test_a_host_that_does_not_exist_fails_for_good(crawl: CrawlResult) -> None:
    reason, retryable = crawl.failure(NXDOMAIN_JOB)
    assert not retryable, reason
    assert "does not exist" in reason and "nxdomain.test" in reason and "no such host" in reason
    reason, retryable = crawl.failure(INVALID_JOB)
    assert not retryable, reason
    assert "host.invalid" in reason and "never resolve (RFC 6761)" in reason


def test_a_dns_server_that_does_not_answer_is_retried(crawl: CrawlResult) -> None:
    reason, retryable = crawl.failure(DNS_DOWN_JOB)
    assert retryable, reason
    assert "cannot resolve" in reason and "dns-down.test" in reason
    assert "Temporary failure" in reason


def test_leases_in_batches_and_heartbeats_for_leased_jobs(crawl: CrawlResult) -> None:
    leases = crawl.raw["leases"]
    assert sum(leases) == len(PAGES) + 5
    assert max(leases) <= 4
    assert leases[-1] == 0
    heartbeats = crawl.raw["heartbeats"]
    assert heartbeats, "a 0.05 s heartbeat interval must fire during the crawl"
    known = set(PAGES) | {HTTPS_JOB, REFUSED_JOB, NXDOMAIN_JOB, DNS_DOWN_JOB, INVALID_JOB}
    assert all(ids and set(ids) <= known for ids in heartbeats)


# --- staying on the machine -------------------------------------------------------------


def test_robots_txt_is_not_even_fetched_when_ignored(crawl: CrawlResult, site: TestSite) -> None:
    assert site.count("/robots.txt") == 0
    assert crawl.metadata(21)["robots"] == "ignore"
    assert _final(crawl, 21).payload == expected("/private/page.html").entity


def test_nothing_leaves_loopback_and_no_public_suffix_list(crawl: CrawlResult) -> None:
    network = crawl.raw["network"]
    assert network["blocked"] == []
    assert set(network["connects"]) <= {"127.0.0.1"}
    assert set(network["lookups"]) <= {"nxdomain.test", "dns-down.test", "127.0.0.1"}
    assert not any("publicsuffix" in name for name in network["lookups"])


def test_spool_holds_exactly_the_closed_files(crawl: CrawlResult) -> None:
    assert sorted(crawl.spool.iterdir()) == sorted(crawl.files)
    assert all(Path(p).name.endswith(".warc.gz") for p in crawl.files)


def test_every_answer_names_its_job_and_role(crawl: CrawlResult, site: TestSite) -> None:
    """Each response or revisit says which job fetched it and whether as its page (or a hop
    to it) or as a requisite, so that a file cut before the job's metadata record, or a
    requisite landing in another file, still commits to the right job and flag."""
    answers = [r for r in crawl.records if r.type in ("response", "revisit")]
    assert answers
    for record in answers:
        assert int(record.headers["WARC-Citevault-Job"]) in {*PAGES, HTTPS_JOB}, record.uri
    for job_id in (1, 2, 15, 19):
        meta = crawl.metadata(job_id)
        chain = [crawl.by_id(meta["final_record_id"])]
        assert chain[0].headers["WARC-Citevault-Role"] == "page"
        assert chain[0].headers["WARC-Citevault-Job"] == str(job_id)
        for url in meta["chain"]:
            hops = [a for a in crawl.answers(url) if a.headers["WARC-Citevault-Job"] == str(job_id)]
            assert hops and {h.headers["WARC-Citevault-Role"] for h in hops} == {"page"}
    for path in REQUISITES_ALL:
        (answer,) = crawl.answers(site.url(path))
        assert answer.headers["WARC-Citevault-Role"] == "requisite", path
