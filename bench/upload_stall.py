"""How long anonymous TimeGate answers wait while a large document is submitted.

Starts ``citevault serve`` (embedded SQLite in a temporary data folder, or
``--database-url``) on 127.0.0.1, creates an API key, then:

  1. idle: one anonymous ``GET /timegate/<url>`` every ``--interval`` seconds
     for ``--idle`` seconds, to know what an answer costs on this machine now;
  2. during: the same probe while a client uploads a ``--mb`` MB document to
     ``POST /api/documents`` over a deliberately slow connection (``--rate``
     MB/s, no Content-Length: chunked), and on until the submission's answer,
     so extraction, the store upload and the database writes are inside it.

It prints the probe's latency (median, p99, max) in both phases, the
delay it reports (max during the submission minus the idle median), and the
peak resident memory (VmHWM) of the server process and of each process it
started (the extraction processes), read just before it is stopped.  The
TimeGate URL has no capture, so each answer is a 404 from the same lookup a
302 would run.  Figures, not a pass/fail test.

    .venv/bin/python bench/upload_stall.py                 # 100 MB at 10 MB/s
    .venv/bin/python bench/upload_stall.py --mb 20 --rate 5
    .venv/bin/python bench/upload_stall.py --root /tmp/older-checkout   # compare code
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = "citevault-bench-boundary"
# One cited URL per 64 KB of prose: a long report, not a link dump.
FILLER = b"The committee reviewed the figures again and found them consistent.\n"
CITING = b"The report cites https://example.org/source/%08d for its numbers.\n"


def descendants(pid: int) -> list[int]:
    """The processes ``pid`` started, and theirs (from /proc: Linux only)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kind(pid: int) -> str:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return f"process {pid}"
    for needle, name in (("spawn_main", "extraction"), ("resource_tracker", "resource tracker")):
        if needle in cmdline:
            return f"{name} {pid}"
    return f"{cmdline[:40]} {pid}"


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def cli(env: dict[str, str], root: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "archive", *args],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def wait_until_up(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"citevault serve exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/openapi.json")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("citevault serve did not start within 180 s")


class Probe(threading.Thread):
    """Anonymous TimeGate requests on one keep-alive connection, one at a time."""

    def __init__(self, port: int, interval: float) -> None:
        super().__init__(name="probe", daemon=True)
        self.port = port
        self.interval = interval
        self.samples: list[tuple[float, float]] = []  # (start, seconds)
        self.stop = threading.Event()

    def run(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=600)
        n = 0
        while not self.stop.is_set():
            n += 1
            start = time.monotonic()
            conn.request("GET", f"/timegate/https://example.org/probe/{n % 50}")
            conn.getresponse().read()
            self.samples.append((start, time.monotonic() - start))
            self.stop.wait(self.interval)
        conn.close()

    def between(self, t0: float, t1: float) -> list[float]:
        return [s for start, s in self.samples if t0 <= start <= t1]


def upload(port: int, key: str, size: int, rate: float) -> tuple[int, bytes, float]:
    """POST a ``size``-byte text document, chunked, at ``rate`` bytes a second.

    The HTTP status, the start of the reply, and when the last byte was sent.
    """
    sock = socket.create_connection((HOST, port), timeout=3600)
    head = (
        f"POST /api/documents HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        f"Authorization: ApiKey {key}\r\nTransfer-Encoding: chunked\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n"
    ).encode()
    sock.sendall(head)

    def chunk(data: bytes) -> None:
        sock.sendall(b"%x\r\n" % len(data) + data + b"\r\n")

    chunk(
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="id"\r\n\r\nbig\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
    )
    filler = FILLER * (64 * 1024 // len(FILLER))
    sent, start, n = 0, time.monotonic(), 0
    while sent < size:
        n += 1
        piece = (CITING % n + filler)[: size - sent]
        chunk(piece)
        sent += len(piece)
        ahead = sent / rate - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)
    chunk(f"\r\n--{BOUNDARY}--\r\n".encode())
    sock.sendall(b"0\r\n\r\n")
    sent_at = time.monotonic()
    reply = b""
    while b"\r\n\r\n" not in reply:
        got = sock.recv(65536)
        if not got:
            break
        reply += got
    sock.close()
    status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0
    return status, reply[:300], sent_at


def figures(label: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return (
        f"{label:<8} n={len(ms):5d}  median {statistics.median(ms):7.1f} ms  "
        f"p99 {p99:7.1f} ms  max {ms[-1]:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="document size in MB (10^6)")
    parser.add_argument("--rate", type=float, default=10.0, help="upload speed in MB/s")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle probing")
    parser.add_argument("--interval", type=float, default=0.02, help="seconds between probes")
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the citevault tree whose code is served"
    )
    args = parser.parse_args()
    root = args.root.resolve()

    with tempfile.TemporaryDirectory(prefix="cv-upload-stall-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CITEVAULT_")}
        env["CITEVAULT_DATA_DIR"] = str(Path(tmp) / "data")
        env["PYTHONPATH"] = str(root)
        if args.database_url:
            env["CITEVAULT_DATABASE_URL"] = args.database_url
            cli(env, root, "db", "upgrade")
        key = cli(env, root, "keys", "create", "--name", "bench").strip().splitlines()[-1]
        port = free_port()
        log = open(Path(tmp) / "serve.log", "wb")  # noqa: SIM115 (closed below)
        proc = subprocess.Popen(
            [sys.executable, "-m", "archive", "serve", "--port", str(port)],
            env=env,
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(port, proc)
            load = os.getloadavg()
            probe = Probe(port, args.interval)
            probe.start()
            t0 = time.monotonic()
            time.sleep(args.idle)
            t1 = time.monotonic()
            status, reply, sent = upload(port, key, int(args.mb * 1e6), args.rate * 1e6)
            t2 = time.monotonic()
            probe.stop.set()
            probe.join(60)
            peaks = {"server": peak_rss_mb(proc.pid)}
            for child in descendants(proc.pid):
                peaks[kind(child)] = peak_rss_mb(child)
        finally:
            proc.terminate()
            proc.wait(30)
            log.close()
        idle, during = probe.between(t0, t1), probe.between(t1, t2)
        print(f"code: {root}")
        print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(
            f"submission: {args.mb:g} MB at {args.rate:g} MB/s -> HTTP {status} "
            f"after {t2 - t1:.1f} s"
        )
        if status not in (200, 201):
            print(reply.decode("latin-1"))
        print(figures("idle", idle))
        print(figures("during", during))
        # The upload itself (the body parsed as it streams in), then the rest
        # (extraction, the store upload, the database writes, the answer).
        for label, phase in ((" upload", (t1, sent)), (" after", (sent, t2))):
            if probe.between(*phase):
                print(figures(label, probe.between(*phase)))
        delay = (max(during) - statistics.median(idle)) * 1000
        print(f"max TimeGate delay during the submission: {delay:.1f} ms")
        worst = sorted((s, start) for start, s in probe.samples if t1 <= start <= t2)[::-1]
        print(
            "slowest: "
            + ", ".join(
                f"{s * 1000:.0f} ms at +{start - t1:.1f} s" + (" (after)" if start >= sent else "")
                for s, start in worst[:5]
            )
        )
        for name, mb in peaks.items():
            print(f"peak RSS {name}: " + (f"{mb:.0f} MB" if mb is not None else "gone"))


if __name__ == "__main__":
    main()
