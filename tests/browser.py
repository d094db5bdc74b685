"""One headless Chromium per test process, for every test that drives a browser.

Playwright's sync API runs an event loop of its own while it is started: a
second ``sync_playwright()`` in the same process fails ("Sync API inside the
asyncio loop") for as long as the first is open.  The browser tests of
tests/web/ and the ReplayWeb.page test of tests/export/ land in one process
whenever ``--dist loadfile`` gives them to the same worker, so they share
this session fixture (registered in tests/conftest.py) instead of each
starting Playwright.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `apt-get install -y chromium` (tests/run does)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
