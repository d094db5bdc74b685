"""What capturing costs: citevault end to end against plain Scrapy and wget.

Generates a site of 20–50 KB article pages (links, two images, a shared and
sometimes a per-page stylesheet, some redirects and 404s), serves it with
nginx on 127.0.0.1, and crawls the same URL list, pages plus requisites, with:

* ``a scrapy``: plain Scrapy, default settings, no storage (the baseline:
  what is left above it is the price of capturing);
* ``b cv <db> <n>w``: citevault end to end, ``python -m crawler.worker``
  processes leasing jobs from the database, writing WARC, uploading to the
  store and committing rows: SQLite + local folder, and PostgreSQL +
  SeaweedFS (S3), each with one worker and with one worker per core;
* ``c wget``: ``wget --page-requisites --warc-file -i urls.txt``.

Configurations run interleaved (a b b b b c, a b b b b c, ...) so that a noisy
neighbour slows all of them alike, and medians are reported.  Two network
conditions: loopback as is, and 100 ms added to every answer, by ``tc netem``
on a veth pair into a network namespace where the kernel has netem, else by
a delaying front server on 127.0.0.1 (the output says which).  Latency runs
use fewer pages so that wget, one request at a time, stays bounded, and
spread the cited pages over several loopback hosts (127.0.0.1 to 127.0.0.N,
``--latency-hosts``; the delaying front server only), as a document's citations
point at many sites: per-host connection limits, Scrapy's and citevault's
alike, then bound each host and not the whole run.

    .venv/bin/python bench/crawl.py              # both conditions, ~20 min
    .venv/bin/python bench/crawl.py --quick      # smoke run, ~2 min
    .venv/bin/python bench/crawl.py --rss        # peak RSS of one worker, 10,000 URLs
    .venv/bin/python bench/crawl.py --profile out.prof   # one worker under cProfile
    .venv/bin/python bench/crawl.py --baseline ../main   # this tree beside another checkout

With ``--baseline TREE`` every citevault configuration runs once with the
workers importing TREE's code (``PYTHONPATH`` and working folder set to it)
and once with this tree's, side by side in each repetition, from the same
URL list, servers and prepared jobs; the run ends with each configuration's
CPU per exchange under both trees and their ratio (target: this <= 1.1 x the
baseline).  Both trees must have the same Alembic head.

Targets (reported, not asserted; the exit code is 0 whenever the run
completed): one worker >= 0.85 x plain Scrapy pages/s with no more CPU per
exchange; one worker per core >= 0.8 x wget pages/s on loopback; >= 10 x wget
pages/s with 100 ms latency; one worker under 400 MB peak RSS on a
10,000-URL crawl.  Runs as root (nginx, namespaces); PostgreSQL runs as
``nobody``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import _crawl_report as report  # noqa: E402
import _crawl_runs as runs  # noqa: E402
import _crawl_site as site  # noqa: E402
import _servers as servers  # noqa: E402
import _trees  # noqa: E402

DELAY_MS = 100
RSS_EXCHANGES = 10_000
SITE_PAGES = 2000
CPU_LIMIT = 1.1  # this tree's CPU per exchange against the baseline's


class _Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Keeps the module docstring's layout and shows each option's default."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/crawl.py", description=__doc__, formatter_class=_Formatter
    )
    parser.add_argument("--pages", type=int, default=2000, help="URL list length on loopback")
    parser.add_argument(
        "--latency-pages", type=int, default=300, help="URL list length with 100 ms latency"
    )
    parser.add_argument(
        "--reps",
        type=int,
        default=3,
        help="interleaved repetitions (with --baseline, rounded up to an even number)",
    )
    parser.add_argument(
        "--latency-hosts",
        type=int,
        default=8,
        help="loopback hosts the latency list is spread over (delaying front server only)",
    )
    parser.add_argument("--only", choices=("loopback", "latency"), help="one condition only")
    parser.add_argument(
        "--skip-postgres", action="store_true", help="no PostgreSQL + SeaweedFS configurations"
    )
    parser.add_argument(
        "--rss",
        action="store_true",
        help=f"instead: one worker crawls {RSS_EXCHANGES:,} URLs (pages plus requisites); "
        "reports its peak RSS against 400 MB",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="instead: one worker crawls --pages on loopback under cProfile; "
        "writes FILE and prints the hot spots",
    )
    parser.add_argument(
        "--profile-backend",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="with --profile: SQLite + local folder, or PostgreSQL + SeaweedFS",
    )
    _trees.add_baseline_option(parser)
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 100 + 30 pages, one repetition"
    )
    parser.add_argument(
        "--per-host",
        type=int,
        default=8,
        help="citevault fetch.concurrency_per_host (8 is Scrapy's per-domain default)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.pages, args.latency_pages, args.reps = 100, 30, 1
    if min(args.pages, args.latency_pages, args.reps, args.per_host) < 1:
        parser.error("--pages, --latency-pages, --reps and --per-host must be at least 1")
    if not 1 <= args.latency_hosts <= 254:
        parser.error("--latency-hosts must be 1 to 254")
    if args.baseline is not None and args.profile is not None:
        parser.error("--profile looks at this tree alone; drop --baseline")
    if args.baseline is not None:
        # Each tree goes first as often as the other: a pair's second run can
        # find the machine in another state (the first run's dropped database,
        # its files in the page cache), and that must not favour one tree.
        args.reps += args.reps % 2
    return args


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _backends(stack: contextlib.ExitStack, work: Path, skip_postgres: bool) -> list[runs.Backend]:
    found = [runs.Backend("sqlite")]
    if not skip_postgres:
        started = time.perf_counter()
        pg = servers.start_postgres(stack, work)
        s3 = servers.start_seaweedfs(stack, work, "citevault-bench")
        took = time.perf_counter() - started
        print(f"PostgreSQL on 127.0.0.1:{pg.port}, SeaweedFS S3 at {s3.endpoint} ({took:.1f} s)")
        found.append(runs.Backend("postgres", pg=pg, s3=s3))
    return found


def _context(
    work: Path,
    nginx: servers.Nginx,
    base: str | list[str],
    count: int,
    pages: int,
    label: str,
    per_host: int,
) -> runs.Context:
    plan = site.plan([base] if isinstance(base, str) else base, count, pages)
    urls_file = work / f"urls-{label}.txt"
    urls_file.write_text("\n".join(plan.urls) + "\n")
    return runs.Context(work, nginx, plan, urls_file, label, per_host)


def _latency_base(
    stack: contextlib.ExitStack,
    work: Path,
    site_dir: Path,
    nginx: servers.Nginx,
    port: int,
    hosts: int,
) -> tuple[servers.Nginx, list[str], str]:
    ns, addr, why = servers.make_delayed_namespace(stack, DELAY_MS)
    if ns:
        far, far_port = servers.start_nginx(stack, work, site_dir, addr, ns)
        how = (
            f"tc netem delay {DELAY_MS}ms on a veth into network namespace {ns} ({addr}), one host"
        )
        return far, [f"http://{addr}:{far_port}"], how
    proxy = servers.start_delay_proxy(stack, port, DELAY_MS / 1000, hosts)
    how = (
        f"delaying front server on port {proxy} of 127.0.0.1 to 127.0.0.{hosts} ({hosts} "
        f"hosts; +{DELAY_MS} ms per answer and per new connection); netem is not available "
        f"here: {why}"
    )
    return nginx, [f"http://127.0.0.{n}:{proxy}" for n in range(1, hosts + 1)], how


def _condition(
    ctx: runs.Context, backends: list[runs.Backend], trees: list[_trees.Tree], reps: int
) -> list[runs.Sample]:
    for backend in backends:
        runs.prepare(ctx, backend)
        print(
            f"  citevault add ({backend.name}): {len(ctx.plan.urls)} citations queued in "
            f"{backend.add_seconds:.1f} s (not part of the crawl figures)",
            flush=True,
        )
    warm = ctx.work / f"urls-{ctx.label}-warmup.txt"
    warm.write_text("\n".join(ctx.plan.urls[:20]) + "\n")
    runs.run_scrapy(ctx, f"{ctx.label}-warmup", warm)  # compiled modules in the page cache
    samples: list[runs.Sample] = []
    for rep in range(reps):
        order: list[tuple[str, runs.Runner]] = [("a", runs.run_scrapy)]
        for backend in backends:
            for workers in sorted({1, os.cpu_count() or 2}):
                for tree in _trees.in_turn(trees, rep):
                    key = f"b{backend.name}{workers}-{tree.name}"
                    order.append((key, _cv(backend, workers, tree)))
        order.append(("c", runs.run_wget))
        for key, runner in order:
            sample = runner(ctx, f"{ctx.label}-{rep}-{key}")
            report.progress(rep, sample, len(ctx.plan.urls))
            samples.append(sample)
    return samples


def _cv(backend: runs.Backend, workers: int, tree: _trees.Tree) -> runs.Runner:
    def run(ctx: runs.Context, tag: str) -> runs.Sample:
        return runs.run_citevault(ctx, tag, backend, workers, tree)

    return run


def compare(
    args: argparse.Namespace, stack: contextlib.ExitStack, work: Path, trees: list[_trees.Tree]
) -> None:
    conditions = ["loopback", "latency"] if args.only is None else [args.only]
    counts = {"loopback": args.pages, "latency": args.latency_pages}
    # the site has at least 2,000 pages, so that a short list is still drawn from a big site
    pages = max([counts[c] for c in conditions] + ([] if args.quick else [SITE_PAGES]))
    site_dir = _site(work, pages)
    nginx, port = servers.start_nginx(stack, work, site_dir, servers.HOST, None)
    backends = _backends(stack, work, args.skip_postgres)
    report.header(args, per_host=args.per_host)
    for condition in conditions:
        if condition == "loopback":
            server, base = nginx, [f"http://127.0.0.1:{port}"]
            how = "loopback, no added latency, one host"
        else:
            server, base, how = _latency_base(
                stack, work, site_dir, nginx, port, args.latency_hosts
            )
        ctx = _context(work, server, base, counts[condition], pages, condition, args.per_host)
        print(
            f"\n== {condition}: {how}\n  {len(ctx.plan.urls)} list URLs, "
            f"{ctx.plan.exchanges} exchanges for a complete crawl",
            flush=True,
        )
        samples = _condition(ctx, backends, trees, args.reps)
        report.summary(condition, samples, len(ctx.plan.urls), ctx.plan.exchanges)
        if len(trees) > 1:
            report.beside_baseline(condition, samples, len(ctx.plan.urls), limit=CPU_LIMIT)


def _site(work: Path, pages: int) -> Path:
    started = time.perf_counter()
    site_dir = work / "site"
    site.generate(site_dir, pages)
    size = sum(f.stat().st_size for f in site_dir.rglob("*") if f.is_file())
    took = time.perf_counter() - started
    print(f"site: {pages} pages, {size / 1e6:.0f} MB in {took:.1f} s", flush=True)
    return site_dir


def rss(
    args: argparse.Namespace, stack: contextlib.ExitStack, work: Path, trees: list[_trees.Tree]
) -> None:
    pages = site.pages_for_exchanges(RSS_EXCHANGES)
    site_dir = _site(work, pages)
    nginx, port = servers.start_nginx(stack, work, site_dir, servers.HOST, None)
    ctx = _context(work, nginx, f"http://127.0.0.1:{port}", pages, pages, "rss", args.per_host)
    print(f"\n== peak RSS: {pages} list URLs, {ctx.plan.exchanges} exchanges, one worker")
    samples = []
    for backend in _backends(stack, work, args.skip_postgres):
        runs.prepare(ctx, backend)
        print(f"  citevault add ({backend.name}): {backend.add_seconds:.1f} s", flush=True)
        for tree in trees:
            tag = f"rss-{backend.name}-{tree.name}"
            samples.append(runs.run_citevault(ctx, tag, backend, 1, tree))
            report.progress(0, samples[-1], pages)
    report.rss_summary(samples, pages, limit_mb=400)


def profile(
    args: argparse.Namespace, stack: contextlib.ExitStack, work: Path, trees: list[_trees.Tree]
) -> None:
    site_dir = _site(work, args.pages)
    nginx, port = servers.start_nginx(stack, work, site_dir, servers.HOST, None)
    base = f"http://127.0.0.1:{port}"
    ctx = _context(work, nginx, base, args.pages, args.pages, "profile", args.per_host)
    backends = _backends(stack, work, args.profile_backend == "sqlite")
    backend = backends[-1]
    runs.prepare(ctx, backend)
    out = args.profile.resolve()
    sample = runs.run_citevault(ctx, "profile", backend, 1, trees[-1], profile=out)
    report.progress(0, sample, args.pages)
    print(f"\nprofile written to {out} (cProfile slows the run; figures above are not comparable)")
    report.hot_spots(out)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    with contextlib.ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix="citevault-bench-"))
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        work.chmod(0o755)  # nginx workers and PostgreSQL run as nobody
        try:
            trees = _trees.trees(args.baseline)
            _trees.check(trees, runs.clean_env())
            run = profile if args.profile else rss if args.rss else compare
            run(args, stack, work, trees)
        except KeyboardInterrupt:
            print("\ninterrupted; stopping servers and removing", work, file=sys.stderr)
            return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
