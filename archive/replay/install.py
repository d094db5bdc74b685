"""Installing pywb into a virtual environment of its own.

pywb pins old versions of libraries citevault also uses (redis, fakeredis,
cryptography), so it never goes into citevault's environment: it gets one
next to the data (``replay.engine_dir``).  Installing happens only when asked
(``citevault replay install``, or the first start of the engine), never at
import time, and a marker written last makes a half-finished install count as
no install, so the next attempt starts clean instead of running a broken one.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from archive.replay.errors import ReplayEngineError
from archive.settings import Settings

# The engine version is fixed here, not in settings: a replay that changes
# under an archive because an upgrade happened to run is a bug, not a feature.
PYWB_VERSION = "2.10.0"
MARKER = "citevault-engine.txt"
INSTALL_TIMEOUT_SECONDS = 900


def engine_dir(settings: Settings) -> Path:
    configured = settings.replay.engine_dir
    folder = configured if configured is not None else settings.data_dir / "replay"
    return folder.expanduser().absolute()


def venv_dir(settings: Settings) -> Path:
    return engine_dir(settings) / "venv"


def engine_python(settings: Settings) -> Path:
    return venv_dir(settings) / "bin" / "python"


def is_installed(settings: Settings) -> bool:
    marker = venv_dir(settings) / MARKER
    try:
        recorded = marker.read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return recorded == f"pywb=={PYWB_VERSION}" and engine_python(settings).exists()


@contextlib.contextmanager
def _install_lock(folder: Path) -> Iterator[None]:
    """One installer at a time per folder (parallel test workers, two commands)."""
    folder.mkdir(parents=True, exist_ok=True)
    # The folder may sit inside a work tree (a developer's .venv-pywb): never commit it.
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# the replay engine's own environment, made by citevault\n*\n")
    with (folder / ".install.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _run(cmd: list[str], what: str) -> None:
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise ReplayEngineError(
            f"{what} did not finish within {INSTALL_TIMEOUT_SECONDS} s",
            hint="check the connection to the package index and run `citevault replay install`",
        ) from None
    except OSError as exc:
        raise ReplayEngineError(f"{what} could not run: {exc.strerror}") from None
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise ReplayEngineError(
            f"{what} failed (exit {done.returncode}):\n{tail}",
            hint="pywb comes from PyPI: check that it is reachable (pip's own settings "
            "apply), then run `citevault replay install` again",
        )


def install(
    settings: Settings, *, force: bool = False, echo: Callable[[str], None] | None = None
) -> bool:
    """Install pywb if it is not there yet; True when this call installed it."""
    say = echo or (lambda _msg: None)
    folder = engine_dir(settings)
    venv = venv_dir(settings)
    try:
        with _install_lock(folder):
            if not force and is_installed(settings):
                return False
            if venv.exists():
                shutil.rmtree(venv)
            say(
                f"installing the replay engine (pywb {PYWB_VERSION}) into {venv}; "
                "this happens once and takes about a minute"
            )
            # The base interpreter, not citevault's venv: the engine must not see our packages.
            base = getattr(sys, "_base_executable", None) or sys.executable
            _run([base, "-m", "venv", str(venv)], "creating the replay engine's environment")
            _run(
                [
                    str(engine_python(settings)),
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--no-input",
                    f"pywb=={PYWB_VERSION}",
                ],
                f"installing pywb {PYWB_VERSION}",
            )
            tmp = venv / (MARKER + ".tmp")
            tmp.write_text(f"pywb=={PYWB_VERSION}\n", encoding="utf-8")
            tmp.replace(venv / MARKER)
    except OSError as exc:
        raise ReplayEngineError(
            f"cannot install the replay engine into {folder}: {exc.strerror or exc}",
            hint="choose a writable folder with replay.engine_dir (CITEVAULT_REPLAY__ENGINE_DIR)",
        ) from None
    say(f"replay engine installed: pywb {PYWB_VERSION} in {venv}")
    return True
