"""Scrapy settings for capturing, derived from citevault's one settings object.

``scrapy_settings()`` is what ``run_crawl`` uses.  The module-level names are
the same settings built from the built-in defaults, so that
``SCRAPY_SETTINGS_MODULE=crawler.settings scrapy crawl capture ...`` works
from a checkout for debugging (see ``crawler/__init__.py``); they do not read
the configuration file or the environment, and ``-s NAME=VALUE`` overrides
them.

Choices that are not Scrapy's defaults, and why:

* only the http and https download handlers: ``file:``, ``data:``, ``s3:``
  (which would sign requests with the host's AWS keys) and ``ftp:`` are not
  for user-supplied URLs;
* ``DOWNLOAD_MAXSIZE`` is 0 because Scrapy's cap throws the body away; the
  cap is ``CITEVAULT_MAX_RESPONSE_BYTES``, enforced where the partial body
  survives (``crawler.fetch.limits``);
* HttpCompressionMiddleware is replaced by a decoder with a size ceiling that
  only decodes what citevault parses (``crawler.fetch.decoding``);
* no retries (a failure goes back to the queue, which backs off), no
  meta-refresh following (the page is recorded as served), no proxies from
  the environment (the address policy must judge the real peer), no
  duplicate filter (the spider decides what is fetched once);
* ``HTTPERROR_ALLOW_ALL``: a 404 or a 500 is evidence and reaches the spider;
* certificate validation is off: an archive records what the site served,
  and says so in every warcinfo record;
* no listening sockets: the telnet console and the remote-control server
  (new in Scrapy 2.19, it runs code sent to it) are off; the Public Suffix
  List is never downloaded.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import default_settings

from archive import __version__
from archive.settings import Settings

HANDLER = "crawler.fetch.handler.CaptureDownloadHandler"
_EXTENSIONS_BASE = {
    path: order
    for path, order in default_settings.EXTENSIONS_BASE.items()
    if not path.endswith(".RemoteControl")
}
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def scrapy_settings(
    settings: Settings, *, block_private: bool | None = None, version: str = __version__
) -> dict[str, Any]:
    """The Scrapy settings for a capture crawl under ``settings``.

    ``block_private`` overrides ``fetch.block_private_addresses`` (tests that
    crawl loopback servers turn it off for themselves).
    """
    fetch = settings.fetch
    block = fetch.block_private_addresses if block_private is None else block_private
    per_host = fetch.concurrency_per_host
    return {
        "BOT_NAME": "citevault",
        "SPIDER_MODULES": ["crawler.spiders"],
        "NEWSPIDER_MODULE": "crawler.spiders",
        "USER_AGENT": fetch.effective_user_agent(version),
        "DEFAULT_REQUEST_HEADERS": {"Accept": ACCEPT, "Accept-Language": "en"},
        "ROBOTSTXT_OBEY": fetch.obey_robots_txt,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "DOWNLOAD_HANDLERS": {
            "http": HANDLER,
            "https": HANDLER,
            "file": None,
            "data": None,
            "s3": None,
            "ftp": None,
        },
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
            "crawler.fetch.decoding.BoundedDecompressionMiddleware": 590,
            "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
            "crawler.fetch.cookies.OfflineCookiesMiddleware": 700,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
            "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None,
            "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
            # byte counts per request and response, which the crawl keeps itself
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
            "crawler.warc.middleware.WarcRecorderMiddleware": 950,
            "crawler.fetch.policy.FetchPolicyMiddleware": 960,
        },
        "SPIDER_MIDDLEWARES": {
            # both would drop requests silently, and a job waiting for a
            # dropped requisite would never finish
            "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
        },
        # The remote-control server is left out of the base list rather than
        # disabled in EXTENSIONS: naming it there imports it, and with it aiohttp.
        "EXTENSIONS_BASE": _EXTENSIONS_BASE,
        "EXTENSIONS": {
            "scrapy.extensions.telnet.TelnetConsole": None,
            "crawler.fetch.limits.ResponseSizeCap": 0,
        },
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        "TWISTED_DNS_RESOLVER": "crawler.fetch.resolver.PolicyResolver",
        "DNS_TIMEOUT": min(60.0, fetch.download_timeout_seconds),
        "DOWNLOAD_MAXSIZE": 0,
        "DOWNLOAD_WARNSIZE": fetch.max_response_bytes // 2,
        "DOWNLOAD_TIMEOUT": fetch.download_timeout_seconds,
        "DOWNLOAD_FAIL_ON_DATALOSS": False,
        "DOWNLOAD_VERIFY_CERTIFICATES": False,
        "REDIRECT_MAX_TIMES": fetch.max_redirects,
        "METAREFRESH_ENABLED": False,
        "RETRY_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
        # no items: a callback returns requests only, and Scrapy starts this many
        # asyncio tasks per callback to process its output
        "CONCURRENT_ITEMS": 1,
        "COOKIES_ENABLED": True,
        "CONCURRENT_REQUESTS": max(16, 4 * per_host),
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
        "DOWNLOAD_DELAY": fetch.delay_seconds,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": fetch.delay_seconds,
        "AUTOTHROTTLE_MAX_DELAY": max(30.0, fetch.delay_seconds),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(per_host),
        "LOG_LEVEL": "INFO",
        "LOGSTATS_INTERVAL": 60.0,
        "CITEVAULT_VERSION": version,
        "CITEVAULT_BLOCK_PRIVATE": block,
        "CITEVAULT_MAX_RESPONSE_BYTES": fetch.max_response_bytes,
        "CITEVAULT_MAX_DECOMPRESSED_BYTES": fetch.max_decompressed_bytes,
        "CITEVAULT_JOB_MAX_REQUESTS": fetch.max_requests_per_job,
        "CITEVAULT_JOB_MAX_DEPTH": fetch.max_requisite_depth,
        "CITEVAULT_JOB_MAX_BYTES": fetch.max_bytes_per_job,
        "CITEVAULT_JOB_MAX_SECONDS": fetch.max_seconds_per_job,
        "CITEVAULT_WARC_ROLLOVER_BYTES": settings.warc_rollover_bytes,
        "CITEVAULT_WARC_ROLLOVER_SECONDS": settings.warc_rollover_seconds,
        "CITEVAULT_WARC_GZIP_LEVEL": settings.warc_gzip_level,
        # enough jobs in hand to keep every request slot busy: a job is a page
        # and its requisites, and the batch is topped up when half are done
        "CITEVAULT_LEASE_BATCH": 2 * max(16, 4 * per_host),
        "CITEVAULT_HEARTBEAT_SECONDS": 30.0,
    }


def _module_defaults() -> dict[str, Any]:
    return scrapy_settings(Settings.model_construct())


globals().update(_module_defaults())
