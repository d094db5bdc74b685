"""One contract for both stores: the local folder and S3 (SeaweedFS on loopback)."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from archive.errors import (
    IntegrityError,
    InvalidKeyError,
    NoSuchBucketError,
    ObjectExistsError,
    ObjectNotFoundError,
)
from archive.storage import ObjectStore, open_store
from archive.storage.local import LocalStore
from archive.storage.s3 import S3Store


def test_put_get_head(store: ObjectStore) -> None:
    data = b"WARC/1.1\r\n" + os.urandom(1000)
    stored = store.put_bytes("warcs/2024/01/02/a.warc.gz", data)
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert store.get_bytes("warcs/2024/01/02/a.warc.gz") == data
    head = store.head("warcs/2024/01/02/a.warc.gz")
    assert head is not None
    assert (head.size, head.sha256) == (len(data), stored.sha256)
    assert store.exists("warcs/2024/01/02/a.warc.gz")
    assert store.head("warcs/2024/01/02/missing.warc.gz") is None


def test_same_bytes_again_is_a_no_op(store: ObjectStore) -> None:
    first = store.put_bytes("k/x", b"same")
    second = store.put_bytes("k/x", b"same")
    assert first == second
    assert store.get_bytes("k/x") == b"same"


def test_never_overwrites(store: ObjectStore) -> None:
    store.put_bytes("k/x", b"original")
    with pytest.raises(ObjectExistsError) as info:
        store.put_bytes("k/x", b"changed!")
    assert "immutable" in (info.value.hint or "")
    assert store.get_bytes("k/x") == b"original"


def test_concurrent_writers_one_wins(store: ObjectStore) -> None:
    results: dict[int, Any] = {}

    def put(n: int) -> None:
        try:
            results[n] = store.put_bytes("race/obj", f"writer {n}".encode() * 100)
        except ObjectExistsError as exc:
            results[n] = exc

    threads = [threading.Thread(target=put, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [r for r in results.values() if not isinstance(r, Exception)]
    assert len(winners) == 1
    assert (
        store.get_bytes("race/obj")
        == b"".join(
            [
                b"writer ",
                str(next(n for n, r in results.items() if not isinstance(r, Exception))).encode(),
            ]
        )
        * 100
    )


def test_ranged_read(store: ObjectStore) -> None:
    data = bytes(range(256)) * 40
    store.put_bytes("r/obj", data)
    assert store.get_range("r/obj", 0, 10) == data[:10]
    assert store.get_range("r/obj", 5000, 1234) == data[5000:6234]
    assert store.get_range("r/obj", len(data) - 3, 3) == data[-3:]
    with pytest.raises(ObjectNotFoundError):
        store.get_range("r/missing", 0, 1)
    with pytest.raises(InvalidKeyError):
        store.get_range("r/obj", -1, 5)


def test_download_verifies(store: ObjectStore, tmp_path: Path) -> None:
    data = os.urandom(300_000)
    store.put_bytes("d/obj", data)
    out = tmp_path / "copy"
    got = store.download("d/obj", out)
    assert out.read_bytes() == data
    assert got.sha256 == hashlib.sha256(data).hexdigest()
    with pytest.raises(ObjectNotFoundError):
        store.get_bytes("d/nothing")


def test_list_keys(store: ObjectStore) -> None:
    for key in ["warcs/2024/01/a.warc.gz", "warcs/2024/02/b.warc.gz", "documents/x/1"]:
        store.put_bytes(key, key.encode())
    assert list(store.iter_keys("warcs")) == ["warcs/2024/01/a.warc.gz", "warcs/2024/02/b.warc.gz"]
    assert sorted(store.iter_keys()) == [
        "documents/x/1",
        "warcs/2024/01/a.warc.gz",
        "warcs/2024/02/b.warc.gz",
    ]


def test_read_chunks_streams_the_object_in_order(store: ObjectStore) -> None:
    data = bytes(range(256)) * 41  # 10,496 bytes: several chunks and a short last one
    store.put_bytes("warcs/stream.warc.gz", data)
    chunks = list(store.read_chunks("warcs/stream.warc.gz", chunk_size=4096))
    assert b"".join(chunks) == data
    assert [len(c) for c in chunks[:2]] == [4096, 4096]
    with pytest.raises(ObjectNotFoundError):
        next(iter(store.read_chunks("warcs/absent.warc.gz")))


@pytest.mark.parametrize(
    "key",
    [
        "../escape",
        "a/../../b",
        "/etc/passwd",
        "a//b",
        "a/./b",
        ".hidden",
        "a/.meta/x",
        "a\\b",
        "nul\x00byte",
        "new\nline",
        "",
        "x" * 1025,
    ],
)
def test_bad_keys_are_refused(store: ObjectStore, key: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidKeyError):
        store.put_bytes(key, b"x")
    with pytest.raises(InvalidKeyError):
        store.get_bytes(key)
    with pytest.raises(InvalidKeyError):
        store.head(key)
    if isinstance(store, LocalStore):
        # nothing was written anywhere outside (or inside) the store root
        assert not (tmp_path / "escape").exists()


def test_local_corruption_is_detected(tmp_path: Path, make_settings: Any) -> None:
    store = open_store(make_settings(store={"url": (tmp_path / "st").as_uri()}))
    store.put_bytes("c/obj", b"pristine bytes")
    path = tmp_path / "st" / "c" / "obj"
    path.chmod(0o644)
    path.write_bytes(b"tampered bytes")
    with pytest.raises(IntegrityError):
        store.get_bytes("c/obj")
    with pytest.raises(IntegrityError):
        store.download("c/obj", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_local_write_is_atomic_no_temp_left(tmp_path: Path, make_settings: Any) -> None:
    store = open_store(make_settings(store={"url": (tmp_path / "st").as_uri()}))
    store.put_bytes("a/b/c", b"1")
    leftovers = [p.name for p in (tmp_path / "st").rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []


def test_put_file_with_the_digest_given(store: ObjectStore, tmp_path: Path) -> None:
    data = os.urandom(300_000)
    src = tmp_path / "spool.warc.gz"
    src.write_bytes(data)
    digest = (hashlib.sha256(data).hexdigest(), len(data))
    stored = store.put_file("warcs/given.warc.gz", src, digest)
    assert (stored.sha256, stored.size) == digest
    src.unlink()  # the spool copy goes once committed; the stored object stays whole
    assert store.get_bytes("warcs/given.warc.gz") == data
    assert store.put_file("warcs/given.warc.gz", tmp_path / "gone", digest).sha256 == digest[0]


def test_a_file_that_changed_since_it_was_hashed_is_refused(
    tmp_path: Path, make_settings: Any
) -> None:
    store = open_store(make_settings(store={"url": (tmp_path / "st").as_uri()}))
    src = tmp_path / "spool.warc.gz"
    src.write_bytes(b"x" * 1000)
    digest = (hashlib.sha256(b"x" * 1000).hexdigest(), 1000)
    src.write_bytes(b"x" * 1200)
    with pytest.raises(IntegrityError):
        store.put_file("warcs/changed.warc.gz", src, digest)
    assert store.head("warcs/changed.warc.gz") is None
    assert not [p for p in (tmp_path / "st").rglob("*") if p.name.startswith(".tmp-")]


@pytest.mark.s3
def test_s3_corruption_is_detected(
    s3_store_settings: dict[str, Any], make_settings: Any, s3_client: Any, s3_prefix: str
) -> None:
    store = open_store(make_settings(store=s3_store_settings))
    assert isinstance(store, S3Store)
    store.put_bytes("c/obj", b"pristine bytes")
    # Replace the object behind citevault's back, keeping the recorded digest.
    head = s3_client.head_object(Bucket=store.bucket, Key=f"{s3_prefix}/c/obj")
    s3_client.put_object(
        Bucket=store.bucket,
        Key=f"{s3_prefix}/c/obj",
        Body=b"tampered bytes",
        Metadata=head["Metadata"],
    )
    with pytest.raises(IntegrityError):
        store.get_bytes("c/obj")


@pytest.mark.s3
def test_s3_multipart_and_range_across_part_boundary(
    s3_store_settings: dict[str, Any],
    make_settings: Any,
    tmp_path: Path,
    s3_client: Any,
    s3_prefix: str,
) -> None:
    part = 5 * 1024 * 1024
    settings = dict(s3_store_settings, multipart_threshold_bytes=part, multipart_chunk_bytes=part)
    store = open_store(make_settings(store=settings))
    data = os.urandom(2 * part + 12345)
    src = tmp_path / "big.warc.gz"
    src.write_bytes(data)
    stored = store.put_file("warcs/big.warc.gz", src)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    # It really went up in parts: S3 ETags of multipart objects end in -<parts>.
    etag = s3_client.head_object(Bucket=store.bucket, Key=f"{s3_prefix}/warcs/big.warc.gz")["ETag"]
    assert etag.strip('"').endswith("-3")
    assert store.get_range("warcs/big.warc.gz", part - 100, 200) == data[part - 100 : part + 100]
    start = 2 * part - 7
    assert store.get_range("warcs/big.warc.gz", start, 50) == data[start : start + 50]
    assert store.get_bytes("warcs/big.warc.gz") == data
    # and a second multipart upload of other bytes is refused
    other = tmp_path / "other"
    other.write_bytes(os.urandom(2 * part))
    with pytest.raises(ObjectExistsError):
        store.put_file("warcs/big.warc.gz", other)
    assert store.get_bytes("warcs/big.warc.gz") == data


@pytest.mark.s3
def test_s3_prefix_is_respected(
    s3_store_settings: dict[str, Any], make_settings: Any, s3_client: Any, s3_prefix: str
) -> None:
    store = open_store(make_settings(store=s3_store_settings))
    assert isinstance(store, S3Store)
    store.put_bytes("warcs/x", b"1")
    listed = s3_client.list_objects_v2(Bucket=store.bucket, Prefix=s3_prefix.split("-")[0])
    keys = [o["Key"] for o in listed["Contents"] if o["Key"].startswith(s3_prefix)]
    assert keys == [f"{s3_prefix}/warcs/x"]
    # and nothing of this store's lies outside its prefix
    assert list(store.iter_keys()) == ["warcs/x"]


@pytest.mark.s3
def test_s3_missing_bucket_is_named(
    s3_store_settings: dict[str, Any], make_settings: Any, s3_prefix: str
) -> None:
    """An object looked up in a bucket that does not exist: the bucket is the error, not the key."""
    missing = {**s3_store_settings, "url": f"s3://no-such-bucket-{s3_prefix}/p"}
    store = open_store(make_settings(store=missing))
    for ask in (lambda: store.head("warcs/x"), store.check):
        with pytest.raises(NoSuchBucketError, match="does not exist") as caught:
            ask()
        assert "create the bucket" in (caught.value.hint or "")
