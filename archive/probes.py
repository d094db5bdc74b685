"""Liveness, readiness and the metrics scrape of the API, the worker and the scheduler.

Liveness is the process answering at all: it touches nothing, so a database
outage does not get every process restarted.  Readiness is whether the
process can do its work now: the database answers and its schema is at the
migrations' head, the store answers, and (``replay.ready_check``) the replay
engine accepts connections.  Each check reads only, with the runtime's own
engine and store, and says what is wrong in words an operator can act on.

The worker has no web framework: it answers the same three paths from a small
threaded HTTP server (``worker.health_port``, ``scheduler.health_port``).
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from archive import metrics
from archive.capture import queue
from archive.capture.spool import closed_files, open_files, quarantined, spool_dir
from archive.db import migrate
from archive.errors import CitevaultError, InputError
from archive.runtime import Runtime, describe_db_error

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _database(rt: Runtime) -> Check:
    try:
        engine = rt.engine(migrate_embedded=False)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if not migrate.is_current(engine):
            head = migrate.scripted_head() or migrate.head_revision()
            return Check(
                "database",
                False,
                f"the schema is not at the migrations' head ({head}): run `citevault db upgrade`",
            )
    except SQLAlchemyError as exc:
        return Check("database", False, describe_db_error(rt.database_url, exc).message)
    return Check("database", True, "reachable, migrations at head")


def _store(rt: Runtime) -> Check:
    try:
        rt.store().ping()
    except CitevaultError as exc:
        return Check("store", False, exc.message)
    return Check("store", True, f"reachable ({rt.settings.effective_store_url})")


def _replay(rt: Runtime) -> Check:
    from archive.replay.engine import port_open

    replay = rt.settings.replay
    where = f"{replay.host}:{replay.port}"
    if port_open(replay.host, replay.port):
        return Check("replay", True, f"accepting connections on {where}")
    return Check("replay", False, f"the replay engine does not accept connections on {where}")


def readiness(rt: Runtime) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body): 200 when every check passes, else 503 naming the failures."""
    checks = [_database(rt), _store(rt)]
    if rt.settings.replay.ready_check:
        checks.append(_replay(rt))
    failing = [c.name for c in checks if not c.ok]
    body = {
        "status": "not ready" if failing else "ready",
        "not_ready": failing,
        "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
    }
    return (503 if failing else 200), body


LIVE: dict[str, Any] = {"status": "alive"}


def live_state(rt: Runtime) -> metrics.LiveState:
    """The queue and the spool as they are now; the queue is left out while the
    database cannot be read, so that a scrape still returns the counters."""
    due: int | None = None
    oldest: float | None = None
    try:
        with rt.engine(migrate_embedded=False).connect() as conn:
            due, oldest = queue.due_summary(conn)
    except SQLAlchemyError as exc:
        log.warning("metrics: cannot read the queue: %s", str(exc).splitlines()[0])
    spool = spool_dir(rt)
    return metrics.LiveState(
        due_jobs=due,
        oldest_due_seconds=oldest,
        spool=metrics.spool_state(
            closed_files(spool), open_files(spool), (p for p, _ in quarantined(spool))
        ),
    )


def scrape(rt: Runtime) -> bytes:
    return metrics.render(live_state(rt))


class _Handler(BaseHTTPRequestHandler):
    server: _HealthServer

    def do_GET(self) -> None:
        rt = self.server.runtime
        path = self.path.split("?", 1)[0]
        if path == "/healthz":
            self._send(200, json.dumps(LIVE).encode(), "application/json")
        elif path == "/readyz":
            status, body = readiness(rt)
            self._send(status, json.dumps(body).encode(), "application/json")
        elif path == "/metrics":
            self._send(200, scrape(rt), metrics.CONTENT_TYPE)
        else:
            self._send(404, b'{"error": {"code": "not_found"}}', "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Probes every few seconds would drown the worker's own output."""


class _HealthServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, rt: Runtime, address: tuple[str, int]) -> None:
        self.runtime = rt
        super().__init__(address, _Handler)


def serve_in_thread(rt: Runtime, section: str = "worker") -> ThreadingHTTPServer | None:
    """Start the probe server of a worker or a scheduler (``section``) when its
    ``health_port`` is set; stop it with ``shutdown()``."""
    where = rt.settings.worker if section == "worker" else rt.settings.scheduler
    if not where.health_port:
        return None
    try:
        server = _HealthServer(rt, (where.health_host, where.health_port))
    except OSError as exc:
        raise InputError(
            f"cannot listen on {where.health_host}:{where.health_port} for health checks: "
            f"{exc.strerror or exc}",
            hint=f"choose another {section}.health_port, or stop what is using this one",
        ) from exc
    threading.Thread(target=server.serve_forever, name="citevault-health", daemon=True).start()
    return server
