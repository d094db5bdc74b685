"""One place where a document names a source, as the patterns find it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Mention:
    """A source named at ``start:end`` (offsets in the whole text).

    ``kind`` is the classifier's verdict (outlet, org, weak, single, person)
    or the source type a pattern knows outright (anonymous, self, work).
    """

    extractor: str
    name: str
    start: int
    end: int
    kind: str
    work: str | None = None
    container: str | None = None
    role: str | None = None
    sentence: tuple[int, int] = (0, 0)
