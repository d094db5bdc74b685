"""Fetch one document by URL under the same policy as the crawler.

Used for ``citevault add https://…``: the citing document itself.  The
connection goes to an address that passed the SSRF check (no second DNS
lookup that could answer differently), every redirect hop is checked again,
and size, deadline and redirect count are capped.  It is deliberately small:
captures of cited sources go through the Scrapy crawler and into WARC.

The deadline (``download_timeout_seconds``) covers the whole fetch, every hop
together: a socket timeout per read would let a server that sends one byte
every few seconds keep a fetch going for ever, so every receive gets the time
that is left as its timeout, and none is made once it is gone.
"""

from __future__ import annotations

import http.client
import io
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from archive import __version__
from archive.errors import FetchError, TooLargeError
from archive.net.policy import check_url, resolve
from archive.settings import FetchSettings

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # final URL after redirects
    status: int
    media_type: str | None
    body: bytes
    # Validators for a conditional request next time (seed entries keep them).
    etag: str | None = None
    last_modified: str | None = None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address we already checked, whatever the Host header says."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


class _DeadlineReader(io.RawIOBase):
    """The socket as http.client reads it, each receive bounded by the time left."""

    def __init__(
        self, sock: socket.socket, deadline: float, url: str, limits: FetchSettings
    ) -> None:
        super().__init__()
        self._sock = sock
        self._deadline = deadline
        self._url = url
        self._limits = limits

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise _expired(self._url, self._limits)
        self._sock.settimeout(remaining)
        try:
            return self._sock.recv_into(buffer)
        except TimeoutError:
            raise _expired(self._url, self._limits) from None


class _DeadlineSocket:
    """What ``http.client.HTTPResponse`` needs of a socket: ``makefile``."""

    def __init__(self, reader: _DeadlineReader) -> None:
        self._reader = reader

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(self._reader, _CHUNK)


def _expired(url: str, limits: FetchSettings) -> FetchError:
    return FetchError(
        f"fetching {url} timed out: no complete answer within "
        f"{limits.download_timeout_seconds:g} s (fetch.download_timeout_seconds)",
        hint="the server is too slow or did not answer; try again later, or raise "
        "fetch.download_timeout_seconds",
    )


def _too_large(url: str, max_bytes: int) -> TooLargeError:
    return TooLargeError(
        f"{url} is larger than the limit of {max_bytes} bytes (max_document_bytes)",
        hint="raise max_document_bytes if this document is legitimate",
    )


def fetch_document(
    url: str,
    limits: FetchSettings,
    *,
    max_bytes: int,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET ``url`` following redirects; raise FetchError with the reason on failure.

    With ``etag`` or ``last_modified`` (a previous answer's validators) the
    request is conditional, and an unchanged resource comes back as status
    304 with an empty body: a seed entry seen before costs no transfer.
    """
    conditions: dict[str, str] = {}
    if etag:
        conditions["If-None-Match"] = etag
    if last_modified:
        conditions["If-Modified-Since"] = last_modified
    answer = exchange(url, limits, max_bytes=max_bytes, headers=conditions)
    if answer.status in _REDIRECTS and answer.headers.get("location"):
        raise FetchError(
            f"{url} redirected more than {limits.max_redirects} times",
            hint="raise fetch.max_redirects if the chain is legitimate",
        )
    if answer.status >= 400:
        raise FetchError(
            f"{url} answered HTTP {answer.status}",
            hint="check the URL; citevault stores documents only from successful responses",
        )
    media = answer.headers.get("content-type")
    return Fetched(
        answer.url,
        answer.status,
        media.split(";")[0].strip() if media else None,
        answer.body,
        answer.headers.get("etag"),
        answer.headers.get("last-modified"),
    )


_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class Hop:
    url: str
    status: int


@dataclass(frozen=True, slots=True)
class Answer:
    """The last answer of a fetch that followed redirects, whatever its status."""

    url: str  # of the last hop
    status: int
    headers: dict[str, str]  # names lower-cased
    body: bytes
    chain: tuple[Hop, ...]  # every hop, this answer the last one
    truncated: bool = False


def exchange(
    url: str,
    limits: FetchSettings,
    *,
    max_bytes: int,
    method: str = "GET",
    cut: bool = False,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    each_hop: Callable[[str], AbstractContextManager[object]] | None = None,
) -> Answer:
    """``method`` on ``url`` following up to ``fetch.max_redirects`` redirects.

    Any status is an answer (a health check wants the 404 as much as the 200);
    only what prevents one (policy, DNS, connection, deadline) raises.  With
    ``cut`` a body past ``max_bytes`` is cut there and marked, instead of
    refused: a check needs the beginning of a page, not all of it.  A last
    answer that is still a redirect means the limit was reached.  ``body``
    and ``headers`` (validators of a conditional GET, a webhook's signature)
    go with every request (a webhook's signed POST, sent with
    ``max_redirects = 0`` so that it is never re-sent elsewhere).

    ``each_hop(url)`` is entered around each hop's request: a health check's
    per-host politeness slot, so that the host a redirect leads to is held to
    the same limits as the first.  The time spent entering it (waiting for
    the slot) is not fetching, and does not count against the deadline.
    """
    deadline = time.monotonic() + limits.download_timeout_seconds
    current = url
    chain: list[Hop] = []
    for _hop in range(limits.max_redirects + 1):
        with ExitStack() as hop:
            if each_hop is not None:
                waiting = time.monotonic()
                hop.enter_context(each_hop(current))
                deadline += time.monotonic() - waiting
            status, answered, received, truncated = _get_once(
                current,
                limits,
                deadline,
                max_bytes,
                method=method,
                cut=cut,
                body=body,
                headers=headers,
            )
        chain.append(Hop(current, status))
        location = answered.get("location")
        if status in _REDIRECTS and location and len(chain) <= limits.max_redirects:
            current = urljoin(current, location)
            continue
        return Answer(current, status, answered, received, tuple(chain), truncated)
    raise AssertionError("unreachable: the last hop returns")


def _get_once(
    url: str,
    limits: FetchSettings,
    deadline: float,
    max_bytes: int,
    *,
    method: str = "GET",
    cut: bool = False,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes, bool]:
    host, port = check_url(url, block_private=limits.block_private_addresses)
    addresses = resolve(host, port, url, block_private=limits.block_private_addresses)
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _expired(url, limits)
    conn_cls = _PinnedHTTPSConnection if parts.scheme.lower() == "https" else _PinnedHTTPConnection
    conn = conn_cls(host, port, addresses[0], timeout=remaining)
    resp: http.client.HTTPResponse | None = None
    try:
        conn.request(
            method,
            path,
            headers={
                "User-Agent": limits.effective_user_agent(__version__),
                "Accept": "*/*",
                "Accept-Encoding": "identity",
                **(headers or {}),
            },
            body=body,
        )
        assert conn.sock is not None  # request() connected it
        reader = _DeadlineReader(conn.sock, deadline, url, limits)
        # HTTPResponse takes any object with makefile(); typeshed says socket.
        resp = http.client.HTTPResponse(_DeadlineSocket(reader), method=method)  # type: ignore[arg-type]
        resp.begin()
        answered = {k.lower(): v for k, v in resp.getheaders()}
        declared = answered.get("content-length", "")
        if not cut and declared.isdigit() and int(declared) > max_bytes:
            raise _too_large(url, max_bytes)
        chunks: list[bytes] = []
        size = 0
        while chunk := resp.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                if not cut:
                    raise _too_large(url, max_bytes)
                chunks.append(chunk[: len(chunk) - (size - max_bytes)])
                return resp.status, answered, b"".join(chunks), True
            chunks.append(chunk)
        return resp.status, answered, b"".join(chunks), False
    except TimeoutError as exc:  # connect or send: they ran with the time that was left
        raise _expired(url, limits) from exc
    except ConnectionRefusedError as exc:
        raise FetchError(f"connection to {url} was refused", hint="is the server up?") from exc
    except ssl.SSLError as exc:
        raise FetchError(f"TLS failure fetching {url}: {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"fetching {url} failed: {exc}") from exc
    finally:
        if resp is not None:
            resp.close()
        conn.close()
