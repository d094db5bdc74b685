"""Citation templates of MediaWiki: ``{{cite web}}``, ``{{cite news}}``, ``{{citation}}``.

``wiki.py`` walks the page and decides where a reference is and what context
it has; reading one cite template into a citation is a job of its own, with a
vocabulary of its own (the many spellings of a URL, title, container or
identifier parameter, ``url-status`` against the older ``dead-url``, numbered
author parameters) that grows as templates turn up, without touching the walk.
"""

from __future__ import annotations

import html
import re
from typing import Any

from mwparserfromhell.nodes import Comment, Template

from archive.extract.csl import build_citation, iso_date, person_name
from archive.extract.types import ExtractedCitation

__all__ = ["cite_template", "prose_text", "raw_text", "template_name"]

_URL_PARAMS = ("url", "chapter-url", "chapterurl", "contribution-url", "section-url")
_TITLE_PARAMS = ("title", "script-title", "trans-title", "chapter")
_CONTAINER_PARAMS = (
    *("work", "website", "newspaper", "journal", "magazine", "periodical"),
    *("encyclopedia", "encyclopaedia", "publisher", "agency", "via"),
)
_ID_PARAMS = (
    *("isbn", "issn", "eissn", "pmid", "pmc", "oclc", "jstor", "bibcode", "hdl"),
    *("s2cid", "lccn", "ol", "osti", "ssrn", "zbl", "mr", "id"),
)
_DEAD_URL = {"yes": "dead", "y": "dead", "true": "dead", "no": "live", "n": "live"}
_AUTHOR_PARAM_RE = re.compile(r"(author|last|first|surname|given|forename)-?(\d*)")


def template_name(node: Template) -> str:
    name = " ".join(str(node.name).replace("_", " ").split()).lower()
    return name.removeprefix("template:")


def _params(node: Template) -> dict[str, Any]:
    """Parameter name → value; a repeated parameter keeps its last value, as MediaWiki does."""
    return {str(p.name).strip().lower(): p.value for p in node.params}


def raw_text(value: Any) -> str | None:
    """A parameter as written, without comments and HTML entities (for URLs and ids)."""
    if value is None:
        return None
    text = "".join(str(n) for n in value.nodes if not isinstance(n, Comment))
    return html.unescape(" ".join(text.split())) or None


def prose_text(value: Any) -> str | None:
    if value is None:
        return None
    return " ".join(value.strip_code().split()) or None


def _authors(params: dict[str, Any]) -> list[str]:
    by_index: dict[int, dict[str, str]] = {}
    for name, value in params.items():
        match = _AUTHOR_PARAM_RE.fullmatch(name)
        text = prose_text(value) if match else None
        if match and text:
            by_index.setdefault(int(match.group(2) or 1), {})[match.group(1)] = text
    names: list[str] = []
    for _, parts in sorted(by_index.items()):
        family = parts.get("last") or parts.get("surname")
        given = parts.get("first") or parts.get("given") or parts.get("forename")
        full = person_name(given, family) if family else parts.get("author")
        if full:
            names.append(full)
    for key, separator in (("vauthors", ","), ("authors", ";")):
        if not names:
            names = [n.strip() for n in (prose_text(params.get(key)) or "").split(separator)]
    return [n for n in names if n]


def cite_template(
    node: Template, name: str, span: tuple[int, int], context: str | None, base_url: str | None
) -> ExtractedCitation:
    """A cite template as one citation: its URL, identifiers, title, authors and dates."""
    params = _params(node)

    def raw(*names: str) -> str | None:
        return next((v for n in names if (v := raw_text(params.get(n)))), None)

    def prose(*names: str) -> str | None:
        return next((v for n in names if (v := prose_text(params.get(n)))), None)

    url = raw(*_URL_PARAMS)
    if url is None and name == "cite tweet" and raw("user") and raw("number"):
        url = f"https://twitter.com/{raw('user')}/status/{raw('number')}"
    status = prose("url-status") or _DEAD_URL.get((prose("dead-url", "deadurl") or "").lower())
    identifiers: dict[str, Any] = {"template": name}
    if status:
        identifiers["url_status"] = status.lower()
    if prose("archive-date", "archivedate"):
        identifiers["archive_date"] = iso_date(prose("archive-date", "archivedate"))
    for key in _ID_PARAMS:
        if raw(key):
            identifiers[key] = raw(key)
    date = prose("date") or " ".join(filter(None, [prose("month"), prose("year")])) or None
    citation = build_citation(
        "wiki.cite-template",
        url=url,
        doi=raw("doi"),
        arxiv_id=raw("arxiv", "eprint"),
        base_url=base_url,
        title=prose(*_TITLE_PARAMS),
        authors=_authors(params),
        date=date,
        container=prose(*_CONTAINER_PARAMS),
        access_date=prose("access-date", "accessdate"),
        archive_url=raw("archive-url", "archiveurl"),
        identifiers=identifiers,
        context=context,
        span=span,
    )
    if citation.doi:
        identifiers["doi"] = citation.doi
    return citation
