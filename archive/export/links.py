"""A document's citations as Robust Links (https://robustlinks.mementoweb.org/spec/).

A Robust Link keeps the link to the live source (``href`` and
``data-originalurl``) and adds where the archived copy is
(``data-versionurl``) and how old it is (``data-versiondate``), so a reader
can still reach the source as it was once the live page has rotted or
drifted.  Authors paste these anchors into their own pages; the Robust Links
script, if they use it, turns them into menus.

Input is the stable citations JSON (``archive.lookup.citations.to_json``),
so this renders exactly what the API and ``citevault citations`` report.
Where a source was captured more than once, ``data-versionurl`` lists every
capture as the 2025 draft of the spec allows (https://robustlinks.org/spec/):
the citation-time one first, so a reader that takes the first URL gets it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from archive.lookup.citation_time import closest, is_citable


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def snapshots(citation: dict[str, Any], cited_at: datetime) -> list[dict[str, Any]]:
    """The citation's captures that can stand for the source, the citation-time one first.

    The citation-time capture is the one closest to the citing version's date
    (``lookup.citation_time``, the copy drift is measured against): the copy the
    author saw, not whatever was captured last.  The others follow newest first.
    """
    usable = [c for c in citation["captures"] if is_citable(c["http_status"])]
    first = closest(cited_at, ((_moment(c["captured_at"]), c) for c in usable))
    if first is None:
        return []
    others = sorted(
        (c for c in usable if c is not first), key=lambda c: _moment(c["captured_at"]), reverse=True
    )
    return [first, *others]


def _stamp(capture: dict[str, Any]) -> str:
    return _moment(capture["captured_at"]).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def version_urls(versions: list[dict[str, Any]], base_url: str) -> str:
    """``data-versionurl``: one URL alone, as every version of the spec reads it; several as
    the 2025 draft's list, each URL followed by its capture datetime, space-separated."""
    if len(versions) == 1:
        return f"{base_url}{versions[0]['replay_url']}"
    return " ".join(f"{base_url}{v['replay_url']} {_stamp(v)}" for v in versions)


def _label(citation: dict[str, Any], url: str | None) -> str:
    named = citation["named"] or {}
    return str(
        citation["title"] or citation["anchor_text"] or named.get("source_name") or url or ""
    )


def _item(citation: dict[str, Any], base_url: str, cited_at: datetime) -> str:
    url = citation["resolution"]["url"] or citation["url"]
    label = escape(_label(citation, url))
    versions = snapshots(citation, cited_at)
    if url and versions:
        link = (
            f'<a href="{_attr(url)}" data-originalurl="{_attr(url)}" '
            f'data-versionurl="{_attr(version_urls(versions, base_url))}" '
            f'data-versiondate="{_attr(versions[0]["captured_at"][:10])}">{label}</a>'
        )
    elif url:
        link = f'<a href="{_attr(url)}" class="not-archived">{label}</a> (not archived yet)'
    else:
        link = f'<span class="no-url">{label}</span> (no URL)'
    context = citation["context"]
    note = f'\n    <q class="context">{escape(context)}</q>' if context else ""
    return f'  <li id="citation-{citation["id"]}">{link}{note}</li>'


def robust_links_html(data: dict[str, Any], base_url: str) -> str:
    """A standalone HTML page listing every citation, archived ones as Robust Links.

    ``base_url`` is where this archive is served (e.g. ``https://archive.example``):
    capture URLs in the JSON are relative to it.
    """
    base = base_url.rstrip("/")
    doc = data["document"]
    title = escape(f"Sources cited by {doc['title'] or doc['id']}")
    cited_at = _moment(doc["added_at"])
    items = "\n".join(_item(c, base, cited_at) for c in data["citations"])
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="generator" content="citevault">\n'
        "</head>\n<body>\n"
        f"<h1>{title}</h1>\n"
        f"<p>Document <code>{escape(doc['id'])}</code>, version {doc['version']}. "
        "Archived sources carry Robust Links attributes: <code>data-versionurl</code> is "
        "the copy captured closest to when the document cited the source (followed, where "
        "there are several, by the other captures and their times), "
        "<code>data-versiondate</code> the day of that copy.</p>\n"
        f"<ol>\n{items}\n</ol>\n"
        "</body>\n</html>\n"
    )
