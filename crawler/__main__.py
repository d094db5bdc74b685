"""``python -m crawler --spool DIR --urls URL...``: capture URLs without a queue.

Prints the path of each closed WARC file on stdout, one per line (so it can
be piped), and each failed URL with its reason on stderr; the exit status is
0 when every URL was captured, 1 when some failed, 2 for bad arguments or
configuration, 5 when the spool cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from archive.errors import CitevaultError
from archive.settings import load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m crawler", description="Capture URLs and their page requisites as WARC."
    )
    parser.add_argument("--spool", required=True, type=Path, help="folder for the WARC files")
    parser.add_argument("--urls", required=True, nargs="+", metavar="URL", help="URLs to capture")
    parser.add_argument("--config", type=Path, help="citevault TOML configuration file")
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="fetch loopback and private addresses too (fetch.block_private_addresses off)",
    )
    parser.add_argument("--log-level", default="INFO", help="Scrapy log level (default INFO)")
    return parser


def _report(exc: CitevaultError) -> int:
    print(f"error: {exc.message}", file=sys.stderr)
    if exc.hint:
        print(f"hint: {exc.hint}", file=sys.stderr)
    return exc.exit_code


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except CitevaultError as exc:
        return _report(exc)

    from crawler.run import run_adhoc  # Scrapy and Twisted only once the arguments are good

    try:
        stats = run_adhoc(
            settings,
            args.urls,
            args.spool,
            block_private=False if args.allow_private else None,
            overrides={"LOG_LEVEL": args.log_level.upper()},
        )
    except CitevaultError as exc:
        return _report(exc)
    for path in stats.warc_files:
        print(path)
    for url, reason in stats.failed:
        print(f"failed: {url}: {reason}", file=sys.stderr)
    return 1 if stats.failures else 0


if __name__ == "__main__":
    sys.exit(main())
