"""One archive shared by the export tests: crawling the test site takes seconds.

Three documents, captured in this order so that the interesting cases occur
on their own:

* ``secret`` (private) cites the plain page and the JSON file;
* ``notes`` version 1 cites two pages with requisites, a redirect to the
  plain page (whose identical payload becomes a revisit of ``secret``'s
  private capture), a 404, a PDF and a dead host;
* ``notes`` version 2 cites the requisites page again (a revisit of version
  1's capture, with revisits of its requisites), a gzip-encoded page and the
  PDF;
* ``empty`` is added without capturing anything.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import select

from archive.db.models import Capture, Citation, CitationCapture, Document
from archive.runtime import Runtime
from archive.settings import load_settings
from tests.helpers import clean_env, run_cli
from tests.sites.site import TestSite


@dataclass
class Archive:
    tmp: Path
    env: dict[str, str]
    base: str

    def runtime(self) -> Runtime:
        with mock.patch.dict("os.environ", self.env, clear=True):
            return Runtime(load_settings())

    def capture(self, path: str, doc_id: str = "notes", newest: bool = False) -> Capture:
        """A capture of the test site's ``path`` linked to one of ``doc_id``'s citations."""
        rt = self.runtime()
        with rt.sessions()() as s:
            rows = s.scalars(
                select(Capture)
                .join(CitationCapture, CitationCapture.capture_id == Capture.id)
                .join(Citation, Citation.id == CitationCapture.citation_id)
                .where(Citation.document_id == doc_id, Capture.url == self.base + path)
                .order_by(Capture.captured_at)
            ).all()
            assert rows, f"no capture of {path} for {doc_id}"
            s.expunge_all()
        rt.close()
        return rows[-1] if newest else rows[0]

    def any_capture(self, path: str) -> list[Capture]:
        rt = self.runtime()
        with rt.sessions()() as s:
            rows = list(
                s.scalars(
                    select(Capture)
                    .where(Capture.url == self.base + path)
                    .order_by(Capture.captured_at)
                )
            )
            s.expunge_all()
        rt.close()
        return rows


def _run(env: dict[str, str], *args: str, code: int = 0) -> None:
    result = run_cli(*args, env=env)
    assert result.returncode == code, result.stdout + result.stderr


def _add(env: dict[str, str], tmp: Path, doc_id: str, text: str, *extra: str) -> None:
    path = tmp / f"{doc_id}-{abs(hash(text))}.txt"
    path.write_text(text)
    _run(env, "add", str(path), "--id", doc_id, *extra)


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    tmp = tmp_path_factory.mktemp("export")
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        # every citation is fetched, never linked to an earlier capture
        CITEVAULT_RECAPTURE_WINDOW_HOURS="0",
    )
    with TestSite() as site:
        b = site.base_url
        arc = Archive(tmp, env, b)
        _add(env, tmp, "secret", f"Internal: {b}/page/plain.html and {b}/data.json.\n")
        rt = arc.runtime()
        with rt.sessions()() as s, s.begin():
            doc = s.get(Document, "secret")
            assert doc is not None
            doc.is_private = True
        rt.close()
        _run(env, "archive", "secret")
        _add(
            env,
            tmp,
            "notes",
            f"The page {b}/page/requisites.html, its sibling {b}/page/requisites2.html, "
            f"a moved page {b}/redirect/301, a missing one {b}/status/404, "
            f"a report {b}/doc.pdf and a dead host http://127.0.0.1:9/gone.\n",
        )
        _run(env, "archive", "notes", code=8)  # the dead host waits for its retry
        _add(
            env,
            tmp,
            "notes",
            f"Revised: {b}/page/requisites.html again, {b}/enc/gzip.html and {b}/doc.pdf.\n",
        )
        _run(env, "archive", "notes", code=8)
        _add(env, tmp, "empty", f"Nothing captured: {b}/data.json\n", "--no-queue")
        yield arc
    with contextlib.suppress(AttributeError):
        assert not site.errors, "\n".join(site.errors)
