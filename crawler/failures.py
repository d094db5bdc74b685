"""Why a fetch produced nothing, in words, and whether trying again may help.

The reason string goes to ``JobSource.fail`` and from there to the user, so it
names the cause (the host that did not resolve, the address that was refused)
rather than the exception class Scrapy or Twisted happened to raise.  Policy,
robots.txt, malformed URLs and hosts that do not exist (NXDOMAIN, ``.invalid``)
are final; network trouble (a DNS server that did not answer, refused
connections, TLS, timeouts, dropped connections) is worth retrying later.
An HTTP answer of any status (404, 410, 500) is no failure: it is captured.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from OpenSSL import SSL
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
    UnsupportedURLSchemeError,
)
from twisted.internet import error as tx_error
from twisted.python.failure import Failure

from archive.net.policy import ROBOTS_SETTING, refusal
from crawler.fetch import resolver
from crawler.fetch.policy import HostNotFound, PolicyRefused
from crawler.warc.middleware import RecordNotWritten


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what it wraps (``__cause__``), and Twisted's wrapped ``reasons``."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if current.__cause__ is not None:
            todo.append(current.__cause__)
        for reason in getattr(current, "reasons", None) or ():
            if isinstance(reason, Failure) and isinstance(reason.value, BaseException):
                todo.append(reason.value)


def _tls_problem(exc: BaseException) -> str | None:
    for cause in _causes(exc):
        if isinstance(cause, SSL.Error):
            detail = "; ".join(str(part) for part in cause.args if part) or "handshake failed"
            return detail
    return None


def describe(exc: BaseException, url: str) -> tuple[str, bool]:
    """(reason, retryable) for a request that ended without an HTTP response."""
    if isinstance(exc, PolicyRefused):
        return exc.reason, False
    if isinstance(exc, HostNotFound):
        return f"the host of {url} does not exist: {exc.reason}", False
    if isinstance(exc, RecordNotWritten):
        return f"{url} was fetched, but {exc}", True
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return f"disallowed by robots.txt: {url} ({ROBOTS_SETTING} is on)", False
        return f"request for {url} was dropped: {text or 'ignored'}", False
    if isinstance(exc, (UnsupportedURLSchemeError, NotSupported)):
        return f"cannot fetch {url}: {exc}", False
    tls = _tls_problem(exc)
    if tls is not None:
        return f"TLS failure fetching {url}: {tls}", True
    if isinstance(exc, (CannotResolveHostError, tx_error.DNSLookupError)):
        refused = resolver.refusals.get((urlsplit(url).hostname or "").lower())
        if refused is not None:
            return refusal(url, f"{refused} (when connecting)"), False
        detail = str(exc).removeprefix("DNS lookup failed: ").strip() or "no address"
        return f"cannot resolve the host of {url}: {detail}", True
    if isinstance(exc, (DownloadConnectionRefusedError, tx_error.ConnectionRefusedError)):
        return f"connection refused fetching {url}", True
    if isinstance(exc, (DownloadTimeoutError, tx_error.TimeoutError, TimeoutError)):
        return f"timed out before a response from {url}: {words(exc)}", True
    return f"no response from {url}: {words(exc)}", True


_FAILURE_REPR = re.compile(r"\[?<twisted\.python\.failure\.Failure ([\w.]+):? ?(.*?)>\]?", re.S)


def words(exc: BaseException) -> str:
    """What went wrong, in words: Twisted wraps its causes as ``Failure`` objects,
    whose repr (``[<twisted.python.failure.Failure ...>]``) is no message for anyone."""
    reasons = [
        r.value
        for r in getattr(exc, "reasons", None) or ()
        if isinstance(r, Failure) and isinstance(r.value, BaseException)
    ]
    if reasons:
        return "; ".join(dict.fromkeys(words(reason) for reason in reasons))
    text = str(exc).strip()
    if not text:
        return _plain_name(type(exc).__name__)
    # A Failure repr that reached the text some other way: keep its message.
    text = _FAILURE_REPR.sub(lambda m: m.group(2).strip() or _plain_name(m.group(1)), text)
    return text.strip() or _plain_name(type(exc).__name__)


def _plain_name(name: str) -> str:
    """``ConnectionLost`` -> ``connection lost``."""
    short = name.rsplit(".", 1)[-1].removesuffix("Error")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", short).lower() or "unknown failure"
