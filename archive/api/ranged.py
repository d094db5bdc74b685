"""WARC record bytes for the API, read from S3 without a thread and without botocore.

botocore spends more CPU on one ranged GET (signing, its event hooks,
parsing) than the S3 server itself, and being blocking it needed a thread per
download.  The API reads ranges with a URL the store
signed locally (``S3Store.presigned_get``) through one aiohttp session per
process.  Anything but the exact bytes asked for is an error, mapped like the
store's own.  Stores other than S3 (a local folder) read on the thread pool.
"""

from __future__ import annotations

import aiohttp
from starlette.concurrency import run_in_threadpool

from archive.errors import ObjectNotFoundError, StoreAuthError, StoreError, StoreUnavailableError
from archive.lookup import records
from archive.lookup.access import RecordLocation
from archive.runtime import Runtime
from archive.storage.base import check_range
from archive.storage.s3 import S3Store


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


async def record_bytes(
    rt: Runtime, session: aiohttp.ClientSession | None, where: RecordLocation
) -> bytes:
    store = rt.store()
    if session is None or not isinstance(store, S3Store):
        return await run_in_threadpool(records.located_bytes, rt, where)
    key, offset, length = records.check_located(where)
    check_range(key, offset, length)
    url = store.presigned_get(key)
    headers = {"Range": f"bytes={offset}-{offset + length - 1}"}
    try:
        async with session.get(url, headers=headers) as resp:
            data = await resp.read()
            status = resp.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise StoreUnavailableError(
            f"cannot reach the S3 endpoint {store.endpoint} to read {key!r}: {exc}",
            hint="check store.endpoint_url and that the S3 server is running",
        ) from exc
    if status == 206 and len(data) == length:
        return data
    if status == 404:
        raise ObjectNotFoundError(f"no object {key!r} in {store.url}")
    if status == 403:
        raise StoreAuthError(f"S3 refused to let us read {key!r} from {store.url} (403)")
    raise StoreError(
        f"S3 answered {status} with {len(data)} bytes for bytes {offset}+{length} of {key!r}"
    )
