"""The printed figures of ``bench/lookup.py``: one line per run, per-tree summaries, targets.

A tree's figure for a case is taken over all its repetitions' requests
together (their latencies merged), so a p99 rests on ``reps x requests``
samples; the ratio column is this tree's p99 over the baseline's.
"""

from __future__ import annotations

import io
import os
import pstats
import statistics
from pathlib import Path

import _lookup_load as load

Figures = dict[str, dict[str, load.Result]]  # tree name -> case label -> merged result


def load_average() -> str:
    """Other tenants of the machine move every figure: say how busy it was."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def line(label: str, res: load.Result, expected: int) -> str:
    wrong = sum(n for status, n in res.statuses.items() if status != expected)
    errors = sum(res.errors.values())
    bad = f"  UNEXPECTED: {dict(res.statuses)} {dict(res.errors)}" if wrong or errors else ""
    return (
        f"  {label:<30} n={len(res.latencies):>5}  p50 {res.pct(50):7.1f}  p90 {res.pct(90):7.1f}"
        f"  p99 {res.pct(99):7.1f}  max {res.pct(100):7.1f} ms  {res.throughput:7.0f} req/s"
        f"  client cpu {res.client_cpu / max(1, len(res.latencies)) * 1e3:.2f} ms/req{bad}"
    )


def _ratio(this: load.Result, base: load.Result) -> float:
    return this.pct(99) / base.pct(99) if base.pct(99) else float("nan")


def summary(figures: Figures, expected: dict[str, int]) -> None:
    """Each case under each tree over all repetitions, and this tree's p99 over the baseline's."""
    names = list(figures)
    print(f"  -- over all repetitions ({', '.join(names)})", flush=True)
    for label, this in figures["this"].items():
        for name in names:
            res = figures[name][label]
            print(line(f"{name} {label}", res, expected[label.split(" ")[0]]))
        if "baseline" in figures:
            base = figures["baseline"][label]
            print(f"  {'':<30} p99 this/baseline {_ratio(this, base):.2f}")
    print(flush=True)


def beside_baseline(rows: list[tuple[str, load.Result, load.Result]], limit: float) -> None:
    """The compact table: (case, baseline, this) for every measured case and worker count."""
    print(f"\np99 of this tree beside the baseline (ms; ratio = this / baseline, limit {limit}x)")
    print(f"  {load_average()}")
    print(
        "  'median rep' is the ratio of the two trees' median repetition p99, which one"
        " disturbed repetition does not move; the verdict is on the p99 of all requests"
    )
    print(
        f"  {'case':<20} | {'baseline p99':>12} | {'this p99':>9} | {'ratio':>5} | within? "
        "| median rep | p99 of each repetition, baseline; this"
    )
    for case, base, this in rows:
        ratio = _ratio(this, base)
        verdict = "yes" if ratio <= limit else "NO"
        steady = statistics.median(this.parts_p99) / statistics.median(base.parts_p99)
        print(
            f"  {case:<20} | {base.pct(99):12.1f} | {this.pct(99):9.1f} | {ratio:5.2f} | "
            f"{verdict:<7} | {steady:10.2f} | {_each(base)}; {_each(this)}"
        )
    print(flush=True)


def _each(res: load.Result) -> str:
    return " ".join(f"{p:.1f}" for p in res.parts_p99)


def targets(
    label: str, results: dict[str, load.Result], limits: dict[str, float], concurrency: int
) -> None:
    for case, limit in limits.items():
        if f"{case} @{concurrency}" in results:
            p99 = results[f"{case} @{concurrency}"].pct(99)
            verdict = "holds" if p99 < limit else "MISSED"
            print(f"  target {label} {case}: p99 {p99:.1f} ms < {limit:.0f} ms: {verdict}")


def profile(path: Path, top: int = 30) -> None:
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(str(path), stream=out).sort_stats(order).print_stats(top)
        text = out.getvalue()
        print(f"\n--- server profile, top {top} by {order} ---")
        print(text[text.find("   ncalls") :].rstrip())
