"""The object store interface that WARC files and document bytes go through.

Objects are immutable: putting a key that exists with the same bytes is a
no-op (so an interrupted upload can simply be retried), with other bytes it is
an error.  Every object carries its SHA-256, checked after upload and on every
full read, because an archive that cannot prove its bytes are intact is not
evidence.
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.errors import IntegrityError, InvalidKeyError, ObjectExistsError, StoreError

MAX_KEY_LENGTH = 1024
_CHUNK = 1024 * 1024
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\\]")


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    size: int
    sha256: str | None


def validate_key(key: str) -> str:
    """Refuse keys that could escape the store prefix or confuse a file system.

    Rules: relative, '/'-separated, no empty, '.' or '..' segments, no segment
    starting with '.', no backslashes or control characters.
    """
    if not isinstance(key, str) or not key:
        raise InvalidKeyError("store key is empty")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidKeyError(f"store key is longer than {MAX_KEY_LENGTH} characters")
    if key.startswith("/"):
        raise InvalidKeyError(f"store key {key!r} is absolute", hint="keys are relative paths")
    if _BAD_CHARS.search(key):
        raise InvalidKeyError(f"store key {key!r} contains control characters or a backslash")
    for segment in key.split("/"):
        if segment in ("", ".", ".."):
            raise InvalidKeyError(
                f"store key {key!r} has an empty, '.' or '..' segment",
                hint="keys may not climb out of the store prefix",
            )
        if segment.startswith("."):
            raise InvalidKeyError(f"store key {key!r} has a hidden segment {segment!r}")
    return key


def sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def check_same(key: str, existing: StoredObject, sha256: str, size: int) -> bool:
    """True if ``existing`` holds exactly these bytes; raise if it holds others."""
    if existing.size == size and existing.sha256 == sha256:
        return True
    raise ObjectExistsError(
        f"object {key!r} already exists with different content "
        f"(stored sha256 {existing.sha256}, size {existing.size}; "
        f"new sha256 {sha256}, size {size})",
        hint="stored objects are immutable; write under a new key",
    )


def verify(key: str, data: bytes, expected: str | None) -> bytes:
    if expected is not None and hashlib.sha256(data).hexdigest() != expected:
        raise IntegrityError(
            f"object {key!r} does not match its recorded SHA-256 {expected}",
            hint="the stored copy is damaged; restore it from a replica or re-capture",
        )
    return data


def verify_download(key: str, dest: Path, recorded: StoredObject) -> StoredObject:
    """Check a downloaded copy against the recorded digest; remove it if it differs."""
    sha256, size = sha256_file(dest)
    if size != recorded.size or (recorded.sha256 is not None and sha256 != recorded.sha256):
        dest.unlink(missing_ok=True)
        raise IntegrityError(
            f"object {key!r} does not match its recorded SHA-256 {recorded.sha256} "
            f"and size {recorded.size} (got {sha256}, {size})",
            hint="the stored copy is damaged; restore it from a replica or re-capture",
        )
    return StoredObject(key, size, sha256)


class ObjectStore(ABC):
    """One interface for the S3 and the local-folder store."""

    url: str

    @abstractmethod
    def put_file(self, key: str, path: Path, digest: tuple[str, int] | None = None) -> StoredObject:
        """Upload a file; idempotent for identical bytes, an error for different ones.

        ``digest`` is the file's (sha256 hex, size) when the caller has just
        computed it, which saves reading a large file once more.  Returns only
        once the stored object is known to hold those bytes (verified here,
        once: callers do not check again).
        """

    def put_bytes(self, key: str, data: bytes) -> StoredObject:
        import tempfile

        with tempfile.NamedTemporaryFile() as tmp:
            tmp.write(data)
            tmp.flush()
            return self.put_file(key, Path(tmp.name))

    @abstractmethod
    def head(self, key: str) -> StoredObject | None:
        """Size and recorded SHA-256 of an object, or None if there is none."""

    @abstractmethod
    def get_bytes(self, key: str) -> bytes:
        """The whole object, verified against its recorded SHA-256."""

    @abstractmethod
    def get_range(self, key: str, offset: int, length: int) -> bytes:
        """``length`` bytes from ``offset``: one WARC record out of a large file."""

    @abstractmethod
    def download(self, key: str, dest: Path) -> StoredObject:
        """Copy an object to a local file, verified against its SHA-256."""

    @abstractmethod
    def read_chunks(self, key: str, chunk_size: int = _CHUNK) -> Iterator[bytes]:
        """The object's bytes in order, ``chunk_size`` at a time, not verified here.

        For readers that hash as they go (the fixity audit): holding a large
        WARC file in memory, or reading it twice, is what this avoids.  A
        missing object raises ObjectNotFoundError before the first chunk.
        """

    @abstractmethod
    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        """Every key under ``prefix`` (which must end at a segment boundary or be empty)."""

    @abstractmethod
    def ping(self) -> None:
        """Raise a StoreError unless the store answers; writes no object (a readiness probe)."""

    @abstractmethod
    def check(self) -> None:
        """Raise a StoreError saying plainly why the store cannot be used."""

    def presigned_get(self, key: str) -> str | None:
        """A URL any HTTP client can read ``key`` through, ranges too, or None.

        None for a store whose reads stay in this process (a local folder):
        the API then reads through ``get_range`` on its thread pool.
        """
        return None

    def url_read_error(
        self, key: str, exc: BaseException | None, status: int = 0, body: bytes = b""
    ) -> StoreError:
        """What a failed read through ``presigned_get(key)`` means, as the store's own
        read would say it: ``exc`` is the HTTP client's transport failure (no
        answer), else the server answered ``status`` with ``body``."""
        return StoreError(f"reading {key!r} from {self.url} failed: {exc or status}")

    def exists(self, key: str) -> bool:
        return self.head(key) is not None

    def verify_object(self, key: str, sha256: str, size: int) -> None:
        """Raise IntegrityError unless ``key`` holds an object with this digest and size."""
        found = self.head(key)
        if found is None or found.size != size or found.sha256 != sha256:
            raise IntegrityError(
                f"object {key!r} in the store does not match what was uploaded "
                f"(expected sha256 {sha256}, size {size}; found {found})",
                hint="the upload was incomplete or the store changed it; retry the upload",
            )


def check_range(key: str, offset: int, length: int) -> None:
    if offset < 0 or length <= 0:
        raise InvalidKeyError(f"invalid byte range offset={offset} length={length} for {key!r}")
