"""A researcher's whole path, in Chromium, through a real ``citevault serve``.

``citevault serve`` runs as its own process on a SQLite data folder, with the
capture worker it starts beside itself (``serve.embedded_worker``) and the
replay engine it autostarts.  The browser opens the submit form, uploads a
document citing four URLs of the loopback test site (a page with images, a
404, a 301 → 302 chain and a PDF), then reloads the document page until the
worker has captured them all, reads what each citation's badge says, and
follows each one to its capture page.  Nothing is written to the database or
queued by the test itself: everything goes through the pages.

With ``CITEVAULT_TEST_SHOTS_DIR`` set, every page type is also saved as a
full-page screenshot at desktop and phone width, for people to look at; by
default none is written.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
import pytest

from archive.replay import COLLECTION
from archive.settings import load_settings
from tests.helpers import ROOT, clean_env, cli_ok
from tests.sites.content import DOC_PDF
from tests.sites.site import TestSite
from tests.web.conftest import engine_dir, free_port, require_engine

# Generous bounds for a loaded 2-core machine: how long to wait, not a measurement.
START_SECONDS = 120
CAPTURE_SECONDS = 300
POLL_SECONDS = 1.0

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Two animation frames: what was laid out has been painted.  Bounded, because a
# frame Chromium does not render never runs the callback.
PAINTED = """() => Promise.race([
  new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))),
  new Promise(r => setTimeout(r, 2000)),
])"""

PAGE = "/page/article.html"
GONE = "/status/404"
# A 301 to a 302 to the plain page: the chain the citation must show.
MOVED = "/redirect/to?status=301&url=/redirect/chain/1"
PDF = "/doc.pdf"


@dataclass
class Served:
    app: str
    replay: str
    site: TestSite
    key: str
    log: Path


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            if httpx.get(f"{url}/api/documents", timeout=10).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert proc.poll() is None, "serve exited during start-up:\n" + log.read_text()
        assert time.monotonic() < deadline, "serve did not answer:\n" + log.read_text()
        time.sleep(0.2)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("walk")
    port, replay_port = free_port(), free_port()
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        CITEVAULT_REPLAY__ENGINE_DIR=str(engine_dir()),
        CITEVAULT_REPLAY__PORT=str(replay_port),
        CITEVAULT_REPLAY__AUTOSTART="true",
    )
    with mock.patch.dict(os.environ, env, clear=True):
        require_engine(load_settings())
    key = cli_ok(env, "keys", "create", "--name", "walk").stdout.strip().splitlines()[-1]
    log = tmp / "serve.log"
    site = TestSite().start()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "archive", "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, proc, log)
        yield Served(url, f"http://127.0.0.1:{replay_port}", site, key, log)
    finally:
        proc.terminate()
        proc.wait(120)
        site.stop()
    assert not site.errors, site.errors


class Shots:
    """Full-page screenshots at both widths, only when a folder is named."""

    def __init__(self) -> None:
        folder = os.environ.get("CITEVAULT_TEST_SHOTS_DIR")
        self.folder = Path(folder) if folder else None
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)

    def take(self, page: Any, name: str) -> None:
        if self.folder is None:
            return
        # The same rendered page at both widths: a pending page stays pending.
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            # As tall as the page: Chromium neither paints nor animates a cross-origin
            # frame (the replay) below the fold, so a full-page shot would show it blank.
            height = page.evaluate("document.documentElement.scrollHeight")
            page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
            for frame in page.frames:
                frame.evaluate(PAINTED)
            page.screenshot(path=str(self.folder / f"{name}-{label}.png"), full_page=True)
        page.set_viewport_size(DESKTOP)


@pytest.fixture
def shots() -> Shots:
    return Shots()


def _citation(page: Any, path: str) -> Any:
    item = page.locator("li.citation").filter(has=page.locator("> .url", has_text=path))
    assert item.count() == 1, path
    return item


def _badge(page: Any, path: str) -> tuple[str, str]:
    badge = _citation(page, path).locator(".head .badge")
    return badge.inner_text(), badge.get_attribute("class") or ""


def _submit(page: Any, served: Served, tmp_path: Path) -> None:
    base = served.site.base_url
    doc = tmp_path / "notes.txt"
    doc.write_text(
        "Notes from a walk through the sources.\n"
        f"The article {base}{PAGE} shows the figure.\n"
        f"The old report {base}{GONE} is gone.\n"
        f"The moved notice {base}{MOVED} now points elsewhere.\n"
        f"The full paper is {base}{PDF} for reference.\n"
    )
    page.set_input_files("#file", str(doc))
    page.fill("#doc-id", "walk")
    page.fill("#title", "Field notes of a walk")
    page.fill("#api-key", served.key)
    page.click("form.submit button[type=submit]")
    page.wait_for_url(f"{served.app}/documents/walk")


def _wait_for_captures(page: Any, served: Served) -> None:
    """Reload the document page until no citation is pending (bounded, not timed)."""
    deadline = time.monotonic() + CAPTURE_SECONDS
    while True:
        labels = page.locator("li.citation .head .badge").all_inner_texts()
        if not any(label.startswith(("pending", "not queued")) for label in labels):
            return
        assert time.monotonic() < deadline, (labels, served.log.read_text()[-4000:])
        time.sleep(POLL_SECONDS)
        page.reload()


def _open_capture(page: Any, served: Served, path: str) -> None:
    _citation(page, path).locator(".timeline a[href^='/captures/']").first.click()
    page.wait_for_url(re.compile(re.escape(served.app) + r"/captures/\d+$"))


def _replay_frame(page: Any) -> Any:
    frame = page.wait_for_selector("iframe.replay").content_frame()
    assert frame is not None
    frame.wait_for_load_state("load")
    return frame


def _follow_redirects_to(page: Any, served: Served) -> None:
    href = page.locator("section.banner dt:text-is('Redirects to') + dd a").get_attribute("href")
    assert href is not None and href.startswith("/captures/"), href
    page.goto(served.app + href)


def _banner_fact(page: Any, term: str) -> str:
    text: str = page.locator(f"section.banner dt:text-is('{term}') + dd").inner_text()
    return text


def test_submit_capture_and_read_every_badge(
    served: Served, browser: Any, shots: Shots, tmp_path: Path
) -> None:
    base = served.site.base_url
    context = browser.new_context(viewport=DESKTOP)
    requests: list[str] = []
    context.on("request", lambda req: requests.append(req.url))
    page = context.new_page()
    try:
        page.goto(f"{served.app}/")
        shots.take(page, "home-empty")

        page.goto(f"{served.app}/submit")
        assert page.locator("form.submit input[type=file]").count() == 1
        shots.take(page, "submit")
        _submit(page, served, tmp_path)
        assert page.locator("h1").inner_text() == "Field notes of a walk"
        # Every cited URL is listed at once, each saying why it is not captured yet.
        pending = page.locator("li.citation .head .badge").all_inner_texts()
        assert len(pending) == 4, pending
        for label in pending:
            if label.startswith("pending"):
                assert re.fullmatch(r"pending · \S.*", label), label
        shots.take(page, "document-pending")

        _wait_for_captures(page, served)
        shots.take(page, "document-done")

        # The page with images: captured, and the source answered 200.
        label, kind = _badge(page, PAGE)
        assert label == "captured · HTTP 200" and "captured" in kind.split()
        # The 404: captured faithfully, but never a green badge.
        label, kind = _badge(page, GONE)
        assert label == "captured · source answered 404 (gone)", label
        assert "warning" in kind.split() and "captured" not in kind.split()
        # The redirect: says it moved, and lists every hop to the final answer.
        label, kind = _badge(page, MOVED)
        assert label == "captured · source redirected · HTTP 200 after 2 redirects", label
        assert "moved" in kind.split()
        hops = _citation(page, MOVED).locator("ol.chain > li").all_inner_texts()
        assert hops == [
            f"HTTP 301 {base}{MOVED}",
            f"HTTP 302 {base}/redirect/chain/1",
            f"HTTP 200 {base}/page/plain.html",
        ], hops
        # The PDF: captured, the source answered 200.
        label, kind = _badge(page, PDF)
        assert label == "captured · HTTP 200" and "captured" in kind.split()
        tally = page.locator("p.tally .badge").all_inner_texts()
        assert sorted(tally) == [
            "1 captured · source answered an error",
            "1 captured · source redirected",
            "2 captured · source OK",
        ], tally

        # The page: the replay frame shows it, with its images from the archive.
        _open_capture(page, served, PAGE)
        assert _banner_fact(page, "Original URL") == f"{base}{PAGE}"
        assert _banner_fact(page, "HTTP status") == "200"
        assert page.locator("section.payload").count() == 0
        frame = _replay_frame(page)
        assert frame.url.startswith(f"{served.replay}/{COLLECTION}/")
        assert frame.locator("h1").inner_text() == "A cited article"
        frame.wait_for_function("[...document.images].every(i => i.complete)")
        images = frame.evaluate(
            "() => [...document.images].map(i => [i.naturalWidth, i.currentSrc])"
        )
        assert len(images) == 1, images
        for width, src in images:
            assert width > 0 and src.startswith(served.replay), src
        shots.take(page, "capture-page")
        page.go_back()

        # The 404: the banner says what the source answered; the archived 404 page replays.
        _open_capture(page, served, GONE)
        assert _banner_fact(page, "HTTP status") == "404 source answered 404 (gone)"
        frame = _replay_frame(page)
        assert frame.locator("h1").inner_text() == "404"
        shots.take(page, "capture-404")
        page.go_back()

        # The redirect: the citation's capture is the final answer, at another address,
        # and its page says by which hops the cited URL got there.
        _open_capture(page, served, MOVED)
        final = page.url
        assert _banner_fact(page, "Original URL") == f"{base}/page/plain.html"
        assert _banner_fact(page, "HTTP status") == "200"
        assert _banner_fact(page, "Redirected from").splitlines() == [
            f"HTTP 301 {base}{MOVED}",
            f"HTTP 302 {base}/redirect/chain/1",
        ]
        assert _replay_frame(page).locator("h1").inner_text() == "Plain page"
        shots.take(page, "capture-redirect-final")
        # Each hop has its own capture page, which says the frame follows the redirect,
        # and links on to the next hop, up to the final answer.
        page.locator("section.banner ol.chain a").first.click()
        page.wait_for_url(re.compile(re.escape(served.app) + r"/captures/\d+$"))
        assert _banner_fact(page, "Original URL") == f"{base}{MOVED}"
        assert _banner_fact(page, "HTTP status") == "301"
        assert _banner_fact(page, "Redirects to") == f"{base}/redirect/chain/1"
        notice = page.locator("p.notice.redirect").inner_text()
        assert "answered HTTP 301" in notice and f"{base}/redirect/chain/1" in notice, notice
        shots.take(page, "capture-redirect-hop")
        _follow_redirects_to(page, served)
        assert _banner_fact(page, "HTTP status") == "302"
        _follow_redirects_to(page, served)
        assert page.url == final
        page.goto(f"{served.app}/documents/walk")

        # The PDF: a download panel saying what the file is, not an empty frame.
        _open_capture(page, served, PDF)
        panel = page.locator("section.payload")
        assert panel.locator("dt:text-is('Type') + dd").inner_text() == "application/pdf"
        size = panel.locator("dt:text-is('Size') + dd").inner_text()
        assert size == f"{len(DOC_PDF)} bytes", size
        assert page.locator("iframe.replay").count() == 0
        href = panel.locator("a[download]").get_attribute("href")
        assert href is not None
        download = page.request.get(served.app + href)
        assert download.ok and download.body() == DOC_PDF
        shots.take(page, "capture-pdf")

        page.goto(f"{served.app}/")
        assert page.locator("li.card a.title", has_text="Field notes of a walk").count() == 1
        shots.take(page, "home")

        response = page.goto(f"{served.app}/documents/no-such-document")
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == "Not found"
        assert "no-such-document" in page.locator(".notice").inner_text()
        shots.take(page, "not-found")
    finally:
        context.close()
    # The worker beside serve fetched each cited URL; the browser never went to the site.
    for path in (
        PAGE,
        GONE,
        MOVED,
        "/redirect/chain/1",
        "/page/plain.html",
        PDF,
        "/img/figure.png",
    ):
        assert served.site.count(path) >= 1, path
    assert [u for u in requests if u.startswith(base)] == []
