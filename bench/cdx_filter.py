"""Time of one CDX filter match: Python's backtracking ``re`` against RE2.

The filter ``original:http:(.+)+X`` is matched (whole field, as ``/cdx``
does) against ``http://example.org/aaaa...`` URLs of growing length.  With
``re`` every extra character doubles the time; RE2 (``archive.lookup.
linear_regex``, what ``/cdx`` uses) stays linear.  ``re`` runs in a child
process that is stopped after ``--re-timeout`` seconds, so the longest
lengths print as "> N s".

    .venv/bin/python bench/cdx_filter.py
    .venv/bin/python bench/cdx_filter.py --lengths 24 28 31 --re-timeout 300
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EXPR = r"http:(.+)+X"


def url_of(length: int) -> str:
    head = "http://example.org/"
    return head + "a" * max(0, length - len(head))


def time_re(length: int, timeout: float) -> float | None:
    code = (
        "import re, sys, time\n"
        f"p = re.compile({EXPR!r}); u = {url_of(length)!r}\n"
        "t = time.perf_counter(); p.fullmatch(u); print(time.perf_counter() - t)\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout)


def time_re2(length: int, repeats: int = 50) -> float:
    from archive.lookup.linear_regex import compile_linear

    pattern, url = compile_linear(EXPR), url_of(length)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        pattern.fullmatch(url)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[22, 24, 26, 28, 31])
    parser.add_argument("--long", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--re-timeout", type=float, default=60.0)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"filter original:{EXPR}, whole-field match")
    print(f"{'URL chars':>10} {'re (s)':>12} {'RE2 (s)':>12}")
    for length in args.lengths:
        slow = time_re(length, args.re_timeout)
        shown = f"> {args.re_timeout:.0f}" if slow is None else f"{slow:.3f}"
        print(f"{length:>10} {shown:>12} {time_re2(length):>12.6f}")
    for length in args.long:
        print(f"{length:>10} {'(not run)':>12} {time_re2(length, repeats=5):>12.6f}")


if __name__ == "__main__":
    main()
