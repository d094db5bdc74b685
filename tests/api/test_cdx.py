"""``GET /cdx``: every Wayback/pywb CDX parameter, privacy and paging.

The index (``archives.py``) is written as capture rows directly; an existing
CDX client reads it in ``test_cdx_clients.py``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from archive.api.routes import cdx as cdx_route
from archive.lookup import cdx as lookup
from tests.api.archives import DOMAIN, DOMAIN_WITH_KEY, EXACT, HOST, ROWS, Index

# ------------------------------------------------------------------ output


def test_default_output_is_the_wayback_servers_seven_fields(index: Index) -> None:
    r = index.get(url="example.org")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    lines = [line.split(" ") for line in r.text.splitlines()]
    assert all(len(fields) == 7 for fields in lines)
    n = list(ROWS).index("A")
    assert lines[0] == [
        *("org,example)/", "20200101100000", "http://example.org/", "text/html", "200"),
        *("AAA", str(100 + n)),
    ]
    # a revisit: warc/revisit and no status of its own, as pywb and Wayback list it
    assert lines[1][2:6] == ["https://www.example.org/", "warc/revisit", "-", "AAA"]
    assert [fields[1] for fields in lines] == [ROWS[k][1] for k in EXACT]
    assert lines[3][4] == "404"
    r = index.get(url="example.org/about/team", fl="original,redirect,statuscode,mime")
    assert r.text == "http://example.org/about/team http://example.org/team 301 text/html\n"
    r = index.get(url="example.org/about", fl="mimetype,digest")
    assert r.text == "text/html -\n"


def test_json_output_is_pywb_ndjson_and_cdxj(sqlite_index: Index) -> None:
    r = sqlite_index.get(url="http://www.example.org/", output="json", limit=1)
    assert r.status_code == 200
    (line,) = r.text.splitlines()
    n = list(ROWS).index("A")
    assert json.loads(line) == {
        "urlkey": "org,example)/",
        "timestamp": "20200101100000",
        "url": "http://example.org/",
        "mime": "text/html",
        "status": "200",
        "digest": "AAA",
        "length": str(100 + n),
        "offset": str(1000 * n),
        "filename": "f1.warc.gz",
        "capture_id": str(sqlite_index.ids["A"]),
    }
    r = sqlite_index.get(url="http://www.example.org/", output="json", limit=2)
    revisit = json.loads(r.text.splitlines()[1])
    assert revisit["mime"] == "warc/revisit" and "status" not in revisit
    r = sqlite_index.get(url="example.org/about", output="json", fl="timestamp,url,status,digest")
    assert json.loads(r.text) == {
        "timestamp": "20200202000000",
        "url": ROWS["E"][0],
        "status": "200",
    }
    r = sqlite_index.get(url="example.org/about", output="cdxj", fl="urlkey,timestamp,mime")
    assert r.text == 'org,example)/about 20200202000000 {"mime": "text/html"}\n'


# ------------------------------------------------------------------- scope


def test_match_types(index: Index) -> None:
    assert index.ids_of(url="http://example.org/") == EXACT
    assert index.ids_of(url="https://www.EXAMPLE.org") == EXACT
    assert index.ids_of(url="example.org/about", matchType="prefix") == ["E", "F"]
    assert index.ids_of(url="example.org/about*") == ["E", "F"]
    assert index.ids_of(url="example.org/about/", matchType="prefix") == ["F"]
    assert index.ids_of(url="example.org/anything", matchType="host") == HOST
    assert index.ids_of(url="example.org", matchType="domain") == DOMAIN
    assert index.ids_of(url="*.example.org") == DOMAIN
    assert index.ids_of(url="blog.example.org", matchType="domain") == ["H", "I"]
    r = index.get(url="*.example.org", matchType="prefix")
    assert r.status_code == 400


def test_a_domain_with_a_port_is_that_host_and_port_as_in_pywb() -> None:
    rng = lookup.surt_range("http://example.org:8080/x", "domain")
    assert (rng.start, rng.stop) == ("org,example:8080", "org,example:8080-")
    assert rng.stop is not None and rng.start < "org,example:8080)/x" < rng.stop
    bare = lookup.surt_range("http://example.org/x", "domain")
    assert bare.stop is not None and not bare.start <= "org,example:8080)/x" < bare.stop


def test_from_and_to_pad_like_wayback(index: Index) -> None:
    assert index.ids_of(url="example.org", **{"from": "2020", "to": "2020"}) == ["A", "B", "C"]
    assert index.ids_of(url="*.example.org", **{"from": "202002", "to": "202002"}) == [
        "E",
        "F",
        "G",
    ]
    assert index.ids_of(url="example.org", to="20200101") == ["A", "B"]
    assert index.ids_of(url="example.org", **{"from": "20200101150000"}) == ["B", "C", "D"]
    assert index.ids_of(url="example.org", to="20200101145959") == ["A"]


def test_limit_and_sort(index: Index) -> None:
    assert index.ids_of(url="example.org", limit=2) == ["A", "B"]
    assert index.ids_of(url="example.org", limit=-2) == ["C", "D"]
    assert index.ids_of(url="example.org", sort="reverse") == ["D", "C", "B", "A"]
    assert index.ids_of(url="example.org", sort="reverse", limit=1) == ["D"]
    assert index.ids_of(url="*.example.org", limit=-2) == ["H", "I"]
    closest = {"sort": "closest", "closest": "20200301"}
    assert index.ids_of(url="example.org", **closest) == ["C", "B", "A", "D"]
    assert index.ids_of(url="example.org", closest="20200301", limit=2) == ["C", "B"]
    assert index.ids_of(url="example.org", sort="closest", closest="20200101123000") == [
        "A",  # 2.5 hours before; B is 2.5 hours after: the earlier wins the tie
        "B",
        "C",
        "D",
    ]
    assert index.get(url="example.org", sort="closest").status_code == 400
    assert index.get(url="example.org/*", sort="closest", closest="2020").status_code == 400


def test_filters(index: Index) -> None:
    # B is a revisit: its status is "-", as pywb and Wayback list a revisit
    assert index.ids_of(url="example.org", filter="statuscode:200") == ["A", "C"]
    assert index.ids_of(url="example.org", filter="!statuscode:200") == ["B", "D"]
    assert index.ids_of(url="example.org", filter="statuscode:20") == []  # whole-field regex
    assert index.ids_of(url="example.org", filter="~status:20") == ["A", "C"]
    assert index.ids_of(url="example.org", filter="status:[24]0[04]|-") == EXACT
    assert index.ids_of(url="*.example.org", filter="=mime:text/css") == ["G"]
    assert index.ids_of(url="*.example.org", filter="!=mimetype:text/html") == [
        "B",  # a revisit's mimetype is warc/revisit
        "G",
        "I",
    ]
    assert index.ids_of(url="*.example.org", filter=["mime:text/.*", "!~original:.*about"]) == [
        "A",
        "C",
        "D",
        "G",
        "H",
    ]
    assert index.ids_of(url="*.example.org", filter="digest:-") == ["E", "I"]
    for bad in ("statuscode:(", "nosuchfield:1", "statuscode", ":200"):
        r = index.get(url="example.org", filter=bad)
        assert r.status_code == 400, bad
        assert r.json()["error"]["code"] == "bad_cdx_parameter"


def test_collapse(index: Index) -> None:
    assert index.ids_of(url="*.example.org", collapse="urlkey") == ["A", "E", "F", "G", "H", "I"]
    assert index.ids_of(url="example.org", collapse="timestamp:8") == ["A", "C", "D"]
    assert index.ids_of(url="example.org", collapse="digest") == ["A", "C", "D"]
    # limit=-N reads newest first but still keeps the first of each run
    assert index.ids_of(url="example.org", collapse="timestamp:6", limit=-3) == ["A", "C", "D"]
    assert index.ids_of(url="example.org", collapse="timestamp:6", limit=-2) == ["C", "D"]
    assert index.ids_of(url="example.org", collapse="timestamp:6", sort="reverse") == [
        "D",
        "C",
        "A",
    ]
    # several collapses chain: each sees what the one before it kept
    both = index.ids_of(url="*.example.org", collapse=["urlkey", "statuscode"])
    assert both == ["A", "F", "G"]
    for bad in ("nosuch", "timestamp:x", "timestamp:0"):
        assert index.get(url="example.org", collapse=bad).status_code == 400, bad


def test_pages(index: Index) -> None:
    r = index.get(url="*.example.org", showNumPages="true", pageSize=4)
    assert r.json() == {"pages": 3, "pageSize": 4, "blocks": 3}
    pages = [index.ids_of(url="*.example.org", page=n, pageSize=4) for n in range(3)]
    assert pages == [DOMAIN[:4], DOMAIN[4:8], DOMAIN[8:]]
    assert index.get(url="*.example.org", page=3, pageSize=4).status_code == 400
    r = index.get(url="*.example.org", page=0, pageSize=4, filter="mime:application/pdf")
    # nothing on this page, but later pages may have some
    assert (r.status_code, r.text) == (200, "")
    assert index.ids_of(url="*.example.org", page=2, pageSize=4, filter="mime:application/.*") == [
        "I"
    ]
    assert index.ids_of(url="*.example.org", page=0, pageSize=2, sort="reverse") == ["I", "H"]


def test_no_captures_is_an_empty_200(index: Index) -> None:
    for output, body in (("text", ""), ("cdxj", ""), ("json", "[]\n")):
        r = index.get(url="never.example.net", output=output)
        assert (r.status_code, r.text) == (200, body), output
        assert r.headers["content-type"].startswith(cdx_route.OUTPUTS[output].split(";")[0])


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"url": "  "},
        {"url": "example.org", "matchType": "everything"},
        {"url": "example.org", "output": "xml"},
        {"url": "example.org", "from": "2020-01"},
        {"url": "example.org", "from": "202013"},
        {"url": "example.org", "to": "123456789012345"},
        {"url": "example.org", "limit": "0"},
        {"url": "example.org", "limit": "20000"},
        {"url": "example.org", "limit": "ten"},
        {"url": "example.org", "sort": "random"},
        {"url": "example.org", "pageSize": "0"},
        {"url": "example.org", "fl": "urlkey,colour"},
        {"url": "ftp://example.org/"},
        {"url": "http://example.org:99999/"},
        {"url": "example.org", "closest": "20200101", "collapse": "digest"},
    ],
)
def test_bad_parameters_are_400s(sqlite_index: Index, params: dict[str, str]) -> None:
    r = sqlite_index.get(**params)
    assert r.status_code == 400, r.text
    assert set(r.json()["error"]) >= {"code", "message"}


def test_private_captures_need_a_key(index: Index) -> None:
    assert "N" not in index.ids_of(url="*.example.org")
    hidden = index.get(url="example.org/secret")
    assert (hidden.status_code, hidden.text) == (200, "")
    assert index.ids_of(url="example.org/secret", auth=True) == ["N"]
    assert index.ids_of(url="*.example.org", auth=True) == DOMAIN_WITH_KEY
    r = index.get(url="*.example.org", showNumPages="true", pageSize=1)
    assert r.json()["pages"] == len(DOMAIN)
    r = index.get(url="*.example.org", showNumPages="true", pageSize=1, auth=True)
    assert r.json()["pages"] == len(DOMAIN_WITH_KEY)


def test_results_read_in_small_batches_are_the_same(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyset paging over (surt, captured_at, id) loses and repeats nothing."""
    queries: list[dict[str, Any]] = [
        {"url": "*.example.org"},
        {"url": "*.example.org", "sort": "reverse"},
        {"url": "*.example.org", "limit": -4},
        {"url": "example.org"},
        {"url": "example.org", "sort": "reverse"},
        {"url": "example.org", "closest": "20200301"},
        {"url": "*.example.org", "collapse": "urlkey"},
    ]
    expected = [index.ids_of(**q) for q in queries]
    monkeypatch.setattr(lookup, "BATCH", 2)
    assert [index.ids_of(**q) for q in queries] == expected
    monkeypatch.setattr(lookup, "BATCH", 1)
    assert [index.ids_of(**q) for q in queries] == expected


def test_unlimited_queries_are_capped_and_say_so(
    sqlite_index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cdx_route, "MAX_LINES", 3)
    r = sqlite_index.get(url="*.example.org", fl="capture_id")
    assert sqlite_index.names(r.text) == DOMAIN[:3]
    assert r.headers["x-cdx-truncated"] == "true"
    r = sqlite_index.get(url="*.example.org", fl="capture_id", limit=3)
    assert "x-cdx-truncated" not in r.headers
