"""What checking cited URLs costs: checks per second, peak RSS, drift scoring time.

Serves small article pages with nginx on 127.0.0.1 behind the delaying front
server (``_delay_proxy.py``, 100 ms added to every answer and to every new
connection), listening on 1,000 loopback addresses (127.0.0.1 ... 127.0.3.238):
1,000 sites.  A document cites ``--per-host`` pages of each; one worker
(``archive.health.runner.run_checks``, in this process, on SQLite) checks
them all with the default politeness (``fetch.concurrency_per_host`` = 4,
``fetch.delay_seconds`` = 0) and ``health.concurrency`` threads.  Two rounds
run back to back: the first sees every URL for the first time (HEAD, then
GET for the text, and one random-sibling probe per site), the second knows
the URLs are pages and sends one GET each (siblings probed again).  Then the
drift scoring of a 50 KB page: main text, fingerprint and comparison with
a baseline fingerprint, CPU time per page, median of ``--drift-runs``.

    .venv/bin/python bench/health.py                # 1,000 hosts x 5 pages
    .venv/bin/python bench/health.py --hosts 100 --per-host 2   # quick

Targets (reported, not asserted): >= 200 checks/s per worker, peak RSS
< 300 MB, drift scoring < 20 ms CPU for a 50 KB page.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

import _servers as servers  # noqa: E402
from _delay_proxy import host_address  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from archive.clock import SystemClock  # noqa: E402
from archive.db.models import Citation, Document, DocumentVersion  # noqa: E402
from archive.health.drift import compare  # noqa: E402
from archive.health.plan import plan_checks  # noqa: E402
from archive.health.runner import run_checks  # noqa: E402
from archive.health.text import fingerprint, main_text  # noqa: E402
from archive.runtime import Runtime  # noqa: E402
from archive.settings import load_settings  # noqa: E402

DELAY = 0.1
COMMON = ["the", "of", "and", "to", "in", "a", "is", "that", "for", "it"]
VOCABULARY = [f"term{n}" for n in range(4000)] + COMMON


def _article(rng: random.Random, words: int) -> str:
    paragraphs = []
    while words > 0:
        n = min(words, 90)
        paragraphs.append("<p>" + " ".join(rng.choice(VOCABULARY) for _ in range(n)) + ".</p>")
        words -= n
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Article</title>"
        "<style>body{font:16px serif}</style><script>var x = 1;</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/about'>About</a> <a href='/contact'>Contact</a></nav>"
        f"<article><h1>Article</h1>{''.join(paragraphs)}</article>"
        "<aside>Related: <a href='/a'>one</a> <a href='/b'>two</a></aside>"
        "<footer>Copyright the bench site</footer></body></html>"
    )


def _site(folder: Path, pages: int) -> None:
    rng = random.Random(7)
    (folder / "p").mkdir(parents=True)
    folder.chmod(0o755)
    for n in range(pages):
        (folder / "p" / f"{n}.html").write_text(_article(rng, 400))


def _cite(rt: Runtime, base_urls: list[str], per_host: int) -> int:
    urls = [f"{base}/p/{n}.html" for n in range(per_host) for base in base_urls]
    with rt.sessions()() as s, s.begin():
        s.add(Document(id="bench", latest_version=1))
        version = DocumentVersion(
            document_id="bench",
            version=1,
            sha256="0" * 64,
            size=1,
            format="text",
            store_key="documents/bench",
        )
        s.add(version)
        s.flush()
        rows = [
            {
                "version_id": version.id,
                "document_id": "bench",
                "ordinal": i,
                "kind": "url",
                "extractor": "text",
                "url_as_cited": url,
                "url_normalized": url,
                "resolution": "resolved",
                "resolved_url": url,
            }
            for i, url in enumerate(urls)
        ]
        s.execute(insert(Citation), rows)
    return len(urls)


def _round(rt: Runtime, tick: str) -> tuple[float, int, Counter[str]]:
    clock = SystemClock()
    with rt.sessions()() as s:
        created = plan_checks(s, document_id="bench", tick_key=tick, schedule_id=None)
        s.commit()
    start = time.monotonic()
    summary = run_checks(rt, clock)
    took = time.monotonic() - start
    assert summary.checked == created, (summary.checked, created)
    return took, summary.checked, Counter({str(k): v for k, v in summary.states.items()})


def _drift_ms(runs: int) -> tuple[float, int]:
    rng = random.Random(11)
    before = _article(rng, 5600).encode()
    # the live page: the same article with a tenth of its paragraphs rewritten
    after = before.replace(b"<p>term1", b"<p>changed words here term1", 30)
    baseline = fingerprint(main_text(before, "text/html"))
    settings = load_settings().health
    times = []
    for _ in range(runs):
        start = time.process_time()
        live = fingerprint(main_text(after, "text/html"))
        compare(baseline, live, settings)
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times), len(after)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--per-host", type=int, default=5)
    parser.add_argument("--drift-runs", type=int, default=30)
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores", flush=True)
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # nginx's worker process runs as another user
        _site(work / "site", args.per_host)
        _nginx, port = servers.start_nginx(stack, work, work / "site", servers.HOST, None)
        proxy = servers.start_delay_proxy(stack, port, DELAY, args.hosts)
        bases = [f"http://{host_address(n)}:{proxy}" for n in range(1, args.hosts + 1)]
        settings = load_settings(data_dir=work / "data", fetch={"block_private_addresses": False})
        rt = Runtime(settings)
        total = _cite(rt, bases, args.per_host)
        print(
            f"{total} cited URLs on {args.hosts} loopback hosts ({bases[0]} ... {bases[-1]}), "
            f"{DELAY * 1000:.0f} ms added per answer; one worker, "
            f"health.concurrency={settings.health.concurrency}, "
            f"fetch.concurrency_per_host={settings.fetch.concurrency_per_host}, "
            f"fetch.delay_seconds={settings.fetch.delay_seconds}",
            flush=True,
        )
        for name in ("first sight (HEAD+GET)", "known pages (GET)"):
            cpu = time.process_time()
            took, checked, states = _round(rt, name)
            cpu = time.process_time() - cpu
            print(
                f"{name:24s} {checked} checks in {took:.1f} s = {checked / took:.0f} checks/s; "
                f"worker CPU {cpu:.1f} s ({cpu / checked * 1000:.1f} ms/check); "
                f"states {dict(states)}",
                flush=True,
            )
        rt.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the worker process: {rss:.0f} MB")
    ms, size = _drift_ms(args.drift_runs)
    print(
        f"drift scoring of a {size / 1000:.0f} KB page: {ms:.1f} ms CPU (median of "
        f"{args.drift_runs})"
    )
    print(f"load after: {os.getloadavg()[0]:.2f} (1 min); at {datetime.now(UTC):%H:%M} UTC")


if __name__ == "__main__":
    main()
