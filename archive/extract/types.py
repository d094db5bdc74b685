"""What an extractor hands back: plain data, independent of the database.

Extractors never touch the database or the store; ``archive.ingest`` turns an
``Extraction`` into rows.  Keeping them pure makes them cheap to test and to
benchmark on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ExtractedCitation:
    """One thing the document cites, as found.

    ``kind`` is one of ``url``, ``doi``, ``arxiv``, ``named``.  ``url`` is the
    URL exactly as cited (None for named references and bare identifiers);
    ``capture_url`` is the URL to archive (derived for DOIs/arXiv ids).
    ``extractor`` names the rule that found it (e.g. ``html.anchor``,
    ``text.bare-url``, ``wiki.cite-template``, ``named.according-to``).
    """

    kind: str
    extractor: str
    url: str | None = None
    capture_url: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    identifiers: dict[str, Any] | None = None
    anchor_text: str | None = None
    title: str | None = None
    authors: list[str] | None = None
    date: str | None = None
    container: str | None = None
    access_date: str | None = None
    archive_url: str | None = None
    context: str | None = None
    span: tuple[int, int] | None = None
    page: int | None = None
    source_name: str | None = None
    date_hint: str | None = None
    candidate_url: str | None = None
    # Named references only: what kind of source (outlet, organisation, person,
    # work, anonymous, self), who spoke and in what role, which work of the
    # source and where it appeared (``container``), the words attributed to it
    # (``claim`` at ``claim_span``), and every place the document names it:
    # ``{"start", "end", "context", "extractor"}`` (one citation per source and work).
    source_type: str | None = None
    speaker: str | None = None
    speaker_role: str | None = None
    work_title: str | None = None
    claim: str | None = None
    claim_span: tuple[int, int] | None = None
    mentions: list[dict[str, Any]] | None = None


@dataclass(slots=True)
class Extraction:
    """The result of reading one document: its format, title, citations, warnings.

    ``warnings`` name what was skipped when only part of a document was
    readable (a damaged PDF page, an unbalanced template); the document is
    still stored with what could be read.
    """

    format: str
    citations: list[ExtractedCitation] = field(default_factory=list)
    title: str | None = None
    media_type: str | None = None
    text: str | None = None
    warnings: list[str] = field(default_factory=list)
