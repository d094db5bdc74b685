"""Request-scoped dependencies: the runtime, a database session, the caller's key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from archive.api.errors import ApiError
from archive.api.keys import check_key
from archive.db.models import ApiKey
from archive.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    rt = request.app.state.runtime
    assert isinstance(rt, Runtime)
    return rt


def get_session(rt: Annotated[Runtime, Depends(get_runtime)]) -> Iterator[Session]:
    with rt.sessions()() as session:
        yield session


def presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "apikey" or not value.strip():
        raise ApiError(401, "bad_authorization", "use the header 'Authorization: ApiKey <key>'")
    return value.strip()


def optional_key(
    request: Request, session: Annotated[Session, Depends(get_session)]
) -> ApiKey | None:
    """The caller's key if one was presented; a wrong or revoked key is an error."""
    key = presented_key(request)
    if key is None:
        return None
    row = check_key(session, key)
    if row is None:
        raise ApiError(401, "invalid_api_key", "the API key is unknown or has been revoked")
    session.commit()
    return row


def require_key(key: Annotated[ApiKey | None, Depends(optional_key)]) -> ApiKey:
    if key is None:
        raise ApiError(401, "api_key_required", "this endpoint needs 'Authorization: ApiKey <key>'")
    return key


SessionDep = Annotated[Session, Depends(get_session)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
OptionalKey = Annotated[ApiKey | None, Depends(optional_key)]
RequiredKey = Annotated[ApiKey, Depends(require_key)]
