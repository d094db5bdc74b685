"""Cookies without reaching for the Public Suffix List on the internet.

Scrapy's CookiesMiddleware asks tldextract whether a cookie's domain is a
public suffix; on first use tldextract downloads the Public Suffix List from
publicsuffix.org.  A crawler must not make requests nobody asked for (and in
tests it must not leave loopback), so the extractor is replaced, before the
first cookie, by one that only uses the snapshot shipped with tldextract.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import scrapy.downloadermiddlewares.cookies as scrapy_cookies
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from tldextract import TLDExtract

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def offline_suffix_list() -> TLDExtract:
    """An extractor that never fetches: bundled snapshot, no cache directory."""
    return TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


class OfflineCookiesMiddleware(CookiesMiddleware):
    """Scrapy's cookie handling with the bundled Public Suffix List snapshot."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OfflineCookiesMiddleware:
        scrapy_cookies._split_domain = offline_suffix_list()
        middleware: OfflineCookiesMiddleware = super().from_crawler(crawler)
        return middleware
