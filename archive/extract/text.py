"""Citations in plain text: bare URLs, DOIs and arXiv ids.

Plain text has no markup to say where a link is, so everything rests on the
shared recognisers in ``archive.extract.urls`` and, for listen lines,
blogrolls and other link furniture, ``archive.extract.furniture``; this
module only decodes the bytes and picks a title.
"""

from __future__ import annotations

from archive.extract.decode import decode_bytes
from archive.extract.furniture import without_furniture_links
from archive.extract.types import Extraction
from archive.extract.urls import find_in_text

__all__ = ["extract_text"]

_MAX_TITLE = 200


def _title(text: str) -> str | None:
    """The first line, when it is short enough to be one (e-mails, memos, notes)."""
    for line in text[:4096].splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= _MAX_TITLE else None
    return None


def extract_text(data: bytes, *, base_url: str | None = None) -> Extraction:
    """Citations of a plain-text document; ``base_url`` is where it came from (its own site)."""
    decoded = decode_bytes(data)
    text = decoded.text.lstrip("\ufeff")
    return Extraction(
        format="text",
        citations=without_furniture_links(
            text, find_in_text(text, extractor_prefix="text"), [base_url]
        ),
        title=_title(text),
        media_type="text/plain",
        text=text,
        warnings=list(decoded.warnings),
    )
