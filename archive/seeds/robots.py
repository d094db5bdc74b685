"""robots.txt for seed runs, when ``fetch.obey_robots_txt`` is on, as the crawler does.

One robots.txt per origin and run.  One that cannot be fetched (missing,
refused, failing) counts as none, which is what Scrapy's RobotsTxtMiddleware
does for captures: the two paths must not disagree about one site.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from archive import __version__
from archive.errors import FetchError
from archive.net.fetch import fetch_document
from archive.settings import Settings

MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB


class Robots:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._agent = settings.fetch.effective_user_agent(__version__)
        self._rules: dict[str, RobotFileParser | None] = {}

    def refusal(self, url: str) -> str | None:
        """Why robots.txt forbids ``url``, or None when it may be fetched."""
        if not self._settings.fetch.obey_robots_txt or "://" not in url:
            return None
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._rules:
            self._rules[origin] = self._load(origin)
        rules = self._rules[origin]
        if rules is None or rules.can_fetch(self._agent, url):
            return None
        return f"robots.txt of {origin} disallows it (fetch.obey_robots_txt is on)"

    def _load(self, origin: str) -> RobotFileParser | None:
        try:
            fetched = fetch_document(
                origin + "/robots.txt", self._settings.fetch, max_bytes=MAX_ROBOTS_BYTES
            )
        except FetchError:
            return None
        parser = RobotFileParser()
        parser.parse(fetched.body.decode("utf-8", "replace").splitlines())
        return parser
