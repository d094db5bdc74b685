"""A store in a local folder, with the same key layout as the S3 store.

Objects are written to a temporary file in the destination folder, fsynced,
then hard-linked into place: ``link`` fails if the name exists, which gives an
atomic "create, never overwrite" on every POSIX file system.  The SHA-256 of
each object lives in a sidecar under ``.meta/`` (keys can never start with a
dot, so it cannot collide with an object).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from archive.errors import (
    IntegrityError,
    ObjectNotFoundError,
    StorePermissionError,
)
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

META_DIR = ".meta"


class LocalStore(ObjectStore):
    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = root.as_uri()

    def _path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def _meta(self, key: str) -> Path:
        return self.root / META_DIR / (validate_key(key) + ".sha256")

    def _ensure_dir(self, path: Path) -> None:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except PermissionError as exc:
            raise StorePermissionError(
                f"cannot create folder {path} in the local store: permission denied",
                hint="make the store folder writable or point store.url elsewhere",
            ) from exc
        except OSError as exc:
            raise StorePermissionError(
                f"cannot create folder {path} in the local store: {exc.strerror}",
                hint="check that the store path is a writable folder",
            ) from exc

    def put_file(self, key: str, path: Path, digest: tuple[str, int] | None = None) -> StoredObject:
        dest = self._path(key)
        sha256, size = digest or sha256_file(path)
        existing = self.head(key)
        if existing is not None and check_same(key, existing, sha256, size):
            return existing
        self._ensure_dir(dest.parent)
        self._ensure_dir(self._meta(key).parent)
        tmp = self._link_to_temp(path, dest.parent, sha256, size)
        try:
            # The lock makes "check, write digest, link" one step for every
            # process on this machine; the link alone would not keep the
            # digest sidecar consistent with the object that won.
            with self._lock():
                existing = self.head(key)
                if existing is not None and check_same(key, existing, sha256, size):
                    return existing
                self._write_meta(key, sha256)
                os.link(tmp, dest)
        except OSError as exc:
            raise self._os_error(dest, exc) from exc
        finally:
            tmp.unlink(missing_ok=True)
        return StoredObject(key, size, sha256)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        lock_path = self.root / META_DIR / "lock"
        self._ensure_dir(lock_path.parent)
        with lock_path.open("a") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _link_to_temp(self, src: Path, folder: Path, sha256: str, size: int) -> Path:
        """A new name for ``src`` in ``folder``: a hard link when both are on one filesystem.

        Files handed to the store are finished and never written again (closed
        WARC files are synced before they are named), so sharing the inode
        saves copying and syncing every byte once more; elsewhere the bytes
        are copied and checked against the digest the caller gave.
        """
        tmp = folder / f".tmp-{uuid.uuid4().hex}"
        try:
            os.link(src, tmp)
        except OSError:
            copied = self._copy_to_temp(src, folder)
            if sha256_file(copied) != (sha256, size):
                copied.unlink(missing_ok=True)
                raise IntegrityError(
                    f"{src} changed while it was being stored",
                    hint="files handed to the store must not be written to; retry",
                ) from None
            return copied
        linked_size = tmp.stat().st_size
        if linked_size != size:
            tmp.unlink(missing_ok=True)
            raise IntegrityError(
                f"{src} is {linked_size} bytes, not the {size} it was hashed at",
                hint="files handed to the store must not be written to; retry",
            )
        return tmp

    def _copy_to_temp(self, src: Path, folder: Path) -> Path:
        try:
            fd, name = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        except OSError as exc:
            raise self._os_error(folder, exc) from exc
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as out, src.open("rb") as inp:
                shutil.copyfileobj(inp, out, 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp

    def _write_meta(self, key: str, sha256: str) -> None:
        meta = self._meta(key)
        try:
            fd, name = tempfile.mkstemp(dir=meta.parent, prefix=".tmp-")
            with os.fdopen(fd, "w") as out:
                out.write(sha256 + "\n")
            Path(name).replace(meta)
        except OSError as exc:
            raise self._os_error(meta.parent, exc) from exc

    def _os_error(self, path: Path, exc: OSError) -> StorePermissionError:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return StorePermissionError(
                f"local store folder {path} is not writable ({exc.strerror})",
                hint="fix the folder's permissions or point store.url at a writable folder",
            )
        return StorePermissionError(f"cannot write to the local store at {path}: {exc.strerror}")

    def head(self, key: str) -> StoredObject | None:
        path = self._path(key)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return None
        try:
            sha256: str | None = self._meta(key).read_text().strip() or None
        except FileNotFoundError:
            sha256 = None
        return StoredObject(key, size, sha256)

    def _recorded(self, key: str) -> StoredObject:
        found = self.head(key)
        if found is None:
            raise ObjectNotFoundError(f"no object {key!r} in the store at {self.url}")
        return found

    def get_bytes(self, key: str) -> bytes:
        found = self._recorded(key)
        return verify(key, self._path(key).read_bytes(), found.sha256)

    def get_range(self, key: str, offset: int, length: int) -> bytes:
        check_range(key, offset, length)
        self._recorded(key)
        with self._path(key).open("rb") as fh:
            fh.seek(offset)
            return fh.read(length)

    def download(self, key: str, dest: Path) -> StoredObject:
        found = self._recorded(key)
        shutil.copyfile(self._path(key), dest)
        return verify_download(key, dest, found)

    def read_chunks(self, key: str, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
        try:
            fh = self._path(key).open("rb")
        except FileNotFoundError:
            raise ObjectNotFoundError(f"no object {key!r} in the store at {self.url}") from None
        with fh:
            while chunk := fh.read(chunk_size):
                yield chunk

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        base = self.root / validate_key(prefix.rstrip("/")) if prefix else self.root
        if not base.exists():
            return
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    yield (Path(dirpath) / name).relative_to(self.root).as_posix()

    def ping(self) -> None:
        self._ensure_dir(self.root)  # a new embedded setup has no folder until its first write
        if not self.root.is_dir():
            raise StorePermissionError(
                f"local store path {self.root} is missing or not a folder",
                hint="mount or create the store folder (store.url)",
            )
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StorePermissionError(
                f"local store path {self.root} is not writable",
                hint="give the service's user write access to the store folder",
            )

    def check(self) -> None:
        self._ensure_dir(self.root)
        if not self.root.is_dir():
            raise StorePermissionError(f"local store path {self.root} is not a folder")
        try:
            fd, name = tempfile.mkstemp(dir=self.root, prefix=".doctor-")
        except OSError as exc:
            raise self._os_error(self.root, exc) from exc
        os.close(fd)
        with contextlib.suppress(OSError):
            Path(name).unlink()
