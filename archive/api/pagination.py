"""``limit``/``offset`` paging with a ``meta`` block, the same on every list.

Numbers in a query string end up in ``OFFSET`` or compared with INTEGER
columns, where the database refuses what it cannot hold (SQLite raises
OverflowError past 2**63, PostgreSQL "out of range"): that was a 500 for
``offset=`` of 20 digits.  The bounds below make such numbers a 400 naming the
parameter; no table holds more rows than an id can number.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from archive.db.base import MAX_ROW_ID

MAX_LIMIT = 1000
MAX_OFFSET = MAX_ROW_ID

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Version = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID, description="Document version.")]
# The CDX API's page number: negative means "not paged", as pywb reads it.
CdxPage = Annotated[int | None, Query(le=MAX_OFFSET, description="Page of pageSize lines.")]


def page(items: list[Any], *, total: int, limit: int, offset: int) -> dict[str, Any]:
    return {
        "meta": {
            "total": total,
            "limit": limit,
            "offset": offset,
            "next_offset": offset + limit if offset + limit < total else None,
        },
        "items": items,
    }
