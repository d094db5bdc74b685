"""Every API error is ``{"error": {"code", "message"}}`` with a fitting status.

Errors raised anywhere in citevault (the ``CitevaultError`` hierarchy) are
mapped here, so routes raise the same exceptions the CLI reports.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from archive import errors as e


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint


def error_body(code: str, message: str, hint: str | None = None) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message}
    if hint:
        err["hint"] = hint
    return {"error": err}


def status_for(exc: e.CitevaultError) -> int:
    if isinstance(exc, e.NotFoundError):
        return 404
    if isinstance(exc, e.TooLargeError):
        return 413
    if isinstance(exc, e.InputError):
        return 400
    if isinstance(exc, e.FetchError):
        return 502
    if isinstance(exc, e.StoreError | e.DatabaseError | e.ExtractionError):
        return 503
    return 500


def error_response(exc: ApiError | e.CitevaultError) -> JSONResponse:
    """The response for an error a route raised."""
    if isinstance(exc, ApiError):
        headers = {"WWW-Authenticate": "ApiKey"} if exc.status == 401 else None
        return JSONResponse(
            error_body(exc.code, exc.message, exc.hint), status_code=exc.status, headers=headers
        )
    return JSONResponse(error_body(exc.code, exc.message, exc.hint), status_code=status_for(exc))


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(e.CitevaultError)
    async def _citevault(_: Request, exc: e.CitevaultError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        return JSONResponse(error_body("bad_request", problems), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(
            error_body(code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
