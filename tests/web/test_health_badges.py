"""Health badges in a real browser, on a phone and on a desktop screen.

A document citing pages of the aging loopback site is captured for real,
then checked day by day with a ManualClock until its pages have died,
drifted and answered soft 404s; Chromium then opens the document page
(``citevault serve`` in a thread) at 390 and 1280 px.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from archive.clock import ManualClock
from archive.health.plan import plan_checks
from archive.health.runner import run_checks
from archive.runtime import Runtime
from archive.settings import load_settings
from tests.health.site import AgingSite
from tests.helpers import clean_env, run_cli
from tests.web.conftest import LiveApp

# The badge each page has after eight days, and the colour family it must have.
GREEN, AMBER, RED = "rgb(27, 122, 58)", "rgb(240, 180, 41)", "rgb(179, 38, 30)"
EXPECTED = {
    "/stable/page.html": ("source alive", GREEN),
    "/dies/page.html": ("source dead", RED),
    "/soft/page.html": ("source soft 404", RED),
    "/major/page.html": ("source changed (off-topic)", RED),
    "/minor/page.html": ("source changed (minor)", AMBER),
    "/blocked/page.html": ("source blocked", AMBER),
}


@dataclass
class Checked:
    app: str
    site: str


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checked]:
    tmp = tmp_path_factory.mktemp("health-web")
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp / "data"), CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false"
    )
    with mock.patch.dict(os.environ, env, clear=True):
        settings = load_settings()
    with AgingSite() as site:
        doc = tmp / "aging.txt"
        doc.write_text("\n\n".join(f"See {site.base_url}{p} on this." for p in EXPECTED))
        added = run_cli("add", str(doc), "--id", "aging", "--title", "Aging sources", env=env)
        assert added.returncode == 0, added.stderr
        done = run_cli("archive", "aging", env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        rt = Runtime(settings)
        clock = ManualClock(datetime.now(UTC) + timedelta(seconds=1))
        try:
            for day in range(8):
                site.day = day
                with rt.sessions()() as s:
                    plan_checks(
                        s, document_id="aging", tick_key=f"d{day}", schedule_id=None, clock=clock
                    )
                    s.commit()
                assert run_checks(rt, clock).checked == len(EXPECTED)
                clock.advance(timedelta(days=1))
        finally:
            rt.close()
        base_url = site.base_url
    with LiveApp(settings) as app:
        yield Checked(app.url, base_url)


def _png_width(png: bytes) -> int:
    return int.from_bytes(png[16:20], "big")


@pytest.mark.parametrize("width", [390, 1280])
def test_badges_say_the_state_in_words_and_colours(
    checked: Checked, browser: Any, width: int, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        response = page.goto(checked.app + "/documents/aging")
        assert response is not None and response.ok
        for path, (words, colour) in EXPECTED.items():
            item = page.locator("li.citation").filter(
                has=page.locator(".url", has_text=checked.site + path)
            )
            badge = item.locator("p.health .badge")
            assert badge.is_visible(), path
            assert badge.inner_text().startswith(words), path
            style = badge.evaluate("e => getComputedStyle(e).backgroundColor")
            assert style == colour, (path, style)
            assert item.locator("p.health .checked").inner_text().startswith("checked ")
            link = item.locator("p.health a.archived")
            assert link.is_visible(), path
            assert link.inner_text().startswith("archived copy from ")
            # the badge, the time and the link stay inside the page's width
            for part in (badge, link):
                box = part.bounding_box()
                assert box is not None and box["x"] + box["width"] <= width, (path, box)
        shot = page.screenshot(full_page=True)
        (tmp_path / f"health-{width}.png").write_bytes(shot)
        assert _png_width(shot) == width  # nothing sticks out sideways
        # the feed is linked from the page and answers
        feed = page.locator("a[type='application/atom+xml']")
        assert feed.get_attribute("href") == "/documents/aging/health.atom"
    finally:
        context.close()
