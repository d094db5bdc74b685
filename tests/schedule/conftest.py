"""A runtime on a fresh database with documents to schedule work on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from archive.db import migrate
from archive.ingest.service import add_document
from archive.ingest.source import SourceBytes
from archive.runtime import Runtime

START = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)


def page(*urls: str) -> bytes:
    links = " ".join(f'<a href="{u}">{i}</a>' for i, u in enumerate(urls))
    return f"<html><body><p>{links}</p></body></html>".encode()


def add_page(rt: Runtime, doc_id: str, *urls: str, source: str | None = None) -> None:
    src = SourceBytes(page(*urls), source or f"{doc_id}.html", f"{doc_id}.html", None, "text/html")
    add_document(rt, src, doc_id=doc_id)


def make_runtime(url: str, make_settings: Any, **overrides: Any) -> Runtime:
    migrate.upgrade(url)
    return Runtime(make_settings(database_url=url, **overrides))


@pytest.fixture
def rt(database_url: str, make_settings: Any) -> Iterator[Runtime]:
    runtime = make_runtime(database_url, make_settings)
    yield runtime
    runtime.close()
