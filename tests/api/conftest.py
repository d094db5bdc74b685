"""Fixtures of the API tests: the archives of ``archives.py``, served by the real app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.archives import Archive, Index, open_archive, open_index
from tests.api.captured import Captured, capture_archive


@pytest.fixture
def archive(database_url: str, make_settings: Any) -> Iterator[Archive]:
    yield from open_archive(database_url, make_settings)


@pytest.fixture
def index(database_url: str, make_settings: Any) -> Iterator[Index]:
    yield from open_index(database_url, make_settings)


@pytest.fixture
def sqlite_index(sqlite_url: str, make_settings: Any) -> Iterator[Index]:
    yield from open_index(sqlite_url, make_settings)


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Captured]:
    yield from capture_archive(tmp_path_factory.mktemp("captured"))
