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
    .venv/bin/python bench/lookup.py --baseline ../main  # this tree beside another checkout

With ``--baseline TREE`` the data is filled once and the API of each tree
(uvicorn importing that tree's code, from the same interpreter) answers the
same requests in turn, case by case and repetition by repetition, the first
tree alternating, so that a noisy neighbour slows both alike.  Each case is
reported for both trees with this tree's p99 over the baseline's, and a
final table judges every p99 against 1.3 x the baseline's.  Both trees must
have the same Alembic head (one data set serves both).

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
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (HERE, ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import _lookup_data as data  # noqa: E402
import _lookup_load as load  # noqa: E402
import _lookup_report as report  # noqa: E402
import _lookup_requests as ask  # noqa: E402
import _servers as servers  # noqa: E402
import _trees  # noqa: E402

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
P99_LIMIT = 1.3  # this tree's p99 against the baseline's


class _Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Keeps the module docstring's layout and shows each option's default."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/lookup.py", description=__doc__, formatter_class=_Formatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full data set")
    parser.add_argument(
        "--requests", type=int, default=2000, help="measured requests per case, tree and repetition"
    )
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
    _trees.add_baseline_option(parser)
    parser.add_argument(
        "--reps",
        type=int,
        default=2,
        help="interleaved repetitions of every case and tree (with --baseline, rounded up"
        " to an even number)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the data and requests")
    parser.add_argument(
        "--keep", action="store_true", help="keep the servers (and data) until Ctrl-C"
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1 or min(args.requests, args.concurrency, args.reps) < 1:
        parser.error("--scale must be in (0, 1]; --requests, --concurrency, --reps at least 1")
    if args.baseline is not None and args.profile is not None:
        parser.error("--profile looks at this tree alone; drop --baseline")
    if args.baseline is not None:
        # Each tree goes first as often as the other: a pair's second run can
        # find the machine in another state (caches, the database's buffers and
        # the load generator's heap just exercised), and that must not favour one tree.
        args.reps += args.reps % 2
    return args


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
        ask.store_requests(pg_url, store, targets.warc_captures, max(200, args.requests // 5), rng),
        args.concurrency,
    )
    res = load.run(
        port,
        ask.store_requests(pg_url, store, targets.warc_captures, args.requests, rng),
        args.concurrency,
    )
    print(report.line(f"store alone @{args.concurrency}", res, EXPECTED["store"]), flush=True)
    return res


def measure(
    ports: dict[str, int],
    args: argparse.Namespace,
    targets: data.Targets,
    trees: list[_trees.Tree],
    cases: tuple[str, ...],
    reps: int,
) -> report.Figures:
    """Every case on every tree's API, trees in turn within each case and repetition.

    Both trees get the very same requests (one list per case and repetition).
    """
    rng = random.Random(args.seed + 7)
    serial = args.serial_requests > 0 and not args.profile
    runs: dict[tuple[str, str], list[load.Result]] = {}
    for rep in range(reps):
        for case in cases:
            warm = ask.requests_for(case, max(200, args.requests // 5), targets, rng)
            timed = ask.requests_for(case, args.requests, targets, rng)
            one = ask.requests_for(case, args.serial_requests, targets, rng) if serial else []
            for tree in _trees.in_turn(trees, rep):
                port = ports[tree.name]
                load.run(port, warm, args.concurrency)
                runs_of = [(f"{case} @{args.concurrency}", timed, args.concurrency)]
                runs_of += [(f"{case} @1", one, 1)] if serial else []
                for label, requests, concurrency in runs_of:
                    res = load.run(port, requests, concurrency)
                    runs.setdefault((tree.name, label), []).append(res)
                    tag = f"{tree.name} {label} rep {rep + 1}"
                    print(report.line(tag, res, EXPECTED[case]), flush=True)
    figures: report.Figures = {tree.name: {} for tree in trees}
    for (name, label), results in runs.items():
        figures[name][label] = load.merged(results)
    return figures


def start_api(
    stack: contextlib.ExitStack,
    env: dict[str, str],
    tree: _trees.Tree,
    workers: int,
    profile: Path | None,
) -> tuple[int, subprocess.Popen[bytes]]:
    port = servers.free_port()
    cmd = [sys.executable, str(HERE / "_lookup_server.py"), "--port", str(port)]
    cmd += ["--workers", str(workers)] + (["--profile", str(profile)] if profile else [])
    proc = subprocess.Popen(cmd, env=tree.env(env, HERE), cwd=tree.root, start_new_session=True)
    stack.callback(servers.stop_process, proc, signal.SIGTERM, 60)
    servers.wait_port(load.HOST, port, 180, proc)  # imports are slow on a busy host
    return port, proc


def server_env(
    pg_url: str, s3: servers.SeaweedS3, work: Path, *, cache: bool = True
) -> dict[str, str]:
    """The API's settings; which tree's code it runs is added by ``Tree.env``."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("CITEVAULT_")}
    env.update(
        CITEVAULT_DATABASE_URL=pg_url,
        CITEVAULT_DATA_DIR=str(work / "data"),
        CITEVAULT_STORE__URL=f"s3://{s3.bucket}/archive",
        CITEVAULT_STORE__ENDPOINT_URL=s3.endpoint,
        CITEVAULT_STORE__REGION="us-east-1",
        CITEVAULT_STORE__ACCESS_KEY_ID=s3.access_key,
        CITEVAULT_STORE__SECRET_ACCESS_KEY=s3.secret_key,
    )
    if not cache:
        env["CITEVAULT_CITATIONS_CACHE_ENTRIES"] = "0"
    return env


def run(args: argparse.Namespace, stack: contextlib.ExitStack, trees: list[_trees.Tree]) -> None:
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

    this = trees[-1]
    if args.profile:
        prof = work / "server.prof"
        with contextlib.ExitStack() as api:
            port, _ = start_api(api, env, this, 1, prof)
            print(f"\n{args.profile} under cProfile, 1 worker, {args.concurrency} in flight:")
            measure({this.name: port}, args, targets, [this], (args.profile,), 1)
        report.profile(prof)
    else:
        compare(args, env, trees, targets, lambda: measure_store(pg_url, s3, store, args, targets))
    if args.keep:
        port, _ = start_api(stack, env, this, 1, None)
        print(f"\nkept: API http://127.0.0.1:{port}  database {pg_url}  S3 {s3.endpoint}")
        print("press Ctrl-C to stop everything and delete the data", flush=True)
        signal.pause()


def compare(
    args: argparse.Namespace,
    env: dict[str, str],
    trees: list[_trees.Tree],
    targets: data.Targets,
    store_alone: Callable[[], load.Result],
) -> None:
    """Each worker count: every tree's API up at once, measured in turn; then the summaries."""
    print(f"\nSeaweedFS: -s3.cacheCapacityMB={args.store_cache_mb}", flush=True)
    rows: list[tuple[str, load.Result, load.Result]] = []
    for workers in (int(w) for w in args.workers.split(",") if w.strip()):
        with contextlib.ExitStack() as api:
            # Started together, so that each waits idle while the other is measured.
            ports = {tree.name: start_api(api, env, tree, workers, None)[0] for tree in trees}
            print(
                f"\nuvicorn workers={workers}  (latency = time to last byte; "
                f"{report.load_average()})",
                flush=True,
            )
            figures = measure(ports, args, targets, trees, CASES, args.reps)
        report.summary(figures, EXPECTED)
        # With every API stopped: the store's own share of the warc case.
        store = store_alone()
        warc = f"warc @{args.concurrency}"
        for name, results in figures.items():
            print(
                f"  {name}: warc through the API vs the store alone: p50 "
                f"{results[warc].pct(50) / store.pct(50):.2f}x, "
                f"p99 {results[warc].pct(99) / store.pct(99):.2f}x",
                flush=True,
            )
            if args.concurrency == TARGET_CONCURRENCY:
                report.targets(f"{name} workers={workers}", results, TARGETS, args.concurrency)
        if args.concurrency != TARGET_CONCURRENCY:
            print(f"  targets are defined at {TARGET_CONCURRENCY} in flight; not judged")
        if "baseline" in figures:
            rows += [
                (f"{label} w{workers}", figures["baseline"][label], this)
                for label, this in figures["this"].items()
            ]
    if rows:
        report.beside_baseline(rows, P99_LIMIT)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    started = time.monotonic()
    trees = _trees.trees(args.baseline)
    _trees.check(trees, {k: v for k, v in os.environ.items() if not k.startswith("CITEVAULT_")})
    with contextlib.ExitStack() as stack:
        try:
            run(args, stack, trees)
        except KeyboardInterrupt:
            if not args.keep:
                raise
    print(f"\ntotal {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
