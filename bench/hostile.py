"""Peak memory of one crawl process for each hostile case, with default settings.

Serves the hostile cases of ``tests.sites.hostile`` on 127.0.0.1 (bombs of
1 GiB once decoded, as in the issue) and captures each one in a process of
its own, the way ``crawler.worker`` runs a crawl: ``run_crawl`` with the
default settings (``max_response_bytes`` 100 MiB, ``max_decompressed_bytes``
500 MiB, the default job budgets), except that loopback is allowed and the
deadlines are shortened (``--deadline``, ``--job-seconds``) so that the slow
cases do not take two minutes each.  Each process then reports its own peak
RSS (``VmHWM``) and what became of the job, and a normal page captured after
the hostile one in the same crawl shows that the crawl went on (the
"requests" column counts what the server answered, that page and its image
included).

    .venv/bin/python bench/hostile.py            # every case, ~2 min
    .venv/bin/python bench/hostile.py /bomb/br.html /trap/import.html
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CASES = [
    "/ok.html",
    "/status/huge",
    "/headers/odd",
    "/headers/many",
    "/chunked/endless",
    "/length/short",
    "/length/long",
    "/slow/headers",
    "/slow/body",
    "/bomb/gzip.html",
    "/bomb/br.html",
    "/bomb/gzip-gzip.html",
    "/bomb/deflate.html",
    "/bomb/gzip.tags",
    "/requisite-bombs.html",
    "/trap/import.html",
    "/trap/frames.html",
    "/many-images.html",
    "/big-images.html",
    "/slow-images.html",
    "/redirect/onwards/1",
]


def _peak_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """One crawl: the hostile URL (job 1), then a normal page (job 2)."""
    from archive.capture.contract import JobSpec
    from archive.settings import load_settings
    from crawler.run import run_crawl
    from tests.crawler.fakes import DictDigestIndex, ListJobSource, ListSink

    spool = Path(spec["spool"])
    settings = load_settings(data_dir=spool, fetch=spec["fetch"])
    source = ListJobSource([JobSpec(1, spec["url"]), JobSpec(2, spec["next"])])
    sink = ListSink()
    started = time.monotonic()
    stats = run_crawl(
        settings,
        source,
        DictDigestIndex({}),
        sink,
        spool,
        block_private=False,
        overrides={
            "LOG_LEVEL": "WARNING",
            "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        },
    )
    return {
        "peak_rss_kb": _peak_rss_kb(),
        "seconds": time.monotonic() - started,
        "pages": stats.pages,
        "exchanges": stats.exchanges,
        "truncated": stats.truncated,
        "budgets": stats.budgets,
        "failures": source.failures,
        "warc_bytes": sum(path.stat().st_size for path in sink.paths),
    }


def _outcome(url: str, result: dict[str, Any]) -> str:
    failed = {job for job, _, _ in result["failures"]}
    if 2 in failed:
        return "NEXT PAGE FAILED"
    if 1 in failed:
        reason = next(r for job, r, _ in result["failures"] if job == 1)
        return "failed: " + reason.split(":")[0][:40]
    budgets = [b for u, b in result["budgets"] if u == url]
    return "captured" + (f", budget {budgets[0]}" if budgets else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="*", default=CASES)
    parser.add_argument("--deadline", type=float, default=10.0, help="download_timeout_seconds")
    parser.add_argument("--job-seconds", type=float, default=20.0, help="max_seconds_per_job")
    parser.add_argument("--bomb-gib", type=float, default=1.0, help="decoded size of the bombs")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0

    from tests.sites.hostile import HostileServer

    print(f"load average: {os.getloadavg()}; bombs {args.bomb_gib} GiB decoded")
    fetch = {"download_timeout_seconds": args.deadline, "max_seconds_per_job": args.job_seconds}
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITEVAULT_")}
    env["PYTHONPATH"] = str(ROOT)
    rows = []
    with (
        HostileServer(bomb_size=int(args.bomb_gib * (1 << 30))) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        for number, case in enumerate(args.cases):
            spec = {
                "spool": str(Path(tmp) / f"spool-{number}"),
                "url": server.url(case),
                "next": server.url(f"/ok.html?after={number}"),
                "fetch": fetch,
            }
            before = len(server.paths())
            done = subprocess.run(
                [sys.executable, __file__, "--child", json.dumps(spec)],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                timeout=900,
            )
            if done.returncode != 0:
                print(f"{case}: the crawl process failed\n{done.stderr[-2000:]}")
                return 1
            result = json.loads(done.stdout.strip().splitlines()[-1])
            served = len(server.paths()) - before
            rows.append((case, _outcome(spec["url"], result), served, result))
            print(
                f"{case:24} {rows[-1][1]:44} requests {served:5}  "
                f"peak RSS {result['peak_rss_kb'] / 1024:6.1f} MB  {result['seconds']:6.1f} s",
                flush=True,
            )
    worst = max(row[3]["peak_rss_kb"] for row in rows) / 1024
    print(f"highest peak RSS: {worst:.1f} MB (target: under 300 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
