"""Drift: the live page against the copy the citing author saw, and the quote check.

The baseline is the capture of the citation closest in time to the citing
document version's date, read back from the store (``lookup.records``); its
main text is compared with the live one by cosine of term vectors, the
change in word count and the SimHash distance, and labelled with the
thresholds of ``[health]`` (AlNoamany, Weigle and Nelson 2016 for off-topic).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.db.models import Capture, Citation, CitationCapture, DocumentVersion, WarcFile
from archive.db.models.health import DriftLabel
from archive.errors import CitevaultError
from archive.health.text import (
    Fingerprint,
    contains_words,
    cosine,
    fingerprint,
    hamming,
    is_textual,
    main_text,
    word_change,
)
from archive.lookup.citation_time import closest
from archive.lookup.records import payload
from archive.runtime import Runtime
from archive.settings import HealthSettings

# Quoted passages in a citation's context or claim: straight or typographic quotes.
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]{8,}?)[\"“”„«»]")
_MIN_QUOTE_WORDS = 3
_MIN_ANCHOR_WORDS = 4


@dataclass(frozen=True, slots=True)
class Drift:
    cosine: float
    word_change: float
    simhash_distance: int
    label: DriftLabel


def label(cos: float, change: float, settings: HealthSettings) -> DriftLabel:
    if cos <= settings.off_topic_cosine and change <= settings.off_topic_word_change:
        return DriftLabel.OFF_TOPIC
    if cos >= settings.same_cosine:
        return DriftLabel.SAME
    if cos >= settings.minor_cosine:
        return DriftLabel.MINOR
    return DriftLabel.MAJOR


def compare(before: Fingerprint, after: Fingerprint, settings: HealthSettings) -> Drift:
    cos = cosine(before.terms, after.terms)
    change = word_change(before.words, after.words)
    return Drift(cos, change, hamming(before.simhash, after.simhash), label(cos, change, settings))


class Cited(Protocol):
    """What the quote check reads of a citation (a Citation, or a row of these columns)."""

    @property
    def context(self) -> str | None: ...
    @property
    def claim(self) -> str | None: ...
    @property
    def anchor_text(self) -> str | None: ...


def quotes_of(citation: Cited) -> list[str]:
    """The words a citing document attributes to the source: quoted passages of the
    context and claim, a claim of its own, and an anchor text long enough to say
    something (a link's "here" or "report" proves nothing)."""
    found: list[str] = []
    for text in (citation.context, citation.claim):
        for match in _QUOTED.finditer(text or ""):
            found.append(match.group(1).strip())
    if citation.claim and not _QUOTED.search(citation.claim):
        found.append(citation.claim.strip())
    if citation.anchor_text and len(citation.anchor_text.split()) >= _MIN_ANCHOR_WORDS:
        found.append(citation.anchor_text.strip())
    seen: dict[str, None] = {}
    for quote in found:
        if len(quote.split()) >= _MIN_QUOTE_WORDS:
            seen.setdefault(quote, None)
    return list(seen)


def quote_check(
    quotes: list[str], capture: Fingerprint | None, live: Fingerprint | None
) -> list[dict[str, object]]:
    return [
        {
            "quote": quote,
            "on_capture": None if capture is None else contains_words(capture.text, quote),
            "on_live": None if live is None else contains_words(live.text, quote),
        }
        for quote in quotes
    ]


def closest_captures(session: Session, citation_ids: list[int]) -> dict[int, Capture]:
    """Each citation's successful capture closest to its document version's date."""
    rows = session.execute(
        select(CitationCapture.citation_id, Capture, DocumentVersion.created_at)
        .join(Capture, Capture.id == CitationCapture.capture_id)
        .join(Citation, Citation.id == CitationCapture.citation_id)
        .join(DocumentVersion, DocumentVersion.id == Citation.version_id)
        .where(
            CitationCapture.citation_id.in_(citation_ids),
            Capture.warc_file_id.is_not(None),
            Capture.http_status >= 200,
            Capture.http_status < 300,
        )
        .order_by(Capture.id)
    ).all()
    grouped: dict[int, tuple[datetime, list[tuple[datetime, Capture]]]] = {}
    for citation_id, capture, cited_at in rows:
        grouped.setdefault(citation_id, (cited_at, []))[1].append((capture.captured_at, capture))
    out: dict[int, Capture] = {}
    for citation_id, (cited_at, candidates) in grouped.items():
        found = closest(cited_at, candidates)
        if found is not None:
            out[citation_id] = found
    return out


class Baselines:
    """Fingerprints of captures read from the store, kept for one run: many citations
    (the same URL in several documents) share one capture.

    Asked for a whole leased batch at once, so that the rows a payload read needs
    (the capture a revisit repeats, the WARC file) are two queries per batch, not
    two per citation.
    """

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._lock = threading.Lock()
        self._known: dict[int, Fingerprint | None] = {}

    def fingerprints(
        self, session: Session, captures: Iterable[Capture]
    ) -> dict[int, Fingerprint | None]:
        """Each capture's fingerprint by capture id (None: not textual or unreadable)."""
        wanted = {c.id: c for c in captures}
        with self._lock:
            out = {i: self._known[i] for i in wanted if i in self._known}
        todo = [c for i, c in wanted.items() if i not in out]
        if not todo:
            return out
        # a revisit record holds no payload: the capture it repeats does
        repeated = {c.revisit_of_id for c in todo if c.revisit_of_id is not None}
        originals = (
            {o.id: o for o in session.scalars(select(Capture).where(Capture.id.in_(repeated)))}
            if repeated
            else {}
        )
        sources = {
            c.id: originals.get(c.revisit_of_id, c) if c.revisit_of_id is not None else c
            for c in todo
        }
        file_ids = {o.warc_file_id for o in sources.values() if o.warc_file_id is not None}
        files = (
            {w.id: w for w in session.scalars(select(WarcFile).where(WarcFile.id.in_(file_ids)))}
            if file_ids
            else {}
        )
        for capture in todo:
            original = sources[capture.id]
            found: Fingerprint | None = None
            if is_textual(original.media_type):
                warc = files.get(original.warc_file_id) if original.warc_file_id else None
                try:
                    body = payload(self._rt, original, warc)
                except CitevaultError:
                    body = None
                if body is not None:
                    found = fingerprint(main_text(body.body, original.media_type))
            out[capture.id] = found
            with self._lock:
                self._known[capture.id] = found
        return out
