"""What every command gets from the global options: settings and resources, lazily."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import typer

from archive.runtime import Runtime
from archive.settings import Settings, load_settings


@dataclass
class CliState:
    config_path: Path | None = None
    debug: bool = False
    _runtime: Runtime | None = field(default=None, init=False)

    def runtime(self) -> Runtime:
        if self._runtime is None:
            self._runtime = Runtime(load_settings(self.config_path))
        return self._runtime

    @property
    def settings(self) -> Settings:
        return self.runtime().settings


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj
