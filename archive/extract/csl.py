"""CSL-JSON reader, and the record model the other structured readers share.

CSL-JSON is what Zotero, Citoid and pandoc exchange, so its notion of a
reference (a URL and/or a DOI or arXiv id, plus title, authors, dates and a
container) is the common ground for BibTeX, RIS and wiki cite templates too.
:func:`build_citation` is where every one of those readers decides which
identifier becomes the citation's kind and which URL gets archived, so that a
DOI cited from a .bib file and from a wiki page end up archived the same way.
"""

from __future__ import annotations

import json
import re
from datetime import date as _date
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from w3lib.url import safe_url_string

from archive.errors import InputError
from archive.extract.types import ExtractedCitation, Extraction

__all__ = [
    "arxiv_url",
    "build_citation",
    "clean_arxiv",
    "clean_doi",
    "doi_url",
    "extract_csl_json",
    "iso_date",
    "person_name",
]

_DOI_RE = re.compile(r"10\.\d{4,9}/\S+")
_ARXIV_NEW = r"\d{4}\.\d{4,5}(?:v\d+)?"
_ARXIV_OLD = r"[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?"
_ARXIV_BARE_RE = re.compile(rf"^(?:arxiv:\s*)?({_ARXIV_NEW}|{_ARXIV_OLD})$", re.IGNORECASE)
_ARXIV_IN_TEXT_RE = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf)/|arxiv:\s*|10\.48550/arxiv\.)({_ARXIV_NEW}|{_ARXIV_OLD})",
    re.IGNORECASE,
)
_NUMERIC_DATE_RE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})?(?:[-/.](\d{1,2})?)?)?(?:[/\sT].*)?$")
_WORD_DATE_FORMATS = (
    ("%d %B %Y", 3),
    ("%d %b %Y", 3),
    ("%B %d, %Y", 3),
    ("%b %d, %Y", 3),
    ("%B %d %Y", 3),
    ("%B %Y", 2),
    ("%b %Y", 2),
)
_CSL_MARKUP_RE = re.compile(r"</?(?:i|b|sup|sub|span|sc)(?:\s[^>]*)?>", re.IGNORECASE)
_CAPTURABLE_SCHEMES = ("http", "https")
_DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")


def clean_doi(value: str | None) -> str | None:
    """Reduce anything DOI-shaped (``doi:``, a doi.org URL, a bare DOI) to the DOI.

    Sources write DOIs every way imaginable; comparing and archiving them
    only works on the bare ``10.x/y`` form.
    """
    if not value:
        return None
    text = value.strip()
    if "doi.org/" in text.lower():
        text = unquote(text)
    match = _DOI_RE.search(text)
    if match is None:
        return None
    return match.group(0).rstrip(".,;")


def doi_url(doi: str) -> str:
    """The resolver URL to archive for a DOI (``#``, ``?`` and spaces escaped)."""
    return "https://doi.org/" + quote(doi, safe="/:;()._-~+,=@!$&'*[]")


def clean_arxiv(value: str | None) -> str | None:
    """Find an arXiv id in a bare id, an ``arXiv:`` string, an arxiv.org URL or its DOI."""
    if not value:
        return None
    text = value.strip()
    bare = _ARXIV_BARE_RE.match(text)
    if bare is not None:
        return bare.group(1)
    found = _ARXIV_IN_TEXT_RE.search(text)
    if found is None:
        return None
    return found.group(1).removesuffix(".pdf")


def arxiv_url(arxiv_id: str) -> str:
    """The abstract page, which links every version and the PDF."""
    return "https://arxiv.org/abs/" + arxiv_id


# "accessed 3 March 2024", "Retrieved on: 2024-03-03", "last visited 3 Mar 2024":
# how a reference says when its author read the source, in a note or an entry.
ACCESSED_RE = re.compile(
    r"\b(?:last\s+)?(?:accessed|retrieved|visited|abgerufen am)(?:\s+on)?\s*:?\s*([^.;()]+)",
    re.IGNORECASE,
)


def iso_date(value: str | None) -> str | None:
    """Turn the usual citation date spellings into ISO 8601 (``YYYY[-MM[-DD]]``).

    Capture planning compares the access date with capture times, which needs
    a sortable form; text that is not a recognisable date is kept as written
    rather than guessed at.
    """
    if value is None:
        return None
    text = " ".join(value.split()).strip(" ,")
    if not text:
        return None
    numeric = _NUMERIC_DATE_RE.match(text)
    if numeric is not None:
        year = int(numeric.group(1))
        month, day = (int(g) if g else None for g in numeric.groups()[1:])
        try:
            _date(year, month or 1, day or 1)
        except ValueError:
            return text
        if month is None:
            return f"{year:04d}"
        return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    cleaned = text.replace(".", "").replace("Sept ", "Sep ")
    for fmt, parts in _WORD_DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        return parsed.strftime("%Y-%m-%d" if parts == 3 else "%Y-%m")
    return text


def person_name(*parts: str | None, suffix: str | None = None) -> str | None:
    """Join name parts in reading order ("Given von Family, Jr.")."""
    joined = " ".join(p.strip() for p in parts if p and p.strip())
    if not joined:
        return None
    return f"{joined}, {suffix.strip()}" if suffix and suffix.strip() else joined


def _capture_url(url: str, base_url: str | None) -> str | None:
    """Make a cited URL fetchable, or None when it cannot be archived over HTTP."""
    try:
        if url.startswith("//"):
            scheme = urlsplit(base_url).scheme if base_url else ""
            url = f"{scheme or 'https'}:{url}"
        elif not urlsplit(url).scheme:
            if base_url:
                url = urljoin(base_url, url)
            elif url.lower().startswith("www."):
                url = "http://" + url
        parts = urlsplit(url)
        if parts.scheme.lower() not in _CAPTURABLE_SCHEMES or not parts.netloc.strip():
            return None
        if any(c.isspace() for c in parts.netloc):
            return None
        return str(safe_url_string(url))
    except ValueError:  # a malformed host ("http://[x") is cited, but cannot be fetched
        return None


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def build_citation(
    extractor: str,
    *,
    url: str | None = None,
    doi: str | None = None,
    arxiv_id: str | None = None,
    base_url: str | None = None,
    title: str | None = None,
    authors: list[str] | None = None,
    date: str | None = None,
    container: str | None = None,
    access_date: str | None = None,
    archive_url: str | None = None,
    identifiers: dict[str, Any] | None = None,
    anchor_text: str | None = None,
    context: str | None = None,
    span: tuple[int, int] | None = None,
) -> ExtractedCitation:
    """One rule for every structured reader: a URL wins, then a DOI, then arXiv.

    A cited URL is what the author actually pointed at, so it is archived even
    when a DOI is known too (the DOI stays on the record).  A URL that *is* a
    doi.org or arxiv.org link is that identifier, as for links found in prose.
    Without any of the three the reference is kept as ``named``: sources are
    never dropped for lacking a link.
    """
    url = " ".join(url.split()) if url else None
    host = _host(url) if url else ""
    doi = clean_doi(doi) or (clean_doi(url) if url and host in _DOI_HOSTS else None)
    arxiv_id = clean_arxiv(arxiv_id) or (clean_arxiv(url) if url else None) or clean_arxiv(doi)
    capture: str | None
    if url and host in _DOI_HOSTS and doi:
        kind, capture = "doi", doi_url(doi)
    elif url and (host == "arxiv.org" or host.endswith(".arxiv.org")) and arxiv_id:
        kind, capture = "arxiv", arxiv_url(arxiv_id)
    elif url:
        kind, capture = "url", _capture_url(url, base_url)
    elif doi:
        kind, capture = "doi", doi_url(doi)
    elif arxiv_id:
        kind, capture = "arxiv", arxiv_url(arxiv_id)
    else:
        kind, capture = "named", None
    return ExtractedCitation(
        kind=kind,
        extractor=extractor,
        url=url or None,
        capture_url=capture,
        doi=doi,
        arxiv_id=arxiv_id,
        identifiers=identifiers or None,
        anchor_text=anchor_text or None,
        title=title or None,
        authors=authors or None,
        date=iso_date(date),
        container=container or None,
        access_date=iso_date(access_date),
        archive_url=archive_url or None,
        context=context or None,
        span=span,
        source_name=(container or title or None) if kind == "named" else None,
    )


def _text(value: Any) -> str | None:
    """CSL strings, except that Crossref sends some of them as one-element lists."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if value is None or isinstance(value, (dict, bool)):
        return None
    text = _CSL_MARKUP_RE.sub("", str(value)).strip()
    return " ".join(text.split()) or None


def _csl_date(value: Any) -> str | None:
    """``{"date-parts": [[2020, 3, 15]]}``, or its ``raw``/``literal`` fallbacks."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            numbers = [int(p) for p in parts[0][:3]]
        except (TypeError, ValueError):
            numbers = []
        if numbers:
            return "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:])])
    return _text(value.get("raw")) or _text(value.get("literal"))


def _csl_names(value: Any) -> list[str]:
    names: list[str] = []
    for person in value if isinstance(value, list) else []:
        if not isinstance(person, dict):
            continue
        name = _text(person.get("literal")) or person_name(
            _text(person.get("given")),
            _text(person.get("dropping-particle")),
            _text(person.get("non-dropping-particle")),
            _text(person.get("family")),
            suffix=_text(person.get("suffix")),
        )
        if name:
            names.append(name)
    return names


_CSL_IDS = ("ISBN", "ISSN", "PMID", "PMCID", "number")


def _csl_item(item: dict[str, Any], base_url: str | None) -> ExtractedCitation:
    identifiers: dict[str, Any] = {}
    for key in ("id", "type"):
        if item.get(key) is not None:
            identifiers[key] = item[key]
    for key in _CSL_IDS:
        value = _text(item.get(key))
        if value:
            identifiers[key.lower()] = value
    doi = clean_doi(_text(item.get("DOI")))
    if doi:
        identifiers["doi"] = doi
    return build_citation(
        "csl.item",
        url=_text(item.get("URL")),
        doi=doi,
        arxiv_id=clean_arxiv(_text(item.get("number"))),
        base_url=base_url,
        title=_text(item.get("title")),
        authors=_csl_names(item.get("author")),
        date=_csl_date(item.get("issued")),
        container=_text(item.get("container-title")) or _text(item.get("publisher")),
        access_date=_csl_date(item.get("accessed")),
        identifiers=identifiers,
    )


def extract_csl_json(data: bytes, *, base_url: str | None = None) -> Extraction:
    """Read a CSL-JSON export: a list of items (Zotero, Citoid) or a single item.

    JSON is all-or-nothing, so a syntax error is an ``InputError`` with the
    line and column; items that are not objects are skipped with a warning.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"CSL-JSON is not valid UTF-8 (byte {exc.start})",
            hint="Export the library again as CSL JSON, which is always UTF-8.",
        ) from exc
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"CSL-JSON is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            hint="Fix the file at that position or export it again from the reference manager.",
        ) from exc
    except RecursionError as exc:
        # CSL items are records a few levels deep; Python's JSON reader stops
        # near 1,000 levels, far past anything a reference manager writes.
        raise InputError(
            "CSL-JSON nests arrays or objects too deeply to read (about 1,000 levels or more)",
            hint="Export the references again as CSL JSON; this file is not a reference list.",
        ) from exc
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise InputError(
            f"CSL-JSON holds a value that cannot be read: {exc}",
            hint="Export the references again as CSL JSON; this file is not a reference list.",
        ) from exc
    items = [parsed] if isinstance(parsed, dict) else parsed
    if not isinstance(items, list):
        raise InputError(
            f"CSL-JSON must be a list of items or one item, not a JSON {type(parsed).__name__}",
            hint="Export the references as 'CSL JSON' from Zotero or another reference manager.",
        )
    result = Extraction(format="csl-json", media_type="application/vnd.citationstyles.csl+json")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            result.warnings.append(f"CSL-JSON item {number} is not an object; skipped")
            continue
        result.citations.append(_csl_item(item, base_url))
    if not result.citations:
        raise InputError(
            "CSL-JSON contains no items",
            hint="Check that the export contains references (a list of objects with a title).",
        )
    return result
