"""``citevault archive / capture / worker / jobs``: capturing cited URLs.

The crawl itself runs in a child process (see ``archive.capture.runner``);
these commands queue work, start it, and show progress from the database.
"""

from __future__ import annotations

import signal
import time
from datetime import datetime, timedelta
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from archive import probes as probe_server
from archive.capture import queue, runner, select
from archive.capture.spool import closed_files, flush, open_files, quarantined, spool_dir
from archive.cli.state import CliState, state
from archive.clock import SystemClock
from archive.db.base import utcnow
from archive.db.models import CaptureJob
from archive.db.models.captures import JobState
from archive.errors import (
    CapturesFailedError,
    CapturesPendingError,
    CrawlerStoppedError,
    InputError,
    StoreError,
)
from archive.health import queue as check_queue
from archive.health.runner import run_checks
from archive.net.policy import check_url

console = Console()


def _size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def _crawl_with_progress(
    st: CliState, *, document_id: str | None = None, job_ids: list[int] | None = None
) -> tuple[runner.Progress, dict[str, object]]:
    rt = st.runtime()
    last = runner.Progress()
    columns = (
        TextColumn("[bold]capturing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("capture", total=None, detail="")

        def show(p: runner.Progress) -> None:
            nonlocal last
            last = p
            bar.update(
                task,
                total=p.total or None,
                completed=p.done + p.failed,
                detail=f"done {p.done}  failed {p.failed}  remaining {p.remaining}  "
                f"{_size(p.bytes)}",
            )

        summary = runner.run_crawler(
            rt,
            config_path=st.config_path,
            document_id=document_id,
            job_ids=job_ids,
            on_progress=show,
        )
    return last, summary


def _check_store(st: CliState, summary: dict[str, object]) -> None:
    """Captures waiting in the spool because the store failed: name it, exit non-zero."""
    problem = summary.get("store_error")
    if not problem:
        return
    rt = st.runtime()
    waiting = summary.get("waiting")
    count = len(waiting) if isinstance(waiting, list) else 0
    raise StoreError(
        f"the store {rt.settings.effective_store_url} failed: {problem}; "
        f"{count} WARC file(s) of this crawl wait in {spool_dir(rt)}",
        hint="nothing is lost: the captures are committed by the next `citevault worker` "
        "or `archive` once the store answers (`citevault doctor` checks it)",
    )


def _verdict(states: dict[str, int], *, what: str, jobs_hint: str, retry_hint: str) -> None:
    """Exit non-zero unless every capture asked for is done: failures first, since
    they are final, then captures that wait for a retry or a worker."""
    failed = states.get(JobState.FAILED, 0)
    waiting = states.get(JobState.QUEUED, 0) + states.get(JobState.LEASED, 0)
    if failed:
        also = f" ({waiting} more still wait for a retry)" if waiting else ""
        raise CapturesFailedError(
            f"{what}: {failed} capture(s) failed for good{also}",
            hint=f"`{jobs_hint} --state failed` says why each failed",
        )
    if waiting:
        raise CapturesPendingError(
            f"{what}: {waiting} capture(s) not done yet; they wait for a retry (back-off) "
            "or for a worker",
            hint=f"`{jobs_hint}` shows when each is tried next and its last error; {retry_hint}",
        )


def archive(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(help="Document id.")],
    force: Annotated[
        bool, typer.Option("--force", help="Capture again even if captured recently.")
    ] = False,
) -> None:
    """Capture a document's pending citations now, and wait for them.

    Exits 0 when every cited URL is captured, 7 when some failed for good,
    8 when some still wait for a retry (see `citevault --help`).
    """
    st = state(ctx)
    rt = st.runtime()
    window = timedelta(hours=rt.settings.recapture_window_hours)
    with rt.sessions()() as session, session.begin():
        select.requeue_document(session, doc_id, window=window, force=force)
    _, summary = _crawl_with_progress(st, document_id=doc_id)
    with rt.sessions()() as session:
        states = select.outcome(session, document_id=doc_id)
    console.print(
        f"{doc_id}: {states.get(JobState.DONE, 0)} captured, "
        f"{states.get(JobState.FAILED, 0)} failed, "
        f"{states.get(JobState.QUEUED, 0) + states.get(JobState.LEASED, 0)} remaining; "
        f"`citevault citations {doc_id}` shows each citation's captures"
    )
    _check_store(st, summary)
    _verdict(
        states,
        what=doc_id,
        jobs_hint=f"citevault jobs --document {doc_id}",
        retry_hint=f"`citevault worker` retries them when due, or run `citevault archive {doc_id}` "
        "again later",
    )


def capture(
    ctx: typer.Context,
    urls: Annotated[list[str], typer.Argument(help="URLs to capture now (no document).")],
    force: Annotated[bool, typer.Option("--force", help="Ignore the recapture window.")] = False,
) -> None:
    """Capture URLs ad hoc, outside any document, and print where each capture is.

    Exits 0 when every URL is captured, 7 when some failed for good, 8 when
    some still wait for a retry (see `citevault --help`).
    """
    st = state(ctx)
    rt = st.runtime()
    for url in urls:
        check_url(url, block_private=False)
    window = timedelta(hours=rt.settings.recapture_window_hours)
    with rt.sessions()() as session, session.begin():
        job_ids, reused = select.enqueue_urls(session, urls, window=window, force=force)
    summary: dict[str, object] = {}
    if job_ids:
        summary = _crawl_with_progress(st, job_ids=job_ids)[1]
    table = Table()
    for col in ("url", "result", "capture", "status", "when"):
        table.add_column(col, overflow="fold")
    with rt.sessions()() as session:
        for url, cap in reused.items():
            table.add_row(
                url,
                "recent capture",
                str(cap.id),
                str(cap.http_status),
                cap.captured_at.isoformat(),
            )
        for job, got in select.job_results(session, job_ids):
            if got is not None:
                table.add_row(
                    job.url,
                    job.state,
                    str(got.id),
                    str(got.http_status),
                    got.captured_at.isoformat(),
                )
            else:
                table.add_row(job.url, f"{job.state}: {job.reason or ''}", "", "", "")
    console.print(table)
    _check_store(st, summary)
    with rt.sessions()() as session:
        states = select.outcome(session, job_ids=job_ids) if job_ids else {}
    _verdict(
        states,
        what=f"{len(urls)} URL(s)",
        jobs_hint="citevault jobs",
        retry_hint="`citevault worker` retries them when due",
    )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def worker(
    ctx: typer.Context,
    poll_seconds: Annotated[
        float, typer.Option(help="How often to look for due jobs when idle.", min=0.1)
    ] = 5.0,
    once: Annotated[bool, typer.Option("--once", help="Exit when the queue is empty.")] = False,
) -> None:
    """Run capture and check jobs as they come due, until stopped (several may run at once)."""
    # Ctrl-C and SIGINT stop the worker even when it was started in the
    # background by a shell without job control, which leaves SIGINT ignored
    # and Python keeps what it inherits.  SIGTERM (docker stop, systemd,
    # ``citevault serve`` stopping its embedded worker) stops it the same way:
    # its crawler is stopped and the leases come back at once.  Stoppers send
    # SIGTERM because it is never inherited as ignored: a SIGINT sent while
    # the worker was still starting would be lost and the stop would wait.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    st = state(ctx)
    rt = st.runtime()
    clock = SystemClock()
    rt.engine()  # the embedded database migrated before the probes look at it
    probes = probe_server.serve_in_thread(rt)
    console.print("worker started; Ctrl-C stops it (leased jobs return after their lease)")
    if probes is not None:
        host, port = probes.server_address[:2]
        console.print(f"health checks and metrics on http://{host!s}:{port}/ (healthz, readyz)")
    try:
        while True:
            with rt.sessions()() as session:
                due = queue.due_count(session)
                checks_due = check_queue.due_count(session, clock.now())
            if checks_due:  # in this process: a check writes no WARC and needs no crawler
                checked = run_checks(rt, clock)
                console.print(f"checks finished: {checked.checked} URL(s) checked")
            if due:  # the crawler flushes the spool as it starts: once per round
                try:
                    summary = runner.run_crawler(rt, config_path=st.config_path)
                except CrawlerStoppedError as exc:
                    # Its files are committed and its leases back in the queue:
                    # the next crawl takes over.
                    console.print(f"[yellow]{exc.message}[/yellow]")
                    time.sleep(poll_seconds)
                    continue
                console.print(
                    f"crawl finished: {summary.get('committed', 0)} WARC file(s) committed"
                )
                if summary.get("store_error"):
                    console.print(f"[yellow]store: {summary['store_error']}[/yellow]")
                    if once:
                        break
                    time.sleep(poll_seconds)
                continue
            flush(rt)  # idle: commit what waited for the store meanwhile
            if once:
                break
            time.sleep(poll_seconds)
    except KeyboardInterrupt:
        console.print("worker stopped")
    finally:
        if probes is not None:
            probes.shutdown()
            probes.server_close()


def _next_try(job: CaptureJob, now: datetime) -> str:
    """When the queue will hand the job out again, in words."""
    if job.state == JobState.QUEUED:
        if job.not_before <= now:
            return "now (due)"
        return _when(job.not_before)
    if job.state == JobState.LEASED and job.lease_expires_at is not None:
        return f"running (lease until {_when(job.lease_expires_at)})"
    return ""


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%SZ")


def jobs(
    ctx: typer.Context,
    doc_id: Annotated[str | None, typer.Option("--document", help="Only this document.")] = None,
    job_state: Annotated[
        str | None, typer.Option("--state", help="queued, leased, done, failed or cancelled.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many jobs to list.", min=0)] = 20,
) -> None:
    """The capture queue: jobs by state, the most recently changed first, and the spool.

    Each job shows its attempts (of how many), when it is tried next, and
    its last error.
    """
    states_known = [s.value for s in JobState]
    if job_state and job_state not in states_known:
        raise InputError(
            f"unknown job state {job_state!r}", hint="use one of: " + ", ".join(states_known)
        )
    rt = state(ctx).runtime()
    with rt.sessions()() as session:
        states = queue.counts(session, document_id=doc_id)
        recent = select.recent_jobs(session, document_id=doc_id, state=job_state, limit=limit)
    summary = "  ".join(f"{s}: {states.get(s, 0)}" for s in ("queued", "leased", "done", "failed"))
    console.print(summary)
    if recent:
        now = utcnow()
        table = Table(title="most recently changed first", title_justify="left")
        for col in ("id", "state", "attempts", "next try", "url", "document", "last error"):
            table.add_column(col, overflow="fold")
        for j in recent:
            # A done job's reason is a note ("reused capture 5"), not an error.
            done = j.state == JobState.DONE
            note = f" ({j.reason})" if done and j.reason else ""
            table.add_row(
                str(j.id),
                j.state + note,
                f"{j.attempts}/{j.max_attempts}",
                _next_try(j, now),
                j.url,
                j.document_id or "",
                "" if done else j.reason or "",
            )
        console.print(table)
    spool = spool_dir(rt)
    waiting, writing = closed_files(spool), open_files(spool)
    if waiting or writing:
        console.print(
            f"spool {spool}: {len(waiting)} closed WARC file(s) waiting for the store, "
            f"{len(writing)} being written (or left by a stopped worker)"
        )
    aside = quarantined(spool)
    if aside:
        console.print(
            f"[red]{len(aside)} WARC file(s) could not be committed and were moved aside "
            f"to {spool / 'damaged'}:[/red]"
        )
        table = Table()
        for col in ("file", "reason"):
            table.add_column(col, overflow="fold")
        for path, reason in aside:
            table.add_row(path.name, reason)
        console.print(table)
