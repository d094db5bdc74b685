"""One measured run of each crawler configuration in ``bench/crawl.py``.

CPU and peak memory come from ``os.wait4`` on each measured child: Linux
fills its rusage the way ``getrusage(RUSAGE_CHILDREN)`` would for that child
alone (user+system time and ``ru_maxrss`` of the child and of any
descendants it reaped), so one run's figures are not mixed with another's.
Servers (nginx, PostgreSQL, SeaweedFS) are not measured children; the CPU
of the database and S3 servers is read from ``/proc`` and shown apart.

Exchanges and bytes are counted from nginx's access log, the one count that
does not depend on what each crawler chooses to report.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from _crawl_site import Plan
from _servers import Nginx, Postgres, SeaweedS3, tree_cpu_seconds
from _trees import Tree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
BASELINE_MARK = " (base)"  # appended to the configuration name of the baseline tree's runs


@dataclass
class Sample:
    """What one run of one configuration measured."""

    config: str
    wall: float
    cpu: float  # seconds, user+system of the measured processes
    rss_mb: float  # largest ru_maxrss among the measured processes
    exchanges: int
    body_bytes: int
    pages_seen: int  # list URLs that reached the server
    server_cpu: float = 0.0  # seconds, database + S3 servers
    note: str = ""


@dataclass
class Backend:
    """Where citevault keeps rows and WARC files for one configuration."""

    name: str  # "sqlite" or "postgres"
    pg: Postgres | None = None
    s3: SeaweedS3 | None = None
    template: str = ""  # a data folder (SQLite) or database name (PostgreSQL) after `add`
    add_seconds: float = 0.0


@dataclass
class Context:
    work: Path
    nginx: Nginx
    plan: Plan
    urls_file: Path
    label: str  # condition name, part of folder and database names
    per_host: int
    backends: dict[str, Backend] = field(default_factory=dict)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without settings leaking in from the caller's shell."""
    drop = ("CITEVAULT_", "AWS_", "SCRAPY_")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(drop)}
    env.update(extra)
    return env


def measure(
    cmds: list[list[str]], *, cwd: Path, env: dict[str, str], logs: Path
) -> tuple[float, float, float, list[int]]:
    """Run ``cmds`` at once; wall seconds, CPU seconds, peak RSS in MB, exit codes."""
    logs.mkdir(parents=True, exist_ok=True)
    procs: list[subprocess.Popen[bytes]] = []
    started = time.perf_counter()
    try:
        for k, cmd in enumerate(cmds):
            with (logs / f"out{k}.txt").open("wb") as out, (logs / f"err{k}.txt").open("wb") as err:
                procs.append(
                    subprocess.Popen(
                        cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL
                    )
                )
        cpu, rss, codes = 0.0, 0, []
        for proc in procs:
            _pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            codes.append(proc.returncode)
            cpu += usage.ru_utime + usage.ru_stime
            rss = max(rss, usage.ru_maxrss)
        wall = time.perf_counter() - started
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(30)
    return wall, cpu, rss / 1024, codes


def _counted(ctx: Context, offset: int, sample: Sample) -> Sample:
    time.sleep(0.05)  # nginx writes the last log lines as the last responses finish
    n, size, paths = ctx.nginx.exchanges_since(offset)
    sample.exchanges, sample.body_bytes = n, size
    sample.pages_seen = len(paths & ctx.plan.page_paths)
    return sample


def run_scrapy(ctx: Context, tag: str, urls_file: Path | None = None) -> Sample:
    run = ctx.work / "runs" / tag
    stats = run / "stats.json"
    cmd = [str(BIN / "scrapy"), "runspider", str(HERE / "_plain_spider.py")]
    cmd += ["-a", f"urls={urls_file or ctx.urls_file}", "-a", f"stats={stats}"]
    cmd += ["-s", "LOG_LEVEL=INFO"]
    offset = ctx.nginx.log_offset()
    run.mkdir(parents=True)
    wall, cpu, rss, codes = measure([cmd], cwd=run, env=clean_env(), logs=run)
    note = "" if codes == [0] else f"exit {codes}"
    return _counted(ctx, offset, Sample("a scrapy", wall, cpu, rss, 0, 0, 0, note=note))


def run_wget(ctx: Context, tag: str) -> Sample:
    run = ctx.work / "runs" / tag
    run.mkdir(parents=True)
    cmd = ["wget", "--no-verbose", "-o", str(run / "wget.log"), "-e", "robots=off"]
    cmd += ["--page-requisites", f"--warc-file={run / 'wget'}", "-i", str(ctx.urls_file)]
    cmd += ["-P", str(run / "files")]
    offset = ctx.nginx.log_offset()
    wall, cpu, rss, codes = measure([cmd], cwd=run, env=clean_env(), logs=run)
    note = "" if codes[0] in (0, 8) else f"exit {codes}"  # 8: some answers were 404
    sample = _counted(ctx, offset, Sample("c wget", wall, cpu, rss, 0, 0, 0, note=note))
    shutil.rmtree(run / "files", ignore_errors=True)
    return sample


def cv_env(backend: Backend, data_dir: Path, per_host: int, database: str = "") -> dict[str, str]:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(data_dir),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        CITEVAULT_FETCH__CONCURRENCY_PER_HOST=str(per_host),
    )
    if backend.pg is not None and backend.s3 is not None:
        env.update(
            CITEVAULT_DATABASE_URL=backend.pg.url(database),
            CITEVAULT_STORE__URL=f"s3://{backend.s3.bucket}/bench",
            CITEVAULT_STORE__ENDPOINT_URL=backend.s3.endpoint,
            CITEVAULT_STORE__ACCESS_KEY_ID=backend.s3.access_key,
            CITEVAULT_STORE__SECRET_ACCESS_KEY=backend.s3.secret_key,
            CITEVAULT_STORE__REGION="us-east-1",
        )
    return env


def _cli(args: list[str], env: dict[str, str]) -> None:
    # This tree's command line prepares the data every tree then crawls from.
    result = subprocess.run(
        [str(BIN / "citevault"), *args],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"citevault {' '.join(args)} failed: {result.stderr[-2000:]}")


def prepare(ctx: Context, backend: Backend) -> None:
    """``citevault add`` the URL list once; every run starts from a copy of the result.

    Adding the document is timed and reported, but kept out of the crawl
    figures: it is the same work for one worker or two, and at about 20 ms
    per citation it would otherwise dominate a short crawl.
    """
    data = ctx.work / f"tmpl-{ctx.label}-{backend.name}"
    database = f"tmpl_{ctx.label}"
    if backend.pg is not None:
        backend.pg.create_database(database)
        _cli(["db", "upgrade"], cv_env(backend, data, ctx.per_host, database))
    env = cv_env(backend, data, ctx.per_host, database)
    started = time.perf_counter()
    _cli(["add", str(ctx.urls_file), "--id", "bench", "--format", "text"], env)
    backend.add_seconds = time.perf_counter() - started
    backend.template = database if backend.pg is not None else str(data)


def _verify(backend: Backend, url: str) -> str:
    """Job states and row counts after a run, as a short note."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT state, count(*) FROM capture_jobs GROUP BY state"))
            states: dict[str, int] = {str(state): int(n) for state, n in rows.all()}
            captures = conn.execute(text("SELECT count(*) FROM captures")).scalar_one()
            files = conn.execute(text("SELECT count(*) FROM warc_files")).scalar_one()
    finally:
        engine.dispose()
    left = {k: v for k, v in states.items() if k != "done"}
    note = f"{states.get('done', 0)} done, {captures} rows, {files} WARC"
    return note + (f", {left}" if left else "")


def run_citevault(
    ctx: Context,
    tag: str,
    backend: Backend,
    workers: int,
    tree: Tree,
    profile: Path | None = None,
) -> Sample:
    run = ctx.work / "runs" / tag
    data = run / "data"
    database = ""
    if backend.pg is not None:
        database = f"run_{tag}".replace("-", "_")
        with _pg_connect(backend.pg) as conn:
            conn.execute(f'CREATE DATABASE "{database}" TEMPLATE "{backend.template}"')
        run.mkdir(parents=True)
        db_url = backend.pg.url(database)
    else:
        shutil.copytree(backend.template, data)
        db_url = f"sqlite:///{data / 'citevault.db'}"
    env = tree.env(cv_env(backend, data, ctx.per_host, database))
    prefix = [sys.executable]
    if profile is not None:
        prefix += ["-m", "cProfile", "-o", str(profile)]
    cmds = [[*prefix, "-m", "crawler.worker", "--owner", f"w{k}"] for k in range(workers)]
    servers: list[int] = []
    if backend.pg is not None and backend.s3 is not None:
        servers = [backend.pg.postmaster_pid(), backend.s3.pid]
    server_cpu = sum(tree_cpu_seconds(pid) for pid in servers)
    offset = ctx.nginx.log_offset()
    wall, cpu, rss, codes = measure(cmds, cwd=tree.root, env=env, logs=run)
    time.sleep(0.2)  # backends of closed connections exit and are reaped
    server_cpu = sum(tree_cpu_seconds(pid) for pid in servers) - server_cpu
    name = f"b cv {backend.name} {workers}w" + (BASELINE_MARK if tree.name == "baseline" else "")
    sample = Sample(name, wall, cpu, rss, 0, 0, 0, server_cpu=server_cpu)
    sample = _counted(ctx, offset, sample)
    sample.note = _verify(backend, db_url)
    _report_errors(run, workers, sample, codes)
    if backend.pg is not None:
        with _pg_connect(backend.pg) as conn:
            conn.execute(f'DROP DATABASE "{database}"')
    shutil.rmtree(data, ignore_errors=True)
    return sample


def _report_errors(run: Path, workers: int, sample: Sample, codes: list[int]) -> None:
    """Adds what went wrong in each worker to the note: errors are findings too."""
    for k in range(workers):
        err = (run / f"err{k}.txt").read_text(errors="replace")
        locked = err.count("database is locked")
        if locked:
            sample.note += f"; worker {k}: 'database is locked' x{locked // 2}"
        if codes[k] != 0:
            last = err.strip().splitlines()[-1:] or ["no output"]
            sample.note += f"; worker {k} exit {codes[k]}: {last[0][:200]}"
        lines = (run / f"out{k}.txt").read_text(errors="replace").strip().splitlines()
        try:
            summary = json.loads(lines[-1]) if lines else {}
        except ValueError:
            summary = {}
        if summary.get("error") or summary.get("waiting") or summary.get("failures"):
            keep = {k2: summary.get(k2) for k2 in ("error", "waiting", "failures", "failed")}
            sample.note += f"; worker {k}: {json.dumps(keep)[:300]}"


def _pg_connect(pg: Postgres) -> _PgConn:
    return _PgConn(pg.url("postgres"))


class _PgConn:
    """An autocommit connection, for CREATE/DROP DATABASE."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def __enter__(self) -> _PgConn:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()

    def execute(self, sql: str) -> None:
        self.conn.execute(sql.encode())


Runner = Callable[[Context, str], Sample]
