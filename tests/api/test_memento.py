"""Memento (RFC 7089): TimeGate negotiation and TimeMaps, checked against the RFC.

Capture rows are written directly; the answers are read back through the real
application and parsed the way a Memento client parses them (Link headers and
link-format TimeMaps with a small parser, dates as RFC 1123).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
import pytest

from tests.api.archives import T1, T2, T3, Archive

RFC1123 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT"
)


# ------------------------------------------------------------- link-format

_LINK = re.compile(r'\s*<([^>]*)>((?:\s*;\s*[^;,=\s]+\s*=\s*(?:"[^"]*"|[^;,\s]*))*)\s*(,|$)')
_PARAM = re.compile(r';\s*([^;,=\s]+)\s*=\s*(?:"([^"]*)"|([^;,\s]*))')


@dataclass
class Link:
    uri: str
    params: dict[str, str]

    @property
    def rels(self) -> set[str]:
        return set(self.params.get("rel", "").split())


def parse_links(text: str) -> list[Link]:
    """RFC 8288 / RFC 6690 links; anything that is not a well-formed link fails."""
    links, pos, text = [], 0, text.strip()
    while pos < len(text):
        m = _LINK.match(text, pos)
        assert m, f"malformed link-format at {text[pos : pos + 60]!r}"
        params = {p[0]: p[1] or p[2] for p in _PARAM.findall(m.group(2))}
        links.append(Link(m.group(1), params))
        pos = m.end()
    return links


def with_rel(links: list[Link], rel: str) -> list[Link]:
    return [link for link in links if rel in link.rels]


def http_date(value: str) -> datetime:
    assert RFC1123.fullmatch(value), value
    return parsedate_to_datetime(value)


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def three(archive: Archive) -> list[int]:
    """One page captured three times, under three spellings of its URL, and one failure."""
    ids = [
        archive.add("http://example.org/page?b=2&a=1", T1),
        archive.add("https://www.example.org/page?a=1&b=2", T2),
        archive.add("http://EXAMPLE.org/page?a=1&b=2", T3),
    ]
    archive.add("http://example.org/page?a=1&b=2", T2 + timedelta(hours=1), status=None)
    archive.add("http://example.org/other", T2)
    return ids


def gate(
    archive: Archive, when: str | None = None, url: str = "http://example.org/page?a=1&b=2"
) -> httpx.Response:
    headers = {"Accept-Datetime": when} if when is not None else {}
    return archive.client.get(f"/timegate/{url}", headers=headers, follow_redirects=False)


def memento_id_or_none(uri: str) -> int | None:
    m = re.fullmatch(r"http://testserver/captures/(\d+)", uri)
    return int(m.group(1)) if m else None


def memento_id(uri: str) -> int:
    found = memento_id_or_none(uri)
    assert found is not None, uri
    return found


# ---------------------------------------------------------------- TimeGate


def test_timegate_answers_as_rfc_7089_says(archive: Archive, three: list[int]) -> None:
    r = gate(archive, "Sat, 11 Jan 2020 00:00:00 GMT")
    assert r.status_code == 302
    assert memento_id(r.headers["location"]) == three[1]
    assert "accept-datetime" in r.headers["vary"].lower()
    links = parse_links(r.headers["link"])
    (original,) = with_rel(links, "original")
    assert original.uri == "http://example.org/page?a=1&b=2"
    (timegate,) = with_rel(links, "timegate")
    assert timegate.uri == "http://testserver/timegate/http://example.org/page?a=1&b=2"
    maps = {link.params.get("type"): link for link in with_rel(links, "timemap")}
    assert maps["application/link-format"].uri.startswith("http://testserver/timemap/link/")
    assert http_date(maps["application/link-format"].params["from"]) == T1
    assert http_date(maps["application/link-format"].params["until"]) == T3
    assert maps["application/json"].uri.startswith("http://testserver/timemap/json/")
    (first,) = with_rel(links, "first")
    (last,) = with_rel(links, "last")
    (prev,) = with_rel(links, "prev")
    (nxt,) = with_rel(links, "next")
    assert first is prev and last is nxt  # one link per memento, its roles in one rel
    assert first.rels == {"first", "prev", "memento"}
    assert (memento_id(first.uri), http_date(first.params["datetime"])) == (three[0], T1)
    assert (memento_id(last.uri), http_date(last.params["datetime"])) == (three[2], T3)
    chosen = [link for link in links if memento_id_or_none(link.uri) == three[1]]
    assert chosen and chosen[0].rels == {"memento"}
    assert http_date(chosen[0].params["datetime"]) == T2


NEGOTIATION = [
    (None, 2),  # no Accept-Datetime: the most recent
    ("Mon, 01 Jan 1990 00:00:00 GMT", 0),  # before the first: the first
    ("Fri, 01 Jan 2100 00:00:00 GMT", 2),  # after the last: the last
    ("Wed, 08 Jan 2020 00:00:00 GMT", 1),  # closer to T2 than to T1
    ("Thu, 02 Jan 2020 00:00:00 GMT", 0),  # closer to T1
    ("Sun, 05 Jan 2020 12:00:00 GMT", 0),  # exactly between T1 and T2: the earlier
    ("Fri, 10 Jan 2020 12:30:00 GMT", 1),  # the failure at T2+1h is no memento
    ("Fri, 10 Jan 2020 12:00:00 GMT", 1),  # exactly T2
]


def test_timegate_negotiates_the_closest(archive: Archive, three: list[int]) -> None:
    for accept, expected in NEGOTIATION:
        r = gate(archive, accept)
        assert r.status_code == 302, (accept, r.text)
        assert memento_id(r.headers["location"]) == three[expected], accept
        links = with_rel(parse_links(r.headers["link"]), "memento")
        rels = {memento_id(link.uri): link.rels for link in links}
        assert "first" in rels[three[0]] and "last" in rels[three[2]]
        roles = set().union(*rels.values())
        assert ("prev" in roles) == (expected > 0), accept
        assert ("next" in roles) == (expected < 2), accept
        if expected > 0:
            assert "prev" in rels[three[expected - 1]]


def test_timegate_with_one_memento_and_head(archive: Archive) -> None:
    only = archive.add("http://solo.example.net/", T1)
    r = archive.client.head("/timegate/http://solo.example.net/", follow_redirects=False)
    assert r.status_code == 302
    mementos = with_rel(parse_links(r.headers["link"]), "memento")
    assert len(mementos) == 1
    assert mementos[0].rels == {"first", "last", "memento"}
    assert memento_id(mementos[0].uri) == only


def test_a_memento_names_its_original_timegate_and_timemap(
    archive: Archive, three: list[int]
) -> None:
    """RFC 7089 section 2.2.1: the TimeGate's redirect lands on a memento that
    names the original, the TimeGate and the TimeMap, and those two answer."""
    location = gate(archive, "Sat, 11 Jan 2020 00:00:00 GMT").headers["location"]
    assert memento_id(location) == three[1]
    url = "https://www.example.org/page?a=1&b=2"  # as that capture fetched it
    page = archive.client.get(location)
    assert page.status_code == 200
    assert http_date(page.headers["memento-datetime"]) == T2
    links = parse_links(page.headers["link"])
    assert [link.params["rel"] for link in links] == ["original", "timegate", "timemap"]
    (original,) = with_rel(links, "original")
    assert original.uri == url
    (timegate,) = with_rel(links, "timegate")
    assert timegate.uri == f"http://testserver/timegate/{url}"
    (timemap,) = with_rel(links, "timemap")
    assert timemap.uri == f"http://testserver/timemap/link/{url}"
    assert timemap.params["type"] == "application/link-format"

    again = archive.client.get(
        timegate.uri,
        headers={"Accept-Datetime": page.headers["memento-datetime"]},
        follow_redirects=False,
    )
    assert again.status_code == 302
    assert again.headers["location"] == location
    listed = archive.client.get(timemap.uri)
    assert listed.status_code == 200
    assert location in {link.uri for link in with_rel(parse_links(listed.text), "memento")}


BAD_DATES = [
    "2020-01-01",
    "Thu, 31 Feb 2007 20:35:00 GMT",
    "Thu, 31 May 2007 20:35:00 PST",
    "Thursday, 31-May-07 20:35:00 GMT",
    "Thu, 31 May 2007 25:35:00 GMT",
    "",
]


def test_bad_accept_datetime_is_a_400(archive: Archive, three: list[int]) -> None:
    for value in BAD_DATES:
        r = gate(archive, value)
        assert r.status_code == 400, value
        assert r.json()["error"]["code"] == "bad_accept_datetime"


def test_url_mangled_by_proxies_and_encoded(archive: Archive, three: list[int]) -> None:
    for url, expected in (
        ("http:/example.org/page?a=1&b=2", "http://example.org/page?a=1&b=2"),
        ("https:/www.example.org/page?b=2&a=1", "https://www.example.org/page?b=2&a=1"),
        ("http%3A%2F%2Fexample.org%2Fpage%3Fa%3D1%26b%3D2", "http://example.org/page?a=1&b=2"),
        ("example.org/page?a=1&b=2", "http://example.org/page?a=1&b=2"),
        ("HTTP://Example.org/page?a=1&b=2", "http://Example.org/page?a=1&b=2"),
    ):
        r = gate(archive, "Fri, 01 Jan 2100 00:00:00 GMT", url=url)
        assert r.status_code == 302, (url, r.text)
        assert memento_id(r.headers["location"]) == three[2]
        (original,) = with_rel(parse_links(r.headers["link"]), "original")
        assert original.uri == expected
    r = archive.client.get("/timemap/link/http:/example.org/page?a=1&b=2")
    assert r.status_code == 200
    assert len(with_rel(parse_links(r.text), "memento")) == 3


BAD_URLS = [
    "ftp://example.org/file",
    "mailto:someone@example.org",
    "http://",
    "http://example.org:99999/",
    "http://[::1/",
    "",
]


def test_malformed_url_is_a_400(archive: Archive) -> None:
    for url in BAD_URLS:
        for prefix in ("/timegate/", "/timemap/link/", "/timemap/json/"):
            r = archive.client.get(prefix + url, follow_redirects=False)
            assert r.status_code == 400, (prefix, url, r.text)
            assert r.json()["error"]["code"] == "bad_url"


def test_unarchived_url_is_a_404(archive: Archive, three: list[int]) -> None:
    archive.add("http://failed.example.org/", T1, status=None)
    for path in ("/timegate/", "/timemap/link/", "/timemap/json/"):
        for url in ("http://never.example.org/", "http://failed.example.org/"):
            r = archive.client.get(path + url, follow_redirects=False)
            assert r.status_code == 404
            assert r.json()["error"]["code"] == "not_found"


# ---------------------------------------------------------------- TimeMaps


def test_link_timemap(archive: Archive, three: list[int]) -> None:
    r = archive.client.get("/timemap/link/https://www.example.org/page?a=1&b=2")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/link-format")
    links = parse_links(r.text)
    (original,) = with_rel(links, "original")
    assert original.uri == "https://www.example.org/page?a=1&b=2"
    (self_,) = with_rel(links, "self")
    assert self_.uri == "http://testserver/timemap/link/https://www.example.org/page?a=1&b=2"
    assert self_.params["type"] == "application/link-format"
    assert (http_date(self_.params["from"]), http_date(self_.params["until"])) == (T1, T3)
    (timegate,) = with_rel(links, "timegate")
    assert timegate.uri == "http://testserver/timegate/https://www.example.org/page?a=1&b=2"
    mementos = with_rel(links, "memento")
    assert [memento_id(m.uri) for m in mementos] == three
    assert [http_date(m.params["datetime"]) for m in mementos] == [T1, T2, T3]
    assert [m.rels - {"memento"} for m in mementos] == [{"first"}, set(), {"last"}]


def test_json_timemap(archive: Archive, three: list[int]) -> None:
    r = archive.client.get("/timemap/json/example.org/page?b=2&a=1")
    assert r.status_code == 200
    body = r.json()
    assert body["original_uri"] == "http://example.org/page?b=2&a=1"
    assert body["timegate_uri"] == "http://testserver/timegate/http://example.org/page?b=2&a=1"
    assert body["timemap_uri"]["link_format"].startswith("http://testserver/timemap/link/")
    assert body["timemap_uri"]["json_format"].startswith("http://testserver/timemap/json/")
    listed = body["mementos"]["list"]
    assert [memento_id(m["uri"]) for m in listed] == three
    assert [m["datetime"] for m in listed] == [
        "2020-01-01T12:00:00Z",
        "2020-01-10T12:00:00Z",
        "2020-01-20T12:00:00Z",
    ]
    assert body["mementos"]["first"] == listed[0]
    assert body["mementos"]["last"] == listed[-1]


# ----------------------------------------------------------------- privacy


def test_private_captures_need_a_key(archive: Archive) -> None:
    url = "http://secret.example.org/"
    public = archive.add(url, T1)
    private = archive.add(url, T3)
    shared = archive.add(url, T2)
    archive.cite(private, "embargoed", private=True)
    archive.cite(shared, "embargoed", private=True)
    archive.cite(shared, "published", private=False)

    r = archive.client.get(f"/timemap/link/{url}")
    assert [memento_id(m.uri) for m in with_rel(parse_links(r.text), "memento")] == [
        public,
        shared,
    ]
    r = gate(archive, url=url)
    assert memento_id(r.headers["location"]) == shared
    assert private not in {memento_id_or_none(link.uri) for link in parse_links(r.headers["link"])}
    only_private = archive.add("http://hidden.example.org/", T1)
    archive.cite(only_private, "embargoed", private=True)
    assert gate(archive, url="http://hidden.example.org/").status_code == 404
    assert archive.client.get("/timemap/json/http://hidden.example.org/").status_code == 404

    auth = {"Authorization": f"ApiKey {archive.api_key()}"}
    r = archive.client.get(f"/timemap/json/{url}", headers=auth)
    assert [memento_id(m["uri"]) for m in r.json()["mementos"]["list"]] == [
        public,
        shared,
        private,
    ]
    r = archive.client.get(f"/timegate/{url}", headers=auth, follow_redirects=False)
    assert memento_id(r.headers["location"]) == private
    r = archive.client.get(
        "/timegate/http://hidden.example.org/", headers=auth, follow_redirects=False
    )
    assert memento_id(r.headers["location"]) == only_private
    bad = {"Authorization": "ApiKey cv_not-a-key"}
    assert archive.client.get(f"/timemap/json/{url}", headers=bad).status_code == 401


def test_timegate_orders_mementos_of_one_second_by_id(archive: Archive) -> None:
    """Captures at the same instant are still distinct mementos, in id order."""
    url = "http://same.example.com/"
    first, second, third = (archive.add(url, T2) for _ in range(3))
    r = gate(archive, "Fri, 10 Jan 2020 12:00:00 GMT", url)
    assert memento_id(r.headers["location"]) == third  # the latest of those at or before
    rels = {
        memento_id(link.uri): link.rels
        for link in with_rel(parse_links(r.headers["link"]), "memento")
    }
    assert rels == {
        first: {"first", "memento"},
        second: {"prev", "memento"},
        third: {"last", "memento"},
    }
    early = gate(archive, "Fri, 10 Jan 2020 11:00:00 GMT", url)
    assert memento_id(early.headers["location"]) == first
    rels = {
        memento_id(link.uri): link.rels
        for link in with_rel(parse_links(early.headers["link"]), "memento")
    }
    assert rels == {
        first: {"first", "memento"},
        second: {"next", "memento"},
        third: {"last", "memento"},
    }
