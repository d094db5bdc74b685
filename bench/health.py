"""What checking cited URLs costs: checks per second, CPU per check, peak RSS, drift scoring.

Serves small article pages with nginx on 127.0.0.1 behind the delaying front
server (``_delay_proxy.py``, 100 ms added to every answer and to every new
connection), listening on 1,000 loopback addresses (127.0.0.1 ... 127.0.3.238):
1,000 sites, ``--per-host`` pages cited of each.  One worker
(``archive.health.runner.run_checks``, in this process, on SQLite) checks
them with the default politeness (``fetch.concurrency_per_host`` = 4,
``fetch.delay_seconds`` = 0) and ``health.concurrency`` threads.

Two documents cite the same URLs.  One was archived when it was cited: each
citation has its capture, an HTML page (rows written here directly, as
``citevault archive`` leaves them; the WARC file they point at is not
written, so a check finds no baseline text and scores no drift, which the
last figure measures on its own).  The other was never archived.  Three
rounds run back to back, side by side in the output:

- first sight, captured page: the capture says the URL is a page, so one GET;
- first sight, never captured: HEAD, then GET for the page's text;
- known pages: the captured document's URLs again, one GET each.

Each round probes one random sibling per site (``fetch.obey_robots_txt`` is
off by default: no robots.txt is read).  CPU per check is the worker
process's CPU time during ``run_checks``, all threads (planning the tick,
the scheduler's work, is left out).  Then the drift scoring of a 50 KB
page: main text, fingerprint and comparison with a baseline fingerprint,
CPU per page, median of ``--drift-runs``.

    .venv/bin/python bench/health.py                # 1,000 hosts x 5 pages
    .venv/bin/python bench/health.py --hosts 100 --per-host 2   # quick

Targets (reported, not asserted): >= 200 checks/s per worker, peak RSS
< 300 MB, drift scoring < 20 ms CPU for a 50 KB page.

Measured 2026-12-06 01:05-01:13 UTC on the shared 2-core machine under heavy
load from other work (1-minute load 11-16 throughout: the process got well
under one core, so wall rates are lower than CPU per check allows), runs
interleaved base, new, base, new; base is main at c993c22 (before these changes)
run with this script.  checks/s (CPU ms/check), 1,000 hosts x 5 pages:

    round                                base run 1   new run 1    base run 2   new run 2
    first sight, captured page          87 (4.80)   206 (3.06)    98 (5.06)   230 (3.10)
    first sight, never captured        108 (4.19)   144 (3.22)   101 (4.53)   156 (3.28)
    known pages                        134 (3.58)   222 (3.01)   173 (3.85)   219 (3.01)

Base sends HEAD then GET on first sight whatever the capture says.  Peak RSS
143-146 MB in every run; drift scoring of a 50 KB page 11.4-13.0 ms CPU.

The same script on a quiet machine (2026-12-06 02:01 UTC, load 1.2 before,
3.4 after), after these changes: first sight, captured page 258 checks/s
(3.52 ms CPU/check); first sight, never captured 233 (3.55); known pages
274 (3.29); peak RSS 147 MB; drift scoring 9.7 ms CPU.  The same machine,
quiet, before them (00:16 UTC, c993c22, whose first round was HEAD+GET and
counted the tick's planning as worker CPU): first sight 140 checks/s
(6.6 ms/check), known pages 209 (4.9).
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
import uuid
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
from archive.db.models import (  # noqa: E402
    Capture,
    Citation,
    CitationCapture,
    Document,
    DocumentVersion,
    WarcFile,
)
from archive.health.drift import compare  # noqa: E402
from archive.health.plan import plan_checks  # noqa: E402
from archive.health.runner import run_checks  # noqa: E402
from archive.health.text import fingerprint, main_text  # noqa: E402
from archive.runtime import Runtime  # noqa: E402
from archive.settings import load_settings  # noqa: E402

DELAY = 0.1
# (round, document): the same URLs, cited by a document whose citations were captured
# when cited and by one whose were not; the captured ones are checked again last.
ROUNDS = (
    ("first sight, captured page (GET)", "captured"),
    ("first sight, never captured (HEAD+GET)", "uncaptured"),
    ("known pages (GET)", "captured"),
)
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


def _cite(rt: Runtime, document_id: str, urls: list[str], captured: bool) -> int:
    """A document citing ``urls``; with ``captured``, each URL has the capture taken when
    it was cited (an HTML page), as ``citevault archive`` leaves it.  Rows only: the WARC
    file they point at is not written, so each check's baseline read finds nothing and
    the check scores no drift (``_drift_ms`` measures that part on its own)."""
    now = datetime.now(UTC)
    with rt.sessions()() as s, s.begin():
        s.add(Document(id=document_id, latest_version=1))
        version = DocumentVersion(
            document_id=document_id,
            version=1,
            sha256="0" * 64,
            size=1,
            format="text",
            store_key=f"documents/{document_id}",
        )
        s.add(version)
        s.flush()
        rows = [
            {
                "version_id": version.id,
                "document_id": document_id,
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
        citation_ids = s.scalars(
            insert(Citation).returning(Citation.id, sort_by_parameter_order=True), rows
        ).all()
        if not captured:
            return len(urls)
        warc = WarcFile(
            store_key=f"warcs/{document_id}.warc.gz",
            filename=f"{document_id}.warc.gz",
            size=4000 * len(urls),
            sha256="0" * 64,
            record_count=len(urls),
            stored_at=now,
        )
        s.add(warc)
        s.flush()
        captures = [
            {
                "url": url,
                "url_normalized": url,
                "surt": url,
                "captured_at": now,
                "http_status": 200,
                "media_type": "text/html",
                "payload_digest": f"sha1:{i:032d}",
                "payload_length": 3900,
                "warc_file_id": warc.id,
                "warc_offset": 4000 * i,
                "warc_length": 4000,
                "warc_record_id": f"<urn:uuid:{uuid.uuid4()}>",
            }
            for i, url in enumerate(urls)
        ]
        capture_ids = s.scalars(
            insert(Capture).returning(Capture.id, sort_by_parameter_order=True), captures
        ).all()
        s.execute(
            insert(CitationCapture),
            [
                {"citation_id": c, "capture_id": k, "how": "fetched", "linked_at": now}
                for c, k in zip(citation_ids, capture_ids, strict=True)
            ],
        )
    return len(urls)


def _round(rt: Runtime, document_id: str, tick: str) -> tuple[float, float, int, Counter[str]]:
    """One check of every citation of the document: wall time and the worker's CPU time
    (``run_checks`` alone: planning the tick is the scheduler's work, not the worker's)."""
    clock = SystemClock()
    with rt.sessions()() as s:
        created = plan_checks(s, document_id=document_id, tick_key=tick, schedule_id=None)
        s.commit()
    cpu = time.process_time()
    start = time.monotonic()
    summary = run_checks(rt, clock, document_id=document_id)
    took = time.monotonic() - start
    cpu = time.process_time() - cpu
    assert summary.checked == created, (summary.checked, created)
    return took, cpu, summary.checked, Counter({str(k): v for k, v in summary.states.items()})


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
        urls = [f"{base}/p/{n}.html" for n in range(args.per_host) for base in bases]
        total = _cite(rt, "captured", urls, captured=True)
        _cite(rt, "uncaptured", urls, captured=False)
        print(
            f"{total} cited URLs on {args.hosts} loopback hosts ({bases[0]} ... {bases[-1]}), "
            f"{DELAY * 1000:.0f} ms added per answer; one worker, "
            f"health.concurrency={settings.health.concurrency}, "
            f"fetch.concurrency_per_host={settings.fetch.concurrency_per_host}, "
            f"fetch.delay_seconds={settings.fetch.delay_seconds}",
            flush=True,
        )
        print(f"{'round':38s} {'checks':>6s} {'wall s':>7s} {'checks/s':>8s} {'CPU ms/check':>12s}")
        for name, document_id in ROUNDS:
            took, cpu, checked, states = _round(rt, document_id, name)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{name:38s} {checked:6d} {took:7.1f} {checked / took:8.0f} "
                f"{cpu / checked * 1000:12.2f}   peak RSS {rss:.0f} MB; states {dict(states)}",
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
