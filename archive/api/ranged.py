"""WARC record bytes for the API, read from S3 without a thread and without botocore.

botocore spends more CPU on one ranged GET (signing, its event hooks,
parsing) than the S3 server itself, and being blocking it needed a thread per
download.  The API reads ranges with a URL the store signed locally
(``ObjectStore.presigned_get``) through one aiohttp session per process.
Anything but the exact bytes asked for is an error, mapped to the same
StoreError as the store's own reads (``ObjectStore.url_read_error``).  A store that
signs no URLs (a local folder) is read on the thread pool.
"""

from __future__ import annotations

import aiohttp
from starlette.concurrency import run_in_threadpool

from archive.errors import StoreError
from archive.lookup import records
from archive.lookup.access import RecordLocation
from archive.runtime import Runtime
from archive.storage.base import check_range


def new_session(rt: Runtime) -> aiohttp.ClientSession:
    store = rt.settings.store
    timeout = aiohttp.ClientTimeout(
        total=store.read_timeout_seconds, connect=store.connect_timeout_seconds
    )
    return aiohttp.ClientSession(
        timeout=timeout,
        connector=aiohttp.TCPConnector(limit=64, ttl_dns_cache=300),
        auto_decompress=False,
        skip_auto_headers=("Accept-Encoding", "User-Agent"),
    )


def record_length(where: RecordLocation) -> int:
    """The length ``record_bytes`` would return, checked as it checks, without reading."""
    key, offset, length = records.check_located(where)
    check_range(key, offset, length)
    return length


async def record_bytes(
    rt: Runtime, session: aiohttp.ClientSession | None, where: RecordLocation
) -> bytes:
    store = rt.store()
    key, offset, length = records.check_located(where)
    check_range(key, offset, length)
    url = store.presigned_get(key) if session is not None else None
    if session is None or url is None:
        return await run_in_threadpool(records.located_bytes, rt, where)
    headers = {"Range": f"bytes={offset}-{offset + length - 1}"}
    try:
        async with session.get(url, headers=headers) as resp:
            data = await resp.read()
            status = resp.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise store.url_read_error(key, exc) from exc
    if status == 206 and len(data) == length:
        return data
    if status >= 300:
        raise store.url_read_error(key, None, status, data)
    raise StoreError(
        f"the store answered {status} with {len(data)} bytes for bytes {offset}+{length} of {key!r}"
    )
