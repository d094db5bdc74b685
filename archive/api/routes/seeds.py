"""Seed runs over HTTP: start one (``POST /api/seeds/run``), then read its summary.

A run can take minutes (a feed of thousands of entries), longer than a
client should hold a request open, so the POST answers 202 with the run's id
at once and the run goes on in a thread of the server; ``GET
/api/seeds/runs/{id}`` reads the summary the run keeps up to date after
each seed.  A server stopped mid-run leaves the run "running": rerun it, the
entries already stored are not stored again.

The body is either the seed file itself (TOML) or ``{"name": "news.toml"}``,
a file in ``seeds.directory``; no other path is read, and a seed file sent
in the body may not name a folder source, which would read the server's
own files.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from sqlalchemy import Connection, select
from starlette.concurrency import run_in_threadpool

from archive.api.errors import ApiError
from archive.api.reads import JsonBytes, key_checker, read, runtime
from archive.api.submission import bounded
from archive.clock import SystemClock
from archive.db.base import MAX_ROW_ID
from archive.db.models import SeedRun
from archive.runtime import Runtime
from archive.seeds.model import SeedFile, load_seed_file, parse_seed_file
from archive.seeds.run import run_seeds, start_run

router = APIRouter(prefix="/api/seeds", tags=["seeds"])
log = logging.getLogger(__name__)

MAX_SEED_FILE_BYTES = 1024 * 1024
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}\.toml")
RunId = Annotated[int, PathParam(ge=1, le=MAX_ROW_ID)]


async def _body(request: Request) -> bytes:
    too_long = ApiError(413, "too_large", f"a seed file is at most {MAX_SEED_FILE_BYTES} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_SEED_FILE_BYTES:
        raise too_long
    return b"".join(
        [chunk async for chunk in bounded(request.stream(), MAX_SEED_FILE_BYTES, too_long)]
    )


def _named(rt: Runtime, raw: bytes) -> tuple[SeedFile, Path, str]:
    try:
        fields = json.loads(raw or b"{}")
    except ValueError as exc:
        raise ApiError(400, "bad_request", f"the body is not valid JSON: {exc}") from None
    name = fields.get("name") if isinstance(fields, dict) else None
    if not isinstance(name, str) or not _FILE_NAME.fullmatch(name):
        raise ApiError(
            400,
            "bad_request",
            "give {'name': 'file.toml'}, a seed file in seeds.directory, or send the seed "
            "file itself as application/toml",
        )
    folder = rt.settings.effective_seeds_directory
    path = folder / name
    if not path.is_file():
        raise ApiError(404, "not_found", f"no seed file {name!r} in seeds.directory")
    return load_seed_file(path), folder, name


def _sent(raw: bytes) -> SeedFile:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "bad_input", "the seed file is not UTF-8 text") from None
    seeds = parse_seed_file(text, "the seed file")
    folders = [s.name for s in seeds.seed if s.folder is not None]
    if folders:
        raise ApiError(
            400,
            "bad_input",
            f"seed {folders[0]!r} names a folder: a seed file sent to the API may not read "
            "the server's files",
            hint="put the seed file in seeds.directory and send {'name': …}, or use the CLI",
        )
    return seeds


def _run_in_background(rt: Runtime, seeds: SeedFile, base: Path | None, run_id: int) -> None:
    def work() -> None:
        try:
            run_seeds(rt, seeds, base=base, source="", clock=SystemClock(), run_id=run_id)
        except Exception:  # recorded on the run row by run_seeds; logged for the operator
            log.exception("seed run %s failed", run_id)

    threading.Thread(target=work, name=f"citevault-seeds-{run_id}", daemon=True).start()


@router.post("/run", status_code=202, response_class=JsonBytes)
async def start_seed_run(request: Request) -> JsonBytes:
    """Start a seed run: the body is a seed file (TOML) or ``{"name": "file.toml"}``."""
    rt = runtime(request)
    await read(request, key_checker(request, required=True))
    raw = await _body(request)
    if request.headers.get("content-type", "").startswith("application/json"):
        seeds, base, source = await run_in_threadpool(_named, rt, raw)
    else:
        seeds, base, source = _sent(raw), None, "(request body)"
    run_id = await run_in_threadpool(start_run, rt, source, SystemClock().now())
    _run_in_background(rt, seeds, base, run_id)
    return JsonBytes(
        {"run_id": run_id, "state": "running", "summary_url": f"/api/seeds/runs/{run_id}"},
        status_code=202,
    )


def _run_json(conn: Connection, run_id: int) -> bytes:
    run = conn.execute(select(SeedRun.__table__).where(SeedRun.id == run_id)).first()
    if run is None:
        raise ApiError(404, "not_found", f"no seed run {run_id}")
    return json.dumps(
        {
            "run_id": run.id,
            "source": run.source,
            "state": run.state,
            "error": run.error,
            "started_at": run.started_at.isoformat(),
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            "summary": run.summary,
        }
    ).encode()


@router.get("/runs/{run_id}", response_class=JsonBytes)
async def seed_run(request: Request, run_id: RunId) -> JsonBytes:
    """A seed run's state and summary (counts, documents added, failures with reasons)."""
    check = key_checker(request, required=True)

    def answer(conn: Connection) -> bytes:
        check(conn)
        return _run_json(conn, run_id)

    return JsonBytes(await read(request, answer))
