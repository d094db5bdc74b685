"""A TCP front that delays every answer by a fixed time, for ``bench/crawl.py``.

Stands in for ``tc qdisc ... netem delay`` where the kernel has no netem: each
chunk nginx sends is held back ``--delay`` seconds from the moment it arrived
(a delay line, not a sleep per chunk, so bandwidth is not cut), and a new
connection waits the same time before it is served, as a delayed SYN-ACK
would make it.  Requests pass through at once, so one request/response round
trip costs the added delay once, like a server ``--delay`` away.

    python bench/_delay_proxy.py --listen PORT --upstream PORT --delay 0.1

Binds loopback addresses only (127.0.0.1, or N of them with ``--hosts N``:
127.0.0.1 to 127.0.0.254, then 127.0.1.1 and on, see ``host_address``; N
sites for crawlers that limit connections per host); stops on SIGTERM or
SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

HOST = "127.0.0.1"
CHUNK = 256 * 1024
MAX_HOSTS = 254 * 256


def host_address(n: int) -> str:
    """The n-th loopback site address, from 1: 127.0.0.1 ... 127.0.0.254, 127.0.1.1 ..."""
    third, fourth = divmod(n - 1, 254)
    return f"127.0.{third}.{fourth + 1}"


async def _pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
    try:
        while data := await src.read(CHUNK):
            dst.write(data)
            await dst.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            dst.write_eof()


async def _delayed(src: asyncio.StreamReader, dst: asyncio.StreamWriter, delay: float) -> None:
    loop = asyncio.get_running_loop()
    line: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def send() -> None:
        while True:
            arrived, data = await line.get()
            wait = arrived + delay - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                return
            dst.write(data)
            await dst.drain()

    sender = asyncio.create_task(send())
    try:
        while True:
            data = await src.read(CHUNK)
            line.put_nowait((loop.time(), data))
            if not data:
                break
        await sender
    except (ConnectionError, OSError):
        sender.cancel()
    finally:
        dst.close()


async def _serve(listen: int, upstream: int, delay: float, hosts: int) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.sleep(delay)
            up_reader, up_writer = await asyncio.open_connection(HOST, upstream)
        except (OSError, asyncio.CancelledError):
            writer.close()
            return
        forward = asyncio.create_task(_pump(reader, up_writer))
        # a connection still open when the proxy stops is simply dropped
        with contextlib.suppress(asyncio.CancelledError):
            await _delayed(up_reader, writer, delay)
        forward.cancel()
        up_writer.close()

    addresses = [host_address(n) for n in range(1, hosts + 1)]
    server = await asyncio.start_server(handle, addresses, listen, backlog=1024)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--upstream", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument(
        "--hosts", type=int, default=1, help="listen on N loopback addresses, one site each"
    )
    args = parser.parse_args()
    if not 1 <= args.hosts <= MAX_HOSTS:
        parser.error(f"--hosts must be 1 to {MAX_HOSTS}")
    asyncio.run(_serve(args.listen, args.upstream, args.delay, args.hosts))


if __name__ == "__main__":
    main()
