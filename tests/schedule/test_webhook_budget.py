"""A receiver that hangs never holds up the scheduler: sending has a time budget per look.

The receiver here takes every POST and then waits until the test lets it
answer, far longer than ``webhooks.send_budget_seconds``.  Nothing is timed:
the tests assert the order of events (a tick claimed while the receiver had
not answered yet) and what became of each delivery.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from archive.clock import ManualClock
from archive.db.models import ScheduleTick, WebhookDelivery
from archive.runtime import Runtime
from archive.schedule import manage
from archive.schedule.scheduler import run_scheduler
from archive.webhooks.send import send_due
from tests.schedule.conftest import START, add_page, make_runtime

WAIT = 20.0  # the longest any step may take before the test fails
HANG = 3 * WAIT  # how long the receiver holds a POST unless the test lets it answer


class _Hanging(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        server: Any = self.server
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with server.lock:
            server.posts.append((self.headers["X-Citevault-Delivery"], body))
        server.arrived.release()
        server.gate.wait(HANG)
        server.answered.set()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Any]:
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), _Hanging)
    server.lock = threading.Lock()
    server.posts = []
    server.arrived = threading.Semaphore(0)
    server.gate = threading.Event()
    server.answered = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.gate.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def _runtime(database_url: str, make_settings: Any, **webhooks: Any) -> Runtime:
    return make_runtime(
        database_url,
        make_settings,
        fetch={"block_private_addresses": False},
        scheduler={"poll_seconds": 0.05},
        # The receiver may hang for WAIT; the budget is a small part of it.  The
        # lease outlives every clock move here, so an unanswered post is never re-sent.
        webhooks={
            "timeout_seconds": HANG * 2,
            "send_budget_seconds": 1.0,
            "lease_seconds": 86400,
            **webhooks,
        },
    )


def _hooked_schedule(rt: Runtime, url: str) -> int:
    add_page(rt, "doc", "https://example.org/a")
    with rt.sessions()() as s, s.begin():
        new = manage.NewSchedule(
            cron="0 * * * *",
            action="check",
            document_id="doc",
            webhook_url=url,
            webhook_secret="s3cret",
        )
        return manage.add_schedule(s, new, now=START).id


def _queue(rt: Runtime, schedule_id: int, *keys: str) -> None:
    with rt.sessions()() as s, s.begin():
        for key in keys:
            s.add(
                WebhookDelivery(
                    delivery_key=key * 64,
                    schedule_id=schedule_id,
                    event="health.changed",
                    body=f'{{"n":"{key}"}}',
                    state="queued",
                    attempts=0,
                    next_attempt_at=START,
                    created_at=START,
                    updated_at=START,
                )
            )


def _states(rt: Runtime) -> dict[str, tuple[str, int]]:
    with rt.sessions()() as s:
        rows = s.scalars(select(WebhookDelivery)).all()
        return {d.delivery_key[0]: (d.state, d.attempts) for d in rows}


def _eventually(check: Any) -> bool:
    """Look again until ``check()`` holds or WAIT passes (a bounded wait, not a timing)."""
    done = threading.Event()
    for _ in range(int(WAIT / 0.05)):
        if check():
            return True
        done.wait(0.05)
    return bool(check())


def test_a_tick_due_while_a_receiver_hangs_is_claimed_before_it_answers(
    database_url: str, make_settings: Any, receiver: Any
) -> None:
    rt = _runtime(database_url, make_settings)
    stop = threading.Event()
    scheduler = threading.Thread(target=lambda: None)
    try:
        port = receiver.server_address[1]
        sid = _hooked_schedule(rt, f"http://127.0.0.1:{port}/hook")
        _queue(rt, sid, "a")
        clock = ManualClock(START + timedelta(minutes=30))  # no tick due yet
        scheduler = threading.Thread(
            target=run_scheduler, args=(rt, clock), kwargs={"stop": stop, "owner": "s1"}
        )
        scheduler.start()
        assert receiver.arrived.acquire(timeout=WAIT)  # the post is out, and hangs

        clock.set(START + timedelta(hours=1))  # the hourly tick falls due meanwhile

        def claimed() -> bool:
            with rt.sessions()() as s:
                return s.scalar(select(ScheduleTick.tick_at)) is not None

        assert _eventually(claimed)
        assert not receiver.answered.is_set()  # claimed before the receiver answered
        with rt.sessions()() as s:
            tick = s.scalars(select(ScheduleTick)).one()
        assert (tick.schedule_id, tick.tick_at, tick.claimed_by) == (
            sid,
            START + timedelta(hours=1),
            "s1",
        )
        assert _states(rt) == {"a": ("leased", 1)}

        receiver.gate.set()  # the receiver answers at last: the late answer is recorded
        assert _eventually(lambda: _states(rt) == {"a": ("delivered", 1)})
        assert [key for key, _ in receiver.posts] == ["a" * 64]  # posted once
    finally:
        receiver.gate.set()
        stop.set()
        if scheduler.is_alive():
            scheduler.join(WAIT)
        rt.close()


def test_posts_not_started_within_the_budget_go_back_to_the_queue(
    database_url: str, make_settings: Any, receiver: Any
) -> None:
    rt = _runtime(database_url, make_settings, concurrency=1)
    try:
        port = receiver.server_address[1]
        sid = _hooked_schedule(rt, f"http://127.0.0.1:{port}/hook")
        _queue(rt, sid, "a", "b")
        clock = ManualClock(START)

        summary = send_due(rt, clock, owner="s1")  # "a" hangs; "b" waits for the one thread
        assert summary.sent == 0
        assert receiver.arrived.acquire(timeout=WAIT)
        # "a" is out and stays leased; "b" was never posted: due again, no try counted
        assert _states(rt) == {"a": ("leased", 1), "b": ("queued", 0)}
        assert [key for key, _ in receiver.posts] == ["a" * 64]

        receiver.gate.set()
        assert _eventually(lambda: _states(rt)["a"] == ("delivered", 1))
        summary = send_due(rt, clock, owner="s1")
        assert (summary.delivered, summary.retrying, summary.failed) == (1, 0, 0)
        assert _states(rt) == {"a": ("delivered", 1), "b": ("delivered", 1)}
        assert sorted(key for key, _ in receiver.posts) == ["a" * 64, "b" * 64]
    finally:
        receiver.gate.set()
        rt.close()
