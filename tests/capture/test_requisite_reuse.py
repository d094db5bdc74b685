"""A cited URL already captured as another cited page's requisite is linked, not fetched again.

One document cites a page, whose crawl captures its images and stylesheet as
requisites; a second document cites one of those images and the stylesheet
directly.  The loopback site counts every request it answers: the second
archive run must not reach it, and the citations must show the requisite
captures.  A private document is the exception: linking a requisite to its
citation would make the capture private (migration 0004) and take it away
from the public page that pulled it in, so a private document's citation is
fetched on its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import select

from archive.cli import documents as documents_cli
from archive.db.models import Capture
from archive.ingest.service import add_document
from archive.ingest.source import SourceBytes
from archive.runtime import Runtime
from archive.settings import load_settings
from tests.helpers import clean_env, cli_ok
from tests.sites.site import TestSite

PAGE = "/page/requisites2.html"
IMAGE = "/img/second.png"
STYLESHEET = "/css/main.css"


def _runtime(env: dict[str, str]) -> Runtime:
    with mock.patch.dict("os.environ", env, clear=True):
        return Runtime(load_settings())


def _add(env: dict[str, str], tmp: Path, doc_id: str, text: str) -> None:
    path = tmp / f"{doc_id}.txt"
    path.write_text(text)
    cli_ok(env, "add", str(path), "--id", doc_id)


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide enough that no cell of ``citevault citations`` is folded over lines
    (its console is made at import, so COLUMNS would come too late)."""
    monkeypatch.setattr(documents_cli.console, "width", 300)


def test_a_requisite_capture_answers_a_later_citation(tmp_path: Path) -> None:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
    )
    with TestSite() as site:
        b = site.base_url
        _add(env, tmp_path, "article", f"See {b}{PAGE}.\n")
        cli_ok(env, "archive", "article")
        assert site.count(PAGE) == 1
        assert site.count(IMAGE) == 1 and site.count(STYLESHEET) == 1

        _add(env, tmp_path, "figures", f"The figure {b}{IMAGE} and the style {b}{STYLESHEET}.\n")
        cli_ok(env, "archive", "figures")
        assert site.count(IMAGE) == 1, "the image was fetched again"
        assert site.count(STYLESHEET) == 1, "the stylesheet was fetched again"

        rt = _runtime(env)
        try:
            with rt.sessions()() as s:
                requisite = {
                    cap.url: cap
                    for cap in s.scalars(select(Capture).where(Capture.is_requisite.is_(True)))
                }
            assert {b + IMAGE, b + STYLESHEET} <= set(requisite)
            body = json.loads(cli_ok(env, "citations", "figures", "--format", "json").stdout)
            cited = {c["url"]: c for c in body["citations"]}
            for path in (IMAGE, STYLESHEET):
                c = cited[b + path]
                assert [cap["id"] for cap in c["captures"]] == [requisite[b + path].id], path
                assert c["captures"][0]["http_status"] == 200
                assert c["archive_url"] == f"/captures/{requisite[b + path].id}"
                assert c["source"]["status"] == "ok" and c["pending"] is None
            table = cli_ok(env, "citations", "figures").stdout
            assert "ok · HTTP 200" in table

            # A private document's citation of the same image is fetched on its own,
            # and the requisite stays public.
            text = f"Again {b}{IMAGE}.\n".encode()
            src = SourceBytes(text, "private.txt", "private.txt", None, "text/plain")
            add_document(rt, src, doc_id="private", private=True)
            cli_ok(env, "archive", "private")
            assert site.count(IMAGE) == 2
            with rt.sessions()() as s:
                again = s.get(Capture, requisite[b + IMAGE].id)
                assert again is not None and again.private_only is False
        finally:
            rt.close()
        assert not site.errors, "\n".join(site.errors)
