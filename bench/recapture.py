"""What capturing an unchanged site again costs in storage.

A schedule that recaptures every cited source each week is only affordable
if an unchanged source costs almost nothing the second time: the recorder
writes a revisit record (headers only) when a payload's digest is already
stored, also from an earlier crawl.  This bench generates the crawl bench's
site (``bench/_crawl_site.py``: 20-50 KB articles, images, stylesheets,
redirects and 404s), serves it with nginx on 127.0.0.1, captures its URL
list once through the CLI on the embedded setup (SQLite + a local folder),
then captures the same list again with ``--force``, and prints the stored
bytes of both passes, their ratio and the record types of each pass.

    .venv/bin/python bench/recapture.py                # 2,000 pages
    .venv/bin/python bench/recapture.py --pages 200    # smoke run

Target (reported, not asserted): the second pass adds less than 5% of the
first pass's stored bytes.  Runs as root when nginx must be installed.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _crawl_site as site
import _servers as servers
from _crawl_runs import BIN, ROOT, clean_env

TARGET = 0.05


def _cli(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "citevault"), *args],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    # 0: all captured; 7: some sources failed for good (the site's 404 image
    # requisites are not failures, but a loaded machine may time one out).
    if result.returncode not in (0, 7):
        raise RuntimeError(
            f"citevault {' '.join(args)} exited {result.returncode}: {result.stderr}"
        )
    return time.perf_counter() - started


def _stored(db: Path) -> tuple[int, int, dict[str, int]]:
    """Bytes and count of stored WARC files, and capture rows by kind."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        size, files = conn.execute(
            "SELECT coalesce(sum(size), 0), count(*) FROM warc_files"
        ).fetchone()
        kinds = dict(
            conn.execute(
                "SELECT CASE WHEN revisit_of_id IS NULL THEN 'response' ELSE 'revisit' END, "
                "count(*) FROM captures GROUP BY 1"
            ).fetchall()
        )
    return int(size), int(files), {str(k): int(v) for k, v in kinds.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/recapture.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--pages", type=int, default=2000, help="URL list length (default 2000)")
    args = parser.parse_args(argv)
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cv-recapture-")))
        work.chmod(0o755)  # nginx workers run as nobody
        site_dir = work / "site"
        site.generate(site_dir, args.pages)
        nginx, port = servers.start_nginx(stack, work, site_dir, servers.HOST, None)
        plan = site.plan([f"http://{servers.HOST}:{port}"], args.pages, args.pages)
        urls = work / "urls.txt"
        urls.write_text("\n".join(plan.urls) + "\n")
        data = work / "data"
        env = clean_env(
            CITEVAULT_DATA_DIR=str(data), CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false"
        )
        print(f"site: {args.pages} pages, {plan.exchanges} exchanges per complete crawl")
        _cli(["add", str(urls), "--id", "bench", "--format", "text"], env)
        db = data / "citevault.db"
        passes = []
        for label, extra in (("first capture", []), ("second capture", ["--force"])):
            offset = nginx.log_offset()
            took = _cli(["archive", "bench", *extra], env)
            fetched, body, _paths = nginx.exchanges_since(offset)
            passes.append((label, took, fetched, body, *_stored(db)))
    print(
        f"\n{'pass':<16}{'wall s':>8}{'requests':>10}{'MB served':>11}{'MB stored':>11}"
        f"{'files':>7}  capture rows"
    )
    before: tuple[int, dict[str, int]] = (0, {})
    added = []
    for label, took, fetched, body, size, files, kinds in passes:
        grew = size - before[0]
        rows = {k: v - before[1].get(k, 0) for k, v in kinds.items()}
        added.append(grew)
        print(
            f"{label:<16}{took:>8.1f}{fetched:>10}{body / 1e6:>11.1f}{grew / 1e6:>11.2f}"
            f"{files:>7}  {rows}"
        )
        before = (size, kinds)
    ratio = added[1] / added[0] if added[0] else float("nan")
    verdict = "meets" if ratio < TARGET else "misses"
    print(
        f"\nsecond pass adds {ratio:.1%} of the first pass's stored bytes "
        f"({verdict} the < {TARGET:.0%} target)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
