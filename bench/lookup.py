"""How fast the archive answers lookups once it holds a realistic amount of data.

Starts a throwaway PostgreSQL and SeaweedFS (S3) on 127.0.0.1, migrates,
bulk-loads 100,000 documents (one version each), 1,000,000 citations,
2,000,000 captures and their citation links (``--scale`` shrinks all of it),
with every capture pointing at one of 200 real ~50 KB WARC records in the
store.  Then runs the API with uvicorn and measures, with N requests in
flight after a warm-up:

  a) citations    GET /api/documents/cited-50/citations (50 citations, 5 captures each)
  b) timegate     GET /timegate/<known URL> with a random Accept-Datetime (-> 302)
  c) cdx          GET /cdx?url=<known URL>&matchType=exact
  d) warc         GET /api/captures/<id>/warc: one ~50 KB record read by range from S3

and, for reference, the warc case's records read straight from SeaweedFS
with presigned ranged GETs by the same client ("store alone"): the part of
d) that is the store's.  SeaweedFS runs as docker-compose.yml runs it, with
its shared chunk cache (-s3.cacheCapacityMB=128): it fetches a record's whole
chunk (up to 4 MB) for every ranged GET, and the cache lets reads of nearby
records share it.  --store-cache-mb 0 measures without the cache.

and prints p50/p90/p99/max (time to the last byte) and throughput, once per
uvicorn worker count, plus the same at concurrency 1 for context.

    .venv/bin/python bench/lookup.py --scale 0.05      # quick: ~1 min to fill
    .venv/bin/python bench/lookup.py                   # full size (fill: minutes)
    .venv/bin/python bench/lookup.py --profile timegate  # hot spots of one case
    .venv/bin/python bench/lookup.py --no-cache        # citations rendered every time

The API keeps rendered citations bodies while PostgreSQL's change notices
say nothing under them changed (archive/api/cache.py); the citations case
asks for one document, so by default it measures that cache's hits, and
--no-cache measures the render.

Targets (reported, not asserted; exit code 0 whenever the run completed):
p99 < 20 ms for a) and b) at 50 concurrent requests; p99 < 50 ms for d).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import pstats
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from types import FrameType
from urllib.parse import quote, urlsplit

import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (HERE, ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import _lookup_data as data  # noqa: E402
import _lookup_load as load  # noqa: E402
import _servers as servers  # noqa: E402

from archive.db import migrate  # noqa: E402
from archive.settings import load_settings  # noqa: E402
from archive.storage import open_store  # noqa: E402
from archive.storage.s3 import S3Store  # noqa: E402

BUCKET = "citevault-bench"
CASES = ("citations", "timegate", "cdx", "warc")
TARGETS = {"citations": 20.0, "timegate": 20.0, "warc": 50.0}  # p99, ms, at 50 in flight
TARGET_CONCURRENCY = 50
EXPECTED = {"citations": 200, "timegate": 302, "cdx": 200, "warc": 200, "store": 206}
STORE_CACHE_MB = 128  # docker-compose.yml's -s3.cacheCapacityMB
ASK_FROM = datetime(2010, 1, 1, tzinfo=UTC)
ASK_SPAN = int((datetime(2027, 1, 1, tzinfo=UTC) - ASK_FROM).total_seconds())


class _Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Keeps the module docstring's layout and shows each option's default."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/lookup.py", description=__doc__, formatter_class=_Formatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full data set")
    parser.add_argument("--requests", type=int, default=2000, help="measured requests per case")
    parser.add_argument("--concurrency", type=int, default=50, help="requests in flight")
    parser.add_argument(
        "--serial-requests", type=int, default=300, help="requests per case at concurrency 1"
    )
    parser.add_argument("--workers", default="1,2", help="uvicorn worker counts to try")
    parser.add_argument(
        "--profile", choices=CASES, help="run this case once, with one worker under cProfile"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="serve without the citations cache (what rendering each body costs)",
    )
    parser.add_argument(
        "--store-cache-mb",
        type=int,
        default=STORE_CACHE_MB,
        help="SeaweedFS's S3 chunk cache (-s3.cacheCapacityMB), as docker-compose.yml sets it;"
        " 0 turns it off",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the data and requests")
    parser.add_argument(
        "--keep", action="store_true", help="keep the servers (and data) until Ctrl-C"
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1 or args.requests < 1 or args.concurrency < 1:
        parser.error("--scale must be in (0, 1]; --requests and --concurrency at least 1")
    return args


def _rfc1123(rng: random.Random) -> str:
    """A moment a little before the first capture to a little after the last."""
    return format_datetime(ASK_FROM + timedelta(seconds=rng.randrange(ASK_SPAN)), usegmt=True)


def requests_for(case: str, n: int, targets: data.Targets, rng: random.Random) -> list[bytes]:
    """``n`` requests for one case, each for something that exists and is public."""
    if case == "citations":
        return [load.get(f"/api/documents/{data.SPECIAL_DOC}/citations")] * n
    if case == "warc":
        return [
            load.get(f"/api/captures/{rng.choice(targets.warc_captures)}/warc") for _ in range(n)
        ]
    urls = [rng.choice(targets.urls) for _ in range(n)]
    if case == "timegate":
        return [load.get(f"/timegate/{u}", {"Accept-Datetime": _rfc1123(rng)}) for u in urls]
    return [load.get(f"/cdx?url={quote(u, safe='')}&matchType=exact") for u in urls]


def store_requests(
    pg_url: str, store: S3Store, captures: list[int], n: int, rng: random.Random
) -> list[bytes]:
    """The same records as the warc case, read straight from SeaweedFS with presigned GETs."""
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT w.store_key, c.warc_offset, c.warc_length FROM captures c"
            " JOIN warc_files w ON w.id = c.warc_file_id WHERE c.id = ANY(%s)",
            (captures,),
        ).fetchall()
    out = []
    for key, offset, length in (rng.choice(rows) for _ in range(n)):
        url = urlsplit(store.presigned_get(key))
        headers = {"Range": f"bytes={offset}-{offset + length - 1}"}
        out.append(load.get(f"{url.path}?{url.query}", headers, host=url.netloc))
    return out


def measure_store(
    pg_url: str,
    s3: servers.SeaweedS3,
    store: S3Store,
    args: argparse.Namespace,
    targets: data.Targets,
) -> load.Result:
    """SeaweedFS alone under the warc case's load: the floor the API's figure stands on."""
    rng = random.Random(args.seed + 11)
    port = int(urlsplit(s3.endpoint).port or 80)
    load.run(
        port,
        store_requests(pg_url, store, targets.warc_captures, max(200, args.requests // 5), rng),
        args.concurrency,
    )
    res = load.run(
        port,
        store_requests(pg_url, store, targets.warc_captures, args.requests, rng),
        args.concurrency,
    )
    print(_line(f"store alone @{args.concurrency}", res, EXPECTED["store"]), flush=True)
    return res


def _line(label: str, res: load.Result, expected: int) -> str:
    wrong = sum(n for status, n in res.statuses.items() if status != expected)
    errors = sum(res.errors.values())
    bad = f"  UNEXPECTED: {dict(res.statuses)} {dict(res.errors)}" if wrong or errors else ""
    return (
        f"  {label:<22} n={len(res.latencies):>5}  p50 {res.pct(50):7.1f}  p90 {res.pct(90):7.1f}"
        f"  p99 {res.pct(99):7.1f}  max {res.pct(100):7.1f} ms  {res.throughput:7.0f} req/s"
        f"  client cpu {res.client_cpu / max(1, len(res.latencies)) * 1e3:.2f} ms/req{bad}"
    )


def measure(
    port: int, args: argparse.Namespace, targets: data.Targets, cases: tuple[str, ...]
) -> dict[str, load.Result]:
    rng = random.Random(args.seed + 7)
    results: dict[str, load.Result] = {}
    for case in cases:
        warm = requests_for(case, max(200, args.requests // 5), targets, rng)
        load.run(port, warm, args.concurrency)
        res = load.run(port, requests_for(case, args.requests, targets, rng), args.concurrency)
        results[case] = res
        print(_line(f"{case} @{args.concurrency}", res, EXPECTED[case]), flush=True)
        if args.serial_requests > 0 and not args.profile:
            serial = load.run(port, requests_for(case, args.serial_requests, targets, rng), 1)
            print(_line(f"{case} @1", serial, EXPECTED[case]), flush=True)
    return results


def start_api(
    stack: contextlib.ExitStack, env: dict[str, str], workers: int, profile: Path | None
) -> tuple[int, subprocess.Popen[bytes]]:
    port = servers.free_port()
    cmd = [sys.executable, str(HERE / "_lookup_server.py"), "--port", str(port)]
    cmd += ["--workers", str(workers)] + (["--profile", str(profile)] if profile else [])
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    stack.callback(servers.stop_process, proc, signal.SIGTERM, 60)
    servers.wait_port(load.HOST, port, 180, proc)  # imports are slow on a busy host
    return port, proc


def server_env(
    pg_url: str, s3: servers.SeaweedS3, work: Path, *, cache: bool = True
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("CITEVAULT_")}
    env.update(
        CITEVAULT_DATABASE_URL=pg_url,
        CITEVAULT_DATA_DIR=str(work / "data"),
        CITEVAULT_STORE__URL=f"s3://{s3.bucket}/archive",
        CITEVAULT_STORE__ENDPOINT_URL=s3.endpoint,
        CITEVAULT_STORE__REGION="us-east-1",
        CITEVAULT_STORE__ACCESS_KEY_ID=s3.access_key,
        CITEVAULT_STORE__SECRET_ACCESS_KEY=s3.secret_key,
        PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT)]),
    )
    if not cache:
        env["CITEVAULT_CITATIONS_CACHE_ENTRIES"] = "0"
    return env


def report_targets(label: str, results: dict[str, load.Result]) -> None:
    for case, limit in TARGETS.items():
        if case in results:
            p99 = results[case].pct(99)
            verdict = "holds" if p99 < limit else "MISSED"
            print(f"  target {label} {case}: p99 {p99:.1f} ms < {limit:.0f} ms: {verdict}")


def print_profile(path: Path, top: int = 30) -> None:
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(str(path), stream=out).sort_stats(order).print_stats(top)
        text = out.getvalue()
        print(f"\n--- server profile, top {top} by {order} ---")
        print(text[text.find("   ncalls") :].rstrip())


def run(args: argparse.Namespace, stack: contextlib.ExitStack) -> None:
    work = Path(tempfile.mkdtemp(prefix="citevault-lookup-"))
    work.chmod(0o755)  # PostgreSQL runs as nobody and must reach its folder
    if args.keep:
        print(f"work folder (kept): {work}")
    else:
        stack.callback(shutil.rmtree, work, True)
    t0 = time.monotonic()
    pg = servers.start_postgres(stack, work)
    s3 = servers.start_seaweedfs(stack, work, BUCKET, cache_mb=args.store_cache_mb)
    pg_url = pg.create_database("citevault")
    migrate.upgrade(pg_url)
    print(f"servers up and migrated in {time.monotonic() - t0:.1f} s", flush=True)

    env = server_env(pg_url, s3, work, cache=not args.no_cache)
    settings = load_settings(
        database_url=pg_url,
        store={
            "url": env["CITEVAULT_STORE__URL"],
            "endpoint_url": s3.endpoint,
            "region": "us-east-1",
            "access_key_id": s3.access_key,
            "secret_access_key": s3.secret_key,
        },
    )
    sizes = data.Sizes.at(args.scale)
    print(
        f"filling: {sizes.documents:,} documents, {sizes.citations:,} citations, "
        f"{sizes.captures:,} captures (+ as many links), {sizes.urls:,} URLs on "
        f"{sizes.hosts:,} hosts, {data.RECORDS} WARC records",
        flush=True,
    )
    t0 = time.monotonic()
    targets = data.fill(pg_url, sizes, work, open_store(settings), args.seed)
    fill = time.monotonic() - t0
    store = open_store(settings)
    assert isinstance(store, S3Store)
    rows = sizes.documents * 2 + sizes.citations + sizes.captures * 2
    print(
        f"fill: {fill:.1f} s ({rows / fill:,.0f} rows/s incl. index builds and VACUUM ANALYZE); "
        f"mean WARC record {targets.record_bytes / 1024:.1f} KiB",
        flush=True,
    )

    if args.profile:
        prof = work / "server.prof"
        with contextlib.ExitStack() as api:
            port, _ = start_api(api, env, 1, prof)
            print(f"\n{args.profile} under cProfile, 1 worker, {args.concurrency} in flight:")
            measure(port, args, targets, (args.profile,))
        print_profile(prof)
    else:
        print(f"\nSeaweedFS: -s3.cacheCapacityMB={args.store_cache_mb}", flush=True)
        for workers in (int(w) for w in args.workers.split(",") if w.strip()):
            with contextlib.ExitStack() as api:
                port, _ = start_api(api, env, workers, None)
                print(f"\nuvicorn workers={workers}  (latency = time to last byte)", flush=True)
                results = measure(port, args, targets, CASES)
                # Right after the API's warc case, with the API idle: the store's own share.
                store_alone = measure_store(pg_url, s3, store, args, targets)
                print(
                    f"  warc through the API vs the store alone: p50 "
                    f"{results['warc'].pct(50) / store_alone.pct(50):.2f}x, "
                    f"p99 {results['warc'].pct(99) / store_alone.pct(99):.2f}x",
                    flush=True,
                )
                if args.concurrency == TARGET_CONCURRENCY:
                    report_targets(f"workers={workers}", results)
                else:
                    print(f"  targets are defined at {TARGET_CONCURRENCY} in flight; not judged")
    if args.keep:
        port, _ = start_api(stack, env, 1, None)
        print(f"\nkept: API http://127.0.0.1:{port}  database {pg_url}  S3 {s3.endpoint}")
        print("press Ctrl-C to stop everything and delete the data", flush=True)
        signal.pause()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        try:
            run(args, stack)
        except KeyboardInterrupt:
            if not args.keep:
                raise
    print(f"\ntotal {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
