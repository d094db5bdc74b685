"""Creating, checking and revoking API keys (``Authorization: ApiKey <key>``).

Keys are random 32-byte tokens; only their SHA-256 is stored.  SHA-256 rather
than a slow password hash is enough because the key has 256 bits of entropy:
there is nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from archive.db.base import utcnow
from archive.db.models import ApiKey
from archive.errors import InputError, NotFoundError

KEY_PREFIX = "cv_"
# "Last used" is kept to the minute: stamped on every request, it made every
# read with a key a write as well (a new row version and a commit).
STAMP_EVERY = timedelta(seconds=60)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, name: str) -> tuple[ApiKey, str]:
    """A new key; the plain key is returned once and never stored."""
    if not name.strip():
        raise InputError("an API key needs a name", hint="e.g. --name 'ingest robot'")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(name=name.strip(), prefix=key[:10], key_hash=hash_key(key))
    session.add(row)
    session.flush()
    return row, key


def key_is_active(conn: Connection, key: str) -> bool:
    """Whether ``key`` is known and not revoked; its "last used" stamp is set when due."""
    found = conn.execute(
        select(ApiKey.id, ApiKey.last_used_at).where(
            ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None)
        )
    ).first()
    if found is None:
        return False
    now = utcnow()
    if is_stale(found.last_used_at, now):
        conn.execute(update(ApiKey).where(ApiKey.id == found.id).values(last_used_at=now))
        conn.commit()
    return True


def is_stale(last_used_at: datetime | None, now: datetime) -> bool:
    """Whether a key's "last used" stamp is due (see ``STAMP_EVERY``)."""
    return last_used_at is None or now - last_used_at >= STAMP_EVERY


def revoke_key(session: Session, key_id: int) -> ApiKey:
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFoundError(f"no API key with id {key_id}", hint="`citevault keys list`")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))
