"""Session-wide plumbing of the crawler tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.crawler.harness import LATER


@pytest.fixture(scope="session", autouse=True)
def background_warc_checks() -> Iterator[None]:
    """Join the ``warcio check`` runs started with ``check_later``; any failure fails here."""
    yield
    for future in LATER:
        future.result(timeout=300)
