"""An unchanged page captured again: its revisit record, lean, still replayed by a stock pywb.

A recapture of an unchanged source writes a request and a revisit record per
exchange and nothing else, so each field those records carry is paid for on
every scheduled recapture.  They carry exactly the fields the standard
requires and readers use; this checks the set, and that the readers that
matter still resolve the revisit: warcio checks every digest, and a stock pywb
(from the stored WARC files, and from the exported WACZ with its own index)
replays the page at the recapture's time with the original's bytes, the origin
server gone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.capture.contract import REVISIT_PROFILE
from tests.export.stock_pywb import StockPywb
from tests.export.stopped_site import capture_export_and_stop
from tests.sites.content import expected

PAGE = "/page/requisites2.html"
REVISIT_FIELDS = {
    "WARC-Type",
    "WARC-Record-ID",
    "WARC-Date",
    "WARC-Target-URI",
    "WARC-IP-Address",
    "WARC-Concurrent-To",
    "WARC-Profile",
    "WARC-Refers-To-Target-URI",
    "WARC-Refers-To-Date",
    "WARC-Refers-To",
    "WARC-Citevault-Job",
    "WARC-Citevault-Role",
    "WARC-Block-Digest",
    "WARC-Payload-Digest",
    "Content-Type",
    "Content-Length",
}


@dataclass
class Recaptured:
    base: str
    warcs: list[Path]
    wacz: Path
    records: list[dict[str, Any]]  # every record's WARC fields, in file order


@pytest.fixture(scope="module")
def recaptured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recaptured]:
    tmp = tmp_path_factory.mktemp("pywb-revisit")
    base, wacz = capture_export_and_stop(
        tmp, lambda base: f"As shown at {base}{PAGE}.\n", PAGE, recapture=True
    )
    warcs = sorted((tmp / "data").rglob("*.warc.gz"))
    records = []
    for path in warcs:
        with path.open("rb") as fh:
            for rec in ArchiveIterator(fh, check_digests="raise"):
                rec.content_stream().read()  # reading it checks its digests
                fields = rec.rec_headers.headers
                records.append({"_names": [n for n, _ in fields], **dict(fields)})
    yield Recaptured(base, warcs, wacz, records)


def _page_answers(recaptured: Recaptured) -> tuple[dict[str, Any], dict[str, Any]]:
    answers = [
        r
        for r in recaptured.records
        if r["WARC-Type"] in ("response", "revisit")
        and r["WARC-Target-URI"] == recaptured.base + PAGE
    ]
    assert [r["WARC-Type"] for r in answers] == ["response", "revisit"]
    return answers[0], answers[1]


def test_the_revisit_carries_exactly_what_readers_need(recaptured: Recaptured) -> None:
    original, revisit = _page_answers(recaptured)
    assert sorted(revisit["_names"]) == sorted(REVISIT_FIELDS)
    assert revisit["WARC-Profile"] == REVISIT_PROFILE
    assert revisit["WARC-Refers-To"] == original["WARC-Record-ID"]
    assert revisit["WARC-Refers-To-Target-URI"] == original["WARC-Target-URI"]
    assert revisit["WARC-Refers-To-Date"] == original["WARC-Date"]
    assert revisit["WARC-Payload-Digest"] == original["WARC-Payload-Digest"]
    assert revisit["Content-Length"] != "0"  # the recapture's own status and headers
    request = recaptured.records[recaptured.records.index(revisit) - 1]
    assert request["WARC-Type"] == "request"
    assert revisit["WARC-Concurrent-To"] == request["WARC-Record-ID"]
    # every other record of the recapture says nothing twice either
    for record in recaptured.records:
        assert "WARC-Warcinfo-ID" not in record
        if record["WARC-Type"] in ("request", "metadata"):
            assert "WARC-Payload-Digest" not in record  # no payload: GETs, metadata
            assert record["WARC-Block-Digest"].startswith("sha256:")


def test_warcio_check_passes(recaptured: Recaptured) -> None:
    tool = Path(sys.executable).parent / "warcio"
    for path in recaptured.warcs:
        done = subprocess.run(
            [str(tool), "check", "-v", str(path)], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "digest pass" in done.stdout and "digest failed" not in done.stdout


def _assert_replays_the_revisit(pywb: StockPywb, recaptured: Recaptured) -> None:
    url = recaptured.base + PAGE
    lines = [
        json.loads(line.split(" ", 2)[2]) | {"_ts": line.split(" ")[1]}
        for line in pywb.index_lines()
    ]
    mine = [line for line in lines if line["url"] == url]
    assert sorted(line.get("mime") for line in mine) == ["text/html", "warc/revisit"]
    (revisit,) = [line for line in mine if line["mime"] == "warc/revisit"]
    (original,) = [line for line in mine if line["mime"] != "warc/revisit"]
    assert revisit["_ts"] > original["_ts"]  # two separate CLI runs, seconds apart
    with pywb:
        answer = pywb.get(url, ts=revisit["_ts"])
        assert answer.status_code == 200, answer.text[:500]
        assert answer.content == expected(PAGE).body
        # served as the recapture: dated with the revisit's time, not the original's
        assert answer.headers["memento-datetime"] == _http_date(revisit["_ts"])
        assert _http_date(original["_ts"]) != _http_date(revisit["_ts"])


def _http_date(timestamp: str) -> str:
    moment = datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return format_datetime(moment, usegmt=True)


def test_stock_pywb_replays_the_revisit_from_our_warc_files(
    recaptured: Recaptured, tmp_path: Path
) -> None:
    pywb = StockPywb(tmp_path / "pywb")
    pywb.add(*recaptured.warcs)
    _assert_replays_the_revisit(pywb, recaptured)


def test_stock_pywb_replays_the_revisit_from_our_wacz(
    recaptured: Recaptured, tmp_path: Path
) -> None:
    pywb = StockPywb(tmp_path / "pywb")
    added = pywb.add(recaptured.wacz, unpack_wacz=True)
    assert "does not contain any" not in added.stdout + added.stderr, added.stderr
    _assert_replays_the_revisit(pywb, recaptured)
