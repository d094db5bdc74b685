"""citevault's WARC and WACZ output replayed by a stock pywb, with the origin server gone.

A small site (a page with an image and a stylesheet, and a chain of two
redirects to another page) is captured through the command line; then the
site is stopped, and a plain pywb collection is made of what citevault wrote
(``wb-manager add`` on the stored WARC files; ``wb-manager add --unpack-wacz``
on an exported WACZ) and served by ``wayback`` on loopback.  Every answer is
compared with the bytes the site served (``tests.sites.content``), never
with what citevault recorded: a replay of citevault's own job metadata, or
of anything but the archived page, cannot pass.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.export.stock_pywb import StockPywb
from tests.export.stopped_site import capture_export_and_stop
from tests.sites.content import expected

PAGE = "/page/requisites2.html"
IMAGES = ("/img/p.png", "/img/second.png")
STYLESHEET = "/css/main.css"
CHAIN = ("/redirect/chain/2", "/redirect/chain/1", "/page/plain.html")


@dataclass
class Captured:
    base: str  # the stopped site's origin
    warcs: list[Path]  # the WARC files as citevault stored them
    wacz: Path


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Captured]:
    tmp = tmp_path_factory.mktemp("stock-pywb")
    base, wacz = capture_export_and_stop(
        tmp, lambda base: f"As shown at {base}{PAGE} and moved to {base}{CHAIN[0]}.\n", PAGE
    )
    warcs = sorted((tmp / "data").rglob("*.warc.gz"))
    assert warcs, "citevault stored no WARC file"
    yield Captured(base, warcs, wacz)


def _assert_replays_the_site(pywb: StockPywb, base: str) -> None:
    page = pywb.get(base + PAGE)
    assert page.status_code == 200, page.text[:500]
    assert page.headers["content-type"].startswith("text/html")
    assert page.content == expected(PAGE).body
    for path in (*IMAGES, STYLESHEET):
        answer = pywb.get(base + path)
        assert answer.status_code == 200, path
        assert answer.content == expected(path).body, path
        assert answer.headers["content-type"] == expected(path).content_type, path

    # the page as a reader sees it: rewritten to load its requisites from the archive
    shown = pywb.get(base + PAGE, mode="mp_")
    assert shown.status_code == 200
    assert "<title>Shared requisites</title>" in shown.text
    for path in (*IMAGES, STYLESHEET):
        assert f"/{pywb.collection}/" in shown.text and base + path in shown.text, path

    # the redirect chain as a reader follows it, hop by hop: each Location (relative
    # on the site) rewritten by pywb to point back into the archive
    url = httpx.URL(f"{pywb.base}/2100mp_/{base}{CHAIN[0]}")
    for here, there in itertools.pairwise(CHAIN):
        hop = httpx.get(url, timeout=60, follow_redirects=False)
        assert hop.status_code == 302, (here, hop.status_code, hop.text[:300])
        location = hop.headers["location"]
        assert location.endswith(base + there), (here, location)
        url = url.join(location)
        assert (url.host, url.port) == ("127.0.0.1", pywb.port), location
        assert url.path.startswith(f"/{pywb.collection}/"), location
    final = httpx.get(url, timeout=60, follow_redirects=False)
    assert final.status_code == 200
    assert "<title>Plain page</title>" in final.text
    # and the hop as archived: the site's own status and relative Location
    raw = pywb.get(base + CHAIN[0])
    assert (raw.status_code, raw.headers["location"]) == (302, CHAIN[1])
    assert pywb.get(base + CHAIN[-1]).content == expected(CHAIN[-1]).body


def test_stock_pywb_replays_our_warc_files(captured: Captured, tmp_path: Path) -> None:
    pywb = StockPywb(tmp_path / "pywb")
    pywb.add(*captured.warcs)
    lines = pywb.index_lines()
    assert lines, "pywb indexed nothing"
    # pywb indexed the exchanges and none of citevault's job metadata records
    mimes = {json.loads(line.split(" ", 2)[2]).get("mime") for line in lines}
    assert "application/json" not in mimes and "application/warc-fields" not in mimes
    with pywb:
        _assert_replays_the_site(pywb, captured.base)


def test_stock_pywb_unpacks_our_wacz(captured: Captured, tmp_path: Path) -> None:
    with zipfile.ZipFile(captured.wacz) as zf:
        (index_name,) = [n for n in zf.namelist() if n.startswith("indexes/")]
        wacz_index = zf.read(index_name).decode().splitlines()
    pywb = StockPywb(tmp_path / "pywb")
    added = pywb.add(captured.wacz, unpack_wacz=True)
    # pywb only warns when it finds no index, and then adds nothing
    assert "does not contain any" not in added.stdout + added.stderr, added.stderr
    lines = pywb.index_lines()
    assert len(lines) == len(wacz_index) > 0  # our index, not one pywb rebuilt
    with pywb:
        _assert_replays_the_site(pywb, captured.base)


def test_wacz_validates(captured: Captured) -> None:
    tool = Path(sys.executable).parent / "wacz"  # a dev dependency (pyproject.toml)
    result = subprocess.run(
        [str(tool), "validate", "-f", str(captured.wacz)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation succeeded" in result.stdout
