"""A citation the fetch policy refused says so, naming the setting; one never reached says why.

Real crawls of the loopback test site through the command line.  A refusal
ends the job failed at once, yet the citation is not a failure of the
source: the citations JSON, ``citevault citations`` and the document page
all say "pending · blocked by policy (SETTING)", and the source entry is
``blocked`` with that setting.  A source that never answered (a port nobody
listens on, a host that cannot exist) leaves no capture row, and its source
entry is ``unreachable`` with the job's reason instead of nothing.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.capture.failures import blocking_policy, unreachable
from archive.cli import documents as documents_cli
from archive.errors import BlockedByPolicyError
from archive.net.policy import SCHEME_POLICY, check_url
from archive.settings import load_settings
from tests.helpers import clean_env, cli_ok, run_cli
from tests.sites.site import TestSite

DEAD_PORT = "http://127.0.0.1:9/gone"
NO_HOST = "http://nowhere.invalid/x"


def _add(env: dict[str, str], tmp: Path, doc_id: str, text: str) -> None:
    path = tmp / f"{doc_id}.txt"
    path.write_text(text)
    cli_ok(env, "add", str(path), "--id", doc_id)


def _cited(env: dict[str, str], doc_id: str) -> dict[str, Any]:
    body = json.loads(cli_ok(env, "citations", doc_id, "--format", "json").stdout)
    return {c["url"]: c for c in body["citations"]}


def _page(env: dict[str, str], doc_id: str) -> str:
    with mock.patch.dict("os.environ", env, clear=True):
        settings = load_settings()
    with TestClient(create_app(settings)) as client:
        answer = client.get(f"/documents/{doc_id}")
        assert answer.status_code == 200
        return html.unescape(answer.text)


def _assert_blocked(c: dict[str, Any], setting: str, words: str) -> None:
    pending, source = c["pending"], c["source"]
    assert pending["state"] == "blocked", pending
    assert pending["reason"] == f"blocked by policy ({setting})"
    assert pending["policy"] == setting and pending["next_try"] is None
    assert words in pending["last_error"]
    assert source["status"] == "blocked" and source["policy"] == setting, source
    assert source["http_status"] is None and source["url"] == c["url"]
    assert source["error"] == pending["last_error"]
    assert c["captures"] == [] and c["archive_url"] is None


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide enough that no cell of ``citevault citations`` is folded over lines
    (its console is made at import, so COLUMNS would come too late)."""
    monkeypatch.setattr(documents_cli.console, "width", 300)


@pytest.fixture()
def site() -> Any:
    with TestSite() as running:
        yield running
        assert not running.errors, "\n".join(running.errors)


def test_a_loopback_citation_is_pending_blocked_by_the_address_policy(
    tmp_path: Path, site: TestSite
) -> None:
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    url = f"{site.base_url}/page/plain.html"
    _add(env, tmp_path, "inside", f"See {url}.\n")
    result = run_cli("archive", "inside", env=env)
    assert result.returncode == 7, result.stdout + result.stderr  # failed, not retried
    assert site.count("/page/plain.html") == 0  # refused before any request

    _assert_blocked(
        _cited(env, "inside")[url], "fetch.block_private_addresses", "loopback address 127.0.0.1"
    )
    table = cli_ok(env, "citations", "inside").stdout
    assert "pending · blocked by policy (fetch.block_private_addresses)" in table
    page = _page(env, "inside")
    assert "pending · blocked by policy (fetch.block_private_addresses)" in page
    assert "loopback address 127.0.0.1" in page  # the refusal's own words, under the badge


def test_robots_and_redirect_refusals_name_their_settings_and_dead_sources_are_unreachable(
    tmp_path: Path, site: TestSite
) -> None:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        CITEVAULT_FETCH__OBEY_ROBOTS_TXT="true",
        CITEVAULT_FETCH__MAX_REDIRECTS="1",
    )
    b = site.base_url
    disallowed, chain, fine = f"{b}/private/page.html", f"{b}/redirect/chain/3", f"{b}/"
    _add(
        env,
        tmp_path,
        "mixed",
        f"See {disallowed}, {chain}, {fine}, {DEAD_PORT} and {NO_HOST}.\n",
    )
    result = run_cli("archive", "mixed", env=env)
    assert result.returncode == 7, result.stdout + result.stderr  # refused ones failed at once
    assert "1 captured, 3 failed, 1 remaining" in result.stdout  # the dead port waits
    assert site.count("/private/page.html") == 0

    cited = _cited(env, "mixed")
    _assert_blocked(cited[disallowed], "fetch.obey_robots_txt", "disallowed by robots.txt")
    _assert_blocked(cited[chain], "fetch.max_redirects", "more than 1 redirects")
    assert cited[fine]["source"]["status"] == "ok" and cited[fine]["pending"] is None
    assert cited[fine]["source"]["policy"] is None

    # Never answered, no capture row: unreachable with the reason, not null.
    dead = cited[DEAD_PORT]
    assert dead["captures"] == []
    assert dead["source"]["status"] == "unreachable", dead["source"]
    assert dead["source"]["error"] == f"connection refused fetching {DEAD_PORT}"
    assert dead["source"]["policy"] is None and dead["source"]["url"] == DEAD_PORT
    assert dead["pending"]["state"] == "retrying"
    nowhere = cited[NO_HOST]
    assert nowhere["captures"] == [] and nowhere["pending"] is None  # failed for good
    assert nowhere["source"]["status"] == "unreachable", nowhere["source"]
    assert "does not exist" in nowhere["source"]["error"]

    table = cli_ok(env, "citations", "mixed").stdout
    assert "pending · blocked by policy (fetch.obey_robots_txt)" in table
    assert "pending · blocked by policy (fetch.max_redirects)" in table
    assert f"pending · retrying at {dead['pending']['next_try']}" in table
    assert f"unreachable · the host of {NO_HOST} does not exist" in table
    assert "ok · HTTP 200" in table

    page = _page(env, "mixed")
    assert "pending · blocked by policy (fetch.obey_robots_txt)" in page
    assert "pending · blocked by policy (fetch.max_redirects)" in page
    assert "failed · source unreachable" in page
    assert f"the host of {NO_HOST} does not exist" in page


def test_reasons_are_read_back_as_written() -> None:
    with pytest.raises(BlockedByPolicyError) as refused:
        check_url("ftp://example.org/file")
    assert blocking_policy(refused.value.message) == SCHEME_POLICY
    with pytest.raises(BlockedByPolicyError) as private:
        check_url("http://10.0.0.1/")
    assert blocking_policy(private.value.message) == "fetch.block_private_addresses"
    # citevault's own failures say nothing about the source
    for ours in (
        "the crawler stopped (killed) while fetching it",
        "the worker holding this job stopped before finishing, on every attempt",
        f"no response was recorded for {DEAD_PORT}",
    ):
        assert blocking_policy(ours) is None and not unreachable(ours), ours
