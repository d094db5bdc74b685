"""The forms of one cited URL: as written, as fetched, and as deduplicated.

``urls.py`` finds citations in running text; what happens to a URL once found
(or once read from a link's ``href``, a PDF annotation or a cite template) is
kept here, because every extractor and the rest of the archive need it without
the finding: cutting what cannot end a URL, resolving a document link against
its base, turning doi.org and arxiv.org links into one ``doi``/``arxiv``
citation with the URL as cited kept alongside, and the normal form under which
two citations of one page count as one source.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from archive.extract.types import ExtractedCitation

__all__ = [
    "ARXIV_ID",
    "arxiv_url",
    "citation_for_url",
    "doi_url",
    "normalize_url",
    "resolve_link",
    "trim_url",
]

# CJK punctuation never occurs unescaped in a real URL but linkify runs
# through it when the text has no spaces (Chinese, Japanese).
_CJK_STOP = re.compile("[\u3000-\u303f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f]")
_TRAILING = set(".,;:!?'\"*")
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}

_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}

# An arXiv id, new style ("2301.01234v2") or old ("math.GT/0309136"); the finder in
# ``urls.py`` looks for the same ids in prose.
ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_ARXIV_PATH = re.compile(r"^/(?:abs|pdf|html)/(" + ARXIV_ID + r")(?:\.pdf)?/?$")
_DOI_PATH = re.compile(r"^/(10\.\d{4,9}/.+)$")
_DOI_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}


def normalize_url(url: str) -> str:
    """Return the form of ``url`` under which two citations count as one source.

    w3lib's ``canonicalize_url`` does most of it: lowercase scheme and host,
    IDNA host, consistent percent-encoding, sorted query arguments, no
    fragment.  Sorting the query can in theory merge two different resources,
    but citations of the same page with reordered tracking parameters are far
    more common.  The default port is dropped on top, as browsers do.
    """
    url = url.strip()
    try:
        canonical = canonicalize_url(url)
    except ValueError:
        canonical = url.split("#", 1)[0]
    try:
        parts = urlsplit(canonical)
        port = parts.port
    except ValueError:
        return canonical
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower()
    if port is not None and _DEFAULT_PORTS.get(scheme) == port:
        netloc = netloc.rsplit(":", 1)[0]
    path = parts.path or ("/" if netloc else "")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


_NOT_CITATIONS = ("mailto:", "javascript:", "tel:", "data:", "sms:", "callto:", "about:", "file:")
_LINK_SCHEMES = ("http", "https", "ftp")
_URL_WS = re.compile(r"[\t\r\n]")
_ABSOLUTE = re.compile(r"(?:https?|ftp)://[^/?#\s@:]+(?:[/?#]|$)", re.I)


def resolve_link(href: str, base: str | None) -> tuple[str | None, bool]:
    """The absolute URL a document link points to, if it can be a citation.

    Returns ``(url, False)`` for a citable link, ``(None, True)`` for a
    relative link that cannot be resolved because ``base`` is unknown, and
    ``(None, False)`` for links that cite nothing: in-page fragments,
    ``mailto:``, ``javascript:`` and other non-web schemes.  Tabs and newlines
    inside the link are dropped, as browsers do.
    """
    href = _URL_WS.sub("", href).strip()
    if _ABSOLUTE.match(href):
        return href, False
    if not href or href.startswith("#") or href.lower().startswith(_NOT_CITATIONS):
        return None, False
    absolute = urljoin(base, href) if base else href
    try:
        parts = urlsplit(absolute)
    except ValueError:
        return None, False
    if parts.scheme.lower() in _LINK_SCHEMES and parts.netloc:
        return absolute, False
    return None, not parts.scheme


def doi_url(doi: str) -> str:
    """The resolver URL for a DOI; characters that break a URL path are escaped."""
    return "https://doi.org/" + quote(doi, safe="/:;()[]-._~!$&'*+,=@")


def arxiv_url(arxiv_id: str) -> str:
    return "https://arxiv.org/abs/" + arxiv_id


def trim_url(raw: str) -> str:
    """Cut what cannot end a cited URL: punctuation and unbalanced closers."""
    stop = _CJK_STOP.search(raw)
    if stop:
        raw = raw[: stop.start()]
    while raw:
        last = raw[-1]
        punctuation = last in _TRAILING or (
            ord(last) > 127 and unicodedata.category(last) in ("Po", "Pe", "Pf", "Pi", "Ps")
        )
        unbalanced = last in _PAIRS and raw.count(last) > raw.count(_PAIRS[last])
        if not (punctuation or unbalanced):
            break
        raw = raw[:-1]
    return raw


def citation_for_url(
    url: str,
    *,
    extractor: str,
    span: tuple[int, int] | None = None,
    context: str | None = None,
    anchor_text: str | None = None,
    page: int | None = None,
    capture_url: str | None = None,
) -> ExtractedCitation:
    """Classify a cited URL: a doi.org or arxiv.org link is that identifier."""
    cit = ExtractedCitation(
        kind="url",
        extractor=extractor,
        url=url,
        capture_url=capture_url or url,
        span=span,
        context=context,
        anchor_text=anchor_text,
        page=page,
    )
    target = capture_url or url
    lowered = target.lower()
    if "doi.org" not in lowered and "arxiv.org" not in lowered:
        return cit
    try:
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
    except ValueError:
        return cit
    if host in _DOI_HOSTS:
        m = _DOI_PATH.match(parts.path)
        if m:
            cit.kind, cit.doi = "doi", trim_url(unquote(m.group(1)))
            cit.capture_url = doi_url(cit.doi)
    elif host == "arxiv.org" or host.endswith(".arxiv.org"):
        m = _ARXIV_PATH.match(parts.path)
        if m:
            cit.kind, cit.arxiv_id = "arxiv", m.group(1)
            cit.capture_url = arxiv_url(cit.arxiv_id)
    return cit
