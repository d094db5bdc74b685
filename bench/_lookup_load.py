"""A lean HTTP/1.1 load generator for ``bench/lookup.py``.

The client shares two cores with the server, PostgreSQL and SeaweedFS, so
every millisecond it spends parsing is a millisecond the server waits for
CPU: a full-featured client (httpx spends several times more per request)
would inflate the very latencies being measured.  This one writes
pre-built requests on keep-alive connections and reads status, headers and
the body (Content-Length or chunked) with asyncio streams; latency is from
the first byte written to the last byte of the body read.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    wall: float = 0.0
    body_bytes: int = 0
    client_cpu: float = 0.0
    parts_p99: list[float] = field(default_factory=list)  # of each run merged into this one

    def pct(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds (what a p99 target means)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, -(-len(ordered) * p // 100))
        return ordered[int(rank) - 1] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


def get(path: str, headers: dict[str, str] | None = None, host: str = HOST) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, int, bool]:
    """One request; returns status, body length and whether the server keeps the connection."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    size = 0
    if "content-length" in fields:
        size = len(await reader.readexactly(int(fields["content-length"])))
    elif fields.get("transfer-encoding", "").lower() == "chunked":
        while True:  # ends at the zero-length chunk; a broken stream raises
            n = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            size += len(await reader.readexactly(n + 2)) - 2
            if n == 0:
                break
    return status, size, fields.get("connection", "").lower() != "close"


async def _worker(port: int, requests: Sequence[bytes], cursor: list[int], result: Result) -> None:
    conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while cursor[0] < len(requests):
        request = requests[cursor[0]]
        cursor[0] += 1
        start = time.perf_counter()
        try:
            if conn is None:
                conn = await asyncio.open_connection(HOST, port)
            status, size, keep = await asyncio.wait_for(_exchange(*conn, request), 60)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            result.errors[type(exc).__name__] += 1
            if conn is not None:
                conn[1].close()
            conn = None
            continue
        result.latencies.append(time.perf_counter() - start)
        result.statuses[status] += 1
        result.body_bytes += size
        if not keep:
            conn[1].close()
            conn = None
    if conn is not None:
        conn[1].close()


async def _run(port: int, requests: Sequence[bytes], concurrency: int) -> Result:
    result = Result()
    cursor = [0]  # shared by the workers: one event loop, so no lock is needed
    cpu, start = time.process_time(), time.perf_counter()
    await asyncio.gather(*(_worker(port, requests, cursor, result) for _ in range(concurrency)))
    result.wall = time.perf_counter() - start
    result.client_cpu = time.process_time() - cpu
    return result


def run(port: int, requests: Sequence[bytes], concurrency: int) -> Result:
    # A full collection of this process's heap (the data set's targets, earlier
    # results) stalls every request in flight for as long as it lasts, and lands
    # on whichever run happens to be measured then: collect before, not during.
    gc.collect()
    gc.disable()
    try:
        return asyncio.run(_run(port, requests, concurrency))
    finally:
        gc.enable()


def merged(results: Sequence[Result]) -> Result:
    """Several runs of one case as one: percentiles over all their requests."""
    out = Result()
    for res in results:
        out.latencies += res.latencies
        out.statuses.update(res.statuses)
        out.errors.update(res.errors)
        out.wall += res.wall
        out.body_bytes += res.body_bytes
        out.client_cpu += res.client_cpu
        out.parts_p99.append(res.pct(99))
    return out
