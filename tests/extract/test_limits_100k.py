"""A page of 100,000 linked paragraphs: every link found, none twice, no warning.

The size is what this test is about, and it takes minutes on a loaded 2-core
machine; it has a file of its own so that ``pytest -n 2 --dist loadfile``
runs the rest of the limits tests (tests/extract/test_limits.py) on the other
worker meanwhile instead of after it.
"""

from __future__ import annotations

import pytest

from archive.extract import extract
from tests.extract.test_limits import _link_paragraphs, _urls


@pytest.mark.slow
def test_every_link_of_a_100000_link_page_is_found() -> None:
    result = extract(_link_paragraphs(100_000), format="html")
    assert len(_urls(result)) == len(set(_urls(result))) == 100_000
    assert result.warnings == []
