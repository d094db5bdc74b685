"""Optional JSON logs (``log_format = "json"``): one event per line for a log collector.

Each line is an object with ``time`` (UTC, ISO 8601), ``level``, ``logger``,
``message`` and, where known, ``job_id``, ``document_id`` and ``capture_id``:
given by the call (``log.warning(..., extra=ids(job_id=...))``) or by the
surrounding ``log_context``.  A traceback goes under ``exception``.  The text
format stays the default: it is what a person at a terminal reads.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from archive.settings import Settings

ID_FIELDS = ("job_id", "document_id", "capture_id")
_context: ContextVar[dict[str, Any]] = ContextVar("citevault_log_context", default={})  # noqa: B039 - never mutated


def ids(**known: Any) -> dict[str, Any]:
    """``extra=`` for a log call: the ids that are not None."""
    return {k: v for k, v in known.items() if k in ID_FIELDS and v is not None}


@contextlib.contextmanager
def log_context(**known: Any) -> Iterator[None]:
    """Ids every event logged inside the block carries (unless the call gives its own)."""
    token = _context.set({**_context.get(), **ids(**known)})
    try:
        yield
    finally:
        _context.reset(token)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        event.update(_context.get())
        for name in ID_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                event[name] = value
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        return json.dumps(event, ensure_ascii=False, default=str)


def configure(settings: Settings) -> None:
    """In JSON mode, every handler of the root logger writes JSON (one is added on
    stderr if there is none); uvicorn's loggers hand their events to it."""
    if settings.log_format != "json":
        return
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
        if root.level == logging.WARNING:  # the default: keep what the servers say at start
            root.setLevel(logging.INFO)
    formatter = JsonFormatter()
    for handler in root.handlers:
        handler.setFormatter(formatter)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
