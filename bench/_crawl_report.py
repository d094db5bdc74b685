"""The printed figures of ``bench/crawl.py``: per-run lines, medians, ratios, targets.

Medians are taken per figure over the repetitions, so one slow repetition
(another tenant on the machine) moves none of them much.  Pages/s counts the
URL list, the unit a citing document cares about; every crawler fetched the
same list, and the exchange count shows whether each fetched all of it.
"""

from __future__ import annotations

import argparse
import os
import platform
import pstats
import statistics
from collections.abc import Callable
from pathlib import Path

from _crawl_runs import BASELINE_MARK, Sample

CORES = os.cpu_count() or 2


def _per_s(s: Sample, n: int) -> float:
    return n / s.wall if s.wall else 0.0


def _mb_s(s: Sample) -> float:
    return s.body_bytes / s.wall / 1e6 if s.wall else 0.0


def _cpu_ms(s: Sample) -> float:
    return 1000 * s.cpu / s.exchanges if s.exchanges else float("nan")


def _srv_ms(s: Sample) -> float:
    return 1000 * s.server_cpu / s.exchanges if s.exchanges else float("nan")


def header(args: argparse.Namespace, *, per_host: int) -> None:
    print(
        f"machine: {CORES} cores, Python {platform.python_version()}, {platform.platform()}\n"
        f"at start: {load()} (other tenants slow every configuration alike)\n"
        f"repetitions: {args.reps}, interleaved; figures are medians\n"
        "CPU and peak RSS: rusage of each measured child from os.wait4 (the child's own "
        "getrusage RUSAGE_SELF + RUSAGE_CHILDREN; psutil is not used);\n"
        "  summed CPU / largest RSS over the workers of a run; 'srv' is the CPU of the "
        "PostgreSQL and SeaweedFS servers, read from /proc, not included in 'CPU'\n"
        "exchanges and MB (response bodies) are counted from nginx's access log\n"
        f"plain Scrapy: default settings, LOG_LEVEL=INFO; citevault: defaults, "
        f"fetch.concurrency_per_host={per_host}; wget: -e robots=off, one connection",
        flush=True,
    )


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {CORES} cores"


def progress(rep: int, s: Sample, n: int) -> None:
    print(
        f"  rep {rep + 1} {s.config:<24} {s.wall:7.1f} s {_per_s(s, n):7.1f} pages/s "
        f"{_cpu_ms(s):6.2f} ms/ex {s.rss_mb:6.0f} MB {s.exchanges:6d} ex "
        f"{s.pages_seen:5d}/{n} pages  {s.note}",
        flush=True,
    )


def _median(samples: list[Sample], fig: Callable[[Sample], float]) -> float:
    return statistics.median(fig(s) for s in samples)


def _mark(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def summary(condition: str, samples: list[Sample], n: int, expected: int) -> None:
    by: dict[str, list[Sample]] = {}
    for s in samples:
        by.setdefault(s.config, []).append(s)
    med: dict[str, dict[str, float]] = {}
    print(
        f"\n-- {condition}: medians over {len(next(iter(by.values())))} repetition(s), "
        f"{n} list URLs, {expected} exchanges expected"
    )
    print(
        f"  {'configuration':<24} {'pages/s':>8} {'MB/s':>7} {'CPU ms/ex':>10} "
        f"{'srv ms/ex':>10} {'peak RSS MB':>12} {'exchanges':>10} {'wall s':>7}"
    )
    for config, group in by.items():
        m = {
            "pps": _median(group, lambda s: _per_s(s, n)),
            "mbs": _median(group, _mb_s),
            "cpu": _median(group, _cpu_ms),
            "srv": _median(group, _srv_ms),
            "rss": max(s.rss_mb for s in group),
            "ex": _median(group, lambda s: s.exchanges),
            "wall": _median(group, lambda s: s.wall),
        }
        med[config] = m
        srv = f"{m['srv']:10.2f}" if config.startswith("b cv postgres") else f"{'-':>10}"
        print(
            f"  {config:<24} {m['pps']:8.1f} {m['mbs']:7.2f} {m['cpu']:10.2f} {srv} "
            f"{m['rss']:12.0f} {m['ex']:10.0f} {m['wall']:7.1f}"
        )
    _ratios(condition, med)


def _ratios(condition: str, med: dict[str, dict[str, float]]) -> None:
    a, c = med.get("a scrapy"), med.get("c wget")
    print(f"  ratios ({condition}):")
    for backend in ("sqlite", "postgres"):
        one, per_core = med.get(f"b cv {backend} 1w"), med.get(f"b cv {backend} {CORES}w")
        if one is None or per_core is None or a is None or c is None:
            continue
        speed = one["pps"] / a["pps"]
        cpu = one["cpu"] / a["cpu"]
        print(f"    {backend}: (b 1 worker)/(a scrapy) pages/s = {speed:.2f}", end="")
        if condition == "loopback":
            print(f"  target >= 0.85: {_mark(speed >= 0.85)}")
        else:
            print("  (informative)")
        print(f"    {backend}: (b 1 worker)/(a scrapy) CPU per exchange = {cpu:.2f}", end="")
        if condition == "loopback":
            print(f"  target <= 1.00: {_mark(cpu <= 1.0)}")
        else:
            print("  (informative)")
        for label, b in (("1 worker", one), (f"{CORES} workers", per_core)):
            ratio = b["pps"] / c["pps"]
            line = f"    {backend}: (b {label})/(c wget) pages/s = {ratio:.2f}"
            if condition == "loopback" and b is per_core:
                line += f"  target >= 0.8: {_mark(ratio >= 0.8)}"
            elif condition == "latency":
                line += f"  target >= 10: {_mark(ratio >= 10)}"
            print(line)
    print(flush=True)


def rss_summary(samples: list[Sample], n: int, *, limit_mb: int) -> None:
    print(f"\n-- peak RSS of one worker, {n} list URLs")
    for s in samples:
        print(
            f"  {s.config:<24} peak RSS {s.rss_mb:6.0f} MB over {s.exchanges} exchanges "
            f"({_per_s(s, n):.1f} pages/s, {_cpu_ms(s):.2f} CPU ms/ex)  "
            f"target < {limit_mb} MB: {_mark(s.rss_mb < limit_mb)}  [{s.note}]"
        )


def hot_spots(path: Path) -> None:
    stats = pstats.Stats(str(path))
    print("\n-- by own time (tottime), top 30")
    stats.sort_stats("tottime").print_stats(30)
    print("-- citevault functions by cumulative time, top 40")
    stats.sort_stats("cumulative").print_stats(r"/(crawler|archive)/", 40)


def beside_baseline(condition: str, samples: list[Sample], n: int, *, limit: float) -> None:
    """Each citevault configuration under the baseline tree and this one: medians and ratio."""
    by: dict[str, list[Sample]] = {}
    for s in samples:
        by.setdefault(s.config, []).append(s)
    print(f"-- {condition}: this tree beside the baseline (medians; ratio = this / baseline)")
    print(
        f"  {'configuration':<18} {'base CPU ms/ex':>14} {'this CPU ms/ex':>14} {'ratio':>6} "
        f"{'<= ' + format(limit, '.1f') + 'x?':>8} {'base pages/s':>12} {'this pages/s':>12} "
        f"{'base srv ms/ex':>14} {'this srv ms/ex':>14}"
    )
    for config, group in by.items():
        base = by.get(config + BASELINE_MARK)
        if base is None:
            continue
        this_cpu, base_cpu = _median(group, _cpu_ms), _median(base, _cpu_ms)
        ratio = this_cpu / base_cpu if base_cpu else float("nan")
        if config.startswith("b cv postgres"):  # the servers' CPU is only measured there
            srv = f"{_median(base, _srv_ms):14.2f} {_median(group, _srv_ms):14.2f}"
        else:
            srv = f"{'-':>14} {'-':>14}"
        print(
            f"  {config:<18} {base_cpu:14.2f} {this_cpu:14.2f} {ratio:6.2f} "
            f"{'yes' if ratio <= limit else 'NO':>8} {_median(base, lambda s: _per_s(s, n)):12.1f} "
            f"{_median(group, lambda s: _per_s(s, n)):12.1f} {srv}"
        )
    print(flush=True)
