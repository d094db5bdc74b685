"""Running a seed file: list each source, add what is new or changed, exactly once.

Each entry is fetched under the fetch policy of captures; an entry seen before
is asked for conditionally (the validators of its last answer), so an
unchanged one costs one request and no new row.  New bytes go through
``add_document``, the path of ``citevault add``, and only then is the entry
recorded.  Nothing here counts on being the only run: a version is unique per
document and digest, an entry per seed and URL, so a second run at the same
time, or a rerun after a kill between the two writes, finds the version
already there and adds nothing.

``run_seed_file`` is the contract of the scheduler's ``ingest-seeds`` action.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from archive.clock import Clock
from archive.db.models import SeedRun
from archive.errors import CitevaultError, FetchError, InputError
from archive.ingest.service import add_document
from archive.ingest.source import SourceBytes, read_source
from archive.net.fetch import fetch_document
from archive.runtime import Runtime
from archive.seeds import entries
from archive.seeds.entries import Known
from archive.seeds.model import Seed, SeedFile, load_seed_file
from archive.seeds.robots import Robots
from archive.seeds.sitemaps import gunzipped, read_sitemap
from archive.seeds.sources import Entry, Listing, Problem, SourceError, read_feed, read_folder
from archive.seeds.summary import SeedProgress, SeedRunSummary
from archive.settings import Settings

Progress = Callable[[SeedProgress], None]
CHECKED_BATCH = 1000  # "not modified" stamps written together


def run_seed_file(
    settings: Settings, path: Path, *, clock: Clock, progress: Progress | None = None
) -> SeedRunSummary:
    """Run every seed of the file at ``path``; idempotent, also when run twice at once."""
    seeds = load_seed_file(path)
    rt = Runtime(settings)
    try:
        return run_seeds(
            rt, seeds, base=path.resolve().parent, source=path.name, clock=clock, progress=progress
        )
    finally:
        rt.close()


def start_run(rt: Runtime, source: str, now: datetime) -> int:
    """A ``seed_runs`` row in state "running", for the API to answer with before the run ends."""
    with rt.sessions()() as session, session.begin():
        row = SeedRun(source=source, state="running", started_at=now)
        session.add(row)
        session.flush()
        return row.id


def _save(
    rt: Runtime, run_id: int, summary: SeedRunSummary, state: str, now: datetime | None = None
) -> None:
    with rt.sessions()() as session, session.begin():
        session.execute(
            update(SeedRun)
            .where(SeedRun.id == run_id)
            .values(state=state, summary=summary.to_json(), finished_at=now)
        )


def fail_run(rt: Runtime, run_id: int, error: str, now: datetime) -> None:
    with rt.sessions()() as session, session.begin():
        session.execute(
            update(SeedRun)
            .where(SeedRun.id == run_id)
            .values(state="failed", error=error, finished_at=now)
        )


def run_seeds(
    rt: Runtime,
    seeds: SeedFile,
    *,
    base: Path | None,
    source: str,
    clock: Clock,
    progress: Progress | None = None,
    run_id: int | None = None,
) -> SeedRunSummary:
    """Run ``seeds``; ``base`` is the folder that folder sources are relative to (None: refused)."""
    if run_id is None:
        run_id = start_run(rt, source, clock.now())
    summary = SeedRunSummary(run_id)
    robots = Robots(rt.settings)
    try:
        for seed in seeds.seed:
            _SeedRun(rt, seed, base, clock, robots, summary, progress).run()
            _save(rt, run_id, summary, "running")
    except BaseException as exc:
        # The error itself is what the caller must see, even when the
        # database that would record it is what failed.
        with contextlib.suppress(Exception):
            fail_run(rt, run_id, str(exc) or exc.__class__.__name__, clock.now())
        raise
    _save(rt, run_id, summary, "finished", clock.now())
    return summary


@dataclass
class _SeedRun:
    rt: Runtime
    seed: Seed
    base: Path | None
    clock: Clock
    robots: Robots
    summary: SeedRunSummary
    progress: Progress | None

    def run(self) -> None:
        seed = self.seed
        try:
            listing = self._listing()
        except CitevaultError as exc:
            self.summary.failed.append(Problem(seed.name, seed.source, str(exc)))
            return
        self.summary.failed.extend(Problem(seed.name, w, why) for w, why in listing.failed)
        self.summary.skipped.extend(Problem(seed.name, w, why) for w, why in listing.skipped)
        self.now = self.clock.now()
        self.since = self.now - timedelta(days=seed.lookback_days) if seed.lookback_days else None
        with self.rt.sessions()() as session:
            self.known = entries.load_known(session, seed.name)
        self.checked: list[str] = []
        total = len(listing.entries)
        for done, entry in enumerate(listing.entries, 1):
            outcome, detail = self._entry(entry)
            if outcome in ("new", "changed", "unchanged"):
                setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
            if len(self.checked) >= CHECKED_BATCH:
                self._flush_checked()
            if self.progress is not None:
                self.progress(SeedProgress(seed.name, entry.url, outcome, done, total, detail))
        self._flush_checked()

    def _flush_checked(self) -> None:
        if self.checked:
            with self.rt.sessions()() as session, session.begin():
                entries.mark_checked(session, self.seed.name, self.checked, self.now)
            self.checked = []

    # -- listing -----------------------------------------------------------------

    def _fetch_source(self, url: str) -> bytes:
        refusal = self.robots.refusal(url)
        if refusal:
            raise SourceError(f"{url} is not read: {refusal}")
        settings = self.rt.settings
        body = fetch_document(url, settings.fetch, max_bytes=settings.seeds.max_source_bytes).body
        return body

    def _listing(self) -> Listing:
        seed, settings = self.seed, self.rt.settings
        limit = settings.seeds.max_entries_per_source
        if seed.urls is not None:
            listing = Listing()
            for item in seed.urls:
                url, doc_id = (item, None) if isinstance(item, str) else (item.url, item.id)
                if not listing.add(Entry(url, doc_id, None), limit):
                    break
            return listing
        if seed.feed is not None:
            body = gunzipped(
                self._fetch_source(seed.feed), seed.feed, settings.seeds.max_source_bytes
            )
            return read_feed(seed.feed, body, limit)
        if seed.sitemap is not None:
            return read_sitemap(seed.sitemap, settings, self._fetch_source)
        assert seed.folder is not None
        if self.base is None:
            raise InputError(
                "folder sources are read only from seed files on disk",
                hint="run it with `citevault seeds run FILE`, or name a file in seeds.directory",
            )
        return read_folder(self.base / seed.folder, seed.pattern, seed.recursive, limit)

    # -- entries -----------------------------------------------------------------

    def _entry(self, entry: Entry) -> tuple[str, str | None]:
        seed = self.seed
        if not seed.wanted(entry.url):
            self.summary.excluded += 1
            return "excluded", None
        if self.since is not None and entry.when is not None and entry.when < self.since:
            self.summary.too_old += 1
            return "too_old", None
        key = entries.url_key(entry.url)
        known = self.known.get(key)
        try:
            if seed.folder is not None:
                return self._file(entry, key, known)
            return self._url(entry, key, known)
        except CitevaultError as exc:
            self.summary.failed.append(Problem(seed.name, entry.url, str(exc)))
            return "failed", str(exc)

    def _url(self, entry: Entry, key: str, known: Known | None) -> tuple[str, str | None]:
        refusal = self.robots.refusal(entry.url)
        if refusal:
            self.summary.skipped.append(Problem(self.seed.name, entry.url, refusal))
            return "skipped", refusal
        settings = self.rt.settings
        etag = known.etag if known else None
        last_modified = known.last_modified if known else None
        if etag or last_modified:
            self.summary.conditional_requests += 1
        fetched = fetch_document(
            entry.url,
            settings.fetch,
            max_bytes=settings.max_document_bytes,
            etag=etag,
            last_modified=last_modified,
        )
        if fetched.status == 304 and (etag or last_modified):
            self.checked.append(key)
            return "unchanged", None
        if not 200 <= fetched.status < 300:
            raise FetchError(f"{entry.url} answered HTTP {fetched.status}")
        name = fetched.url.rstrip("/").rsplit("/", 1)[-1] or None
        src = SourceBytes(fetched.body, entry.url, name, fetched.url, fetched.media_type)
        return self._store(entry, known, src, fetched.etag, fetched.last_modified)

    def _file(self, entry: Entry, key: str, known: Known | None) -> tuple[str, str | None]:
        """A folder's file: its size and modification time stand in for an ETag."""
        try:
            info = Path(entry.url).stat()
        except OSError as exc:
            raise InputError(f"cannot read {entry.url}: {exc.strerror}") from None
        stamp = f"{info.st_size}:{info.st_mtime_ns}"
        if known is not None and known.etag == stamp:
            self.checked.append(key)
            return "unchanged", None
        src = read_source(entry.url, self.rt.settings)
        return self._store(entry, known, src, stamp, None)

    def _store(
        self,
        entry: Entry,
        known: Known | None,
        src: SourceBytes,
        etag: str | None,
        last_modified: str | None,
    ) -> tuple[str, str | None]:
        seed = self.seed
        sha = hashlib.sha256(src.data).hexdigest()
        doc_id = entry.doc_id or (known.document_id if known else seed.document_id(entry.url))
        seen = Known(doc_id, etag, last_modified, sha)
        if known is not None and known.sha256 == sha:
            # Same bytes, new validators (or a server that ignores them).
            self._record(entry.url, seen, changed=False)
            return "unchanged", None
        result = add_document(self.rt, src, doc_id=doc_id, private=True if seed.private else None)
        # Not created: another run, or this one before a kill, stored these bytes.
        outcome = ("new" if result.version == 1 else "changed") if result.created else "unchanged"
        self._record(entry.url, seen, changed=outcome != "unchanged" or known is None)
        self.summary.captures_queued += result.jobs_queued
        detail = f"{doc_id} v{result.version}"
        if outcome != "unchanged":
            self.summary.documents.append(
                {
                    "seed": seed.name,
                    "url": entry.url,
                    "document_id": doc_id,
                    "version": result.version,
                    "outcome": outcome,
                }
            )
        return outcome, detail

    def _record(self, url: str, seen: Known, *, changed: bool) -> None:
        with self.rt.sessions()() as session, session.begin():
            entries.record(session, self.seed.name, url, seen, self.now, changed=changed)
