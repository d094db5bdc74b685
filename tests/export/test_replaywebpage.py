"""Our WACZ opened in ReplayWeb.page, the viewer archivists embed in their own sites.

A small site (a page with images, a stylesheet and some text) is captured
through the command line and exported with ``citevault export``; then the
site is stopped, and a page on loopback embeds
``<replay-web-page source="….wacz" url="…">`` with the package's ``ui.js``,
its service worker ``sw.js`` under ``replay/``, and the WACZ served with byte
ranges.  Headless Chromium opens it and the archived page must render:
its text visible in the replay frame, its image decoded and its stylesheet
applied, all from the archive (the origin is gone, and no request goes to it).

What was found, with ``replaywebpage`` 2.5.3 (wabac.js inside ``sw.js``) and
Debian's Chromium:

* The npm package declares build dependencies the registry may not hold
  (``warcio@^2.4.12`` was missing from it), yet ``ui.js`` and ``sw.js`` are
  self-contained bundles: ``tests/run`` unpacks the package's tarball
  (``npm pack``) instead of ``npm install``-ing its dependency tree.
* ``replay-web-page`` registers ``replaybase + swName`` (``./replay/sw.js``,
  relative to the embedding page) as a service worker with scope
  ``./replay/``: ``sw.js`` must be served from that folder, or no service
  worker covers the replay frame.  Service workers only run on ``localhost``,
  ``127.0.0.1`` or HTTPS, which loopback satisfies.
* The archived page is an iframe inside an iframe inside the element's shadow
  root; Playwright lists every frame whatever shadow DOM holds it, so the test
  finds the one whose URL is the replay of the cited page and reads it with JS.
* wabac.js reads the WACZ only in byte ranges (``bytes=0-`` first, then the
  zip's central directory as a suffix range, then each record), so the file
  server must answer ``Range``.
* The replay frame (``replay/?source=…``) may load before the service worker
  controls it, and then comes from the server, with ``replay/ui.js``.  When
  those answered 404 the test passed when run alone (the frame was loaded
  again once the worker took over) and failed both times it ran beside other
  test files at a load average of 15-20, the archived frame not appearing
  within 300 s.  So they are served too: the package's own ``index.html`` (``ui.js``
  and ``<replay-app-main>``, the page the service worker itself generates for
  that URL) and ``ui.js``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.export.stopped_site import capture_export_and_stop

PACKAGE_VAR = "CITEVAULT_TEST_REPLAYWEB_DIR"
PAGE = "/page/requisites.html"
VISIBLE_TEXT = "Not a requisite: a plain page."


def package_dir() -> Path:
    """The unpacked ``replaywebpage`` package; skips without the variable, fails if empty."""
    folder = os.environ.get(PACKAGE_VAR)
    if not folder:
        pytest.skip(f"{PACKAGE_VAR} is not set: tests/run unpacks ReplayWeb.page there")
    path = Path(folder)
    for name in ("ui.js", "sw.js", "package.json"):
        if not (path / name).is_file():
            pytest.fail(
                f"{PACKAGE_VAR}={folder} holds no ReplayWeb.page ({name} is missing): "
                "tests/run unpacks `npm pack replaywebpage@2.5.3` there",
                pytrace=False,
            )
    return path


@dataclass
class Exported:
    base: str  # the stopped site's origin
    wacz: Path


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    tmp = tmp_path_factory.mktemp("replaywebpage")
    base, wacz = capture_export_and_stop(tmp, lambda base: f"As shown at {base}{PAGE}.\n", PAGE)
    yield Exported(base, wacz)


_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class _Files(BaseHTTPRequestHandler):
    """Static files by path, with single byte ranges: wabac.js reads a WACZ in pieces."""

    files: dict[str, tuple[Path, str]]
    seen: list[tuple[str, str]]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._send(body=False)

    def do_GET(self) -> None:
        self._send(body=True)

    def _send(self, body: bool) -> None:
        path = self.path.split("?", 1)[0]
        self.seen.append((path, self.headers.get("Range", "")))
        found = self.files.get(path)
        if found is None:
            self.send_error(404)
            return
        data = found[0].read_bytes()
        start, end, status = 0, len(data) - 1, 200
        wanted = _RANGE.match(self.headers.get("Range", ""))
        if wanted and (wanted[1] or wanted[2]):
            if wanted[1]:
                start = int(wanted[1])
                end = min(int(wanted[2]), end) if wanted[2] else end
            else:
                start = max(0, len(data) - int(wanted[2]))
            status = 206
        chunk = data[start : end + 1]
        self.send_response(status)
        self.send_header("Content-Type", found[1])
        self.send_header("Content-Length", str(len(chunk)))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.end_headers()
        if body:
            self.wfile.write(chunk)


@pytest.fixture()
def viewer(exported: Exported) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """The embedding page on 127.0.0.1; yields its URL and the requests it received."""
    pkg = package_dir()
    embed = exported.wacz.parent / "embed.html"
    embed.write_text(
        "<!doctype html>\n<html><head><meta charset='utf-8'><title>embed</title>\n"
        '<script src="/ui.js"></script></head>\n<body>\n'
        f'<replay-web-page source="/archive/article.wacz" url="{exported.base}{PAGE}"'
        ' style="display:block;height:600px"></replay-web-page>\n</body></html>\n'
    )
    js = "application/javascript"
    seen: list[tuple[str, str]] = []
    handler = type(
        "Files",
        (_Files,),
        {
            "files": {
                "/": (embed, "text/html; charset=utf-8"),
                "/ui.js": (pkg / "ui.js", js),
                "/replay/sw.js": (pkg / "sw.js", js),
                # the replay frame, for when it loads before the service worker controls it
                "/replay/": (pkg / "index.html", "text/html; charset=utf-8"),
                "/replay/ui.js": (pkg / "ui.js", js),
                "/archive/article.wacz": (exported.wacz, "application/wacz"),
            },
            "seen": seen,
        },
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="replaywebpage", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _archived_frame(page: Any, url: str, timeout: float = 300) -> Any:
    """The frame replaying ``url``, however deep ReplayWeb.page nests it.

    The limit is generous: wabac.js loads the WACZ in the browser before the
    frame exists, which took 8 s on an idle 2-core machine and over 60 s
    under a load average of 15.
    """
    found: list[Any] = []

    def look() -> bool:
        found[:] = [
            f for f in page.frames if f.url.endswith(url) and "/replay/" in f.url and "mp_" in f.url
        ]
        return bool(found)

    deadline = timeout * 1000
    waited = 0
    while not look():
        assert waited < deadline, [f.url for f in page.frames]
        page.wait_for_timeout(250)
        waited += 250
    return found[0]


def test_replaywebpage_renders_our_wacz(
    exported: Exported, viewer: tuple[str, list[tuple[str, str]]], browser: Any
) -> None:
    url, seen = viewer
    requests: list[str] = []
    context = browser.new_context(service_workers="allow")
    try:
        context.on("request", lambda req: requests.append(req.url))
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(url)
        frame = _archived_frame(page, exported.base + PAGE)
        frame.wait_for_load_state("load")
        text = frame.evaluate("() => document.body.innerText")
        assert VISIBLE_TEXT in text
        assert frame.evaluate("() => document.title") == "Every requisite"
        logo = frame.evaluate(
            "() => { const i = document.querySelector('img[alt=logo]');"
            " return [i.complete, i.naturalWidth, i.currentSrc]; }"
        )
        complete, width, src = logo
        assert complete and width > 0, logo
        assert src.startswith(url + "replay/") and src.endswith("/img/logo.png"), src
        font = frame.evaluate("() => getComputedStyle(document.body).fontFamily")
        assert "Test" in font  # set only by the archived /css/main.css
    finally:
        context.close()
    wacz_reads = [rng for path, rng in seen if path == "/archive/article.wacz"]
    assert wacz_reads and all(rng.startswith("bytes=") for rng in wacz_reads), seen
    live = [u for u in requests if u.startswith(exported.base)]
    assert live == [], "the browser went to the (stopped) origin instead of the archive"
