"""A plain pywb collection, as an archivist who never heard of citevault would set one up.

pywb runs from its own virtual environment (the replay engine's, found
through ``CITEVAULT_TEST_REPLAY_ENGINE_DIR``) with an environment of its own:
nothing of citevault's is on its path.  ``wayback`` binds 127.0.0.1 on a
free port and is stopped by whoever started it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx
import pytest

ENGINE_VAR = "CITEVAULT_TEST_REPLAY_ENGINE_DIR"


def engine_bin() -> Path:
    """The engine's ``bin`` folder; skips without the variable, fails if it names no engine."""
    folder = os.environ.get(ENGINE_VAR)
    if not folder:
        pytest.skip(f"{ENGINE_VAR} is not set: these tests need a stock pywb to run against")
    bin_dir = Path(folder) / "venv" / "bin"
    for tool in ("wb-manager", "wayback"):
        if not (bin_dir / tool).exists():
            pytest.fail(
                f"{ENGINE_VAR}={folder} holds no pywb ({bin_dir / tool} is missing): run "
                f"`CITEVAULT_REPLAY__ENGINE_DIR={folder} python -m archive.replay install`",
                pytrace=False,
            )
    return bin_dir


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class StockPywb:
    """``wb-manager init``, ``wb-manager add`` and ``wayback`` in a folder of their own."""

    def __init__(self, root: Path, collection: str = "stock") -> None:
        self.bin = engine_bin()
        self.root = root
        self.collection = collection
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/{collection}"
        self.env = {
            "PATH": f"{self.bin}:/usr/bin:/bin",
            "HOME": str(root),
            "LANG": "C.UTF-8",
        }
        self.proc: subprocess.Popen[bytes] | None = None
        root.mkdir(parents=True, exist_ok=True)
        self.manager("init", collection)

    def manager(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(self.bin / "wb-manager"), *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"wb-manager {args}: {result.stdout}{result.stderr}"
        return result

    def add(self, *paths: Path, unpack_wacz: bool = False) -> subprocess.CompletedProcess[str]:
        flags = ["--unpack-wacz"] if unpack_wacz else []
        return self.manager("add", *flags, self.collection, *map(str, paths))

    def index_lines(self) -> list[str]:
        index = self.root / "collections" / self.collection / "indexes" / "index.cdxj"
        return index.read_text().splitlines() if index.exists() else []

    def start(self, timeout: float = 60) -> Self:
        self.proc = subprocess.Popen(
            [str(self.bin / "wayback"), "-b", "127.0.0.1", "-p", str(self.port)],
            cwd=self.root,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=(self.root / "wayback.log").open("wb"),
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"wayback exited: {(self.root / 'wayback.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"wayback did not listen within {timeout} s") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(20)

    def get(self, url: str, mode: str = "id_", ts: str = "2100") -> httpx.Response:
        """One replay request, redirects left unfollowed (they are what is checked)."""
        return httpx.get(f"{self.base}/{ts}{mode}/{url}", timeout=60, follow_redirects=False)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
