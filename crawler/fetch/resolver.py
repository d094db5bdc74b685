"""DNS for the crawl process that never hands out a non-public address.

The policy middleware checks a host's addresses before a request goes out,
but Twisted resolves the name again when it connects; a name that answered
with a public address the first time and 127.0.0.1 the second (DNS
rebinding) would slip through.  With ``CITEVAULT_BLOCK_PRIVATE`` on, this
resolver refuses such answers at the moment of connecting.  It is installed
for the whole process through ``TWISTED_DNS_RESOLVER`` (Scrapy ignores that
setting in a spider's ``custom_settings``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from archive.net.policy import PRIVATE_SETTING, address_problem, parse_ip

if TYPE_CHECKING:
    from twisted.internet.base import ReactorBase
    from twisted.internet.defer import Deferred

# Twisted replaces a resolver's error with a bare "no results" on its way to
# the request, so the reason of each refusal is kept here for the failure report.
refusals: dict[str, str] = {}


class PolicyResolver(CachingThreadedResolver):
    """Scrapy's caching resolver plus the address policy."""

    def __init__(
        self, reactor: ReactorBase, cache_size: int, timeout: float, *, block_private: bool
    ) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.block_private = block_private

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: ReactorBase) -> PolicyResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            cache_size,
            settings.getfloat("DNS_TIMEOUT"),
            block_private=settings.getbool("CITEVAULT_BLOCK_PRIVATE", True),
        )

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # noqa: N802
        result = super().getHostByName(name, timeout)
        if self.block_private:
            result.addCallback(self._judge, name)
        return result

    @staticmethod
    def _judge(address: str, name: str) -> str:
        ip = parse_ip(address)
        problem = address_problem(ip) if ip is not None else f"unparseable address {address!r}"
        if problem:
            reason = f"{name} resolves to a {problem}"
            refusals[name.lower()] = reason
            raise DNSLookupError(f"{reason}; refused by the fetch policy ({PRIVATE_SETTING})")
        return address
