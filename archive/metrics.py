"""Prometheus metrics: what every citevault process counts, and the text a scrape gets.

Counters are kept where the work happens (the capture commit, the queue, the
S3 store, the API's request middleware), in whichever process does it.  With
``metrics.multiprocess_dir`` set, every process sharing that folder (the
API's server processes, a worker and the crawler processes it starts) counts
into it, and a scrape sums the folder: prometheus-client's multiprocess mode.
Without it each process counts for itself.

What the database and the spool hold right now (due jobs, the oldest of them,
the spool's files) is read at scrape time rather than counted, so it is right
whichever process changed it; the scrape's caller reads it (``LiveState``) and
hands it to ``render``.

Metrics are made on first use, not at import: prometheus-client picks each
value's storage (memory, or a file in the multiprocess folder) when the value
is made, so ``configure`` must run first.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    values,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from archive.settings import Settings

log = logging.getLogger(__name__)

CONTENT_TYPE = CONTENT_TYPE_LATEST
# prometheus-client's own switch for multiprocess mode; set here from the
# settings, so that crawler processes started from this one count into the same folder.
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"

# Outcomes of a capture job's attempt.
CAPTURED, RETRYING, FAILED = "captured", "retrying", "failed"
# Latency buckets (seconds): most reads take milliseconds, a submission or a
# WACZ export seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

_multiprocess_dir: Path | None = None


def configure(settings: Settings, *, identifier: str | None = None) -> None:
    """Count into ``metrics.multiprocess_dir`` from now on, in this process and its children.

    Each process writes files named by its pid, and a scrape reads every file
    in the folder.  ``identifier`` names them instead, for processes that come
    one after another and would otherwise leave a file each: a worker's crawls
    reuse one file (their counts go on from where the last crawl left them).
    """
    global _multiprocess_dir
    folder = settings.metrics.multiprocess_dir
    if folder is None or folder == _multiprocess_dir:
        return
    if _metrics.cache_info().currsize:
        log.warning(
            "metrics.multiprocess_dir %s set after this process began counting: ignored", folder
        )
        return
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROCESS_ENV] = str(folder)
    values.ValueClass = values.MultiProcessValue(  # type: ignore[no-untyped-call]
        (lambda: identifier) if identifier else os.getpid
    )
    _multiprocess_dir = folder


@dataclass(frozen=True)
class _Metrics:
    requests: Counter
    latency: Histogram
    captures: Counter
    bytes_written: Counter
    lease_expiries: Counter
    upload_retries: Counter
    fixity: Counter


@functools.cache
def _metrics() -> _Metrics:
    # A ``_created`` series beside every counter doubles the series for nothing
    # Prometheus needs (it detects counter resets by itself).
    disable_created_metrics()  # type: ignore[no-untyped-call]
    return _Metrics(
        requests=Counter(
            "citevault_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
        ),
        latency=Histogram(
            "citevault_http_request_duration_seconds",
            "Time from a request's arrival to the end of its response, by route template.",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
        ),
        captures=Counter(
            "citevault_captures",
            "Capture job attempts by outcome: captured, retrying (failed, queued again), "
            "failed (for good).",
            ["outcome"],
        ),
        bytes_written=Counter(
            "citevault_store_written_bytes", "Bytes of WARC files written to the store."
        ),
        lease_expiries=Counter(
            "citevault_lease_expiries",
            "Capture job leases that ran out (their worker stopped or stalled).",
        ),
        upload_retries=Counter(
            "citevault_upload_retries", "Requests to the S3 store retried while uploading."
        ),
        fixity=Counter(
            "citevault_fixity_results",
            "Stored objects checked against the database, by outcome.",
            ["outcome"],
        ),
    )


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    m = _metrics()
    m.requests.labels(route, method, str(status)).inc()
    m.latency.labels(route, method).observe(seconds)


def capture_outcome(outcome: str, count: int = 1) -> None:
    if count > 0:
        _metrics().captures.labels(outcome).inc(count)


def bytes_written(count: int) -> None:
    if count > 0:
        _metrics().bytes_written.inc(count)


def lease_expiries(count: int) -> None:
    if count > 0:
        _metrics().lease_expiries.inc(count)


def upload_retries(count: int) -> None:
    if count > 0:
        _metrics().upload_retries.inc(count)


def fixity_result(outcome: str, count: int = 1) -> None:
    """One or more objects checked: ``outcome`` is ok, missing, corrupt or orphaned."""
    if count > 0:
        _metrics().fixity.labels(outcome).inc(count)


@dataclass(frozen=True)
class LiveState:
    """Read at scrape time from the database and the spool folder."""

    due_jobs: int | None = None
    oldest_due_seconds: float | None = None
    spool: dict[str, tuple[int, int]] = field(default_factory=dict)  # state -> (files, bytes)


def spool_state(
    waiting: Iterable[Path], writing: Iterable[Path], damaged: Iterable[Path]
) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for name, paths in (("waiting", waiting), ("writing", writing), ("damaged", damaged)):
        files = size = 0
        for path in paths:
            try:
                size += path.stat().st_size
            except FileNotFoundError:
                continue  # committed while we looked
            files += 1
        out[name] = (files, size)
    return out


class _Live(Collector):
    def __init__(self, state: LiveState) -> None:
        self.state = state

    def collect(self) -> Iterator[Metric]:
        s = self.state
        if s.due_jobs is not None:
            yield GaugeMetricFamily(
                "citevault_queue_due_jobs", "Capture jobs due now.", value=s.due_jobs
            )
        if s.oldest_due_seconds is not None:
            yield GaugeMetricFamily(
                "citevault_queue_oldest_due_seconds",
                "How long the longest-waiting due job has been due (0 when none is).",
                value=s.oldest_due_seconds,
            )
        files = GaugeMetricFamily(
            "citevault_spool_files",
            "WARC files in the local spool: waiting for the store, being written, moved aside.",
            labels=["state"],
        )
        size = GaugeMetricFamily(
            "citevault_spool_bytes", "Bytes of WARC files in the local spool.", labels=["state"]
        )
        for name, (count, total) in sorted(s.spool.items()):
            files.add_metric([name], count)
            size.add_metric([name], total)
        yield files
        yield size


class _Forward(Collector):
    """This process's own registry, inside a scrape's registry."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def render(state: LiveState) -> bytes:
    """The text exposition of every counter (summed over processes in multiprocess mode)
    and of ``state``."""
    _metrics()  # every metric appears, at zero, before its first count
    registry = CollectorRegistry(auto_describe=False)
    if _multiprocess_dir is not None:
        MultiProcessCollector(registry, path=str(_multiprocess_dir))  # type: ignore[no-untyped-call]
    else:
        registry.register(_Forward())
    registry.register(_Live(state))
    return generate_latest(registry)
