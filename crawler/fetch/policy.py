"""The SSRF policy at the edge of the downloader.

Every request passes here last before it goes out (priority 960, after the
WARC recorder's 950), whatever created it: a job URL, a redirect hop, a
requisite, robots.txt.  Only http and https are fetched, ever; with
``CITEVAULT_BLOCK_PRIVATE`` on, a host must also resolve to public addresses
only (``archive.net.policy``: every IPv4 spelling, IPv4-mapped and NAT64
IPv6, names resolving to private space).  After the response, the address
actually connected to is checked as well, before anything records it: the
response from a non-public address never reaches the WARC.

Resolution runs in Twisted's thread pool so a slow DNS server does not stall
the crawl, and its verdict is kept for a few minutes per host.  Host names are
looked up here with the policy off too: this is where a name that does not
exist (NXDOMAIN, or a ``.invalid`` name) is told from a DNS server that did
not answer, which Twisted's own resolver reports alike; the first fails the
job at once, the second is retried later.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from archive.errors import BlockedByPolicyError, FetchError, HostNotFoundError
from archive.net.policy import address_problem, check_url, parse_ip, refusal, resolve

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

VERDICT_SECONDS = 300.0


class PolicyRefused(IgnoreRequest):
    """A request the fetch policy does not allow; the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HostNotFound(IgnoreRequest):
    """The URL's host does not exist; the message says how we know."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchPolicyMiddleware:
    """Downloader middleware enforcing ``archive.net.policy`` on every request."""

    def __init__(self, *, block_private: bool) -> None:
        self.block_private = block_private
        self._verdicts: dict[tuple[str, int], tuple[float, str, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchPolicyMiddleware:
        return cls(block_private=crawler.settings.getbool("CITEVAULT_BLOCK_PRIVATE", True))

    async def process_request(self, request: Request) -> None:
        try:
            host, port = check_url(request.url, block_private=self.block_private)
        except BlockedByPolicyError as exc:
            raise PolicyRefused(exc.message) from None
        if parse_ip(host) is not None:
            return  # literal addresses were judged by check_url
        key = (host.lower(), port)
        cached = self._verdicts.get(key)
        if cached is None or cached[0] < time.monotonic():
            kind, message = await maybe_deferred_to_future(
                deferToThread(_judge, host, port, request.url, self.block_private)
            )
            cached = (time.monotonic() + VERDICT_SECONDS, kind, message)
            self._verdicts[key] = cached
        _, kind, message = cached
        if kind == "refused":
            raise PolicyRefused(refusal(request.url, message))
        if kind == "gone":
            raise HostNotFound(message)
        if kind == "dns":
            raise CannotResolveHostError(message)

    def process_response(self, request: Request, response: Response) -> Response:
        if not self.block_private:
            return response
        ip = response.ip_address
        if ip is None:
            raise PolicyRefused(
                refusal(
                    request.url,
                    "the address connected to is unknown, so it cannot be checked",
                )
            )
        problem = address_problem(ip)
        if problem:
            raise PolicyRefused(refusal(request.url, f"connected to a {problem}"))
        return response


def _judge(host: str, port: int, url: str, block_private: bool) -> tuple[str, str]:
    """("ok" | "refused" | "gone" | "dns", message) for a host name, in a worker thread."""
    try:
        addresses = resolve(host, port, url, block_private=False)
    except HostNotFoundError as exc:
        return "gone", exc.message
    except FetchError as exc:
        return "dns", exc.message
    if not block_private:
        return "ok", ""
    for address in addresses:
        ip = parse_ip(address)
        problem = address_problem(ip) if ip is not None else f"unparseable address {address!r}"
        if problem:
            return "refused", f"{host} resolves to a {problem}"
    return "ok", ""
