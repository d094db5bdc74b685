"""Every pending citation says why, from its capture job, in the JSON and on the page.

The document comes in through the real ingest service, which queues its
jobs; the queue's own functions then lease and fail them, as a worker does.
Each test runs on SQLite and on PostgreSQL, where the API caches citations
bodies: a job's change must reach the cached body too.
"""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.capture import queue
from archive.db import migrate
from archive.ingest.service import add_document
from archive.ingest.source import SourceBytes
from archive.lookup import citations as lookup
from archive.runtime import Runtime
from archive.settings import load_settings

FIRST = "https://first.example/a"
SECOND = "https://second.example/b"
TEXT = f"See {FIRST} and {SECOND}, and {FIRST} again.\n"


def _pending(client: TestClient) -> list[Any]:
    body = client.get("/api/documents/notes/citations").json()
    return [(c["url"], c["pending"]) for c in body["citations"]]


def _pending_once(client: TestClient, url: str, state: str | None) -> dict[str, Any]:
    """The entries once ``url``'s pending state is ``state``.

    The jobs change outside the API, as a worker's do; on PostgreSQL the API
    hears of it through a notice, and a read in the moment between the commit
    and the notice may still get the body from before (archive/api/cache.py).
    So the answer is awaited, within a bound far above that moment.
    """
    deadline = time.monotonic() + 15
    while True:
        entries = dict(_pending(client))
        got = entries[url]["state"] if entries[url] is not None else None
        if got == state or time.monotonic() > deadline:
            assert got == state
            return entries
        time.sleep(0.05)


def test_pending_says_why(tmp_path: Path, database_url: str) -> None:
    migrate.upgrade(database_url)
    settings = load_settings(data_dir=tmp_path / "data", database_url=database_url)
    rt = Runtime(settings)
    src = SourceBytes(TEXT.encode(), "notes.txt", "notes.txt", None, "text/plain")
    add_document(rt, src, doc_id="notes", title="Notes")
    try:
        with TestClient(create_app(settings, runtime=rt)) as client:
            waiting = _pending(client)
            assert [url for url, _ in waiting] == [FIRST, SECOND, FIRST]
            for _, entry in waiting:
                assert entry["state"] == "waiting"
                assert entry["reason"] == "waiting for a worker"
                assert entry["attempts"] == 0 and entry["next_try"] is None
            # The repeated URL waits on the first citation's job.
            assert waiting[0][1]["job_id"] == waiting[2][1]["job_id"]
            assert waiting[0][1]["job_id"] != waiting[1][1]["job_id"]

            with rt.sessions()() as s:
                (leased,) = queue.lease(s, "host:1", 1, job_ids=[waiting[1][1]["job_id"]])
            after_lease = _pending_once(client, SECOND, "capturing")
            assert after_lease[SECOND]["reason"] == "being captured"
            assert after_lease[FIRST]["state"] == "waiting"

            with rt.sessions()() as s:
                queue.fail(s, leased.job_id, "connection refused", retryable=True)
            retrying = _pending_once(client, SECOND, "retrying")[SECOND]
            assert retrying["attempts"] == 1 and retrying["last_error"] == "connection refused"
            assert retrying["next_try"].endswith("Z")
            assert retrying["reason"] == (
                f"retrying at {retrying['next_try']} after: connection refused"
            )

            # The CLI's reader gives the same entries as the API's.
            with rt.sessions()() as s:
                orm = lookup.to_json(lookup.load(s, "notes"))
            assert orm == client.get("/api/documents/notes/citations").json()

            page = html.unescape(client.get("/documents/notes").text)
            assert "pending · waiting for a worker" in page
            assert f"pending · {retrying['reason']}" in page

            with rt.sessions()() as s:
                queue.fail(s, leased.job_id, "connection refused", retryable=False)
            assert _pending_once(client, SECOND, None)[SECOND] is None
    finally:
        rt.close()
