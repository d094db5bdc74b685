"""The one exception hierarchy of citevault.

Every error a user can meet carries two things: what went wrong (the message,
which names the cause) and what the user can do about it (the hint).  The CLI
prints both and exits non-zero; the API turns them into a JSON error body.
Nothing outside this module defines a top-level exception class.
"""

from __future__ import annotations

from typing import Any


def _rebuild(cls: type[CitevaultError], args: tuple[Any, ...]) -> CitevaultError:
    return cls.__new__(cls, *args)


class CitevaultError(Exception):
    """Base of every error citevault raises on purpose."""

    exit_code = 1
    code = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        """Rebuilt without ``__init__`` (whose signature a subclass may change), hint and all:
        errors raised while a child process extracts a document are re-raised in the server."""
        return (_rebuild, (type(self), self.args), self.__dict__)


class ConfigError(CitevaultError):
    """The configuration file, an environment variable or a setting is wrong."""

    exit_code = 2
    code = "config_error"


class InputError(CitevaultError):
    """Something the user handed in (a document, an id, a URL) is not usable."""

    exit_code = 2
    code = "bad_input"


class TooLargeError(InputError):
    """A document is larger than ``max_document_bytes``; found while reading, never later."""

    code = "too_large"


class NotFoundError(CitevaultError):
    """The thing asked for does not exist."""

    exit_code = 3
    code = "not_found"


class DatabaseError(CitevaultError):
    """The database cannot be reached or used."""

    exit_code = 4
    code = "database_error"


class StoreError(CitevaultError):
    """The object store cannot be reached or refused an operation."""

    exit_code = 5
    code = "store_error"


class StoreUnavailableError(StoreError):
    """The store host cannot be reached at all."""

    code = "store_unavailable"


class StoreAuthError(StoreError):
    """The store refused our credentials."""

    code = "store_auth"


class NoSuchBucketError(StoreError):
    """The configured bucket does not exist."""

    code = "no_such_bucket"


class StorePermissionError(StoreError):
    """The store (or the local folder) cannot be written."""

    code = "store_permission"


class InvalidKeyError(StoreError, InputError):
    """A store key would escape the store prefix or is malformed."""

    exit_code = 2
    code = "invalid_key"


class ObjectExistsError(StoreError):
    """An object exists under the key with other bytes: objects are immutable."""

    code = "object_exists"


class ObjectNotFoundError(StoreError, NotFoundError):
    """No object under that key."""

    exit_code = 3
    code = "object_not_found"


class IntegrityError(StoreError):
    """Stored bytes do not match their recorded SHA-256 or size."""

    code = "integrity_error"


class CrawlerStoppedError(CitevaultError):
    """The crawler process died (killed, or crashed) before its crawl ended."""

    code = "crawler_stopped"


class LeaseLostError(CitevaultError):
    """Another scheduler took over a tick this one was running (its lease ran out)."""

    code = "lease_lost"


class CapturesFailedError(CitevaultError):
    """``archive``/``capture`` ended with captures that failed for good."""

    exit_code = 7
    code = "captures_failed"


class CapturesPendingError(CitevaultError):
    """``archive``/``capture`` ended with captures still waiting for a retry or a worker."""

    exit_code = 8
    code = "captures_pending"


class FixityError(CitevaultError):
    """``verify`` found stored objects missing, corrupt or orphaned."""

    exit_code = 9
    code = "fixity_problems"


class ExtractionError(CitevaultError):
    """A document's extraction did not finish: its process died, or the server is stopping."""

    code = "extraction_failed"


class FetchError(CitevaultError):
    """A URL could not be fetched (refused, timed out, too large, bad status)."""

    exit_code = 6
    code = "fetch_error"


class HostNotFoundError(FetchError):
    """The host of a URL does not exist: its name has no DNS entry (NXDOMAIN), or it is a
    name that can never have one (``.invalid``, RFC 6761).  Trying again later is no use."""

    code = "host_not_found"


class BlockedByPolicyError(FetchError, InputError):
    """The fetch policy refuses this URL: wrong scheme or a non-public address."""

    exit_code = 2
    code = "blocked_by_policy"


class DamagedWarcError(IntegrityError):
    """A WARC file in the spool cannot be parsed (cut short or corrupted)."""

    code = "damaged_warc"


class ExportSigningError(CitevaultError):
    """A WACZ could not be signed: the signing server refused or answered wrongly."""

    code = "signing_failed"


class ImportRefusedError(InputError):
    """An export cannot be imported: damaged, partial, or the installation is not empty."""

    code = "import_refused"
