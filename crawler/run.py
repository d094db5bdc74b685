"""Running a capture crawl in this process, from Python.

The archive never imports Scrapy: its CLI and workers start ``python -m
crawler`` (or their own small entry point calling ``run_crawl``) in a
subprocess.  A Twisted reactor cannot be restarted, so one process runs one
crawl; ``run_crawl`` refuses a second call rather than hang.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from archive.capture.contract import DigestIndex, JobSource, WarcSink
from archive.errors import StoreError
from archive.settings import Settings
from crawler.settings import scrapy_settings
from crawler.spiders.capture import CaptureSpider
from crawler.stats import CrawlStats

__all__ = ["CrawlStats", "run_adhoc", "run_crawl"]

_ran = False


def _run(
    settings: Settings,
    spool: Path,
    *,
    block_private: bool | None,
    overrides: Mapping[str, Any] | None,
    spider_args: dict[str, Any],
) -> CrawlStats:
    global _ran
    if _ran:
        raise RuntimeError(
            "a crawl already ran in this process; the Twisted reactor cannot be restarted, "
            "so start each crawl in a new process"
        )
    spool = Path(spool)
    try:
        spool.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the spool folder {spool}: {exc.strerror or exc}",
            hint="choose a writable folder for the WARC files",
        ) from None
    _ran = True
    values = scrapy_settings(settings, block_private=block_private)
    values.update(overrides or {})
    stats = CrawlStats()
    process = CrawlerProcess(values)
    # Scrapy's loggers stay at DEBUG whatever LOG_LEVEL says (the handler
    # filters), so a debug line per response is built and thrown away: at the
    # chosen level no such record is made at all.
    logging.getLogger("scrapy").setLevel(values.get("LOG_LEVEL", "DEBUG"))
    crawler = process.create_crawler(CaptureSpider)
    process.crawl(crawler, spool=spool, stats=stats, **spider_args)
    process.start(install_signal_handlers=threading.current_thread() is threading.main_thread())
    spider = crawler.spider
    if not isinstance(spider, CaptureSpider):
        raise RuntimeError("the capture crawl did not start; the log above says why")
    if spider.session.fatal is not None:
        raise StoreError(
            f"cannot write WARC files in {spool}: {spider.session.fatal}",
            hint="check free space and permissions of the spool folder",
        )
    return stats


def run_crawl(
    settings: Settings,
    source: JobSource,
    digests: DigestIndex,
    sink: WarcSink,
    spool: Path,
    *,
    block_private: bool | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> CrawlStats:
    """Capture leased jobs until ``source`` has none left; returns what was done.

    Closed WARC files are handed to ``sink`` as they close (on rollover and at
    the end) and also listed in ``CrawlStats.warc_files``.  ``block_private``
    overrides ``fetch.block_private_addresses``; ``overrides`` are extra
    Scrapy settings (log level, lease batch, heartbeat interval) for tests and
    benchmarks.
    """
    return _run(
        settings,
        spool,
        block_private=block_private,
        overrides=overrides,
        spider_args={"source": source, "digests": digests, "sink": sink},
    )


def run_adhoc(
    settings: Settings,
    urls: list[str],
    spool: Path,
    *,
    digests: DigestIndex | None = None,
    sink: WarcSink | None = None,
    block_private: bool | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> CrawlStats:
    """Capture ``urls`` without a queue (job ids are None, failures only reported)."""
    return _run(
        settings,
        spool,
        block_private=block_private,
        overrides=overrides,
        spider_args={"urls": list(urls), "digests": digests, "sink": sink},
    )
