"""What ``citevault add`` reads: regular files, stdin and URLs, each cut at the size limit
while reading, and URL fetches under one total deadline."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from archive.errors import FetchError
from archive.net.fetch import fetch_document
from tests.api.slow_source import slow_source
from tests.helpers import clean_env, run_cli_process
from tests.test_ingest import _assert_refused, _cli, _json


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))


def test_a_fifo_is_refused_without_waiting_for_a_writer(
    env: dict[str, str], tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    # A subprocess with a timeout: opening a FIFO for reading would block for ever.
    result = run_cli_process("add", str(fifo), env=env, timeout=120)
    _assert_refused(result, tmp_path, "pipe.txt is a named pipe (FIFO)", "use - (standard input)")


def test_an_error_names_a_long_path_whole(env: dict[str, str], tmp_path: Path) -> None:
    """Not wrapped at the terminal's width nor read as markup: the path can be copied."""
    missing = tmp_path / ("[draft]-" + "x" * 120 + ".txt")
    result = run_cli_process("add", str(missing), env=env)
    assert result.returncode == 2
    assert f"no such file: {missing}" in result.stderr, result.stderr


def test_folders_and_devices_are_refused(env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    _assert_refused(_cli(env, "add", str(folder)), tmp_path, "notes is a folder")
    _assert_refused(_cli(env, "add", "/dev/zero"), tmp_path, "/dev/zero is a character device")


def test_proc_file_is_cut_at_the_limit_while_reading(env: dict[str, str], tmp_path: Path) -> None:
    """/proc files report a size of 0: only a bounded read can tell they are too big."""
    assert Path("/proc/self/status").stat().st_size == 0
    env = dict(env, CITEVAULT_MAX_DOCUMENT_BYTES="100")
    _assert_refused(
        _cli(env, "add", "/proc/self/status"), tmp_path, "/proc/self/status is more than that"
    )


def test_stdin_is_cut_at_the_limit(env: dict[str, str], tmp_path: Path) -> None:
    env = dict(env, CITEVAULT_MAX_DOCUMENT_BYTES="1000")
    text = b"https://example.org/a\n" * 100
    _assert_refused(_cli(env, "add", "-", stdin=text), tmp_path, "standard input is more than")
    ok = _cli(env, "add", "-", "--id", "small", stdin=text[:990])
    assert ok.returncode == 0, ok.stderr


def test_a_file_path_is_stored_as_given_but_shown_by_name(
    env: dict[str, str], tmp_path: Path
) -> None:
    doc = tmp_path / "private-folder" / "notes.txt"
    doc.parent.mkdir()
    doc.write_text("See https://example.org/n\n")
    assert _cli(env, "add", str(doc), "--id", "notes").returncode == 0
    shown = _json(env, "notes")["document"]["source"]
    assert shown == "notes.txt"


# --- one total deadline per document fetch -----------------------------------------


def _limits(**fetch: Any) -> Any:
    from archive.settings import load_settings

    return load_settings(fetch={"block_private_addresses": False, **fetch}).fetch


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_a_drip_fed_answer_is_cut_at_the_deadline(path: str) -> None:
    """A byte every 0.2 s never trips a per-read timeout; the total deadline cuts it.

    The server drips for 30 s before it would finish; with a 1 s deadline the
    fetch must give up first, which ``finished`` (set only once the whole
    answer went out) shows without measuring any time.
    """
    with slow_source(drip_seconds=0.2, drip_for=30) as src:
        with pytest.raises(FetchError) as caught:
            fetch_document(src.url + path, _limits(download_timeout_seconds=1), max_bytes=1_000_000)
        assert not src.finished.is_set()
    assert "timed out" in caught.value.message
    assert "fetch.download_timeout_seconds" in caught.value.message


def test_a_drip_fed_answer_finishes_when_the_deadline_allows() -> None:
    """The same server, fast enough for its deadline: the fetch succeeds (the test above
    fails for the right reason)."""
    with slow_source(drip_seconds=0.001, drip_for=30) as src:
        fetched = fetch_document(
            src.url + "/drip-body", _limits(download_timeout_seconds=60), max_bytes=1_000_000
        )
        assert src.finished.wait(10)
    assert fetched.body.startswith(b"<html>") and fetched.status == 200


def test_add_by_url_gives_up_at_the_deadline(env: dict[str, str], tmp_path: Path) -> None:
    env = dict(
        env,
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        CITEVAULT_FETCH__DOWNLOAD_TIMEOUT_SECONDS="1",
    )
    with slow_source(drip_seconds=0.2, drip_for=30) as src:
        result = _cli(env, "add", src.url + "/drip-body")
        assert not src.finished.is_set()
    _assert_refused(result, tmp_path, "timed out", "download_timeout_seconds")


def test_a_url_larger_than_the_limit_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    env = dict(
        env, CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false", CITEVAULT_MAX_DOCUMENT_BYTES="50"
    )
    with slow_source() as src:
        src.release.set()
        result = _cli(env, "add", src.url + "/hold")
    _assert_refused(result, tmp_path, "larger than the limit of 50 bytes")
