"""Running pywb: its configuration, its process, and the URLs that reach it.

The engine is a child process of whatever started it (``citevault replay
serve``, or ``citevault serve`` with ``replay.autostart``), listening on
``replay.host:replay.port``, reading the archive through the feed that the
same parent serves on loopback.  pywb is started through a small launcher
that wraps its WSGI application, because the headers that make replay safe
(the sandboxing Content-Security-Policy, no cookies) must be on every
response it sends, and pywb's own option covers only some of them.  The
launcher also exits when its parent dies, so a crashed parent never leaves
an engine holding the port.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from archive.db.models import Capture
from archive.replay import install as installer
from archive.replay.errors import ReplayEngineError
from archive.replay.feed import Feed
from archive.replay.install import PYWB_VERSION
from archive.runtime import Runtime
from archive.settings import Settings

COLLECTION = "citevault"
START_TIMEOUT_SECONDS = 60.0
STOP_GRACE_SECONDS = 5.0

# On every engine response.  `sandbox` without allow-same-origin gives each
# archived document an opaque origin: no cookies, no storage, and reading
# anything else (the API, another capture) would need CORS, which nothing
# grants.  `default-src 'self'` keeps loads inside the archive: a URL the
# rewriting missed is blocked instead of reaching the live web.  No
# allow-popups-to-escape-sandbox and no allow-top-navigation: a window or a
# navigation the archived page starts stays sandboxed.
REPLAY_CSP = (
    "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads; "
    "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; "
    "form-action 'self'; base-uri 'self'"
)

_LAUNCHER = '''\
"""Starts pywb for citevault (generated; runs in the engine's own environment)."""
import os
import sys
from urllib.parse import parse_qsl

import tldextract
from pywb.apps.cli import WaybackCli  # patches the standard library for gevent
import gevent

# Cookie rewriting must not fetch the public suffix list from the internet.
tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

ADD = [("Content-Security-Policy", {csp!r})]
DROP = {{"set-cookie", "access-control-allow-origin", "access-control-allow-credentials"}}
# Fonts are fetched in CORS mode, and a sandboxed page's origin is opaque:
# without this its web fonts would not load.  A font reveals nothing.
FONT_TYPES = ("font/", "application/font", "application/x-font", "application/vnd.ms-fontobject")
FONT_PATHS = (".woff", ".woff2", ".ttf", ".otf", ".eot")
# pywb's own CDX API runs "~" filters on Python's backtracking re: one
# crafted expression holds the engine for minutes.  citevault's /cdx runs
# them in linear time; here they are refused.
REGEX_REFUSED = (
    b"regular-expression filters (~) are not served by the replay engine: "
    b"use citevault's /cdx, which matches them in linear time\\n"
)


def regex_filter(environ):
    if not environ.get("PATH_INFO", "").endswith("/cdx"):
        return False
    query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    return any(k == "filter" and v.lstrip("!").startswith("~") for k, v in query)


def guard(app):
    def wrapped(environ, start_response):
        if regex_filter(environ):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")] + ADD)
            return [REGEX_REFUSED]
        path = environ.get("PATH_INFO", "").lower().split("?", 1)[0]

        def start(status, headers, exc_info=None):
            kept = [(k, v) for k, v in headers if k.lower() not in DROP]
            ctype = next((v for k, v in kept if k.lower() == "content-type"), "").lower()
            if ctype.startswith(FONT_TYPES) or path.endswith(FONT_PATHS):
                kept.append(("Access-Control-Allow-Origin", "*"))
            return start_response(status, kept + ADD, exc_info)
        return app(environ, start)
    return wrapped


class Cli(WaybackCli):
    def load(self):
        return guard(super().load())


def watch_parent(parent):
    while True:
        gevent.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


gevent.spawn(watch_parent, os.getppid())
Cli(args=sys.argv[1:], default_port=8080, desc="citevault replay engine").run()
'''


def _browser_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - a wildcard bind is not an address to visit
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def replay_origin(settings: Settings) -> str:
    """The engine's origin as browsers reach it."""
    replay = settings.replay
    if replay.public_url:
        return replay.public_url.rstrip("/")
    return f"http://{_browser_host(replay.host)}:{replay.port}"


def replay_url(settings: Settings, capture: Capture) -> str:
    """Where the engine shows this capture (and its requisites closest in time)."""
    when = capture.captured_at
    when = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    return f"{replay_origin(settings)}/{COLLECTION}/{when:%Y%m%d%H%M%S}/{capture.url}"


def _config(feed_url: str) -> str:
    # JSON is YAML: no YAML writer needed, and every value is quoted safely.
    config = {
        "debug": False,
        "framed_replay": False,
        "enable_memento": True,
        "csp-header": "",  # the launcher sets the policy on every response instead
        "collections": {
            COLLECTION: {
                "index": f"cdx+{feed_url}/cdx",
                "archive_paths": f"{feed_url}/record/",
            }
        },
    }
    return json.dumps(config, indent=2) + "\n"


def port_open(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


class ReplayEngine:
    """pywb plus its feed; ``with ReplayEngine(rt) as engine: ...`` or start()/stop()."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self._feed: Feed | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._run_dir: Path | None = None
        self._log: IO[bytes] | None = None

    @property
    def origin(self) -> str:
        return replay_origin(self.settings)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(
        self,
        *,
        install_missing: bool = True,
        echo: Callable[[str], None] | None = None,
        timeout: float = START_TIMEOUT_SECONDS,
    ) -> None:
        if self._proc is not None:
            raise ReplayEngineError("the replay engine is already started")
        if not installer.is_installed(self.settings):
            if not install_missing:
                raise ReplayEngineError(
                    f"the replay engine (pywb {PYWB_VERSION}) is not installed in "
                    f"{installer.venv_dir(self.settings)}",
                    hint="run `citevault replay install` (it needs PyPI once)",
                )
            installer.install(self.settings, echo=echo)
        host, port = self.settings.replay.host, self.settings.replay.port
        if port_open(_browser_host(host).strip("[]"), port):
            raise ReplayEngineError(
                f"cannot start the replay engine: port {port} on {host} is already in use",
                hint="stop what uses it, or choose another with replay.port "
                "(CITEVAULT_REPLAY__PORT)",
            )
        try:
            self._launch(host, port)
            self._wait_ready(host, port, timeout)
        except BaseException:
            self.stop()
            raise

    def _launch(self, host: str, port: int) -> None:
        self._feed = Feed(self.runtime)
        self._feed.start()
        self._run_dir = Path(tempfile.mkdtemp(prefix="citevault-replay-"))
        (self._run_dir / "config.yaml").write_text(_config(self._feed.base_url), encoding="utf-8")
        launcher = self._run_dir / "launch_pywb.py"
        launcher.write_text(_LAUNCHER.format(csp=REPLAY_CSP), encoding="utf-8")
        self._log = (self._run_dir / "pywb.log").open("wb")
        # A minimal environment: the engine needs none of our secrets.
        env = {
            "PATH": os.environ.get("PATH", os.defpath),
            "HOME": str(self._run_dir),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        self._proc = subprocess.Popen(
            [
                str(installer.engine_python(self.settings)),
                str(launcher),
                "-b",
                host,
                "-p",
                str(port),
            ],
            cwd=self._run_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def log_tail(self, lines: int = 20) -> str:
        if self._run_dir is None:
            return ""
        try:
            text = (self._run_dir / "pywb.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def _wait_ready(self, host: str, port: int, timeout: float) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + timeout
        probe = _browser_host(host).strip("[]")
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise ReplayEngineError(
                    f"the replay engine exited at start (code {self._proc.returncode}):\n"
                    + self.log_tail(),
                    hint="`citevault replay install --force` reinstalls it",
                )
            if port_open(probe, port):
                return
            time.sleep(0.05)
        raise ReplayEngineError(
            f"the replay engine did not listen on {host}:{port} within {timeout:.0f} s:\n"
            + self.log_tail()
        )

    def wait(self) -> int:
        """Block until the engine exits (the foreground command)."""
        if self._proc is None:
            raise ReplayEngineError("the replay engine is not started")
        return self._proc.wait()

    def stop(self) -> None:
        """Stop the engine and the feed; safe to call more than once."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        feed, self._feed = self._feed, None
        if feed is not None:
            feed.stop()
        if self._log is not None:
            with contextlib.suppress(OSError):
                self._log.close()
            self._log = None
        run_dir, self._run_dir = self._run_dir, None
        if run_dir is not None:
            shutil.rmtree(run_dir, ignore_errors=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
