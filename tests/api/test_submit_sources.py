"""What ``POST /api/documents`` and the ``/submit`` form accept: http(s) URLs and uploads only.

And that a submission's slow work (here: a source that holds its answer)
runs off the event loop, so other requests are answered meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.api.keys import create_key
from archive.api.routes import documents
from archive.db import migrate
from archive.runtime import Runtime
from tests.api.slow_source import slow_source
from tests.web.conftest import LiveApp

LIMIT = 200_000


@pytest.fixture
def api(make_settings: Any, database_url: str) -> Iterator[tuple[TestClient, Runtime, str]]:
    migrate.upgrade(database_url)
    rt = Runtime(
        make_settings(
            database_url=database_url,
            max_document_bytes=LIMIT,
            fetch={"block_private_addresses": False, "download_timeout_seconds": 5},
        )
    )
    with rt.sessions()() as s, s.begin():
        _, key = create_key(s, "tests")
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        yield client, rt, key
    rt.close()


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {key}"}


def _nothing_stored(client: TestClient, rt: Runtime, key: str) -> None:
    assert client.get("/api/documents", headers=_auth(key)).json()["meta"]["total"] == 0
    stored = rt.settings.data_dir / "store" / "documents"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def _server_file(tmp_path: Path) -> Path:
    """A document on the server's disk that a path submission would name."""
    doc = tmp_path / "server-notes.txt"
    doc.write_text("Internal: https://example.org/internal-only\n")
    return doc


# (what is submitted, what the error must name)
REFUSED = [
    ("/etc/passwd", "is not an http(s) URL"),
    ("etc/passwd", "is not an http(s) URL"),
    ("../../etc/passwd", "is not an http(s) URL"),
    ("/proc/self/status", "is not an http(s) URL"),
    ("-", "standard input"),
    ("file:///etc/passwd", "scheme 'file'"),
    ("FILE:///etc/passwd", "scheme 'file'"),
    ("ftp://example.org/doc.txt", "scheme 'ftp'"),
    ("data:text/plain,https://example.org", "scheme 'data'"),
    ("javascript:alert(1)", "scheme 'javascript'"),
]


def test_api_reads_only_http_urls(api: tuple[TestClient, Runtime, str], tmp_path: Path) -> None:
    client, rt, key = api
    cases = [*REFUSED, (str(_server_file(tmp_path)), "is not an http(s) URL")]
    for source, needle in cases:
        for resp in (
            client.post("/api/documents", json={"url": source}, headers=_auth(key)),
            # the same URL field in a multipart form, without a file
            client.post(
                "/api/documents",
                files={"url": (None, source)},
                headers=_auth(key),
            ),
        ):
            assert resp.status_code == 400, (source, resp.text)
            error = resp.json()["error"]
            assert error["code"] == "bad_input", source
            assert needle in error["message"], (source, error)
            assert "command line" in error["hint"]
    _nothing_stored(client, rt, key)


def test_form_reads_only_http_urls(api: tuple[TestClient, Runtime, str], tmp_path: Path) -> None:
    client, rt, key = api
    for source, needle in [*REFUSED, (str(_server_file(tmp_path)), "is not an http(s) URL")]:
        resp = client.post("/submit", data={"url": source, "api_key": key})
        assert resp.status_code == 400, (source, resp.text)
        assert "Not submitted" in resp.text
        assert needle.replace("'", "&#39;") in resp.text, source
    _nothing_stored(client, rt, key)


def test_other_bad_fields_are_named(api: tuple[TestClient, Runtime, str]) -> None:
    client, rt, key = api
    for body, needle in (
        ({"url": "https://example.org/x", "id": 5}, "'id' must be a string"),
        ({"url": "https://example.org/x", "private": "maybe"}, "'private' must be true or false"),
        ({"url": ""}, "give either a URL or a file"),
        ({"url": "  "}, "the URL is empty"),
    ):
        resp = client.post("/api/documents", json=body, headers=_auth(key))
        assert resp.status_code == 400 and needle in resp.json()["error"]["message"], resp.text
    both = client.post(
        "/api/documents",
        files={"url": (None, "https://example.org/x"), "file": ("a.txt", b"x", "text/plain")},
        headers=_auth(key),
    )
    assert both.status_code == 400 and "exactly one" in both.json()["error"]["message"]
    _nothing_stored(client, rt, key)


def _multipart(size: int) -> tuple[str, Iterator[bytes]]:
    """A multipart body with a ``size``-byte file part, as a stream (so: no Content-Length)."""
    boundary = "citevault-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()

    def chunks() -> Iterator[bytes]:
        yield head
        left = size
        while left > 0:
            n = min(left, 64 * 1024)
            yield b"x" * n
            left -= n
        yield f"\r\n--{boundary}--\r\n".encode()

    return f"multipart/form-data; boundary={boundary}", chunks()


def test_an_upload_without_length_is_cut_at_the_limit(
    api: tuple[TestClient, Runtime, str],
) -> None:
    """A chunked upload declares no size: the limit holds while the body streams in."""
    client, rt, key = api
    ctype, body = _multipart(LIMIT * 20)
    resp = client.post(
        "/api/documents", content=body, headers={**_auth(key), "Content-Type": ctype}
    )
    assert resp.status_code == 413, resp.text
    assert resp.json()["error"]["code"] == "too_large"
    assert "max_document_bytes" in resp.json()["error"]["message"]
    ctype, body = _multipart(LIMIT + 1)  # just over, with room for the form's overhead
    over = client.post(
        "/api/documents", content=body, headers={**_auth(key), "Content-Type": ctype}
    )
    assert over.status_code == 413, over.text
    _nothing_stored(client, rt, key)
    ctype, body = _multipart(LIMIT)  # exactly the limit is allowed
    ok = client.post("/api/documents", content=body, headers={**_auth(key), "Content-Type": ctype})
    assert ok.status_code == 201, ok.text
    assert ok.json()["document"]["size"] == LIMIT


def test_an_uploads_name_is_only_a_name(api: tuple[TestClient, Runtime, str]) -> None:
    client, _, key = api
    resp = client.post(
        "/api/documents",
        files={"file": ("/home/someone/private/../notes.md", b"See https://example.org/n\n")},
        headers=_auth(key),
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["document"]["source"] == "notes.md"


def test_a_url_larger_than_the_limit_is_413(api: tuple[TestClient, Runtime, str]) -> None:
    client, rt, key = api
    with slow_source() as src:
        # /big declares no length: the limit must hold while the body streams in
        resp = client.post("/api/documents", json={"url": src.url + "/big"}, headers=_auth(key))
    assert resp.status_code == 413 and resp.json()["error"]["code"] == "too_large", resp.text
    _nothing_stored(client, rt, key)


# --- slow work off the event loop --------------------------------------------------


@pytest.fixture
def live(make_settings: Any, database_url: str) -> Iterator[tuple[LiveApp, str]]:
    migrate.upgrade(database_url)
    settings = make_settings(
        database_url=database_url,
        fetch={"block_private_addresses": False, "download_timeout_seconds": 120},
    )
    rt = Runtime(settings)
    with rt.sessions()() as s, s.begin():
        _, key = create_key(s, "tests")
    rt.close()
    with LiveApp(settings) as app:
        yield app, key


def _submit_in_background(send: Any) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["response"] = send()
        except Exception as exc:  # reported by the assertions below
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="slow-submission", daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize("via", ["api", "form"])
def test_other_requests_are_answered_while_a_submission_waits_for_its_source(
    live: tuple[LiveApp, str], via: str
) -> None:
    """While a submission is held inside its fetch, anonymous reads still get answers.

    The source answers only when the test releases it, after the reads: if the
    fetch ran on the event loop, the reads could not be answered before then
    and would time out.  No durations are compared.
    """
    app, key = live
    with slow_source() as src, httpx.Client(base_url=app.url, timeout=120) as client:
        target = src.url + "/hold"
        if via == "api":
            send = lambda: client.post(  # noqa: E731
                "/api/documents", json={"url": target, "id": "slow"}, headers=_auth(key)
            )
        else:
            send = lambda: client.post(  # noqa: E731
                "/submit", data={"url": target, "id": "slow", "api_key": key}
            )
        thread, outcome = _submit_in_background(send)
        assert src.requested.wait(60), "the submission never reached the source"
        with httpx.Client(base_url=app.url, timeout=30) as other:
            listing = other.get("/api/documents")
            timegate = other.get("/timegate/https://example.org/cited")
            page = other.get("/")
        assert listing.status_code == 200 and listing.json()["meta"]["total"] == 0
        assert timegate.status_code == 404 and "error" in timegate.json()
        assert page.status_code == 200
        assert thread.is_alive() and not outcome, "the submission finished before its source"
        src.release.set()
        thread.join(60)
    response = outcome.get("response")
    assert response is not None, outcome
    assert response.status_code in (201, 303), response.text
    with httpx.Client(base_url=app.url, timeout=30) as after:
        doc = after.get("/api/documents/slow/citations").json()
    assert [c["url"] for c in doc["citations"]] == ["https://example.org/cited"]


def test_other_requests_are_answered_while_a_resolution_is_held(
    live: tuple[LiveApp, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``POST /api/citations/{id}/resolve`` blocks in its service (a row lock, a slow
    database): while it is held there, a TimeGate request still gets its answer.

    If the service ran on the event loop, the TimeGate could not be answered
    before the test releases it, and would time out.  No durations are compared.
    """
    app, key = live
    entered, release = threading.Event(), threading.Event()
    real = documents.resolve_citation

    def held(*args: Any) -> Any:
        entered.set()
        release.wait(60)
        return real(*args)

    monkeypatch.setattr(documents, "resolve_citation", held)
    with httpx.Client(base_url=app.url, timeout=120) as client:
        send = lambda: client.post(  # noqa: E731
            "/api/citations/1/resolve", json={"url": "https://example.org/x"}, headers=_auth(key)
        )
        thread, outcome = _submit_in_background(send)
        assert entered.wait(60), "the resolution never reached its service"
        with httpx.Client(base_url=app.url, timeout=30) as other:
            timegate = other.get("/timegate/https://example.org/cited")
        assert timegate.status_code == 404 and "error" in timegate.json()
        assert thread.is_alive() and not outcome, "the resolution finished while held"
        release.set()
        thread.join(60)
    response = outcome.get("response")
    assert response is not None, outcome
    assert response.status_code == 404, response.text  # no citation 1: the service said so
