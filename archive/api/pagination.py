"""``limit``/``offset`` paging with a ``meta`` block, the same on every list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

MAX_LIMIT = 1000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]


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
