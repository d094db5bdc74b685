"""Which capture is "the copy the author saw": the one closest to the citing version's date.

One rule for every reader of it: drift is measured against this capture, the
document page and the health feed link to it, and the Robust Links export
names it first in ``data-versionurl``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

T = TypeVar("T")


def is_citable(http_status: int | None) -> bool:
    """A capture can stand for the source only if the source answered it with a 2xx."""
    return http_status is not None and 200 <= http_status < 300


def closest(cited_at: datetime, candidates: Iterable[tuple[datetime, T]]) -> T | None:
    """The candidate captured closest to ``cited_at``; of equally close ones, the first given."""
    best: tuple[float, T] | None = None
    for captured_at, item in candidates:
        distance = abs((captured_at - cited_at).total_seconds())
        if best is None or distance < best[0]:
            best = (distance, item)
    return best[1] if best is not None else None
