"""The baseline of ``bench/crawl.py``: plain Scrapy fetching pages and their requisites.

No WARC, no storage, no database: it parses each page with Scrapy's own
selectors and requests its images and stylesheets, so that what is left
between this and citevault is what capturing costs.  Run with Scrapy's
default settings (only the log level is raised to INFO, as citevault's is,
since a DEBUG line per response measures the log rather than the crawl):

    scrapy runspider bench/_plain_spider.py -a urls=urls.txt -a stats=out.json \
        -s LOG_LEVEL=INFO

Writes Scrapy's stats as JSON to ``stats`` when the spider closes.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.http import HtmlResponse, Response


class PlainSpider(Spider):
    """Pages from a URL list, plus each page's ``img`` and stylesheet ``link``."""

    name = "plain"

    def __init__(self, urls: str = "", stats: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url_file = Path(urls)
        self.stats_file = Path(stats) if stats else None

    async def start(self) -> AsyncIterator[Request]:
        for line in self.url_file.read_text().splitlines():
            if line.strip():
                yield Request(line.strip(), callback=self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Request]:
        if not isinstance(response, HtmlResponse):
            return
        for src in response.css("img::attr(src)").getall():
            yield response.follow(src, callback=self.requisite)
        for href in response.css('link[rel="stylesheet"]::attr(href)').getall():
            yield response.follow(href, callback=self.requisite)

    def requisite(self, response: Response) -> None:
        return None

    def closed(self, reason: str) -> None:
        if self.stats_file is not None and self.crawler.stats is not None:
            stats = self.crawler.stats.get_stats()
            self.stats_file.write_text(json.dumps(stats, default=str))
