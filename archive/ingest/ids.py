"""Document ids: chosen by the user, or derived from where the document came from.

An id appears in URLs, store keys and file names, so it is restricted to a
safe alphabet.  A derived id depends on the source's *name*, not its bytes:
adding a changed version of ``report.html`` again lands on the same document
as a new version, which is what a user expects.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from archive.errors import InputError

MAX_ID_LENGTH = 200
_VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+-]*")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def validate_id(doc_id: str) -> str:
    hint = "use letters, digits and . _ : @ + - (starting with a letter or digit)"
    if not doc_id:
        raise InputError("document id is empty", hint=hint)
    if any(unicodedata.category(c).startswith("C") for c in doc_id):
        raise InputError(f"document id {doc_id!r} contains control characters", hint=hint)
    if "/" in doc_id or "\\" in doc_id:
        raise InputError(f"document id {doc_id!r} contains a slash", hint=hint)
    if ".." in doc_id:
        raise InputError(f"document id {doc_id!r} contains '..'", hint=hint)
    if len(doc_id) > MAX_ID_LENGTH:
        raise InputError(f"document id is longer than {MAX_ID_LENGTH} characters", hint=hint)
    if not _VALID.fullmatch(doc_id):
        raise InputError(f"document id {doc_id!r} has characters outside the safe set", hint=hint)
    return doc_id


def slugify(text: str, limit: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")


def derive_id(source: str, sha256: str) -> str:
    """An id from a path or URL; from the content hash when there is no name (stdin)."""
    if source in ("-", ""):
        return f"doc-{sha256[:12]}"
    if "://" in source:
        parts = urlsplit(source)
        host = (parts.hostname or "").removeprefix("www.")
        path = (
            parts.path.rstrip("/").rsplit(".", 1)[0]
            if "." in parts.path.rsplit("/", 1)[-1]
            else parts.path
        )
        slug = slugify(f"{host} {path}")
    else:
        name = source.replace("\\", "/").rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
        slug = slugify(stem)
    return slug or f"doc-{sha256[:12]}"
