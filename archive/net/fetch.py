"""Fetch one document by URL under the same policy as the crawler.

Used for ``citevault add https://…``: the citing document itself.  The
connection goes to an address that passed the SSRF check (no second DNS
lookup that could answer differently), every redirect hop is checked again,
and size, deadline and redirect count are capped.  It is deliberately small:
captures of cited sources go through the Scrapy crawler and into WARC.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from archive import __version__
from archive.errors import FetchError
from archive.net.policy import check_url, resolve
from archive.settings import FetchSettings

_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # final URL after redirects
    status: int
    media_type: str | None
    body: bytes


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


def fetch_document(url: str, limits: FetchSettings, *, max_bytes: int) -> Fetched:
    """GET ``url`` following redirects; raise FetchError with the reason on failure."""
    deadline = time.monotonic() + limits.download_timeout_seconds
    current = url
    for _hop in range(limits.max_redirects + 1):
        response_url, status, headers, body = _get_once(current, limits, deadline, max_bytes)
        if status in (301, 302, 303, 307, 308) and headers.get("location"):
            current = urljoin(response_url, headers["location"])
            continue
        if status >= 400:
            raise FetchError(
                f"{url} answered HTTP {status}",
                hint="check the URL; citevault stores documents only from successful responses",
            )
        media = headers.get("content-type")
        return Fetched(current, status, media.split(";")[0].strip() if media else None, body)
    raise FetchError(
        f"{url} redirected more than {limits.max_redirects} times",
        hint="raise fetch.max_redirects if the chain is legitimate",
    )


def _get_once(
    url: str, limits: FetchSettings, deadline: float, max_bytes: int
) -> tuple[str, int, dict[str, str], bytes]:
    host, port = check_url(url, block_private=limits.block_private_addresses)
    addresses = resolve(host, port, url, block_private=limits.block_private_addresses)
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"fetching {url} took longer than {limits.download_timeout_seconds} s")
    conn_cls = _PinnedHTTPSConnection if parts.scheme.lower() == "https" else _PinnedHTTPConnection
    conn = conn_cls(host, port, addresses[0], timeout=min(remaining, 30.0))
    try:
        conn.request(
            "GET",
            path,
            headers={
                "User-Agent": limits.effective_user_agent(__version__),
                "Accept": "*/*",
                "Accept-Encoding": "identity",
            },
        )
        resp = conn.getresponse()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        chunks: list[bytes] = []
        size = 0
        while chunk := resp.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(
                    f"{url} is larger than the limit of {max_bytes} bytes",
                    hint="raise max_document_bytes if this document is legitimate",
                )
            if time.monotonic() > deadline:
                raise FetchError(
                    f"fetching {url} took longer than {limits.download_timeout_seconds} s",
                    hint="raise fetch.download_timeout_seconds or try again later",
                )
            chunks.append(chunk)
        return url, resp.status, headers, b"".join(chunks)
    except TimeoutError as exc:
        raise FetchError(
            f"fetching {url} timed out", hint="the server did not answer; try again later"
        ) from exc
    except ConnectionRefusedError as exc:
        raise FetchError(f"connection to {url} was refused", hint="is the server up?") from exc
    except ssl.SSLError as exc:
        raise FetchError(f"TLS failure fetching {url}: {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"fetching {url} failed: {exc}") from exc
    finally:
        conn.close()
