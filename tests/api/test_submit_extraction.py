"""Submissions are extracted in a child process of the server, never on its event loop.

The extraction processes are found as this test process's children started
by multiprocessing's 'spawn' (the app runs in this process, under TestClient
or uvicorn in a thread); they are frozen (SIGSTOP) or killed (SIGKILL) to
show what the server does while one is stuck or after one died.
"""

from __future__ import annotations

import os
import pickle
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient

from archive import errors
from archive.api.app import create_app
from archive.api.keys import create_key
from archive.db import migrate
from archive.errors import InputError
from archive.ingest.extraction import extract_here
from archive.ingest.source import SourceBytes
from archive.lookup.citations import RENDER_BATCH, SCHEMA, dumps
from archive.runtime import Runtime
from archive.settings import Settings
from tests.web.conftest import LiveApp

# A PNG's signature and some bytes: the extractors refuse it as binary.
PICTURE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16


def extraction_processes() -> list[int]:
    """This process's children started by multiprocessing's 'spawn', from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and b"spawn_main" in cmdline:
            found.append(int(stat.parent.name))
    return sorted(found)


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {key}"}


def _text(urls: list[str]) -> bytes:
    return "".join(f"Line {i} cites {u} here.\n" for i, u in enumerate(urls)).encode()


def _settings(make_settings: Any, database_url: str) -> tuple[Settings, str]:
    migrate.upgrade(database_url)
    settings: Settings = make_settings(database_url=database_url)
    rt = Runtime(settings)
    with rt.sessions()() as s, s.begin():
        _, key = create_key(s, "tests")
    rt.close()
    return settings, key


@pytest.fixture
def api(make_settings: Any, database_url: str) -> Iterator[tuple[TestClient, str]]:
    settings, key = _settings(make_settings, database_url)
    with TestClient(create_app(settings)) as client:
        yield client, key
    assert extraction_processes() == [], "the app stopped but its extraction processes did not"


def test_every_error_crosses_a_process_boundary_whole() -> None:
    """What an extraction process raises is re-raised in the server: type, message, hint."""
    pending: list[type[errors.CitevaultError]] = [errors.CitevaultError]
    seen = []
    while pending:
        cls = pending.pop()
        seen.append(cls)
        pending.extend(cls.__subclasses__())
        exc = cls("the cause, named", hint="what to do")
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is cls
        assert (back.message, back.hint, back.code, str(back)) == (
            "the cause, named",
            "what to do",
            cls.code,
            "the cause, named",
        )
    assert errors.ExtractionError in seen and errors.TooLargeError in seen


def test_an_input_error_raised_while_extracting_is_the_clients_400(
    api: tuple[TestClient, str],
) -> None:
    client, key = api
    with pytest.raises(InputError) as here:
        extract_here(SourceBytes(PICTURE, "chart.txt", "chart.txt", None, "text/plain"), None)
    resp = client.post(
        "/api/documents", files={"file": ("chart.txt", PICTURE, "text/plain")}, headers=_auth(key)
    )
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == {
        "code": "bad_input",
        "message": here.value.message,
        "hint": here.value.hint,
    }
    assert len(extraction_processes()) == 1, "the document was not read in a child process"
    listing = client.get("/api/documents", headers=_auth(key)).json()
    assert listing["meta"]["total"] == 0


def test_every_citation_comes_back_in_order(api: tuple[TestClient, str]) -> None:
    """Citations come back from the child in pickled batches and the answer is
    rendered in batches too: all of them arrive, in order."""
    client, key = api
    urls = [f"https://example.org/source/{i}" for i in range(2500)]
    resp = client.post(
        "/api/documents",
        data={"id": "many"},
        files={"file": ("many.txt", _text(urls), "text/plain")},
        headers=_auth(key),
    )
    assert resp.status_code == 201, resp.text
    assert [c["url"] for c in resp.json()["citations"]] == urls
    assert len(extraction_processes()) == 1


def test_a_body_rendered_in_batches_is_the_body_one_call_renders() -> None:
    when = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    citations = [
        {"id": i, "url": f"https://example.org/{i}", "captures": [{"captured_at": when}]}
        for i in range(2 * RENDER_BATCH + 7)
    ]
    body = {"schema": SCHEMA, "document": {"id": "d"}, "citations": citations, "created": True}
    rendered = dumps(body)
    assert rendered == orjson.dumps(body, option=orjson.OPT_UTC_Z)
    assert orjson.loads(rendered)["citations"][-1]["captures"][0]["captured_at"] == (
        "2020-01-02T03:04:05Z"
    )


def _in_background(send: Any) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["response"] = send()
        except Exception as exc:  # reported by the assertions of the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="submission", daemon=True)
    thread.start()
    return thread, outcome


def _handed_over(folder: Path) -> bool:
    """Whether a document waits in ``folder`` for an extraction process to read it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(p.name.startswith("citevault-extract-") for p in folder.iterdir()):
            return True
        time.sleep(0.02)
    return False


def test_requests_are_answered_while_the_extraction_process_is_frozen(
    make_settings: Any,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A submission's extraction cannot advance (its process is stopped), yet the
    server answers anonymous reads and the web page; then it finishes the submission.
    When the server stops, its extraction process is gone too.
    """
    handover = tmp_path / "handover"
    handover.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(handover))
    settings, key = _settings(make_settings, database_url)
    with LiveApp(settings) as app, httpx.Client(base_url=app.url, timeout=120) as client:
        first = client.post(
            "/api/documents",
            files={"file": ("a.txt", _text(["https://example.org/a"]), "text/plain")},
            headers=_auth(key),
        )
        assert first.status_code == 201, first.text
        (worker,) = extraction_processes()
        os.kill(worker, signal.SIGSTOP)
        try:
            thread, outcome = _in_background(
                lambda: client.post(
                    "/api/documents",
                    data={"id": "held"},
                    files={"file": ("b.txt", _text(["https://example.org/b"]), "text/plain")},
                    headers=_auth(key),
                )
            )
            assert _handed_over(handover), "the submission never reached its extraction"
            with httpx.Client(base_url=app.url, timeout=30) as other:
                timegate = other.get("/timegate/https://example.org/a")
                listing = other.get("/api/documents")
                page = other.get("/")
            assert timegate.status_code == 404 and "error" in timegate.json()
            assert listing.status_code == 200 and listing.json()["meta"]["total"] == 1
            assert page.status_code == 200
            assert thread.is_alive() and not outcome, "the submission finished while frozen"
        finally:
            os.kill(worker, signal.SIGCONT)
        thread.join(120)
        response = outcome.get("response")
        assert response is not None, outcome
        assert response.status_code == 201, response.text
        assert [c["url"] for c in response.json()["citations"]] == ["https://example.org/b"]
        assert extraction_processes() == [worker], "one process read both documents"
    assert not Path(f"/proc/{worker}").exists(), "the extraction process outlived the server"
    assert extraction_processes() == []


def test_a_killed_extraction_process_fails_one_submission_and_is_replaced(
    make_settings: Any, sqlite_url: str
) -> None:
    settings, key = _settings(make_settings, sqlite_url)
    doc = ("doc.txt", _text(["https://example.org/c"]), "text/plain")
    with TestClient(create_app(settings)) as client:
        first = client.post("/api/documents", files={"file": doc}, headers=_auth(key))
        assert first.status_code == 201, first.text
        (worker,) = extraction_processes()
        os.kill(worker, signal.SIGKILL)
        failed = client.post(
            "/api/documents", data={"id": "second"}, files={"file": doc}, headers=_auth(key)
        )
        assert failed.status_code == 503, failed.text
        error = failed.json()["error"]
        assert error["code"] == "extraction_failed"
        assert "doc.txt" in error["message"] and "submit the document again" in error["hint"]
        assert client.get("/api/documents/second").status_code == 404
        again = client.post(
            "/api/documents", data={"id": "second"}, files={"file": doc}, headers=_auth(key)
        )
        assert again.status_code == 201, again.text
        (replacement,) = extraction_processes()
        assert replacement != worker
    assert extraction_processes() == []
