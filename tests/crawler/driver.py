"""Runs one crawl in a fresh process: ``python -m tests.crawler.driver SPEC.json``.

A Twisted reactor cannot be restarted, so every crawl a test needs gets its
own process, exactly as the archive runs the crawler.  The spec names the
jobs, the settings and the in-memory archive side (``tests.crawler.fakes``);
the result file tells the test what the crawler reported to each party.

An audit hook watches every socket the crawler opens: connections anywhere
but loopback, and lookups of any name but the spec's fake ones, are refused
and listed, which is how the tests prove that nothing (the Public Suffix
List included) leaves the machine.  A few options replace one function each to produce faults that
the real components cannot (a DNS answer that changes between the policy
check and the connection).
"""

from __future__ import annotations

import ipaddress
import json
import resource
import socket
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Any

LOOPBACK = ("127.0.0.1", "::1", "::ffff:127.0.0.1")

network: dict[str, list[Any]] = {"connects": [], "lookups": [], "blocked": []}
allowed_names: set[str] = set()  # the fake DNS names of the spec


DNS_DOWN = "dns-down"


def _peak_rss_kb() -> int:
    """This process's own peak RSS.

    Not ``getrusage``: Linux carries the starting process's peak across
    ``exec`` into ``ru_maxrss``, so a crawl started by a pytest worker that
    once held a large document would report that worker's peak as its own.
    ``VmHWM`` belongs to the address space the crawl runs in.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect":
        address = args[1]
        if not isinstance(address, tuple):
            return  # unix sockets: the reactor's own wake-up pipes
        host = str(address[0])
        network["connects"].append(host)
        if host not in LOOPBACK:
            network["blocked"].append(f"{host}:{address[1]}")
            raise PermissionError(f"test crawl tried to reach {host}:{address[1]}")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
        name = str(args[0])
        network["lookups"].append(name)
        if name not in allowed_names and not _is_ip(name):
            network["blocked"].append(name)
            raise PermissionError(f"test crawl tried to look up {name}")


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def _install_fakes(spec: dict[str, Any]) -> None:
    # A name mapped to None does not exist (NXDOMAIN); one mapped to DNS_DOWN
    # meets a DNS server that does not answer, as glibc reports each.
    fake_dns: dict[str, str | None] = spec.get("fake_dns") or {}
    if fake_dns:
        real_gethostbyname = socket.gethostbyname
        real_getaddrinfo = socket.getaddrinfo

        def answer(name: str) -> str:
            address = fake_dns[name]
            if address is None:  # NXDOMAIN, without asking a real DNS server
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            if address == DNS_DOWN:
                raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
            return address

        def gethostbyname(name: str) -> str:
            return answer(name) if name in fake_dns else real_gethostbyname(name)

        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(host, str) and host in fake_dns:
                host = answer(host)
            return real_getaddrinfo(host, port, *args, **kwargs)

        socket.gethostbyname = gethostbyname
        socket.getaddrinfo = getaddrinfo

    public: set[str] = set(spec.get("treat_as_public") or ())
    if public:
        import archive.net.policy
        import crawler.fetch.policy
        import crawler.fetch.resolver

        real_problem = archive.net.policy.address_problem

        def address_problem(ip: Any) -> str | None:
            return None if str(ip) in public else real_problem(ip)

        for module in (archive.net.policy, crawler.fetch.policy, crawler.fetch.resolver):
            module.address_problem = address_problem  # type: ignore[attr-defined]

    fail_after = spec.get("fail_writes_after")
    if fail_after is not None:  # a disk that fills up in the middle of a record
        import errno

        from crawler.warc import files

        real_write = files._GzipMember.write
        calls = [0]

        def write(self: Any, data: bytes) -> None:
            calls[0] += 1
            if calls[0] > fail_after:
                real_write(self, data[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")
            real_write(self, data)

        files._GzipMember.write = write  # type: ignore[method-assign]

    # A DNS answer that was public when the policy asked and private when
    # Twisted connected (rebinding): skip the check at one stage for these names.
    skip_precheck = set(spec.get("skip_precheck") or ())
    if skip_precheck:
        import crawler.fetch.policy

        real_judge = crawler.fetch.policy._judge

        def judge(host: str, port: int, url: str, block_private: bool) -> tuple[str, str]:
            if host in skip_precheck:
                return ("ok", "")
            return real_judge(host, port, url, block_private)

        crawler.fetch.policy._judge = judge
    skip_resolver = set(spec.get("skip_resolver_check") or ())
    if skip_resolver:
        from crawler.fetch.resolver import PolicyResolver

        real_resolver_judge = PolicyResolver._judge

        def resolver_judge(address: str, name: str) -> str:
            return address if name in skip_resolver else real_resolver_judge(address, name)

        PolicyResolver._judge = staticmethod(resolver_judge)  # type: ignore[method-assign]


def _index_mismatches(paths: list[Path], indexes: list[Any]) -> list[str]:
    """Where the index the crawler kept while writing differs from reading the file back."""
    from archive.capture.indexer import index_warc
    from archive.storage.base import sha256_file

    problems = []
    for path, kept in zip(paths, indexes, strict=True):
        if kept is None:
            problems.append(f"{path.name}: no index handed over")
            continue
        read = index_warc(path)
        if kept.file_digest is not None and kept.file_digest != sha256_file(path):
            problems.append(f"{path.name}: kept file digest {kept.file_digest} is not the file's")
        kept.file_digest = None  # reading back does not hash the file; the rest must agree
        if kept == read:
            continue
        for name in ("path", "robots", "record_count", "first_date"):
            if getattr(kept, name) != getattr(read, name):
                mine, theirs = getattr(kept, name), getattr(read, name)
                problems.append(f"{path.name} {name}: kept {mine!r}, read {theirs!r}")
        for label, mine, theirs in (
            ("record", kept.records, read.records),
            ("metadata", kept.metadata, read.metadata),
        ):
            if len(mine) != len(theirs):
                problems.append(f"{path.name}: {len(mine)} {label}s kept, {len(theirs)} read")
            problems += [
                f"{path.name} {label}: kept {a!r}, read {b!r}"
                for a, b in zip(mine, theirs, strict=False)
                if a != b
            ]
    return problems


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    allowed_names.update(spec.get("fake_dns") or {})
    sys.addaudithook(_audit)
    _install_fakes(spec)

    from archive.capture.contract import JobSpec, KnownPayload
    from archive.capture.indexer import parse_warc_date
    from archive.settings import load_settings
    from crawler.run import run_crawl
    from tests.crawler.fakes import DictDigestIndex, ListJobSource, ListSink

    settings = load_settings(
        data_dir=spec["spool"],
        fetch=spec.get("fetch") or {},
        warc_rollover_bytes=spec.get("warc_rollover_bytes", 1_000_000_000),
    )
    source = ListJobSource([JobSpec(**job) for job in spec["jobs"]])
    digests = DictDigestIndex(
        {
            k: KnownPayload(v["uri"], parse_warc_date(v["date"]), v["record_id"])
            for k, v in (spec.get("known") or {}).items()
        },
        blocking=bool(spec.get("blocking_digests")),
    )
    sink = ListSink()
    overrides = {"LOG_LEVEL": "INFO", **(spec.get("overrides") or {})}
    result: dict[str, Any] = {}
    started = time.monotonic()
    try:
        stats = run_crawl(
            settings,
            source,
            digests,
            sink,
            Path(spec["spool"]),
            block_private=spec.get("block_private"),
            overrides=overrides,
        )
        result["stats"] = {k: v for k, v in asdict(stats).items() if k != "warc_files"}
        result["stats"]["warc_files"] = [str(p) for p in stats.warc_files]
    except Exception:
        result["error"] = traceback.format_exc()
    result.update(
        elapsed=time.monotonic() - started,
        failures=source.failures,
        heartbeats=source.heartbeats,
        leases=source.leases,
        lookups=digests.lookups,
        lookup_batches=digests.batches,
        spec_blocking=digests.blocking,
        sink_paths=[str(p) for p in sink.paths],
        sink_problems=sink.problems,
        index_mismatches=_index_mismatches(sink.paths, sink.indexes),
        network=network,
        maxrss_kb=_peak_rss_kb(),
        cpu_seconds=sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
    )
    Path(spec["out"]).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
