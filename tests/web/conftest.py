"""Fixtures for the web pages and the replay: a live server, the engine, Chromium.

Nothing here is skipped when missing: ``tests/run`` installs Chromium (Debian's
package) and the replay engine (``python -m archive.replay install``) before
the tests run, and a test that finds either missing fails and says how to get
it, because a suite that quietly skips its browser half proves nothing about
replay.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pytest
import uvicorn

from archive.api.app import create_app
from archive.replay import is_installed
from archive.settings import Settings, load_settings
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (imported from here too)
from tests.helpers import ROOT


def engine_dir() -> Path:
    """Where tests/run installed pywb (shared by every test: installing takes a minute)."""
    return Path(os.environ.get("CITEVAULT_TEST_REPLAY_ENGINE_DIR") or ROOT / ".venv-pywb")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def web_settings(data_dir: Path, **replay: Any) -> Settings:
    return load_settings(
        data_dir=data_dir,
        replay={"engine_dir": engine_dir(), "port": free_port(), **replay},
    )


def require_engine(settings: Settings) -> None:
    if not is_installed(settings):
        pytest.fail(
            f"the replay engine is not installed in {engine_dir()}: run "
            f"`CITEVAULT_REPLAY__ENGINE_DIR={engine_dir()} python -m archive.replay install` "
            "(tests/run does)",
            pytrace=False,
        )


class LiveApp:
    """``citevault serve`` in a thread: the real app under uvicorn on a free port.

    With ``replay.autostart`` the app's lifespan starts and stops the replay
    engine, exactly as ``citevault serve`` does.
    """

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="live-app", daemon=True)

    def start(self, timeout: float = 90) -> Self:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the app stopped during start-up (see the log above)")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the app did not start within {timeout} s")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        assert not self.thread.is_alive(), "the app did not stop"

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
