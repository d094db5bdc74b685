"""What ``bench/lookup.py`` asks: the requests of each case, built before the clock starts.

Every request is for something that exists and is public, drawn with the
caller's seeded ``random.Random``, so that a run (and each tree of a
side-by-side run) sends the same list.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import quote, urlsplit

import _lookup_data as data
import _lookup_load as load
import psycopg

from archive.storage.s3 import S3Store

ASK_FROM = datetime(2010, 1, 1, tzinfo=UTC)
ASK_SPAN = int((datetime(2027, 1, 1, tzinfo=UTC) - ASK_FROM).total_seconds())


def _rfc1123(rng: random.Random) -> str:
    """A moment a little before the first capture to a little after the last."""
    return format_datetime(ASK_FROM + timedelta(seconds=rng.randrange(ASK_SPAN)), usegmt=True)


def requests_for(case: str, n: int, targets: data.Targets, rng: random.Random) -> list[bytes]:
    """``n`` requests for one case, each for something that exists and is public."""
    if case == "citations":
        return [load.get(f"/api/documents/{data.SPECIAL_DOC}/citations")] * n
    if case == "warc":
        return [
            load.get(f"/api/captures/{rng.choice(targets.warc_captures)}/warc") for _ in range(n)
        ]
    urls = [rng.choice(targets.urls) for _ in range(n)]
    if case == "timegate":
        return [load.get(f"/timegate/{u}", {"Accept-Datetime": _rfc1123(rng)}) for u in urls]
    return [load.get(f"/cdx?url={quote(u, safe='')}&matchType=exact") for u in urls]


def store_requests(
    pg_url: str, store: S3Store, captures: list[int], n: int, rng: random.Random
) -> list[bytes]:
    """The same records as the warc case, read straight from SeaweedFS with presigned GETs."""
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT w.store_key, c.warc_offset, c.warc_length FROM captures c"
            " JOIN warc_files w ON w.id = c.warc_file_id WHERE c.id = ANY(%s)",
            (captures,),
        ).fetchall()
    out = []
    for key, offset, length in (rng.choice(rows) for _ in range(n)):
        url = urlsplit(store.presigned_get(key))
        headers = {"Range": f"bytes={offset}-{offset + length - 1}"}
        out.append(load.get(f"{url.path}?{url.query}", headers, host=url.netloc))
    return out
