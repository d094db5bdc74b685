"""Several server processes, each listening on a socket of its own.

uvicorn's own ``--workers`` shares one listening socket between its processes.
Whichever process wakes first accepts every connection waiting in the queue,
so when clients open their keep-alive connections together (a load
balancer's pool, a benchmark's clients), one process ends up serving nearly
all of them (``bench/lookup.py``'s TimeGate load against two processes shows
it).  That process's requests then queue behind each other while the other
one idles.

Here every process binds its own socket with ``SO_REUSEPORT``, and the kernel
spreads new connections over them by a hash of the client's address and
port.  The parent binds one more socket to hold the port, so that a port
already in use is a clear error before any process starts.  It never
listens, so no connection waits on it.  The parent restarts a process that
dies while serving, and stops when one fails to start (its database is
unreachable, say), since the next one would fail the same way.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

from archive.errors import InputError

log = logging.getLogger("uvicorn.error")
STARTUP_FAILED = 3  # a worker's exit status when it never started serving (as uvicorn's)
STOP_SECONDS = 30


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` that other processes may bind too."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="choose another --port, or stop what is using this one",
        ) from exc
    return sock


def _serve(config: uvicorn.Config) -> None:
    """One worker: its own listening socket, then uvicorn on it."""
    config.configure_logging()  # a spawned process starts with none
    sock = reuse_port_socket(config.host, config.port)
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    if not server.started:
        sys.exit(STARTUP_FAILED)


def run_processes(config: uvicorn.Config, count: int) -> int:
    """Serve ``config`` with ``count`` processes until a signal; the exit status."""
    reserved = reuse_port_socket(config.host, config.port)
    context = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> BaseProcess:
        proc = context.Process(target=_serve, args=(config,), name="citevault-api")
        proc.start()
        return proc

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    log.info("Started parent process [%d] with %d workers", os.getpid(), count)
    workers = [start() for _ in range(count)]
    status = 0
    try:
        while not stopping:
            wait([proc.sentinel for proc in workers], timeout=0.5)
            for i, proc in enumerate(workers):
                if proc.is_alive() or stopping:
                    continue
                if proc.exitcode == STARTUP_FAILED:
                    log.error("worker [%d] failed to start; stopping", proc.pid)
                    stopping, status = True, STARTUP_FAILED
                    break
                log.warning("worker [%d] exited (%s); starting another", proc.pid, proc.exitcode)
                workers[i] = start()
    finally:
        for proc in workers:
            if proc.is_alive():
                proc.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for proc in workers:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join()
        reserved.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("Stopped parent process")
    return status
