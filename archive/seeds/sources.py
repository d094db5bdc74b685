"""What each kind of seed lists: entries (a URL or a file, and its date), and what was left out.

Feeds are parsed by feedparser from bytes that ``archive.net.fetch`` fetched
(feedparser's own fetching would bypass the fetch policy); sitemaps are read
in ``archive.seeds.sitemaps``; folders are listed here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.errors import InputError


class SourceError(InputError):
    """A seed's source (feed, sitemap, folder) cannot be read: the seed adds nothing this run."""

    code = "seed_source"


@dataclass(frozen=True, slots=True)
class Entry:
    url: str  # an http(s) URL, or a folder source's file as an absolute path
    doc_id: str | None  # an id the seed file gives
    when: datetime | None  # published, updated, lastmod or modified: for lookback_days


@dataclass(frozen=True, slots=True)
class Problem:
    seed: str
    url: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"seed": self.seed, "url": self.url, "reason": self.reason}


@dataclass
class Listing:
    entries: list[Entry] = field(default_factory=list)
    # (what, why) of parts of the source left out on purpose, and of parts that failed
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)

    def add(self, entry: Entry, limit: int) -> bool:
        """Add ``entry`` (once per URL); False once ``limit`` entries are listed."""
        if entry.url in self._seen:
            return True
        if len(self.entries) >= limit:
            self.skip(
                entry.url,
                f"this entry and any after it are left out: at most {limit} entries per "
                "source (seeds.max_entries_per_source)",
            )
            return False
        self._seen.add(entry.url)
        self.entries.append(entry)
        return True

    def skip(self, what: str, why: str) -> None:
        self.skipped.append((what, why))

    def fail(self, what: str, why: str) -> None:
        self.failed.append((what, why))


def _struct_time(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def read_feed(url: str, body: bytes, limit: int) -> Listing:
    """The entries of an RSS or Atom feed's bytes, each by its link."""
    import feedparser  # imported on use: it costs ~40 ms, and most commands need no feed

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        raise SourceError(
            f"{url} is not an RSS or Atom feed"
            + (f": {problem}" if problem else " (no feed element found)"),
            hint="check the seed's feed URL; a sitemap goes under sitemap =",
        )
    listing = Listing()
    if parsed.get("bozo") and not parsed.entries:
        raise SourceError(f"{url} is a malformed feed: {parsed.get('bozo_exception')}")
    for item in parsed.entries:
        link = item.get("link")
        if not isinstance(link, str) or not link.strip():
            listing.skip(str(item.get("id") or item.get("title") or "?"), "feed entry has no link")
            continue
        # dict.get: FeedParserDict.get maps a missing updated_parsed to published_parsed,
        # with a deprecation warning on every entry.
        when = _struct_time(dict.get(item, "updated_parsed")) or _struct_time(
            dict.get(item, "published_parsed")
        )
        if not listing.add(Entry(link.strip(), None, when), limit):
            break
    return listing


def read_folder(folder: Path, pattern: str, recursive: bool, limit: int) -> Listing:
    """Regular files under ``folder`` matching ``pattern``, in name order."""
    if not folder.is_dir():
        raise SourceError(f"{folder} is not a folder", hint="check the seed's folder =")
    listing = Listing()
    paths = folder.rglob(pattern) if recursive else folder.glob(pattern)
    for path in sorted(paths):
        try:
            info = path.stat()
        except OSError as exc:
            listing.fail(str(path), f"cannot read: {exc.strerror}")
            continue
        if not path.is_file():
            continue
        when = datetime.fromtimestamp(info.st_mtime, UTC)
        if not listing.add(Entry(str(path.resolve()), None, when), limit):
            break
    return listing
