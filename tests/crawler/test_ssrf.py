"""The fetch policy in real crawls: refused before anything is sent, at every stage.

With the policy on (the default), the loopback test site itself must be out
of reach in every spelling.  To test redirect hops and DNS rebinding, some
crawls treat 127.0.0.1 as if it were public (``treat_as_public``) or skip one
stage of the check for one fake host name, so that the next stage has to
catch it; these seams live in ``tests.crawler.driver`` only.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest

from archive.capture.contract import JobSpec
from tests.crawler.harness import CrawlResult, run_crawl_process
from tests.sites import TestSite, expected


@pytest.fixture(scope="module")
def site() -> Iterator[TestSite]:
    with TestSite() as running:
        yield running
    assert not running.errors


def _spellings(port: int) -> dict[int, tuple[str, str]]:
    """job id -> (URL, what the refusal must say)."""
    return {
        1: (f"http://127.0.0.1:{port}/page/plain.html", "loopback address 127.0.0.1"),
        2: (f"http://localhost:{port}/page/plain.html", "loopback name"),
        3: (f"http://2130706433:{port}/page/plain.html", "loopback address 127.0.0.1"),
        4: (f"http://0x7f000001:{port}/page/plain.html", "loopback address 127.0.0.1"),
        5: (f"http://0x7f.1:{port}/page/plain.html", "loopback address 127.0.0.1"),
        6: (f"http://[::ffff:127.0.0.1]:{port}/page/plain.html", "embedded in ::ffff:7f00:1"),
        7: ("http://10.0.0.1/", "private address 10.0.0.1"),
        8: ("http://192.168.1.1/", "private address 192.168.1.1"),
        9: ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
        10: ("http://[fe80::1]/", "link-local address fe80::1"),
        11: ("file:///etc/passwd", "scheme 'file' is not http or https"),
        12: (f"ftp://127.0.0.1:{port}/", "scheme 'ftp' is not http or https"),
        13: (f"http://alias.test:{port}/page/plain.html", "alias.test resolves to a loopback"),
    }


@pytest.fixture(scope="module")
def policy_on(site: TestSite, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    site.clear_requests()
    jobs = [JobSpec(job_id, url) for job_id, (url, _) in _spellings(site.port).items()]
    result = run_crawl_process(
        tmp_path_factory.mktemp("policy-on"),
        jobs,
        block_private=None,  # the settings' default: on
        fake_dns={"alias.test": "127.0.0.1"},
    )
    result.names = [r.path for r in site.requests]
    return result


def test_every_spelling_of_a_private_address_is_refused(
    policy_on: CrawlResult, site: TestSite
) -> None:
    for job_id, (url, problem) in _spellings(site.port).items():
        reason, retryable = policy_on.failure(job_id)
        assert not retryable, (url, reason)
        assert problem in reason, (url, reason)


def test_nothing_was_sent_and_nothing_recorded(policy_on: CrawlResult) -> None:
    assert policy_on.names == [], "no request may reach the site"
    assert policy_on.files == []
    assert policy_on.raw["network"]["connects"] == []
    assert policy_on.stats["pages"] == 0


@pytest.fixture(scope="module")
def redirects(site: TestSite, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """127.0.0.1 passes as public here, so the first hop goes out and the next is judged."""
    site.clear_requests()

    def to(target: str) -> str:
        return site.url("/redirect/to?url=" + quote(target, safe=""))

    jobs = [
        JobSpec(1, to("http://10.0.0.1/admin")),
        JobSpec(2, to(f"http://2130706434:{site.port}/")),  # 127.0.0.2, spelled in decimal
        JobSpec(3, to("http://[::ffff:169.254.169.254]/latest/meta-data/")),
        JobSpec(4, to(f"http://localhost:{site.port}/page/plain.html")),
        JobSpec(5, to("file:///etc/passwd")),
        JobSpec(6, site.url("/page/requisites2.html")),
    ]
    result = run_crawl_process(
        tmp_path_factory.mktemp("policy-redirects"),
        jobs,
        block_private=True,
        treat_as_public=["127.0.0.1"],
    )
    result.names = [r.path for r in site.requests]
    return result


@pytest.mark.parametrize(
    ("job_id", "problem"),
    [
        (1, "private address 10.0.0.1"),
        (2, "loopback address 127.0.0.2"),
        (3, "link-local address 169.254.169.254"),
        (4, "loopback name"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused(
    redirects: CrawlResult, job_id: int, problem: str
) -> None:
    reason, retryable = redirects.failure(job_id)
    assert not retryable
    assert problem in reason
    assert not [m for m in redirects.of_type("metadata") if m.job()["job_id"] == job_id]


def test_the_hop_before_the_refusal_is_recorded(redirects: CrawlResult, site: TestSite) -> None:
    hops = [r for r in redirects.of_type("response") if "/redirect/to" in r.uri]
    assert len(hops) == 5
    assert all(r.http_status == 302 for r in hops)
    assert redirects.names.count("/") == 0
    hosts = {urlsplit(r.uri).hostname for r in redirects.records}
    assert not hosts & {"10.0.0.1", "2130706434", "::ffff:169.254.169.254", "localhost"}


def test_a_redirect_to_another_scheme_ends_the_chain_unfollowed(redirects: CrawlResult) -> None:
    meta = redirects.metadata(5)
    answer = redirects.by_id(meta["final_record_id"])
    assert answer.http_status == 302
    assert answer.http_header("Location") == "file:///etc/passwd"
    assert len(meta["chain"]) == 1


def test_public_pages_are_still_captured_with_the_policy_on(
    redirects: CrawlResult, site: TestSite
) -> None:
    meta = redirects.metadata(6)
    answer = redirects.by_id(meta["final_record_id"])
    assert answer.payload == expected("/page/requisites2.html").entity
    assert len(meta["requisites"]) == 7
    assert "block-private-addresses: on" in redirects.records[0].payload.decode()


@pytest.fixture(scope="module")
def rebinding(site: TestSite, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """Names whose DNS answer turns private after the policy middleware asked."""
    site.clear_requests()
    result = run_crawl_process(
        tmp_path_factory.mktemp("policy-rebinding"),
        [
            JobSpec(1, f"http://rebind.test:{site.port}/page/plain.html"),
            JobSpec(2, f"http://late.test:{site.port}/page/requisites.html"),
        ],
        block_private=True,
        fake_dns={"rebind.test": "127.0.0.1", "late.test": "127.0.0.1"},
        skip_precheck=["rebind.test", "late.test"],
        skip_resolver_check=["late.test"],
    )
    result.names = [r.path for r in site.requests]
    return result


def test_the_resolver_refuses_at_connection_time(rebinding: CrawlResult) -> None:
    reason, retryable = rebinding.failure(1)
    assert not retryable
    assert "rebind.test resolves to a loopback address 127.0.0.1" in reason
    assert "/page/plain.html" not in rebinding.names


def test_the_address_connected_to_is_checked_before_recording(rebinding: CrawlResult) -> None:
    reason, retryable = rebinding.failure(2)
    assert not retryable
    assert "connected to a loopback address 127.0.0.1" in reason
    assert rebinding.names == ["/page/requisites.html"]  # it got there, and no further
    assert rebinding.files == []
