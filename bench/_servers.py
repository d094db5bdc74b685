"""The servers ``bench/crawl.py`` starts, each bound to 127.0.0.1 or a private namespace.

Every start function registers its own stop on the ``ExitStack`` it is given,
so that an error or Ctrl-C halfway through a run still stops what was started.
PostgreSQL and SeaweedFS are started the way ``tests/run`` starts them (the
flags there are the ones measured to keep them quiet, small and on loopback).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from glob import glob
from pathlib import Path

HOST = "127.0.0.1"
HERE = Path(__file__).resolve().parent
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_port(host: str, port: int, seconds: float, proc: subprocess.Popen[bytes] | None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before listening")
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {host}:{port} after {seconds} s")


def stop_process(
    proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, wait: float = 10
) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def tree_cpu_seconds(pid: int) -> float:
    """User+system CPU of a live process, its live descendants and its reaped children.

    Servers are not our waited-for children, so ``getrusage`` cannot see them;
    ``/proc`` can, and a server's reaped children (PostgreSQL backends of
    closed connections) show up in its ``cutime``/``cstime``.
    """
    parents: dict[int, int] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        stats[int(entry.name)] = fields
        parents[int(entry.name)] = int(fields[1])
    tree, frontier = set(), [pid]
    while frontier:  # bounded by the number of processes
        current = frontier.pop()
        if current in tree or current not in stats:
            continue
        tree.add(current)
        frontier.extend(p for p, parent in parents.items() if parent == current)
    ticks = sum(sum(int(x) for x in stats[p][11:15]) for p in tree)
    return ticks / TICK


# -- nginx -------------------------------------------------------------------------


def ensure_nginx() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    print("nginx not found; installing the Debian package (apt-get install -y nginx)", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True, env=env)
    return shutil.which("nginx") or "/usr/sbin/nginx"


NGINX_CONF = """daemon off;
master_process on;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    types {{ text/html html; text/css css; image/png png; }}
    default_type application/octet-stream;
    log_format bench '$status $body_bytes_sent $host $request_uri';
    access_log {d}/access.log bench;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    server {{
        listen {addr}:{port};
        server_name bench;
        root {site};
        charset utf-8;
        absolute_redirect off;
        location ~ ^/r/(\\d+)$ {{ return 301 /p/$1.html; }}
        location / {{ try_files $uri =404; }}
    }}
}}
"""


@dataclass
class Nginx:
    proc: subprocess.Popen[bytes]
    log: Path
    pid: int

    def log_offset(self) -> int:
        return self.log.stat().st_size if self.log.exists() else 0

    def exchanges_since(self, offset: int) -> tuple[int, int, set[str]]:
        """Requests, body bytes and "host path" of the requests logged after ``offset``."""
        with self.log.open("rb") as fh:
            fh.seek(offset)
            lines = fh.read().decode("latin-1").splitlines()
        size, paths = 0, set()
        for line in lines:
            _status, sent, where = line.split(" ", 2)
            size += int(sent)
            paths.add(where)
        return len(lines), size, paths


def start_nginx(
    stack: contextlib.ExitStack, work: Path, site: Path, addr: str, netns: str | None
) -> tuple[Nginx, int]:
    binary = ensure_nginx()
    d = work / f"nginx-{addr.replace('.', '-')}"
    (d / "tmp").mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = d / "nginx.conf"
    conf.write_text(NGINX_CONF.format(d=d, addr=addr, port=port, site=site))
    cmd = [binary, "-p", str(d), "-c", str(conf), "-e", str(d / "error.log")]
    if netns:
        cmd = ["ip", "netns", "exec", netns, *cmd]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True)
    stack.callback(stop_process, proc)
    wait_port(addr, port, 15, proc)
    return Nginx(proc=proc, log=d / "access.log", pid=proc.pid), port


def start_delay_proxy(
    stack: contextlib.ExitStack, upstream: int, delay: float, hosts: int = 1
) -> int:
    """The proxy on one port of 127.0.0.1 ... 127.0.0.<hosts> (all loopback)."""
    port = free_port()
    cmd = [sys.executable, str(HERE / "_delay_proxy.py"), "--listen", str(port)]
    cmd += ["--upstream", str(upstream), "--delay", str(delay), "--hosts", str(hosts)]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True)
    stack.callback(stop_process, proc)
    wait_port(HOST, port, 15, proc)
    return port


# -- a network namespace with netem ------------------------------------------------------


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=20)


def make_delayed_namespace(
    stack: contextlib.ExitStack, delay_ms: int, qdisc: list[str] | None = None
) -> tuple[str, str, str]:
    """A namespace behind a veth pair whose far end delays every packet it sends.

    Returns (namespace, server address, reason it failed or ""); on failure
    everything made so far is removed again and the namespace is "".
    """
    tag = f"cvb{os.getpid() % 100000}"
    ns, near, far = f"{tag}ns", f"{tag}a", f"{tag}b"
    rule = qdisc or ["netem", "delay", f"{delay_ms}ms", "limit", "100000"]
    made: list[list[str]] = []
    try:
        _ip("netns", "add", ns)
        made.append(["netns", "del", ns])
        _ip("link", "add", near, "type", "veth", "peer", "name", far)
        made.append(["link", "del", near])
        _ip("link", "set", far, "netns", ns)
        _ip("addr", "add", "10.201.0.2/30", "dev", near)
        _ip("link", "set", near, "up")
        for args in (
            ["addr", "add", "10.201.0.1/30", "dev", far],
            ["link", "set", far, "up"],
            ["link", "set", "lo", "up"],
        ):
            _ip("netns", "exec", ns, "ip", *args)
        subprocess.run(
            ["ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", far, "root", *rule],
            check=True,
            capture_output=True,
            timeout=20,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        err = getattr(exc, "stderr", b"") or b""
        reason = err.decode(errors="replace").strip() or str(exc)
        for undo in reversed(made):
            with contextlib.suppress(subprocess.CalledProcessError, OSError):
                _ip(*undo)
        return "", "", reason
    for undo in reversed(made):
        stack.callback(subprocess.run, ["ip", *undo], capture_output=True, check=False)
    return ns, "10.201.0.1", ""


# -- PostgreSQL -----------------------------------------------------------------------


@dataclass
class Postgres:
    bin: Path
    data: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgresql://citevault@{HOST}:{self.port}/{database}"

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _pg_bin() -> Path:
    found = sorted(glob("/usr/lib/postgresql/*/bin"))
    if not found or not Path(found[-1], "initdb").exists():
        print("PostgreSQL binaries not found; installing the Debian package", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env)
        found = sorted(glob("/usr/lib/postgresql/*/bin"))
    return Path(found[-1])


INITDB = ("--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")


def start_postgres(stack: contextlib.ExitStack, work: Path) -> Postgres:
    pg_bin = _pg_bin()
    data, sock = work / "pg", work / "pgsock"
    data.mkdir()
    sock.mkdir()
    shutil.chown(data, "nobody")
    shutil.chown(sock, "nobody")
    as_nobody = ["runuser", "-u", "nobody", "--"]
    subprocess.run(
        [*as_nobody, str(pg_bin / "initdb"), "-D", str(data), "-U", "citevault", *INITDB],
        check=True,
        capture_output=True,
        cwd=work,
    )
    port = free_port()
    options = (
        f"-c listen_addresses={HOST} -p {port} -k {sock} -c fsync=off "
        "-c full_page_writes=off -c synchronous_commit=off -c max_connections=50"
    )
    stop = [*as_nobody, str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
    stack.callback(lambda: subprocess.run(stop, capture_output=True, cwd=work, check=False))
    subprocess.run(
        [
            *as_nobody,
            str(pg_bin / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(sock / "pg.log"),
            "-o",
            options,
            "start",
        ],
        check=True,
        capture_output=True,
        cwd=work,
    )
    return Postgres(bin=pg_bin, data=data, port=port)


# -- SeaweedFS (S3) ----------------------------------------------------------------------


@dataclass
class SeaweedS3:
    endpoint: str
    access_key: str
    secret_key: str
    bucket: str
    pid: int


def start_seaweedfs(
    stack: contextlib.ExitStack, work: Path, bucket: str, *, cache_mb: int = 0
) -> SeaweedS3:
    weed = Path(sys.executable).parent / "weed"
    d = work / "weed"
    (d / "data").mkdir(parents=True)
    (d / "logs").mkdir()
    s3 = free_port()
    key, secret = "citevault-bench", secrets.token_hex(16)
    cmd = [str(weed), f"-logdir={d / 'logs'}", "mini", "-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
    cmd += ["-master.telemetry=false", f"-dir={d / 'data'}"]
    cmd += [f"-filer.localSocket={d / 'filer.sock'}", f"-s3.localSocket={d / 's3.sock'}"]
    cmd += ["-webdav=false", "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0"]
    cmd += [f"-s3.port={s3}", f"-s3.port.grpc={free_port()}", f"-s3.cacheCapacityMB={cache_mb}"]
    for part in ("master", "volume", "filer", "admin"):
        cmd += [f"-{part}.port={free_port()}", f"-{part}.port.grpc={free_port()}"]
    env = dict(os.environ, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret)
    # The chunk cache lives in the Go heap: the limit leaves room for it twice.
    env.update(S3_BUCKET=bucket, GOMEMLIMIT=f"{256 + 2 * cache_mb}MiB")
    with (d / "out.log").open("wb") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    stack.callback(stop_process, proc, signal.SIGTERM, 15)
    wait_port(HOST, s3, 60, proc)
    endpoint = f"http://{HOST}:{s3}"
    _wait_bucket(endpoint, key, secret, bucket)
    return SeaweedS3(endpoint, key, secret, bucket, proc.pid)


def _wait_bucket(endpoint: str, key: str, secret: str, bucket: str) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        region_name="us-east-1",
    )
    last: Exception | None = None
    for _ in range(100):  # the bucket appears a moment after the port opens
        try:
            client.head_bucket(Bucket=bucket)
            return
        except Exception as exc:
            last = exc
            with contextlib.suppress(Exception):
                client.create_bucket(Bucket=bucket)
            time.sleep(0.2)
    raise RuntimeError(f"SeaweedFS bucket {bucket} did not become ready: {last}")
