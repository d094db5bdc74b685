"""The test site itself: if it lies about what it serves, every crawler test built on it lies."""

from __future__ import annotations

import json
import ssl
import urllib.request
from collections.abc import Iterator

import pytest

from tests.sites import (
    NOT_REQUISITES,
    REQUISITES2_ALL,
    REQUISITES_ALL,
    REQUISITES_DIRECT,
    STATIC,
    TestSite,
    expected,
)
from tests.sites.fixtures import test_site  # noqa: F401  (the fixture under test)
from tests.sites.probe import fetch


@pytest.fixture(scope="module")
def site() -> Iterator[TestSite]:
    """One site for the read-only route checks: cheaper than one per parameter."""
    with TestSite() as s:
        yield s
    assert not s.errors


# --- binding and lifecycle ----------------------------------------------------------


def test_listens_on_loopback_only_with_two_schemes(site: TestSite) -> None:
    assert site.base_url == f"http://127.0.0.1:{site.port}"
    assert site.https_url == f"https://127.0.0.1:{site.https_port}"
    assert site.port != site.https_port
    for listener in site._listeners:
        assert listener.socket.getsockname()[0] == "127.0.0.1"


def test_https_certificate_verifies_for_127_0_0_1(site: TestSite) -> None:
    assert site.cert_path is not None
    context = ssl.create_default_context(cafile=str(site.cert_path))
    with urllib.request.urlopen(site.https_url + "/page/plain.html", context=context) as resp:
        assert resp.read() == expected("/page/plain.html").body


def test_start_twice_is_refused_and_stop_is_idempotent() -> None:
    s = TestSite().start()
    with pytest.raises(RuntimeError):
        s.start()
    s.stop()
    s.stop()


def test_fixture_gives_a_running_site_with_an_empty_log(test_site: TestSite) -> None:  # noqa: F811
    assert test_site.requests == []
    assert fetch(test_site, "/")[0] == 200
    assert [r.path for r in test_site.requests] == ["/"]


# --- static routes ----------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(STATIC))
def test_static_route_sends_exactly_the_expected_entity(site: TestSite, path: str) -> None:
    item = expected(path)
    status, headers, body = fetch(site, path)
    assert status == item.status
    assert headers["Content-Type"] == item.content_type
    assert headers["Content-Encoding"] == item.content_encoding
    assert body == item.entity
    if item.chunked:
        assert headers["Content-Length"] is None
    elif status != 204:
        assert headers["Content-Length"] == str(len(item.entity))


@pytest.mark.parametrize("path", ["/", "/page/requisites.html", "/enc/br.html", "/img/p.png"])
def test_https_serves_the_same_routes(site: TestSite, path: str) -> None:
    assert fetch(site, path, https=True)[2] == expected(path).entity


def test_requisites_page_uses_every_kind_of_requisite() -> None:
    html = expected("/page/requisites.html").body.decode()
    for snippet in [
        '<img src="/img/logo.png"',
        'srcset="/img/a-1x.png 1x, /img/a-2x.png 2x"',
        '<picture><source srcset="/img/p.webp" type="image/webp"><img src="/img/p.png"',
        '<link rel="stylesheet" href="/css/main.css">',
        '<script src="/js/app.js">',
        '<link rel="icon" href="/favicon.ico">',
        '<video poster="/img/poster.jpg"',
        '<source src="/media/clip.mp4"',
        '<iframe src="/page/iframe.html"',
        "<style>body { background: url(/img/inline-bg.png); }</style>",
        "style=\"background-image:url('/img/attr-bg.png')\"",
        '<a href="/page/plain.html">',
    ]:
        assert snippet in html
    for path in REQUISITES_DIRECT:
        assert path in html
    main_css = expected("/css/main.css").body
    assert b'@import url("/css/imported.css");' in main_css
    assert b"url(/img/bg.png)" in main_css and b"src: url(/fonts/f.woff2)" in main_css
    assert b"url(../img/from-import.png)" in expected("/css/imported.css").body
    assert b'<img src="/img/in-iframe.png"' in expected("/page/iframe.html").body
    second = expected("/page/requisites2.html").body.decode()
    assert "/css/main.css" in second and "/img/p.png" in second
    assert {"/css/main.css", "/img/p.png"} <= REQUISITES_ALL & REQUISITES2_ALL
    assert not NOT_REQUISITES & REQUISITES_ALL
    assert STATIC.keys() >= (REQUISITES_ALL | REQUISITES2_ALL)


def test_distinct_files_have_distinct_bytes() -> None:
    paths = sorted(REQUISITES_ALL | REQUISITES2_ALL | {"/img/photo.jpg"})
    assert len({expected(p).entity for p in paths}) == len(paths)


def test_media_files_are_real_formats() -> None:
    import io

    import pypdf

    for path in [p for p in STATIC if p.endswith(".png")]:
        assert expected(path).body.startswith(b"\x89PNG\r\n\x1a\n")
    for path in ("/img/photo.jpg", "/img/poster.jpg"):
        body = expected(path).body
        assert body.startswith(b"\xff\xd8") and body.endswith(b"\xff\xd9")
    webp = expected("/img/p.webp").body
    assert webp[:4] == b"RIFF" and webp[8:12] == b"WEBP"
    assert int.from_bytes(webp[4:8], "little") == len(webp) - 8
    assert expected("/favicon.ico").body[:4] == b"\x00\x00\x01\x00"
    assert expected("/media/clip.mp4").body[4:8] == b"ftyp"
    assert expected("/fonts/f.woff2").body[:4] == b"wOF2"
    reader = pypdf.PdfReader(io.BytesIO(expected("/doc.pdf").body), strict=True)
    assert "citevault test document" in reader.pages[0].extract_text()
    assert json.loads(expected("/data.json").body)["ok"] is True


def test_robots_and_private_page(site: TestSite) -> None:
    status, headers, body = fetch(site, "/robots.txt")
    assert (status, body) == (200, b"User-agent: *\nDisallow: /private/\n")
    assert headers["Content-Type"].startswith("text/plain")
    assert fetch(site, "/private/page.html")[0] == 200


def test_status_routes(site: TestSite) -> None:
    assert fetch(site, "/status/404")[0] == 404
    assert fetch(site, "/status/500")[0] == 500
    assert fetch(site, "/status/418")[0] == 418
    status, headers, body = fetch(site, "/status/204")
    assert (status, body, headers["Content-Length"]) == (204, b"", None)
    assert fetch(site, "/no/such/page")[0] == 404
    assert fetch(site, "/big?bytes=lots")[0] == 400


def test_cookie_route_sets_cookies(site: TestSite) -> None:
    status, headers, _ = fetch(site, "/cookie")
    assert status == 200
    assert len(headers.get_all("Set-Cookie") or []) == 2


# --- redirects ---------------------------------------------------------------------


@pytest.mark.parametrize("code", [301, 302, 307, 308])
@pytest.mark.parametrize("https", [False, True])
def test_redirect_codes(site: TestSite, code: int, https: bool) -> None:
    status, headers, _ = fetch(site, f"/redirect/{code}", https=https)
    base = site.https_url if https else site.base_url
    assert (status, headers["Location"]) == (code, base + "/page/plain.html")


def test_redirect_chain_has_n_hops(site: TestSite) -> None:
    target, hops = "/redirect/chain/25", 0
    while True:
        status, headers, _ = fetch(site, target)
        if status != 302:
            break
        hops += 1
        target = headers["Location"]
    assert (hops, target, status) == (25, "/page/plain.html", 200)


def test_redirect_loop_and_redirect_to_anywhere(site: TestSite) -> None:
    assert fetch(site, "/redirect/loop/a")[1]["Location"] == "/redirect/loop/b"
    assert fetch(site, "/redirect/loop/b")[1]["Location"] == "/redirect/loop/a"
    status, headers, _ = fetch(site, "/redirect/to?url=http%3A%2F%2F10.0.0.1%2Fadmin%3Fa%3D1")
    assert (status, headers["Location"]) == (302, "http://10.0.0.1/admin?a=1")
    assert fetch(site, "/redirect/to?url=http://[::1]/&status=307")[0] == 307
