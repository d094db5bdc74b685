"""The fetch policy middleware and resolver on their own (no network needed)."""

from __future__ import annotations

import ipaddress
from collections.abc import Coroutine
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import Response
from twisted.internet.error import DNSLookupError

from archive.net.policy import parse_ip
from crawler.failures import describe
from crawler.fetch.policy import FetchPolicyMiddleware, PolicyRefused, _judge
from crawler.fetch.resolver import PolicyResolver

REFUSED = {
    "http://127.0.0.1/": "loopback",
    "http://127.0.0.1:8080/page": "loopback",
    "http://localhost/": "loopback name",
    "http://LOCALHOST./": "loopback name",
    "http://app.localhost/": "loopback name",
    "http://2130706433/": "loopback",  # decimal
    "http://0x7f000001/": "loopback",  # hex
    "http://0x7f.1/": "loopback",  # short hex
    "http://0177.0.0.1/": "loopback",  # octal
    "http://127.1/": "loopback",
    "http://[::1]/": "loopback",
    "http://[::ffff:127.0.0.1]/": "loopback",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/": "loopback",
    "http://[64:ff9b::7f00:1]/": "loopback",  # NAT64
    "http://10.0.0.1/": "private",
    "http://172.16.5.4/": "private",
    "http://192.168.1.1/": "private",
    "http://[fd00::1]/": "private",
    "http://169.254.169.254/latest/meta-data/": "link-local",  # cloud metadata
    "http://[fe80::1]/": "link-local",
    "http://0.0.0.0/": "unspecified",
    "http://224.0.0.1/": "multicast",
    "http://100.64.0.1/": "non-public",  # carrier-grade NAT
}
NOT_HTTP = [
    "file:///etc/passwd",
    "ftp://ftp.example.org/pub",
    "s3://bucket/key",
    "data:text/plain,hello",
    "gopher://example.org/",
]


def _run(coro: Coroutine[Any, Any, None]) -> None:
    """Drive a coroutine that must finish without waiting (no reactor in these tests)."""
    try:
        coro.send(None)
    except StopIteration:
        return
    raise AssertionError("the policy check waited for something")


@pytest.mark.parametrize(("url", "problem"), sorted(REFUSED.items()))
def test_private_addresses_in_every_spelling_are_refused(url: str, problem: str) -> None:
    middleware = FetchPolicyMiddleware(block_private=True)
    with pytest.raises(PolicyRefused, match=problem) as caught:
        _run(middleware.process_request(Request(url)))
    assert isinstance(caught.value, IgnoreRequest)
    reason, retryable = describe(caught.value, url)
    assert not retryable
    assert problem in reason


@pytest.mark.parametrize("url", NOT_HTTP)
def test_only_http_and_https_even_with_the_policy_off(url: str) -> None:
    for block in (True, False):
        with pytest.raises(PolicyRefused, match="not http or https"):
            _run(FetchPolicyMiddleware(block_private=block).process_request(Request(url)))


def test_public_literals_pass_and_the_policy_can_be_turned_off() -> None:
    _run(
        FetchPolicyMiddleware(block_private=True).process_request(Request("http://93.184.215.14/"))
    )
    off = FetchPolicyMiddleware(block_private=False)
    for url in REFUSED:
        host = urlsplit(url).hostname or ""
        if parse_ip(host) is not None:
            _run(off.process_request(Request(url)))
    # Names are still looked up with the policy off (to tell a missing host from a
    # DNS server that did not answer), and then let through: "localhost" is in
    # /etc/hosts, the only name that resolves without asking a DNS server.
    assert _judge("localhost", 80, "http://localhost/", False) == ("ok", "")


def _response(ip: str | None) -> Response:
    return Response(
        "http://public.example/",
        ip_address=ipaddress.ip_address(ip) if ip else None,
    )


def test_the_address_actually_connected_to_is_checked() -> None:
    request = Request("http://public.example/")
    on = FetchPolicyMiddleware(block_private=True)
    for ip in ("127.0.0.1", "10.1.2.3", "::1", "::ffff:192.168.0.1", "169.254.169.254"):
        with pytest.raises(PolicyRefused, match="connected to a"):
            on.process_response(request, _response(ip))
    with pytest.raises(PolicyRefused, match="unknown"):
        on.process_response(request, _response(None))
    public = _response("93.184.215.14")
    assert on.process_response(request, public) is public
    loopback = _response("127.0.0.1")
    assert (
        FetchPolicyMiddleware(block_private=False).process_response(request, loopback) is loopback
    )


def test_the_resolver_refuses_private_answers() -> None:
    for address in ("127.0.0.1", "10.0.0.8", "169.254.169.254", "0.0.0.0"):
        with pytest.raises(DNSLookupError, match="refused by the fetch policy"):
            PolicyResolver._judge(address, "rebind.example")
    assert PolicyResolver._judge("93.184.215.14", "example.org") == "93.184.215.14"


def test_failure_reasons_name_the_cause() -> None:
    url = "http://gone.example/"
    reason, retryable = describe(CannotResolveHostError("DNS lookup failed: no results"), url)
    assert retryable and "cannot resolve the host of http://gone.example/" in reason
    reason, retryable = describe(IgnoreRequest("Forbidden by robots.txt"), url)
    assert not retryable and "robots.txt" in reason
    reason, retryable = describe(TimeoutError("Getting x took longer than 1 seconds."), url)
    assert retryable and reason.startswith("timed out")
