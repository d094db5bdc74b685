"""Entries per second of a seed run over a large feed, and what an unchanged entry costs.

A loopback server (its own process, so that it does not share the run's
interpreter) serves an RSS feed of ``--entries`` articles, each with an ETag
that it honours (304).  Then, on SQLite in a temporary folder (or
``--database-url``):

  1. set-up: the feed's first 99% of entries become seen entries.  With
     ``--setup run`` by a real first run (every entry a new document: on a
     busy two-core machine that is tens of minutes for 10,000); by default
     by writing their ``seed_entries`` rows (ETag and digest, as a run
     records them, with ``archive.seeds.entries.record``) without adding
     the documents, which a run that finds an entry unchanged never reads;
  2. 1% run: the feed grows by 1% of ``--entries``; the run adds the new ones
     and asks for each of the 99% conditionally;
  3. unchanged run: the same feed again, every entry a 304.

For runs 2 and 3 it prints entries per second, and, from the progress events'
times, the time spent on each unchanged and each new entry (median and p99 of
the gaps between events, which include the fetch, the database work and the
listing's share), and the wall and CPU time of the whole run per entry (the
CPU figure moves less with what else the machine runs).  Target: an
unchanged entry costs less than 5 ms.  Figures, not a pass/fail test.

    .venv/bin/python bench/seeds.py                 # 10,000 entries, 1% new
    .venv/bin/python bench/seeds.py --entries 2000
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.clock import SystemClock  # noqa: E402
from archive.db import migrate  # noqa: E402
from archive.runtime import Runtime  # noqa: E402
from archive.seeds import SeedProgress, entries, run_seed_file  # noqa: E402
from archive.seeds.entries import Known  # noqa: E402
from archive.settings import load_settings  # noqa: E402


def _serve(ready: Any, visible: Synchronized[int]) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            port = self.server.server_address[1]
            if self.path == "/feed.xml":
                items = "".join(
                    f"<item><title>a{n}</title><link>http://127.0.0.1:{port}/a/{n}.html</link>"
                    f"<guid>a{n}</guid></item>"
                    for n in range(visible.value)
                )
                body = (
                    f'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>'
                    f"{items}</channel></rss>"
                ).encode()
                self._send(200, body, None)
                return
            n = self.path.removeprefix("/a/").removesuffix(".html")
            etag = f'"a{n}"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", etag)
                return
            # Plain text: the set-up run adds 99% of the feed, and HTML extraction
            # would make it most of the benchmark's time without changing the figures.
            self._send(200, _article(int(n)), etag)

        def _send(self, status: int, body: bytes, etag: str | None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ready.send(server.server_address[1])
    server.serve_forever()


class Timer:
    """Time between consecutive progress events, by outcome."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.gaps: dict[str, list[float]] = {}

    def __call__(self, event: SeedProgress) -> None:
        now = time.perf_counter()
        self.gaps.setdefault(event.outcome, []).append(now - self.last)
        self.last = now


def _ms(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"mean {statistics.fmean(ordered) * 1000:.2f} ms, median "
        f"{statistics.median(ordered) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms"
    )


def _run(label: str, settings: Any, path: Path) -> None:
    timer = Timer()
    started, cpu = time.perf_counter(), time.process_time()
    summary = run_seed_file(settings, path, clock=SystemClock(), progress=timer)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    handled = summary.new + summary.changed + summary.unchanged
    print(
        f"{label}: {handled} entries in {wall:.1f} s = {handled / wall:.0f} entries/s "
        f"(new {summary.new}, unchanged {summary.unchanged}, failed {len(summary.failed)}, "
        f"conditional requests {summary.conditional_requests})"
    )
    for outcome in ("unchanged", "new"):
        if timer.gaps.get(outcome):
            print(f"  per {outcome} entry: {_ms(timer.gaps[outcome])}")
    print(
        f"  per entry, all included: wall {wall / handled * 1000:.2f} ms, CPU of the run's "
        f"process {cpu / handled * 1000:.2f} ms (the server's is not counted)"
    )


def _article(n: int) -> bytes:
    return f"Story {n} cites https://cited.example/{n} as its source.\n".encode()


def _seen_rows(settings: Any, count: int, port: int) -> None:
    rt = Runtime(settings)
    now = datetime.now(UTC)
    started = time.perf_counter()
    with rt.sessions()() as session, session.begin():
        for n in range(count):
            url = f"http://127.0.0.1:{port}/a/{n}.html"
            sha = hashlib.sha256(_article(n)).hexdigest()
            known = Known(f"127-0-0-1-a-{n}", f'"a{n}"', None, sha)
            entries.record(session, "bench", url, known, now, changed=True)
    rt.close()
    print(f"set-up: {count} seen entries written in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--new-share", type=float, default=0.01)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--setup", choices=("rows", "run"), default="rows")
    args = parser.parse_args()
    fresh = max(1, int(args.entries * args.new_share))
    print(f"load average before: {os.getloadavg()}")
    ctx = multiprocessing.get_context("spawn")
    visible = ctx.Value("i", args.entries - fresh)
    parent, child = ctx.Pipe()
    server = ctx.Process(target=_serve, args=(child, visible), daemon=True)
    server.start()
    port = parent.recv()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            overrides: dict[str, Any] = {
                "data_dir": Path(tmp) / "data",
                "fetch": {"block_private_addresses": False},
            }
            if args.database_url:
                overrides["database_url"] = args.database_url
            settings = load_settings(**overrides)
            migrate.upgrade(settings.effective_database_url)
            path = Path(tmp) / "bench.toml"
            path.write_text(
                f'[[seed]]\nname = "bench"\nfeed = "http://127.0.0.1:{port}/feed.xml"\n'
            )
            seen = args.entries - fresh
            if args.setup == "run":
                _run(f"first run ({seen} new, set-up)", settings, path)
            else:
                _seen_rows(settings, seen, port)
            visible.value = args.entries
            _run(f"1% run ({fresh} new of {args.entries})", settings, path)
            _run(f"unchanged run ({args.entries} entries)", settings, path)
    finally:
        server.terminate()
        server.join(5)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
