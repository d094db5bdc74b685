"""Object storage for WARC files and document bytes: S3 or a local folder."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from archive.errors import ConfigError
from archive.settings import Settings
from archive.storage.base import ObjectStore, StoredObject, validate_key

__all__ = ["ObjectStore", "StoredObject", "open_store", "validate_key"]


def open_store(settings: Settings) -> ObjectStore:
    """The store named by ``store.url`` (a ``file://`` folder or ``s3://bucket/prefix``)."""
    url = settings.effective_store_url
    scheme = urlparse(url).scheme
    if scheme == "file":
        from archive.storage.local import LocalStore

        parsed = urlparse(url)
        if parsed.netloc not in ("", "localhost"):
            raise ConfigError(f"file store URL {url!r} names a host; use file:///absolute/path")
        return LocalStore(Path(unquote(parsed.path)))
    if scheme == "s3":
        from archive.storage.s3 import S3Store

        return S3Store(url, settings.store)
    raise ConfigError(
        f"unsupported store URL {url!r}",
        hint="use file:///absolute/folder or s3://bucket/prefix",
    )
