"""A document's citations as Robust Links (https://robustlinks.mementoweb.org/spec/).

A Robust Link keeps the link to the live source (``href`` and
``data-originalurl``) and adds where the archived copy is
(``data-versionurl``) and how old it is (``data-versiondate``), so a reader
can still reach the source as it was once the live page has rotted or
drifted.  Authors paste these anchors into their own pages; the Robust Links
script, if they use it, turns them into menus.

Input is the stable citations JSON (``archive.lookup.citations.to_json``),
so this renders exactly what the API and ``citevault citations`` report.
"""

from __future__ import annotations

from html import escape
from typing import Any


def _attr(value: str) -> str:
    return escape(value, quote=True)


def version_of(citation: dict[str, Any]) -> dict[str, Any] | None:
    """The capture the citation's ``archive_url`` points at: its newest successful one."""
    archive_url = citation.get("archive_url")
    for capture in citation["captures"]:
        if capture["replay_url"] == archive_url:
            return dict(capture)
    return None


def _label(citation: dict[str, Any], url: str | None) -> str:
    named = citation["named"] or {}
    return str(
        citation["title"] or citation["anchor_text"] or named.get("source_name") or url or ""
    )


def _item(citation: dict[str, Any], base_url: str) -> str:
    url = citation["resolution"]["url"] or citation["url"]
    label = escape(_label(citation, url))
    version = version_of(citation)
    if url and version is not None:
        link = (
            f'<a href="{_attr(url)}" data-originalurl="{_attr(url)}" '
            f'data-versionurl="{_attr(base_url + version["replay_url"])}" '
            f'data-versiondate="{_attr(version["captured_at"][:10])}">{label}</a>'
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
    items = "\n".join(_item(c, base) for c in data["citations"])
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="generator" content="citevault">\n'
        "</head>\n<body>\n"
        f"<h1>{title}</h1>\n"
        f"<p>Document <code>{escape(doc['id'])}</code>, version {doc['version']}. "
        "Archived sources carry Robust Links attributes: <code>data-versionurl</code> is "
        "the archived copy, <code>data-versiondate</code> the day it was captured.</p>\n"
        f"<ol>\n{items}\n</ol>\n"
        "</body>\n</html>\n"
    )
