"""Robust Links with several captures of one source (the 2025 draft of the spec).

The renderer reads the citations JSON; here that JSON is written out by hand
so that one source can have captures before, just after and long after the
document cited it, plus one of an error page, which a shared crawled archive
does not have.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html  # type: ignore[import-untyped, unused-ignore]

from archive.export.links import robust_links_html

BASE = "https://archive.example"
URL = "https://source.example/report"
# data-versionurl = (URI *1(SP versiondate)) *(SP URI *1(SP versiondate))
_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _capture(ident: int, when: str, status: int | None = 200) -> dict[str, Any]:
    return {
        "id": ident,
        "captured_at": when,
        "http_status": status,
        "replay_url": f"/captures/{ident}",
    }


def _citation(ident: int, url: str, captures: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": ident,
        "url": url,
        "resolution": {"url": url},
        "title": f"Source {ident}",
        "anchor_text": None,
        "named": None,
        "context": None,
        "captures": captures,
    }


def _data(citations: list[dict[str, Any]]) -> dict[str, Any]:
    document = {"id": "doc", "title": "Doc", "version": 1, "added_at": "2026-03-10T12:00:00Z"}
    return {"document": document, "citations": citations}


def _anchors(html: str) -> dict[str, Any]:
    return {a.get("href"): a for a in lxml.html.fromstring(html.encode()).iter("a")}


def test_the_citation_time_capture_comes_first_and_the_others_follow() -> None:
    captures = [  # newest first, as the JSON lists them
        _capture(4, "2026-04-09T08:00:00Z"),
        _capture(3, "2026-03-10T12:30:00Z", status=404),  # closest, but an error page
        _capture(2, "2026-03-10T13:00:00Z"),  # the citation-time copy
        _capture(1, "2026-03-08T09:15:00Z"),
    ]
    html = robust_links_html(_data([_citation(1, URL, captures)]), BASE)
    a = _anchors(html)[URL]
    tokens = a.get("data-versionurl").split(" ")
    pairs = list(zip(tokens[::2], tokens[1::2], strict=True))
    assert pairs == [
        (f"{BASE}/captures/2", "2026-03-10T13:00:00Z"),
        (f"{BASE}/captures/4", "2026-04-09T08:00:00Z"),
        (f"{BASE}/captures/1", "2026-03-08T09:15:00Z"),
    ]
    assert all(u.startswith("https://") and _DATETIME.fullmatch(d) for u, d in pairs)
    # the linking date is the citation-time copy's day, not the newest capture's
    assert a.get("data-versiondate") == "2026-03-10"
    assert a.get("data-originalurl") == URL


def test_one_capture_is_a_plain_url_and_no_good_capture_no_robust_link() -> None:
    only = _citation(1, URL, [_capture(7, "2026-03-11T00:00:00Z")])
    errors = _citation(2, "https://gone.example/", [_capture(8, "2026-03-10T12:00:00Z", 404)])
    anchors = _anchors(robust_links_html(_data([only, errors]), BASE + "/"))
    # one snapshot: the URL alone, which readers of every version of the spec understand
    assert anchors[URL].get("data-versionurl") == f"{BASE}/captures/7"
    assert anchors[URL].get("data-versiondate") == "2026-03-11"
    gone = anchors["https://gone.example/"]
    assert gone.get("data-versionurl") is None and gone.get("class") == "not-archived"
