"""What a crawl did, for the caller of ``run_crawl`` and for the log."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class CrawlStats:
    """Counts of one crawl.

    ``pages`` are jobs captured (their metadata record written); ``failures``
    are jobs reported to ``JobSource.fail``.  ``requisites`` counts requisite
    URLs answered; ``exchanges`` every request/response (or revisit) pair
    written, redirect hops and robots.txt included; ``bytes`` the payload
    bytes stored, as received (still content-encoded).  ``warc_files`` are
    the closed files, in the order they were handed to the sink; ``failed``
    the (job URL, reason) of each failed job.  ``budget_exhausted`` counts the
    captured jobs that a budget ended early (``crawler.budget``), and
    ``budgets`` names (job URL, budget) for each.
    """

    pages: int = 0
    requisites: int = 0
    exchanges: int = 0
    revisits: int = 0
    truncated: int = 0
    bytes: int = 0
    failures: int = 0
    requisite_failures: int = 0
    sink_errors: int = 0
    budget_exhausted: int = 0
    budgets: list[tuple[str, str]] = field(default_factory=list)
    warc_files: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
