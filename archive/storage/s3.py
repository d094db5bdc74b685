"""The S3 store (boto3; any S3-compatible server through ``endpoint_url``).

Writes use ``If-None-Match: *`` so the server itself refuses to overwrite an
object, closing the race between two workers uploading the same key.  The
SHA-256 travels twice: as S3's own ``ChecksumSHA256`` (the server checks the
bytes it received, per part for multipart uploads) and as ``x-amz-meta-sha256``
of the whole object, which is what every later read is verified against.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.exceptions import ConnectTimeoutError as BotoConnectTimeout

from archive import metrics
from archive.errors import (
    ConfigError,
    NoSuchBucketError,
    ObjectNotFoundError,
    StoreAuthError,
    StoreError,
    StoreUnavailableError,
)
from archive.settings import StoreSettings
from archive.storage.base import (
    ObjectStore,
    StoredObject,
    check_range,
    check_same,
    sha256_file,
    validate_key,
    verify,
    verify_download,
)

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_AUTH_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403", "Forbidden"}
_MISSING_OBJECT_CODES = {"404", "NoSuchKey"}
_UNREACHABLE = (
    EndpointConnectionError,
    BotoConnectTimeout,
    ReadTimeoutError,
    ConnectionClosedError,
)
_ERROR_CODE = re.compile(rb"<Code>([^<]{1,64})</Code>")
_META = "sha256"
PRESIGN_VALID_SECONDS = 3600
PRESIGN_REUSE_SECONDS = 600


def s3_error(
    store: S3Store,
    what: str,
    exc: BaseException | None = None,
    *,
    code: str = "",
    key: str | None = None,
    unreachable: bool = False,
) -> StoreError:
    """citevault's error for a failed S3 request, whichever client sent it.

    ``exc`` is the client's exception, or None when the server answered with
    an error; ``code`` is then S3's error code (see ``error_code``).  Another
    client than botocore says ``unreachable`` for its transport failures (this
    module does not import it).  With ``key``, a missing object is
    ObjectNotFoundError; without it, the caller has already decided what a 404
    means.
    """
    where = f"bucket {store.bucket!r} at {store.endpoint}"
    if isinstance(exc, NoCredentialsError):
        return StoreAuthError(
            f"no S3 credentials found for {where}",
            hint="set store.access_key_id/secret_access_key or AWS_ACCESS_KEY_ID/"
            "AWS_SECRET_ACCESS_KEY",
        )
    if unreachable or isinstance(exc, _UNREACHABLE):
        return StoreUnavailableError(
            f"cannot reach the S3 endpoint {store.endpoint} while trying to {what}: {exc}",
            hint="check store.endpoint_url and that the S3 server is running",
        )
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
    if code == "NoSuchBucket":
        return NoSuchBucketError(
            f"{where} does not exist",
            hint="create the bucket or fix the bucket name in store.url",
        )
    if key is not None and code in _MISSING_OBJECT_CODES:
        return ObjectNotFoundError(f"no object {key!r} in {store.url}")
    if code in _AUTH_CODES:
        return StoreAuthError(
            f"S3 refused our credentials for {where} ({code}) while trying to {what}",
            hint="check the access key and secret (store.* settings or AWS_* variables)",
        )
    if code:
        return StoreError(f"S3 error {code} for {where} while trying to {what}: {exc or ''}")
    return StoreError(f"S3 failure for {where} while trying to {what}: {exc}")


def error_code(status: int, body: bytes) -> str:
    """S3's error code in an error response read without botocore.

    The XML body names it (``NoSuchKey`` and ``NoSuchBucket`` are both 404s);
    a body without one (a HEAD, a proxy's page) leaves the HTTP status,
    which botocore reports as the code in that case too.
    """
    found = _ERROR_CODE.search(body)
    return found.group(1).decode("ascii", "replace") if found else str(status)


def parse_s3_url(url: str) -> tuple[str, str]:
    """Split ``s3://bucket/some/prefix`` into bucket and prefix (no slashes at the ends)."""
    if not url.startswith("s3://"):
        raise ConfigError(f"not an s3:// URL: {url!r}")
    rest = url[len("s3://") :]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise ConfigError(
            f"store URL {url!r} names no bucket", hint="use s3://bucket or s3://bucket/prefix"
        )
    prefix = prefix.strip("/")
    if prefix:
        validate_key(prefix)
    return bucket, prefix


def _count_retries(response: Any) -> None:
    """botocore retries inside each call and says how often in the answer (or the error's)."""
    attempts = response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
    metrics.upload_retries(int(attempts or 0))


class S3Store(ObjectStore):
    def __init__(self, url: str, settings: StoreSettings) -> None:
        self.url = url
        self.bucket, self.prefix = parse_s3_url(url)
        self.endpoint = settings.endpoint_url or "AWS S3"
        self.threshold = settings.multipart_threshold_bytes
        self.chunk = settings.multipart_chunk_bytes
        secret_value = settings.secret_access_key
        secret = secret_value.get_secret_value() if secret_value else None
        session = boto3.session.Session(
            aws_access_key_id=settings.access_key_id,
            aws_secret_access_key=secret,
            region_name=settings.region,
        )
        self.client: S3Client = session.client(
            "s3",
            endpoint_url=settings.endpoint_url,
            config=Config(
                connect_timeout=settings.connect_timeout_seconds,
                read_timeout=settings.read_timeout_seconds,
                retries={"max_attempts": settings.max_attempts, "mode": "standard"},
                # Every upload carries its own signed ChecksumSHA256, which
                # the server checks against the body, so signing the payload
                # as well (what botocore does on plain http) would only hash
                # every byte a second time.
                s3={"addressing_style": "path", "payload_signing_enabled": False},
                # One client serves every thread of a process (the API's thread
                # pool reads WARC records through it); botocore's default of 10
                # pooled connections made the rest open and drop a connection
                # per request.
                max_pool_connections=64,
            ),
        )
        self._presigned: dict[str, tuple[str, float]] = {}

    def _full(self, key: str) -> str:
        validate_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _fail(self, exc: Exception, what: str) -> NoReturn:
        raise s3_error(self, what, exc) from exc

    def head(self, key: str) -> StoredObject | None:
        try:
            resp = self.client.head_object(Bucket=self.bucket, Key=self._full(key))
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in ("404", "NoSuchKey", "NotFound"):
                self._check_bucket()
                return None
            self._fail(exc, f"look up {key!r}")
        except BotoCoreError as exc:
            self._fail(exc, f"look up {key!r}")
        return StoredObject(key, int(resp["ContentLength"]), resp.get("Metadata", {}).get(_META))

    def _check_bucket(self) -> None:
        """Raise NoSuchBucketError, naming the bucket, if it does not exist.

        An object's 404 may really mean the bucket is missing, and ``doctor``
        asks first of all: both want that said rather than "not found".
        """
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code"))
            if code in ("404", "NoSuchBucket", "NotFound"):
                raise NoSuchBucketError(
                    f"bucket {self.bucket!r} at {self.endpoint} does not exist",
                    hint="create the bucket or fix the bucket name in store.url",
                ) from exc
            self._fail(exc, "check the bucket")
        except BotoCoreError as exc:
            self._fail(exc, "check the bucket")

    def put_file(self, key: str, path: Path, digest: tuple[str, int] | None = None) -> StoredObject:
        full = self._full(key)
        sha256, size = digest or sha256_file(path)
        existing = self.head(key)
        if existing is not None and check_same(key, existing, sha256, size):
            return existing
        try:
            if size < self.threshold:
                self._put_single(full, path, sha256)
            else:
                self._put_multipart(full, path, sha256)
        except ClientError as exc:
            _count_retries(exc.response)
            if str(exc.response.get("Error", {}).get("Code")) == "PreconditionFailed":
                found = self.head(key)
                if found is not None and check_same(key, found, sha256, size):
                    return found
            self._fail(exc, f"upload {key!r}")
        except BotoCoreError as exc:
            self._fail(exc, f"upload {key!r}")
        self.verify_object(key, sha256, size)
        return StoredObject(key, size, sha256)

    def _put_single(self, full: str, path: Path, sha256: str) -> None:
        checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
        with path.open("rb") as body:
            resp = self.client.put_object(
                Bucket=self.bucket,
                Key=full,
                Body=body,
                Metadata={_META: sha256},
                ChecksumSHA256=checksum,
                IfNoneMatch="*",
            )
        _count_retries(resp)

    def _put_multipart(self, full: str, path: Path, sha256: str) -> None:
        upload = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=full, Metadata={_META: sha256}, ChecksumAlgorithm="SHA256"
        )
        upload_id = upload["UploadId"]
        parts: list[Any] = []
        try:
            with path.open("rb") as fh:
                number = 1
                while chunk := fh.read(self.chunk):
                    part_sum = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
                    resp = self.client.upload_part(
                        Bucket=self.bucket,
                        Key=full,
                        UploadId=upload_id,
                        PartNumber=number,
                        Body=chunk,
                        ChecksumSHA256=part_sum,
                    )
                    _count_retries(resp)
                    parts.append(
                        {"ETag": resp["ETag"], "PartNumber": number, "ChecksumSHA256": part_sum}
                    )
                    number += 1
            done = self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=full,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
                IfNoneMatch="*",
            )
            _count_retries(done)
        except BaseException:
            # Best effort; a bucket lifecycle rule cleans up what is left.
            with contextlib.suppress(ClientError, BotoCoreError):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=full, UploadId=upload_id)
            raise

    def _get(self, key: str, what: str, **kwargs: Any) -> Any:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._full(key), **kwargs)
        except ClientError as exc:
            raise s3_error(self, what, exc, key=key) from exc
        except BotoCoreError as exc:
            self._fail(exc, what)

    def get_bytes(self, key: str) -> bytes:
        resp = self._get(key, f"read {key!r}")
        data: bytes = resp["Body"].read()
        return verify(key, data, resp.get("Metadata", {}).get(_META))

    def get_range(self, key: str, offset: int, length: int) -> bytes:
        check_range(key, offset, length)
        byte_range = f"bytes={offset}-{offset + length - 1}"
        resp = self._get(key, f"read a range of {key!r}", Range=byte_range)
        data: bytes = resp["Body"].read()
        return data

    def presigned_get(self, key: str) -> str:
        """A URL that reads ``key`` for the next hour, signed locally (no request).

        Kept per key for ten minutes: the API's hot WARC downloads fetch ranges
        with it through a lean asyncio client, because botocore spends more CPU
        on one small ranged GET than the S3 server does.
        """
        now = time.monotonic()
        found = self._presigned.get(key)
        if found is not None and now - found[1] < PRESIGN_REUSE_SECONDS:
            return found[0]
        url = self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": self._full(key)},
            ExpiresIn=PRESIGN_VALID_SECONDS,
        )
        if len(self._presigned) > 10_000:
            self._presigned.clear()
        self._presigned[key] = (url, now)
        return url

    def url_read_error(
        self, key: str, exc: BaseException | None, status: int = 0, body: bytes = b""
    ) -> StoreError:
        what = f"read a range of {key!r}"
        if exc is not None:
            return s3_error(self, what, exc, unreachable=True)
        return s3_error(self, what, code=error_code(status, body), key=key)

    def download(self, key: str, dest: Path) -> StoredObject:
        resp = self._get(key, f"download {key!r}")
        size = int(resp["ContentLength"])
        recorded = StoredObject(key, size, resp.get("Metadata", {}).get(_META))
        with dest.open("wb") as out:
            for chunk in resp["Body"].iter_chunks(1024 * 1024):
                out.write(chunk)
        return verify_download(key, dest, recorded)

    def read_chunks(self, key: str, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
        resp = self._get(key, f"read {key!r}")
        try:
            yield from resp["Body"].iter_chunks(chunk_size)
        except BotoCoreError as exc:
            self._fail(exc, f"read {key!r}")
        finally:
            resp["Body"].close()

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        full_prefix = (
            self._full(prefix.rstrip("/")) + "/"
            if prefix
            else (self.prefix + "/" if self.prefix else "")
        )
        strip = len(self.prefix) + 1 if self.prefix else 0
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=full_prefix):
                for item in page.get("Contents", []):
                    yield item["Key"][strip:]
        except (ClientError, BotoCoreError) as exc:
            self._fail(exc, "list objects")

    def ping(self) -> None:
        self._check_bucket()

    def check(self) -> None:
        self._check_bucket()
        probe = f"{self.prefix}/.doctor-probe" if self.prefix else ".doctor-probe"
        try:
            checksum = base64.b64encode(hashlib.sha256(b"ok").digest()).decode()
            self.client.put_object(
                Bucket=self.bucket, Key=probe, Body=b"ok", ChecksumSHA256=checksum
            )
            self.client.delete_object(Bucket=self.bucket, Key=probe)
        except (ClientError, BotoCoreError) as exc:
            self._fail(exc, "write a test object")
