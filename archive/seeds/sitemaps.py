"""Sitemaps and sitemap indexes, read under the fetch policy and within limits.

ultimate-sitemap-parser was the first choice, but it cannot be held to
citevault's limits: it can be handed a web client of ours, yet it gunzips
every ``.gz`` body whole with ``gzip.decompress`` (a 50 kB gzip bomb becomes
gigabytes in memory before any check), retries failing fetches with sleeps of
its own, and follows every sitemap an index names.  Here each body is fetched
by ``archive.net.fetch`` (SSRF rules, size cap, deadline, redirects), gunzipped
by the bounded decoder, parsed by lxml with entities and network access off,
and an index is followed breadth first up to ``seeds.max_sitemaps`` files and
``seeds.max_sitemap_depth`` levels; whatever is left out is reported.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from archive.errors import InputError
from archive.net.decoding import decoded_stream
from archive.seeds.sources import Entry, Listing, SourceError
from archive.settings import Settings

Fetch = Callable[[str], bytes]

_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def gunzipped(body: bytes, url: str, limit: int) -> bytes:
    """``body``, inflated when it is gzip (``.xml.gz`` files), never beyond ``limit`` bytes."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    stream = decoded_stream(body, ["gzip"], limit)
    assert stream is not None  # gzip is a known coding
    data = b"".join(stream)
    if stream.truncated:
        raise SourceError(
            f"{url} inflates to more than {limit} bytes (a gzip bomb, or a very large sitemap)",
            hint="raise seeds.max_source_bytes if the sitemap is legitimate",
        )
    if stream.broken:
        raise SourceError(f"{url} is not valid gzip data")
    return data


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _parse(data: bytes, url: str) -> tuple[str, list[tuple[str, datetime | None]]]:
    """(kind, [(loc, lastmod)]) of one sitemap file: kind is 'urlset' or 'sitemapindex'."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"{url} is not a valid XML sitemap: {exc}") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise SourceError(f"{url} is not a sitemap: its root element is <{kind}>")
    child = "url" if kind == "urlset" else "sitemap"
    found: list[tuple[str, datetime | None]] = []
    for item in root:
        if _local(item.tag) != child:
            continue
        loc = lastmod = None
        for part in item:
            name = _local(part.tag)
            if name == "loc":
                loc = (part.text or "").strip()
            elif name == "lastmod":
                lastmod = part.text
        if loc:
            found.append((loc, _when(lastmod)))
    return kind, found


def read_sitemap(url: str, settings: Settings, fetch: Fetch) -> Listing:
    """Every page a sitemap (or an index of sitemaps) lists, within the seeds limits."""
    limits = settings.seeds
    listing = Listing()
    queue: deque[tuple[str, int]] = deque([(url, 0)])
    read = 0
    while queue:
        current, depth = queue.popleft()
        if read >= limits.max_sitemaps:
            left = len(queue) + 1
            listing.skip(
                current,
                f"{left} more sitemaps not read: at most {limits.max_sitemaps} per source "
                "(seeds.max_sitemaps)",
            )
            break
        read += 1
        try:
            data = gunzipped(fetch(current), current, limits.max_source_bytes)
            kind, found = _parse(data, current)
        except (SourceError, InputError) as exc:
            if current == url:
                raise
            listing.fail(current, str(exc))
            continue
        if kind == "sitemapindex":
            if depth > limits.max_sitemap_depth:
                listing.skip(
                    current,
                    f"a sitemap index nested {depth} levels deep is not read "
                    f"(seeds.max_sitemap_depth is {limits.max_sitemap_depth})",
                )
                continue
            queue.extend((loc, depth + 1) for loc, _ in found)
            continue
        for loc, lastmod in found:
            if not listing.add(Entry(loc, None, lastmod), limits.max_entries_per_source):
                return listing
    return listing
