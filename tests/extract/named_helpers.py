"""What the named-reference tests read of a text: its sources by name and type."""

from __future__ import annotations

from archive.extract.named import find_named_references
from archive.extract.types import ExtractedCitation


def found(text: str) -> dict[str, str]:
    return {c.source_name or "": c.source_type or "" for c in find_named_references(text)}


def only(text: str) -> ExtractedCitation:
    [cited] = find_named_references(text)
    return cited


def cited(text: str) -> dict[str, tuple[str, str | None]]:
    """Each source's type and candidate URL, by name."""
    return {
        c.source_name or "": (c.source_type or "", c.candidate_url)
        for c in find_named_references(text)
    }
