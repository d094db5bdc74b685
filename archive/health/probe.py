"""Fetching a cited URL for a check, under the capture's fetch policy.

Every request goes through ``archive.net.fetch.exchange``: the SSRF rules
after DNS and on every redirect hop, the deadline, the redirect limit and a
size cap are the same code as for documents added by URL.  On top of it come
what a crawl does for politeness: at most ``fetch.concurrency_per_host``
requests to one host at once, ``fetch.delay_seconds`` between them, and
robots.txt when ``fetch.obey_robots_txt`` is on.  The limits hold on every
hop: a redirect's target host is counted as its own, not as the first URL's.

HEAD comes first when nothing is known of the URL, as InternetArchiveBot
does; a GET follows when HEAD is refused or answers with a page whose text
the check needs.  A URL known to be a page (its last check saw one, or its
citation-time capture was one: ``page_expected``, decided by the runner) is
fetched with GET straight away, since its fingerprint needs the body anyway.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
import urllib.robotparser
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from archive import __version__
from archive.errors import BlockedByPolicyError, FetchError
from archive.health.text import Fingerprint, fingerprint, is_textual, main_text
from archive.net.fetch import Answer, exchange
from archive.settings import Settings

# HEAD answers after which a GET is tried: the method refused or not understood.
_HEAD_REFUSED = frozenset({400, 403, 405, 406, 501})
_ROBOTS_BYTES = 512 * 1024


@dataclass(slots=True)
class Observation:
    """What one check saw of a URL, before it is judged."""

    url: str
    method: str | None = None
    status: int | None = None
    final_url: str | None = None
    chain: list[dict[str, Any]] = field(default_factory=list)
    media_type: str | None = None
    digest: str | None = None
    truncated: bool = False
    page: Fingerprint | None = None  # the main text, for textual answers
    # the random sibling's answer: (status, final URL, fingerprint or None)
    sibling: tuple[int, str, Fingerprint | None] | None = None
    error: str | None = None
    refused_by_policy: bool = False


def _media(answer: Answer) -> tuple[str | None, str | None]:
    value = answer.headers.get("content-type")
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.strip().partition("=")
        if name.lower() == "charset" and val:
            charset = val.strip("\"' ")
    return media.strip().lower() or None, charset


def _digest(body: bytes) -> str:
    return "sha256:" + base64.b32encode(hashlib.sha256(body).digest()).decode("ascii")


def _sibling_url(url: str) -> tuple[str, str]:
    """A random URL at the same path level (Bar-Yossef et al. 2004), and that level."""
    parts = urlsplit(url)
    directory = parts.path.rsplit("/", 1)[0] + "/"
    name = "citevault-" + secrets.token_hex(8)
    last = parts.path.rsplit("/", 1)[-1]
    if "." in last:  # keep the extension: some servers route by it
        name += "." + last.rsplit(".", 1)[1]
    level = urlunsplit((parts.scheme, parts.netloc, directory, "", ""))
    return urlunsplit((parts.scheme, parts.netloc, directory + name, "", "")), level


class Politeness:
    """Per-host limits shared by the threads of one check run."""

    def __init__(self, per_host: int, delay: float) -> None:
        self._per_host = per_host
        self._delay = delay
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next: dict[str, float] = {}

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            sem = self._slots.setdefault(host, threading.Semaphore(self._per_host))
        with sem:
            if self._delay > 0:
                with self._lock:
                    start = max(time.monotonic(), self._next.get(host, 0.0))
                    self._next[host] = start + self._delay
                wait = start - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            yield


class Prober:
    """Runs the fetches of checks; one per run, shared by its threads."""

    def __init__(self, settings: Settings) -> None:
        self._fetch = settings.fetch
        self._max_body = min(settings.health.max_body_bytes, settings.fetch.max_response_bytes)
        self._agent = settings.fetch.effective_user_agent(__version__)
        self._polite = Politeness(settings.fetch.concurrency_per_host, settings.fetch.delay_seconds)
        self._lock = threading.Lock()
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._siblings: dict[str, tuple[int, str, Fingerprint | None]] = {}

    def _exchange(self, url: str, method: str) -> Answer:
        # The slot is taken per hop: a redirect to another host waits for that host's.
        return exchange(
            url,
            self._fetch,
            max_bytes=self._max_body,
            method=method,
            cut=True,
            each_hop=self._polite.slot,
        )

    def _robots_allow(self, url: str) -> bool:
        parts = urlsplit(url)
        site = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        with self._lock:
            known = site in self._robots
            parser = self._robots.get(site)
        if not known:
            parser = urllib.robotparser.RobotFileParser()
            try:
                answer = exchange(
                    site + "/robots.txt", self._fetch, max_bytes=_ROBOTS_BYTES, cut=True
                )
            except FetchError:
                answer = None  # no robots.txt to be read: nothing is forbidden
            if answer is not None and answer.status in (401, 403):
                # the robots.txt convention: a forbidden robots.txt forbids everything
                parser.parse(["User-agent: *", "Disallow: /"])
            elif answer is not None and 200 <= answer.status < 300:
                parser.parse(answer.body.decode("utf-8", "replace").splitlines())
            else:
                parser.parse([])
            with self._lock:
                self._robots[site] = parser
        return parser is None or parser.can_fetch(self._agent, url)

    def observe(self, url: str, *, page_expected: bool) -> Observation:
        """Fetch ``url`` (HEAD, then GET where needed) and, for a page, its random sibling."""
        obs = Observation(url)
        try:
            if self._fetch.obey_robots_txt and not self._robots_allow(url):
                obs.error = f"robots.txt of {urlsplit(url).netloc} forbids fetching {url}"
                obs.refused_by_policy = True
                return obs
            answer = None
            if not page_expected:
                answer = self._exchange(url, "HEAD")
                obs.method = "HEAD"
                media, _ = _media(answer)
                ok = 200 <= answer.status < 300
                if answer.status in _HEAD_REFUSED or (ok and is_textual(media)):
                    answer = None
            if answer is None:
                answer = self._exchange(url, "GET")
                obs.method = "GET"
            self._record(obs, answer)
            if obs.page is not None and obs.final_url is not None:
                obs.sibling = self._sibling(obs.final_url)
        except BlockedByPolicyError as exc:
            obs.error = exc.message
            obs.refused_by_policy = True
        except FetchError as exc:
            obs.error = exc.message
        return obs

    def _record(self, obs: Observation, answer: Answer) -> None:
        obs.status = answer.status
        obs.final_url = answer.url
        obs.chain = [{"url": hop.url, "status": hop.status} for hop in answer.chain]
        obs.truncated = answer.truncated
        media, charset = _media(answer)
        obs.media_type = media
        if obs.method == "GET":
            obs.digest = _digest(answer.body)
            if 200 <= answer.status < 300 and is_textual(media):
                obs.page = fingerprint(main_text(answer.body, media, charset))

    def _sibling(self, final_url: str) -> tuple[int, str, Fingerprint | None] | None:
        """How the site answers a URL that cannot exist at the page's level; one probe
        per level and run, since the answer is the site's, not the page's."""
        probe_url, level = _sibling_url(final_url)
        with self._lock:
            if level in self._siblings:
                return self._siblings[level]
        try:
            answer = self._exchange(probe_url, "GET")
        except FetchError:
            return None
        media, charset = _media(answer)
        page = None
        if 200 <= answer.status < 300 and is_textual(media):
            page = fingerprint(main_text(answer.body, media, charset))
        found = (answer.status, answer.url, page)
        with self._lock:
            self._siblings.setdefault(level, found)
        return found
