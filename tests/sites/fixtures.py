"""The ``test_site`` fixture: ``from tests.sites.fixtures import test_site``.

Function-scoped on purpose: each test gets an empty request log and its own
ports, so assertions such as "this requisite was fetched once" cannot be
disturbed by another test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sites.site import TestSite


@pytest.fixture
def test_site() -> Iterator[TestSite]:
    with TestSite() as site:
        yield site
    assert not site.errors, "the test site failed while serving:\n" + "\n".join(site.errors)
