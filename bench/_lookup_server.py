"""The citevault API as ``bench/lookup.py`` measures it, optionally under cProfile.

A process of its own, so that the load generator's CPU is not the server's
and several uvicorn workers can be tried.  Settings come from the
``CITEVAULT_*`` environment, as for a deployed server.  Access logging is off:
it is configuration, not application code, and would be measured as such.

cProfile watches one thread only, and FastAPI runs plain ``def`` endpoints
in a thread pool, so under ``--profile`` every thread gets its own profiler
(through ``threading.setprofile``) and their statistics are merged at exit.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import signal
import sys
import threading
from types import FrameType
from typing import Any

import uvicorn
from fastapi import FastAPI

HOST = "127.0.0.1"


def make_app() -> FastAPI:
    # Imported here: worker processes re-run this file as their __main__ before
    # importing the factory, and the application is slow to import.
    from archive.api.app import create_app
    from archive.settings import load_settings

    return create_app(load_settings())


def _profiled(port: int, out: str) -> None:
    profiles: list[cProfile.Profile] = []

    def adopt(_frame: FrameType, _event: str, _arg: Any) -> None:
        # The first profiling event of a new thread: replace this hook with a profiler.
        prof = cProfile.Profile()
        profiles.append(prof)
        prof.enable()

    # uvicorn re-raises the stop signal after its graceful shutdown, under the
    # handler it found: a no-op one lets this function reach its ``finally``.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: None)
    threading.setprofile(adopt)
    main = cProfile.Profile()
    profiles.append(main)
    main.enable()
    try:
        uvicorn.run(make_app(), host=HOST, port=port, log_level="warning", access_log=False)
    finally:
        main.disable()
        threading.setprofile(None)
        used = [p for p in profiles if p.getstats()]
        pstats.Stats(*used).dump_stats(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--profile", metavar="FILE", help="write merged cProfile stats here")
    args = parser.parse_args()
    if args.profile:
        _profiled(args.port, args.profile)
        return
    config = uvicorn.Config(
        "_lookup_server:make_app",
        factory=True,
        host=HOST,
        port=args.port,
        log_level="warning",
        access_log=False,
    )
    if args.workers > 1:  # as ``citevault serve --workers N`` runs them
        from archive.api.processes import run_processes

        sys.exit(run_processes(config, args.workers))
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
