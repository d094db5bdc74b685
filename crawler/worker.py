"""The crawl process that the ``citevault`` CLI starts: jobs from the database.

``citevault archive``, ``capture`` and ``worker`` run this module in a child
process (``python -m crawler.worker``) so that the CLI, the API and the
scheduler never load Scrapy or Twisted.  It leases jobs from the queue, crawls
them, and commits each closed WARC file through the system of record.  It
prints one JSON line of statistics at the end for its parent.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
from dataclasses import asdict, is_dataclass
from pathlib import Path

from archive import metrics
from archive.capture.reclaim import journal_path, local_owner, reclaim_dead_local
from archive.capture.sources import CommittingSink, DatabaseDigestIndex, DatabaseJobSource
from archive.capture.spool import flush, spool_dir
from archive.errors import CitevaultError
from archive.runtime import Runtime
from archive.settings import load_settings


def default_owner() -> str:
    return local_owner(os.getpid())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.worker", description=__doc__)
    parser.add_argument("--config", type=Path, help="citevault TOML configuration file")
    parser.add_argument("--owner", default=None, help="lease owner name (host:pid)")
    parser.add_argument("--document", default=None, help="only jobs of this document")
    parser.add_argument("--job", type=int, action="append", help="only these job ids")
    parser.add_argument("--lease-seconds", type=int, default=600)
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    level = args.log_level.upper()
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.root.handlers:  # Scrapy lowers the root level to NOTSET
        handler.setLevel(level)
    # One handler (this one) for the whole process: Scrapy's own would print
    # every line a second time.
    log_settings: dict[str, object] = {"LOG_LEVEL": level, "LOG_INSTALL_ROOT_HANDLER": False}
    try:
        from crawler.run import run_crawl

        settings = load_settings(args.config)
        # One metrics file for all the crawls a process starts, one at a time.
        metrics.configure(settings, identifier=f"crawls-of-{os.getppid()}")
        rt = Runtime(settings)
        spool = spool_dir(rt)
        # First, whatever an earlier crawler left behind: its files salvaged and
        # committed, then its remaining leases returned if its process is gone.
        if not flush(rt, spool).waiting:  # jobs whose files wait for the store stay leased
            reclaim_dead_local(rt, spool)
        owner = args.owner or default_owner()
        log_settings["CITEVAULT_STARTED_JOURNAL"] = str(journal_path(spool, owner))
        source = DatabaseJobSource(
            rt,
            owner,
            document_id=args.document,
            job_ids=args.job,
            lease_seconds=args.lease_seconds,
        )
        sink = CommittingSink(rt)
        digests = DatabaseDigestIndex(rt)
        # A crawl allocates millions of short-lived objects that reference
        # counting frees; the cycle collector, run every 700 allocations by
        # default, mostly rescans the long-lived start-up objects.  Freezing
        # those and collecting less often saves some of the crawl's CPU for a
        # little more peak memory.
        gc.freeze()
        gc.set_threshold(20_000, 20, 100)
        try:
            stats = run_crawl(rt.settings, source, digests, sink, spool, overrides=log_settings)
        finally:
            sink.wait()
            digests.close()
        # No flush here: the sink committed each file as it closed, and what
        # it could not commit waits for the next flush (this worker's next
        # start, or the ``worker`` loop when idle).
    except CitevaultError as exc:
        print(json.dumps({"error": exc.message, "hint": exc.hint}), flush=True)
        return exc.exit_code
    out = asdict(stats) if is_dataclass(stats) and not isinstance(stats, type) else {}
    out.update(
        committed=sink.committed,
        waiting=[p.name for p in sink.waiting],
        store_error=sink.store_error,
    )
    print(json.dumps(out, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
