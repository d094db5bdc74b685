"""The API's ranged read (aiohttp, a signed URL) fails as the store's own read (botocore) does."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import pytest

from archive.api import ranged
from archive.errors import (
    NoSuchBucketError,
    ObjectNotFoundError,
    StoreError,
    StoreUnavailableError,
)
from archive.lookup.access import RecordLocation
from archive.runtime import Runtime

pytestmark = pytest.mark.s3


def _through_api(rt: Runtime, key: str) -> StoreError:
    async def read() -> bytes:
        async with ranged.new_session(rt) as session:
            where = RecordLocation(id=1, store_key=key, offset=0, length=4, error=None)
            return await ranged.record_bytes(rt, session, where)

    with pytest.raises(StoreError) as caught:
        asyncio.run(read())
    return caught.value


def _through_store(rt: Runtime, key: str) -> StoreError:
    with pytest.raises(StoreError) as caught:
        rt.store().get_range(key, 0, 4)
    return caught.value


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_bytes_come_back_through_the_signed_url(
    s3_store_settings: dict[str, Any], make_settings: Any
) -> None:
    rt = Runtime(make_settings(store=s3_store_settings))
    rt.store().put_bytes("warcs/here", b"0123456789")

    async def read() -> bytes:
        async with ranged.new_session(rt) as session:
            where = RecordLocation(id=1, store_key="warcs/here", offset=3, length=4, error=None)
            return await ranged.record_bytes(rt, session, where)

    assert rt.store().presigned_get("warcs/here") is not None
    assert asyncio.run(read()) == b"3456" == rt.store().get_range("warcs/here", 3, 4)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing object", ObjectNotFoundError),
        ("missing bucket", NoSuchBucketError),
        ("server down", StoreUnavailableError),
    ],
)
def test_same_error_as_the_store(
    s3_store_settings: dict[str, Any],
    make_settings: Any,
    s3_prefix: str,
    case: str,
    expected: type[StoreError],
    tmp_path: Path,
) -> None:
    store = dict(s3_store_settings)
    if case == "missing bucket":
        store["url"] = f"s3://no-such-bucket-{s3_prefix}/p"
    elif case == "server down":
        store["endpoint_url"] = f"http://127.0.0.1:{_closed_port()}"
    rt = Runtime(make_settings(store=store))
    api, own = _through_api(rt, "warcs/absent"), _through_store(rt, "warcs/absent")
    assert type(api) is type(own) is expected
    assert api.hint == own.hint
    if case != "server down":  # the clients' own words for a refused connection differ
        assert str(api) == str(own)
