"""``GET /cdx`` against a stock pywb's CDX server over the same WARC files, field by field.

A small site is captured twice through the command line (the second run
writes revisit records), the site is stopped, and the WARC files citevault
stored are added to a plain pywb collection (``wb-manager add``) served by
``wayback`` on loopback.  The same queries go to citevault's ``/cdx`` and to
pywb's ``/<collection>/cdx``; every line and every field must agree, except
for the differences listed in ``INTENDED`` -- each one a deliberate choice,
also listed in README.  pywb indexes the WARC files itself, so what it says is
what the records say, not what citevault's database remembers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.settings import load_settings
from tests.export.stock_pywb import StockPywb
from tests.helpers import clean_env, cli_ok
from tests.sites.site import TestSite

PAGE = "/page/requisites2.html"
CHAIN = "/redirect/chain/2"
GONE = "/missing-404"

# What differs on purpose, and why; the tests below strip or show each of these.
INTENDED = {
    "capture_id": "citevault adds its capture id to JSON and CDXJ lines: the key of "
    "/api/captures/{id}, /api/captures/{id}/warc and /replay/{id}",
    "source, source-coll, access": "pywb adds which of its index files and collections a "
    "line came from and its access-control verdict: pywb's internals, meaningless elsewhere",
    "default output": "without output=, citevault answers the Wayback CDX server's text "
    "lines; pywb answers CDXJ (its own default). Asked for by name, each form is pywb's",
    "text without fl=": "citevault prints the Wayback CDX server's 7 public fields (urlkey "
    "timestamp original mimetype statuscode digest length); pywb prints every field its "
    "index holds, its internals included. With fl= both print the fields asked for",
    "json with no match": "citevault answers [] (the Wayback server's empty JSON; cdx_toolkit "
    "reads it as no captures); pywb answers an empty body, which cdx_toolkit cannot decode",
    "limit=-N": "citevault gives the last N lines, as the Wayback CDX server documents; "
    "the stock pywb answers nothing at all to a negative limit",
    "content-type charset": "citevault names the charset (utf-8); the media types are pywb's",
    "plain filter": "filter=field:expr is a whole-field regex, as in the Wayback CDX server; "
    "pywb's plain form means 'contains the literal text' (its ~ and = forms are the same "
    "in both)",
}
OURS_ONLY = {"capture_id"}
PYWB_ONLY = {"source", "source-coll", "access"}
# The Wayback server's field names, and pywb's for the same fields (pywb's text
# output takes its own names in fl=).
WAYBACK_FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
PYWB_NAMES = {"original": "url", "mimetype": "mime", "statuscode": "status"}


@dataclass
class Pair:
    """citevault's /cdx and pywb's, over the same WARC files."""

    ours: TestClient
    pywb: StockPywb
    base: str  # the stopped site's origin

    def both(self, **params: str) -> tuple[httpx.Response, httpx.Response]:
        """Our answer, and pywb's to the same query (``output=text`` when ours is by default)."""
        ours = self.ours.get("/cdx", params=params)
        asked = {"output": "text", **params}  # INTENDED["default output"]
        theirs = httpx.get(f"{self.pywb.base}/cdx", params=asked, timeout=60)
        assert ours.status_code == 200, (params, ours.text)
        assert theirs.status_code == 200, (params, theirs.text)
        media = ours.headers["content-type"].split(";")[0]
        assert media == theirs.headers["content-type"].split(";")[0], params
        return ours, theirs


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    tmp = tmp_path_factory.mktemp("cdx-pywb")
    pywb = StockPywb(tmp / "pywb")  # skips without a stock pywb to compare with
    data = tmp / "data"
    env = clean_env(
        CITEVAULT_DATA_DIR=str(data),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
    )
    with TestSite() as site:
        base = site.base_url
        doc = tmp / "article.txt"
        doc.write_text(f"See {base}{PAGE}, {base}{CHAIN} and {base}{GONE}.\n")
        cli_ok(env, "add", str(doc), "--id", "article")
        cli_ok(env, "archive", "article")
        cli_ok(env, "archive", "article", "--force")  # the same bytes again: revisits
        assert not site.errors, "\n".join(site.errors)
    warcs = sorted(data.rglob("*.warc.gz"))
    assert len(warcs) >= 2, warcs
    pywb.add(*warcs)
    with TestClient(create_app(load_settings(data_dir=data))) as client, pywb:
        yield Pair(client, pywb, base)


def _json_lines(body: str, drop: set[str]) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in json.loads(line).items() if k not in drop} for line in body.splitlines()
    ]


def _cdxj_lines(body: str, drop: set[str]) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for line in body.splitlines():
        urlkey, stamp, rest = line.split(" ", 2)
        fields = {k: v for k, v in json.loads(rest).items() if k not in drop}
        out.append((urlkey, stamp, fields))
    return out


def _queries(base: str) -> dict[str, dict[str, str]]:
    host = base.removeprefix("http://")
    return {
        "exact": {"url": base + PAGE},
        "exact, a redirect": {"url": base + CHAIN},
        "exact, a 404": {"url": base + GONE},
        "prefix": {"url": base + "/img/*"},
        "prefix, matchType": {"url": base + "/css/", "matchType": "prefix"},
        "host": {"url": base + PAGE, "matchType": "host"},
        "domain": {"url": host, "matchType": "domain"},
        "domain, *.": {"url": "*." + host},
        "reverse": {"url": base + PAGE, "sort": "reverse"},
        "from-to": {"url": base + "/img/*", "from": "2000", "to": "2999"},
        "limit": {"url": base + "/img/*", "limit": "3"},
        "exact filter": {"url": base + "/*", "filter": "=mime:warc/revisit"},
        "prefix filter": {"url": base + "/*", "filter": "~mime:image/"},
    }


def test_json_agrees_line_by_line_and_field_by_field(pair: Pair) -> None:
    revisits = 0
    for name, params in _queries(pair.base).items():
        ours, theirs = pair.both(**params, output="json")
        got, want = _json_lines(ours.text, OURS_ONLY), _json_lines(theirs.text, PYWB_ONLY)
        assert want, f"{name}: pywb found nothing, the comparison would be empty"
        assert got == want, name
        revisits += sum(line["mime"] == "warc/revisit" for line in got)
        assert all("capture_id" in json.loads(line) for line in ours.text.splitlines())
    assert revisits, "no revisit row was compared"


def test_cdxj_agrees(pair: Pair) -> None:
    for name, params in _queries(pair.base).items():
        ours, theirs = pair.both(**params, output="cdxj")
        got, want = _cdxj_lines(ours.text, OURS_ONLY), _cdxj_lines(theirs.text, PYWB_ONLY)
        assert want and got == want, name


def test_text_agrees_with_pywb_given_the_wayback_fields(pair: Pair) -> None:
    pywb_fl = ",".join(PYWB_NAMES.get(f, f) for f in WAYBACK_FIELDS)
    for name, params in _queries(pair.base).items():
        default, theirs = pair.both(**params)  # ours: the Wayback server's default fields
        asked, _ = pair.both(**params, fl=",".join(WAYBACK_FIELDS))
        _, want = pair.both(**params, fl=pywb_fl)
        assert want.text and default.text == asked.text == want.text, name
        assert all(len(line.split(" ")) == 7 for line in default.text.splitlines())
        # pywb's own default text is every field of its index, internals included
        assert theirs.text != want.text


def test_a_revisit_row_is_warc_revisit_with_no_status(pair: Pair) -> None:
    params = {"url": pair.base + PAGE}
    ours, _ = pair.both(**params, fl="mimetype,statuscode")
    _, pywb = pair.both(**params, fl="mime,status")
    assert ours.text == pywb.text == "text/html 200\nwarc/revisit -\n"
    ours, theirs = pair.both(**params, output="json", sort="reverse", limit="1")
    assert json.loads(ours.text)["mime"] == json.loads(theirs.text)["mime"] == "warc/revisit"
    assert "status" not in json.loads(ours.text) and "status" not in json.loads(theirs.text)


@pytest.mark.parametrize("output", ["text", "cdxj", "json"])
def test_no_match_is_an_empty_200(pair: Pair, output: str) -> None:
    for params in (
        {"url": pair.base + "/never-captured"},
        {"url": pair.base + "/never/*"},
        {"url": "never.example.net", "matchType": "domain"},
    ):
        ours, theirs = pair.both(**params, output=output)
        assert theirs.text == ""
        assert ours.text == ("[]\n" if output == "json" else ""), (output, params)


def test_a_negative_limit_is_the_last_lines_as_wayback_says(pair: Pair) -> None:
    params = {"url": pair.base + "/img/*", "fl": "urlkey,timestamp"}
    everything, _ = pair.both(**params)
    ours, theirs = pair.both(**params, limit="-2")
    assert ours.text.splitlines() == everything.text.splitlines()[-2:]
    assert theirs.text == ""  # INTENDED["limit=-N"]


def test_a_plain_filter_is_a_whole_field_regex_as_wayback_says(pair: Pair) -> None:
    params = {"url": pair.base + "/*", "fl": "mime"}  # pywb's name, which ours also takes
    ours, theirs = pair.both(**params, filter="mime:image")
    assert ours.text == ""  # no mime type is exactly "image"
    assert set(theirs.text.split()) == {"image/png"}  # INTENDED["plain filter"]: "contains"
    # pywb's plain form is a literal substring; its ~ form is the regex ours needs whole
    ours, literal = pair.both(**params, filter="mime:image/.*")
    _, theirs = pair.both(**params, filter="~mime:image/")
    assert ours.text == theirs.text != "" and literal.text == ""
