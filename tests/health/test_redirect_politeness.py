"""Per-host politeness holds on every hop of a check, not only on the first URL's host.

Six loopback hosts (127.0.0.2-7) each redirect their cited page to one shared
host (127.0.0.8), which counts the requests it is serving at once.  Each first
host has its own slot, so without a slot per hop the six checks would reach
the shared host together; with it, never more than fetch.concurrency_per_host.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from archive.clock import ManualClock
from archive.db.models import CitationHealth
from archive.health.runner import run_checks
from archive.net.fetch import exchange
from archive.schedule import manage
from archive.schedule.scheduler import poll
from archive.settings import load_settings
from tests.schedule.conftest import START, add_page, make_runtime

PER_HOST = 2
FIRST_HOSTS = [f"127.0.0.{n}" for n in range(2, 8)]
SHARED_HOST = "127.0.0.8"
PAGE = (
    "<html><head><title>Shared</title></head><body><article><h1>Shared</h1>"
    + "<p>The page every first host sends its readers to, with enough words to read. </p>" * 10
    + "</article></body></html>"
).encode()


class _Counting(BaseHTTPRequestHandler):
    """The shared host: answers every page, holding each answer a moment so that
    requests let through together are seen together."""

    def _answer(self, body: bool) -> None:
        server: Any = self.server
        with server.lock:
            server.in_flight += 1
            server.most = max(server.most, server.in_flight)
            server.paths.append(self.path)
        time.sleep(0.15)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        # Counted out before the headers leave: the client cannot have the whole
        # answer (and free its slot) before this, so a request counted here is one
        # its client still holds a slot for.
        with server.lock:
            server.in_flight -= 1
        self.end_headers()
        if body:
            self.wfile.write(PAGE)

    def do_GET(self) -> None:
        self._answer(True)

    def do_HEAD(self) -> None:
        self._answer(False)

    def log_message(self, *args: Any) -> None:
        pass


class _Redirecting(BaseHTTPRequestHandler):
    """A first host: its page has moved to the shared host."""

    def _answer(self) -> None:
        server: Any = self.server
        self.send_response(301)
        self.send_header("Location", f"{server.target}{self.path}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def log_message(self, *args: Any) -> None:
        pass


def _serve(host: str, handler: type[BaseHTTPRequestHandler]) -> Any:
    server: Any = ThreadingHTTPServer((host, 0), handler)
    server.lock = threading.Lock()
    server.in_flight = server.most = 0
    server.paths = []
    server.thread = threading.Thread(target=server.serve_forever, daemon=True)
    server.thread.start()
    return server


@pytest.fixture
def hosts() -> Iterator[tuple[Any, list[Any]]]:
    shared = _serve(SHARED_HOST, _Counting)
    firsts = []
    try:
        for host in FIRST_HOSTS:
            first = _serve(host, _Redirecting)
            first.target = f"http://{SHARED_HOST}:{shared.server_address[1]}"
            firsts.append(first)
        yield shared, firsts
    finally:
        for server in [shared, *firsts]:
            server.shutdown()
            server.server_close()
            server.thread.join(5)


def test_the_host_a_redirect_leads_to_gets_its_own_politeness_slot(
    sqlite_url: str, make_settings: Any, hosts: tuple[Any, list[Any]]
) -> None:
    shared, firsts = hosts
    rt = make_runtime(
        sqlite_url,
        make_settings,
        fetch={
            "block_private_addresses": False,
            "concurrency_per_host": PER_HOST,
            "delay_seconds": 0,
            "obey_robots_txt": False,
        },
    )
    try:
        cited = [
            f"http://{host}:{first.server_address[1]}/page-{n}.html"
            for n, (host, first) in enumerate(zip(FIRST_HOSTS, firsts, strict=True))
        ]
        add_page(rt, "doc", *cited)
        with rt.sessions()() as s, s.begin():
            new = manage.NewSchedule(cron="0 * * * *", action="check", document_id="doc")
            manage.add_schedule(s, new, now=START)
        clock = ManualClock(START + timedelta(hours=1))
        poll(rt, clock, owner="scheduler")
        summary = run_checks(rt, clock, owner="worker")
        assert summary.checked == len(cited)
        with rt.sessions()() as s:
            states = s.scalars(select(CitationHealth.state)).all()
        assert len(states) == len(cited)
        # every check followed its redirect to the shared host ...
        pages = {p for p in shared.paths if p.startswith("/page-")}
        assert pages == {f"/page-{n}.html" for n in range(len(cited))}
        # ... and the shared host never served more at once than one host may get
        assert 1 <= shared.most <= PER_HOST, shared.most
    finally:
        rt.close()


def test_each_hop_is_entered_per_hop_and_its_wait_is_not_fetch_time(
    hosts: tuple[Any, list[Any]],
) -> None:
    _, firsts = hosts
    url = f"http://{FIRST_HOSTS[0]}:{firsts[0].server_address[1]}/page-0.html"
    limits = load_settings(
        fetch={"block_private_addresses": False, "download_timeout_seconds": 0.5}
    ).fetch
    entered: list[str] = []

    @contextmanager
    def slow_slot(hop_url: str) -> Iterator[None]:
        entered.append(hop_url)
        threading.Event().wait(1.0)  # a slot that frees up after the whole deadline
        yield

    answer = exchange(url, limits, max_bytes=1 << 20, each_hop=slow_slot)
    assert answer.status == 200 and answer.body == PAGE
    assert entered == [url, f"{firsts[0].target}/page-0.html"]
    assert [hop.status for hop in answer.chain] == [301, 200]
