"""Extraction of deep and large generated documents: time, memory, what was found or said.

Each case runs ``archive.extract.extract`` once in a fresh subprocess and
prints the document size, wall and CPU seconds, peak RSS of the process,
citations found against citations in the document, and the warning (or the
error) extraction gave.  The cases are the ones that once lost citations
without a word: a page of 100,000 linked paragraphs, HTML nested 1,500 and
100,000 deep, a 12 MB text node, Markdown nested past markdown-it's limit,
wikitext too deep for mwparserfromhell, JSON and PDF objects nested 100,000
deep.

    .venv/bin/python bench/extract_hostile.py
    .venv/bin/python bench/extract_hostile.py --case html-links-100k
    .venv/bin/python bench/extract_hostile.py --tree /path/to/other/checkout   # compare
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.extract.documents import pdf_with_page_entry  # noqa: E402

N = 100_000


def _links(n: int) -> bytes:
    body = "".join(f'<p><a href="http://127.0.0.1:8000/p{i}">link {i}</a></p>\n' for i in range(n))
    return f"<html><body>{body}</body></html>".encode()


def _nested(depth: int) -> bytes:
    before = '<p>Before, <a href="https://example.org/before">a source</a>.</p>'
    inner = '<p>Deep, <a href="https://example.org/deep">the deep one</a>.</p>'
    after = '<p>After, <a href="https://example.org/after">another</a>.</p>'
    deep = "<div>" * depth + inner + "</div>" * depth
    return f"<html><body>{before}{deep}{after}</body></html>".encode()


# name -> (document, format, citations in it)
CASES: dict[str, tuple[Callable[[], bytes], str, int]] = {
    "html-links-5k": (lambda: _links(5_000), "html", 5_000),
    "html-links-100k": (lambda: _links(N), "html", N),
    "html-nested-1500": (lambda: _nested(1_500), "html", 3),
    "html-nested-100k": (lambda: _nested(N), "html", 3),
    "html-text-node-12MB": (
        lambda: (
            "<html><body><p>" + "word " * 2_500_000 + '<a href="https://example.org/a">a</a></p>'
        ).encode(),
        "html",
        1,
    ),
    "markdown-list-40-deep": (
        lambda: "".join(
            "  " * i + f"- item https://example.org/l{i}\n" for i in range(40)
        ).encode(),
        "markdown",
        40,
    ),
    "wikitext-templates-100k-deep": (
        lambda: ("{{" * N + "x" + "}}" * N + "\n[https://example.org/after after]\n").encode(),
        "wikitext",
        1,
    ),
    "csl-json-100k-deep": (
        lambda: ('[{"type": "webpage", "note": ' + "[" * N + "]" * N + "}]").encode(),
        "csl-json",
        0,
    ),
    "pdf-array-100k-deep": (lambda: pdf_with_page_entry(b"/Deep " + b"[" * N + b"]" * N), "pdf", 1),
}


def worker(name: str) -> None:
    from archive.errors import CitevaultError
    from archive.extract import extract

    make, fmt, _ = CASES[name]
    data = make()
    wall, cpu = time.perf_counter(), time.process_time()
    found, said = 0, ""
    try:
        result = extract(data, format=fmt)
        found = len(result.citations)
        said = "; ".join(result.warnings)
    except CitevaultError as exc:
        said = f"{type(exc).__name__}: {exc.message}"
    except Exception as exc:  # what the CLI would report as an internal error
        said = f"UNHANDLED {type(exc).__name__}: {exc}"
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"size": len(data), "wall": wall, "cpu": cpu, "rss": peak, "found": found,
                      "said": said}))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    parser.add_argument("--tree", type=Path, default=ROOT, help="source tree to import from")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    env = {**os.environ, "PYTHONPATH": str(args.tree.resolve())}
    print(
        f"tree {args.tree.resolve()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"{'case':30} {'MB':>6} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7} {'found':>13}  said")
    for name in args.case or list(CASES):
        expected = CASES[name][2]
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--worker", name],
                env=env,
                capture_output=True,
                text=True,
                timeout=args.timeout,
            )
        except subprocess.TimeoutExpired:
            print(f"{name:30} stopped after {args.timeout:.0f} s")
            continue
        if done.returncode != 0 or not done.stdout.strip():
            print(f"{name:30} exit {done.returncode}: {done.stderr.strip()[-200:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        found = f"{r['found']}/{expected}"
        print(
            f"{name:30} {r['size'] / 1e6:6.2f} {r['wall']:7.2f} {r['cpu']:7.2f} "
            f"{r['rss'] / 1e6:7.0f} {found:>13}  {r['said'][:160]}"
        )


if __name__ == "__main__":
    main()
