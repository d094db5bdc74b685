"""The one error the replay engine raises, so the CLI and the API report it alike."""

from __future__ import annotations

from archive.errors import CitevaultError


class ReplayEngineError(CitevaultError):
    """The replay engine cannot be installed or started, or it stopped."""

    exit_code = 7
    code = "replay_engine_error"
