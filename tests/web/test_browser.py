"""In a real browser: a citation's archived copy renders from the archive alone, safely.

One document cites the test site's page with every kind of requisite and a
hostile page from a small server of this module; both are captured by the
real crawler, both servers are stopped, and only then does Chromium open
citevault (``citevault serve`` with the replay engine started by it).  What
the browser shows can then only have come from the archive, and every request
it made is checked to prove it.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock

import pytest

from archive.replay import COLLECTION
from archive.settings import load_settings
from tests.helpers import clean_env, run_cli
from tests.sites.site import TestSite
from tests.web.conftest import LiveApp, engine_dir, free_port, require_engine

SECRET = "cv-session-7f3a9e"  # a cookie of the application the archived page must not see

HOSTILE_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Hostile</title></head>
<body><h1>An archived page with a script</h1><pre id="result">pending</pre>
<script>
(async () => {{
  const out = {{}};
  try {{ out.cookie = String(document.cookie); }} catch (e) {{ out.cookie = "blocked: " + e.name; }}
  try {{ localStorage.setItem("k", "v"); out.storage = "usable"; }}
  catch (e) {{ out.storage = "blocked: " + e.name; }}
  try {{ out.parent = String(window.parent.document.cookie); }}
  catch (e) {{ out.parent = "blocked: " + e.name; }}
  const targets = {{
    api_relative: "/api/documents",
    api_absolute: "{app}/api/documents",
    other_capture: "{replay}/{coll}/{site}/page/requisites.html",
  }};
  for (const [name, url] of Object.entries(targets)) {{
    try {{
      const r = await fetch(url, {{credentials: "include"}});
      out[name] = "read " + r.status + " " + (await r.text()).slice(0, 200);
    }} catch (e) {{ out[name] = "failed: " + e.name; }}
  }}
  document.getElementById("result").textContent = JSON.stringify(out);
}})();
</script></body></html>
"""


class HostileSite:
    """Serves /hostile.html on loopback, like any site a document might cite."""

    def __init__(self, page: str) -> None:
        body = page.encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != "/hostile.html":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                # Replayed, this would land on the host the application shares.
                self.send_header("Set-Cookie", "planted=1; Path=/")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@dataclass
class Archived:
    app: str
    replay: str
    site: str
    hostile: str


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archived]:
    tmp = tmp_path_factory.mktemp("web")
    replay_port = free_port()
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
        CITEVAULT_REPLAY__ENGINE_DIR=str(engine_dir()),
        CITEVAULT_REPLAY__PORT=str(replay_port),
        CITEVAULT_REPLAY__AUTOSTART="true",
    )
    with mock.patch.dict(os.environ, env, clear=True):
        settings = load_settings()
    require_engine(settings)
    app = LiveApp(settings)
    replay = f"http://127.0.0.1:{replay_port}"
    site = TestSite().start()
    hostile = HostileSite(
        HOSTILE_PAGE.format(app=app.url, replay=replay, coll=COLLECTION, site=site.base_url)
    )
    try:
        doc = tmp / "cites.txt"
        doc.write_text(
            f"The page {site.base_url}/page/requisites.html has every requisite; "
            f"{hostile.base_url}/hostile.html runs a script.\n"
        )
        added = run_cli("add", str(doc), "--id", "web", "--title", "Web sources", env=env)
        assert added.returncode == 0, added.stderr
        done = run_cli("archive", "web", env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "2 captured" in done.stdout, done.stdout
    finally:
        site.stop()
        hostile.stop()
    assert not site.errors, site.errors
    with app:
        yield Archived(app.url, replay, site.base_url, hostile.base_url)
    # The engine started with the app stopped with it.
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", replay_port), timeout=1).close()


def _citation(page: Any, url_part: str) -> Any:
    return page.locator("li.citation").filter(has=page.locator(".url", has_text=url_part))


def _frame(page: Any) -> Any:
    handle = page.wait_for_selector("iframe.replay")
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_load_state("load")
    return frame


def test_capture_renders_from_the_archive_after_the_site_is_gone(
    archived: Archived, browser: Any
) -> None:
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda req: requests.append(req.url))
    page = context.new_page()
    try:
        page.goto(f"{archived.app}/documents/web")
        assert page.title().startswith("Web sources")
        item = _citation(page, "/page/requisites.html")
        assert "captured" in item.locator(".badge").inner_text()
        item.locator("a[href^='/captures/']").first.click()
        page.wait_for_url(f"{archived.app}/captures/*")
        banner = page.locator("section.banner").inner_text()
        assert f"{archived.site}/page/requisites.html" in banner
        assert "200" in banner

        frame = _frame(page)
        assert frame.url.startswith(f"{archived.replay}/{COLLECTION}/")
        frame.wait_for_function("document.documentElement.dataset.app === 'loaded'")
        images = frame.evaluate(
            "() => [...document.images].map(i => [i.getAttribute('alt'), i.complete,"
            " i.naturalWidth, i.currentSrc])"
        )
        assert len(images) >= 3
        for alt, complete, width, src in images:
            assert complete and width > 0, (alt, src)
            assert src.startswith(archived.replay), src
        style = frame.evaluate(
            "() => { const s = getComputedStyle(document.body);"
            " return {font: s.fontFamily, bg: s.backgroundImage}; }"
        )
        assert "Test" in style["font"]  # set only by /css/main.css
        assert style["bg"].startswith(f'url("{archived.replay}/')  # the inline <style>
        assert "inline-bg.png" in style["bg"]
        css = frame.evaluate("() => [...document.styleSheets].map(s => s.href).filter(Boolean)")
        assert any(href.endswith("/css/main.css") for href in css), css
    finally:
        context.close()
    live = [u for u in requests if u.startswith((archived.site, archived.hostile))]
    assert live == [], "the browser went to the live web"
    assert any("/img/logo.png" in u for u in requests)


def _hostile_results(frame: Any) -> dict[str, str]:
    result = frame.locator("#result")
    frame.wait_for_function(
        "document.getElementById('result').textContent !== 'pending'", timeout=15_000
    )
    data: dict[str, str] = json.loads(result.inner_text())
    return data


def _assert_contained(results: dict[str, str]) -> None:
    text = json.dumps(results)
    assert SECRET not in text
    assert '"items"' not in text and "Web sources" not in text  # nothing of the API leaked
    assert results["cookie"].startswith("blocked") or results["cookie"] == "", results
    assert results["storage"].startswith("blocked"), results
    assert results["parent"].startswith("blocked"), results
    for name in ("api_relative", "api_absolute", "other_capture"):
        assert results[name].startswith("failed"), (name, results[name])


def test_archived_script_cannot_reach_the_app_or_other_captures(
    archived: Archived, browser: Any
) -> None:
    context = browser.new_context()
    context.add_cookies([{"name": "session", "value": SECRET, "url": archived.app}])
    page = context.new_page()
    try:
        # The cookie is really there for a page of the same host, and the API answers it.
        page.goto(f"{archived.app}/")
        assert SECRET in page.evaluate("document.cookie")
        assert page.request.get(f"{archived.app}/api/documents").ok

        page.goto(f"{archived.app}/documents/web")
        item = _citation(page, "/hostile.html")
        item.locator("a[href^='/captures/']").first.click()
        _assert_contained(_hostile_results(_frame(page)))

        # Opened on its own, outside citevault's sandboxed frame, it is just as contained.
        page.goto(f"{archived.replay}/{COLLECTION}/{archived.hostile}/hostile.html")
        _assert_contained(_hostile_results(page.main_frame))
        assert {c["name"] for c in context.cookies()} == {"session"}
    finally:
        context.close()


def _png_width(png: bytes) -> int:
    return int.from_bytes(png[16:20], "big")


def test_pages_work_without_javascript_on_a_phone(archived: Archived, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    try:
        for path in ("/", "/?q=requisites", "/documents/web", "/captures/1", "/submit"):
            response = page.goto(archived.app + path)
            assert response is not None and response.ok, path
            assert page.locator("h1").count() == 1, path
            # A full-page screenshot is as wide as the content: nothing sticks out sideways.
            assert _png_width(page.screenshot(full_page=True)) == 360, path
        page.goto(archived.app + "/")
        page.fill("#q", "requisites")
        page.click("form.search button")
        assert page.locator("li.card a.title", has_text="Web sources").count() == 1
    finally:
        context.close()


def test_replay_route_redirects_to_the_engine(archived: Archived, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        response = page.goto(f"{archived.app}/replay/1")
        assert response is not None and response.ok
        assert page.url.startswith(f"{archived.replay}/{COLLECTION}/")
    finally:
        context.close()
