"""Schedules' webhooks and recapture_on, through the scheduler and real checks.

A loopback site whose pages the test makes alive or dead, and a loopback
receiver that checks nothing itself: it records each POST and answers with
the status the test queued, so the test checks signature, body, retries and
giving up on what the receiver saw.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import func, select

from archive.clock import ManualClock
from archive.db.models import CaptureJob, CitationHealth, Schedule, WebhookDelivery
from archive.errors import InputError
from archive.health.runner import run_checks
from archive.health.state import HealthChange
from archive.runtime import Runtime
from archive.schedule import manage
from archive.schedule.scheduler import poll
from archive.webhooks import send
from archive.webhooks.queue import queue_health_changes
from tests.helpers import clean_env, cli_ok
from tests.schedule.conftest import START, add_page, make_runtime

SECRET = "correct horse battery staple"
ARTICLE = (
    "<html><head><title>Cited</title></head><body><article><h1>Cited</h1>"
    + "<p>The cited page says what the document needs it to say, at length. </p>" * 20
    + "</article></body></html>"
)


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1, stopped on exit."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Any:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


class _SiteHandler(BaseHTTPRequestHandler):
    def _answer(self, body: bool) -> None:
        site: Site = self.server.owner  # type: ignore[attr-defined]
        status = site.status.get(self.path, 404)
        data = ARTICLE.encode() if status == 200 else b"not here\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer(True)

    def do_HEAD(self) -> None:
        self._answer(False)

    def log_message(self, *args: Any) -> None:
        pass


class Site(_Server):
    def __init__(self) -> None:
        super().__init__(_SiteHandler)
        self.status: dict[str, int] = {}


class _ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        receiver: Receiver = self.server.owner  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with receiver.lock:
            receiver.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
            status = receiver.answers.pop(0) if receiver.answers else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


class Receiver(_Server):
    def __init__(self) -> None:
        super().__init__(_ReceiverHandler)
        self.lock = threading.Lock()
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []  # statuses to answer, in order; then 200


@pytest.fixture
def servers() -> Iterator[tuple[Site, Receiver]]:
    with Site() as site, Receiver() as receiver:
        yield site, receiver


def _runtime(database_url: str, make_settings: Any, **webhooks: Any) -> Runtime:
    return make_runtime(
        database_url,
        make_settings,
        fetch={"block_private_addresses": False},
        # One failure makes a page dead: the tests are about what follows a change.
        health={"dead_after_failures": 1},
        webhooks={"backoff_seconds": 60, "max_attempts": 3, **webhooks},
    )


@pytest.fixture
def rt(database_url: str, make_settings: Any) -> Iterator[Runtime]:
    runtime = _runtime(database_url, make_settings)
    yield runtime
    runtime.close()


def _schedule(rt: Runtime, doc: str | None, url: str | None, **kw: Any) -> int:
    with rt.sessions()() as s, s.begin():
        new = manage.NewSchedule(
            cron="0 * * * *",
            action="check",
            document_id=doc,
            name=kw.pop("name", None),
            webhook_url=url,
            webhook_secret=SECRET if url else None,
            **kw,
        )
        return manage.add_schedule(s, new, now=START).id


def _tick(rt: Runtime, clock: ManualClock) -> None:
    """The next hourly tick: the scheduler plans its checks, a worker runs them,
    and the scheduler's next look sends what they queued."""
    clock.advance(timedelta(hours=1))
    poll(rt, clock, owner="scheduler")
    run_checks(rt, clock, owner="worker")
    poll(rt, clock, owner="scheduler")


def _deliveries(rt: Runtime) -> list[WebhookDelivery]:
    with rt.sessions()() as s:
        return list(s.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def _result_of(rt: Runtime, citation_id: int) -> int:
    with rt.sessions()() as s:
        found = s.scalar(
            select(CitationHealth.last_result_id).where(CitationHealth.citation_id == citation_id)
        )
    assert found is not None
    return int(found)


def _recaptures(rt: Runtime) -> list[CaptureJob]:
    with rt.sessions()() as s:
        return list(
            s.scalars(
                select(CaptureJob)
                .where(CaptureJob.force.is_(True), CaptureJob.schedule_id.is_not(None))
                .order_by(CaptureJob.id)
            )
        )


def test_state_change_is_posted_signed_and_retried_after_a_500(
    rt: Runtime, servers: tuple[Site, Receiver]
) -> None:
    site, receiver = servers
    a, b = f"{site.base_url}/a", f"{site.base_url}/b"
    site.status.update({"/a": 200, "/b": 200, "/c": 200})
    add_page(rt, "doc", a, b)
    add_page(rt, "other", f"{site.base_url}/c")
    hook = f"{receiver.base_url}/hooks/citevault"
    sid = _schedule(rt, "doc", hook)
    _schedule(rt, "other", hook, name="another document's hook")
    clock = ManualClock(START)

    _tick(rt, clock)  # first checks: both alive, as when cited: no change
    assert [d.body for d in _deliveries(rt)] == [] and receiver.posts == []

    site.status["/a"] = 404
    receiver.answers = [500]
    _tick(rt, clock)  # /a dies: queued, posted, answered 500
    (delivery,) = _deliveries(rt)
    assert delivery.schedule_id == sid
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("queued", 1, 500)
    assert len(receiver.posts) == 1

    poll(rt, clock, owner="scheduler")  # not due yet: the back-off holds it
    assert len(receiver.posts) == 1
    clock.advance(timedelta(seconds=60))
    poll(rt, clock, owner="scheduler")
    (delivery,) = _deliveries(rt)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 2, 200)
    assert delivery.delivered_at == clock.now()

    (h1, body1), (h2, body2) = receiver.posts
    assert body1 == body2  # a retry sends the same bytes
    for headers, body in receiver.posts:
        want = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers["x-citevault-signature"] == f"sha256={want}"
        assert headers["content-type"] == "application/json"
        assert headers["x-citevault-event"] == "health.changed"
        assert headers["x-citevault-delivery"] == delivery.delivery_key
    assert int(h2["x-citevault-timestamp"]) == int(clock.now().timestamp())
    assert int(h2["x-citevault-timestamp"]) - int(h1["x-citevault-timestamp"]) == 60
    sent = json.loads(body1)
    assert sent.pop("checked_at").startswith(
        (START + timedelta(hours=2)).isoformat().removesuffix("+00:00")
    )
    assert isinstance(sent.pop("citation_id"), int)
    assert sent == {
        "event": "health.changed",
        "delivery": delivery.delivery_key,
        "schedule_id": sid,
        "document": "doc",
        "url": a,
        "old_state": "alive",
        "new_state": "dead",
        "drift_label": None,
        "archived_copy_url": None,  # never captured in this test
    }

    _tick(rt, clock)  # /a still dead: no change, no delivery
    assert len(_deliveries(rt)) == 1 and len(receiver.posts) == 2

    site.status["/a"] = 200
    _tick(rt, clock)  # back to alive: a change again
    assert [json.loads(d.body)["new_state"] for d in _deliveries(rt)] == ["dead", "alive"]
    assert len(receiver.posts) == 3
    # another document's schedule heard nothing of this document
    assert {d.schedule_id for d in _deliveries(rt)} == {sid}


def test_delivery_is_given_up_after_max_attempts(
    rt: Runtime, servers: tuple[Site, Receiver]
) -> None:
    site, receiver = servers
    add_page(rt, "doc", f"{site.base_url}/a")
    _schedule(rt, None, f"{receiver.base_url}/hook")  # every document
    clock = ManualClock(START)
    receiver.answers = [503] * 10
    _tick(rt, clock)  # /a is 404 from the first check: a change from "alive"
    for _ in range(5):
        clock.advance(timedelta(hours=2))  # past any back-off
        poll(rt, clock, owner="scheduler")
    (delivery,) = _deliveries(rt)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("failed", 3, 503)
    assert delivery.last_error == "HTTP 503"
    assert len(receiver.posts) == 3  # max_attempts, then nothing more
    assert json.loads(delivery.body)["old_state"] is None  # the first check
    with rt.sessions()() as s:
        (listed,) = manage.list_schedules(s, now=clock.now())
    assert listed["webhook_deliveries"] == {"failed": 1}


def test_refused_connection_is_retried_and_a_4xx_is_final(
    rt: Runtime, servers: tuple[Site, Receiver]
) -> None:
    site, receiver = servers
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    add_page(rt, "doc", f"{site.base_url}/a")
    _schedule(rt, "doc", f"http://127.0.0.1:{closed}/hook", name="nobody")
    _schedule(rt, "doc", f"{receiver.base_url}/hook", name="rejects")
    receiver.answers = [400]
    _tick(rt, ManualClock(START))
    by_name = {json.loads(d.body)["schedule_id"]: d for d in _deliveries(rt)}
    with rt.sessions()() as s:
        names = {sid: name for sid, name in s.execute(select(Schedule.id, Schedule.name))}
    states = {names[sid]: (d.state, d.last_status) for sid, d in by_name.items()}
    assert states == {"nobody": ("queued", None), "rejects": ("failed", 400)}
    nobody = next(d for sid, d in by_name.items() if names[sid] == "nobody")
    assert nobody.last_error is not None and "refused" in nobody.last_error
    assert len(receiver.posts) == 1


def test_private_webhook_addresses_are_refused_by_the_fetch_policy(
    database_url: str, make_settings: Any, servers: tuple[Site, Receiver]
) -> None:
    site, receiver = servers
    rt = _runtime(database_url, make_settings)
    try:
        add_page(rt, "doc", f"{site.base_url}/a")
        _schedule(rt, "doc", f"{receiver.base_url}/hook")
        _tick(rt, ManualClock(START))  # the check itself may fetch loopback
        (delivery,) = _deliveries(rt)
        assert delivery.state == "delivered"
    finally:
        rt.close()
    strict = make_runtime(
        database_url, make_settings, webhooks={"backoff_seconds": 60, "max_attempts": 3}
    )
    try:
        with strict.sessions()() as s, s.begin():
            s.add(
                WebhookDelivery(
                    delivery_key="x" * 64,
                    schedule_id=delivery.schedule_id,
                    event="health.changed",
                    body="{}",
                    state="queued",
                    attempts=0,
                    next_attempt_at=START,
                )
            )
        summary = send.send_due(strict, ManualClock(START))
        assert (summary.delivered, summary.retrying, summary.failed) == (0, 0, 1)
        with strict.sessions()() as s:
            refused = s.scalar(
                select(WebhookDelivery).where(WebhookDelivery.delivery_key == "x" * 64)
            )
        assert refused is not None and refused.state == "failed" and refused.attempts == 1
        assert refused.last_error is not None and "refused" in refused.last_error
        assert len(receiver.posts) == 1  # the first runtime's delivery only
    finally:
        strict.close()


def test_webhooks_send_posts_what_is_due_once(
    database_url: str, make_settings: Any, tmp_path: Any, servers: tuple[Site, Receiver]
) -> None:
    site, receiver = servers
    rt = _runtime(database_url, make_settings)
    try:
        add_page(rt, "doc", f"{site.base_url}/a")
        _schedule(rt, "doc", f"{receiver.base_url}/hook")
        clock = ManualClock(START + timedelta(hours=1))
        poll(rt, clock, owner="scheduler")
        run_checks(rt, clock, owner="worker")  # queued; no scheduler runs to send it
    finally:
        rt.close()
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_DATABASE_URL=database_url,
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
    )
    result = cli_ok(env, "webhooks", "send")
    assert "1 delivered, 0 to retry later, 0 given up" in result.stdout
    assert len(receiver.posts) == 1
    result = cli_ok(env, "webhooks", "send")
    assert "0 delivered" in result.stdout and len(receiver.posts) == 1


def test_two_senders_never_hold_the_same_delivery(
    rt: Runtime, servers: tuple[Site, Receiver]
) -> None:
    site, receiver = servers
    add_page(rt, "doc", f"{site.base_url}/a", f"{site.base_url}/b")
    _schedule(rt, "doc", f"{receiver.base_url}/hook")
    clock = ManualClock(START + timedelta(hours=1))
    poll(rt, clock, owner="scheduler")
    run_checks(rt, clock, owner="worker")  # both 404: two deliveries queued
    settings = rt.settings.webhooks
    with rt.sessions()() as s1, rt.sessions()() as s2:
        first = send.lease(s1, "one", clock.now(), settings)
        second = send.lease(s2, "two", clock.now(), settings)
    assert len(first) == 2 and second == []
    # past the lease, a sender that died is replaced
    later = clock.now() + timedelta(seconds=settings.lease_seconds + 1)
    with rt.sessions()() as s:
        assert len(send.lease(s, "two", later, settings)) == 2
    assert receiver.posts == []
    # the same change queued again (a retried group) is the same row
    (one, _) = _deliveries(rt)
    body = json.loads(one.body)
    change = HealthChange(
        citation_id=body["citation_id"],
        document_id="doc",
        url=body["url"],
        schedule_id=one.schedule_id,
        result_id=_result_of(rt, body["citation_id"]),
        checked_at=clock.now(),
        old_state=None,
        new_state="dead",
        old_label=None,
        new_label=None,
        baseline_capture_id=None,
    )
    with rt.sessions()() as s, s.begin():
        assert queue_health_changes(s, [change], clock.now(), settings) == 0
    assert len(_deliveries(rt)) == 2


def test_recapture_on_dead_queues_one_forced_capture_per_change(
    rt: Runtime, servers: tuple[Site, Receiver]
) -> None:
    site, _ = servers
    a = f"{site.base_url}/a"
    site.status["/a"] = 200
    add_page(rt, "doc", a)
    sid = _schedule(rt, "doc", None, options={"recapture_on": ["dead", "off-topic"]})
    clock = ManualClock(START)
    _tick(rt, clock)
    assert _recaptures(rt) == []  # alive
    site.status["/a"] = 404
    _tick(rt, clock)
    (job,) = _recaptures(rt)
    assert (job.url, job.schedule_id, job.state) == (a, sid, "queued")
    _tick(rt, clock)
    _tick(rt, clock)
    assert len(_recaptures(rt)) == 1  # still dead: not once per check
    site.status["/a"] = 200
    _tick(rt, clock)
    site.status["/a"] = 404
    _tick(rt, clock)  # dead again: a new change, a new capture
    assert len(_recaptures(rt)) == 2


def test_checks_of_a_schedule_without_recapture_on_queue_no_capture(
    rt: Runtime, servers: tuple[Site, Receiver]
) -> None:
    site, _ = servers
    add_page(rt, "doc", f"{site.base_url}/a")  # 404 from the start: dead at once
    _schedule(rt, "doc", None)
    _tick(rt, ManualClock(START))
    with rt.sessions()() as s:
        assert s.scalar(select(func.count()).select_from(CaptureJob).where(CaptureJob.force)) == 0


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"recapture_on": ["major", "gone"]}, "unknown value(s): 'gone'"),
        ({"recapture_on": "dead"}, "must be a list of names"),
        ({"recapture": ["dead"]}, "unknown option(s) for a check schedule: recapture"),
    ],
)
def test_recapture_on_values_are_checked_when_the_schedule_is_added(
    rt: Runtime, options: dict[str, Any], says: str
) -> None:
    add_page(rt, "doc", "https://example.org/a")
    with pytest.raises(InputError) as caught:
        _schedule(rt, "doc", None, options=options)
    assert says in caught.value.message
    if "value" in says or "list" in says:
        assert caught.value.hint is not None
        assert "major, off-topic" in caught.value.hint and "dead" in caught.value.hint
    with rt.sessions()() as s:
        assert s.scalar(select(func.count()).select_from(Schedule)) == 0
