"""How fast ``citevault verify`` re-reads stored WARC files, against plain ``sha256sum``.

Writes synthetic WARC files the way the crawler does (one gzip member per
record; text payloads at gzip level 1, already-compressed ones at level 0),
records them and their captures in a throwaway SQLite database, puts them
in a folder store and in a throwaway SeaweedFS (S3) on 127.0.0.1, and then,
repetition by repetition:

  sha256sum      the same files in the folder store, by coreutils (the reference)
  verify folder  a full verify run over the folder store (hash + every capture record)
  verify s3      the same over SeaweedFS

The page cache is warmed first, so the folder figures compare CPU, not the
disk.  Each case's best repetition is printed in MB/s (10^6 bytes) with its
ratio to sha256sum (target: verify folder >= 0.7x).

    .venv/bin/python bench/verify.py               # 400 MB in 8 files, 3 repetitions
    .venv/bin/python bench/verify.py --mb 100 --reps 2
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.clock import SystemClock
from archive.db import migrate
from archive.db.models import Capture, WarcFile
from archive.fixity import runs, verify_run
from archive.runtime import Runtime
from archive.settings import load_settings
from archive.storage.base import sha256_file
from bench._servers import start_seaweedfs

WORDS = b"the archive keeps what the document cited as it was when it was cited ".split()


def _text(rng: random.Random, size: int) -> bytes:
    out = bytearray(b"<html><body>")
    while len(out) < size:
        out += b" ".join(rng.choice(WORDS) for _ in range(12)) + b".\n"
    return bytes(out[:size])


def write_warc(path: Path, target_bytes: int, rng: random.Random) -> list[dict[str, object]]:
    """A WARC file of about ``target_bytes``; returns its captures' rows."""
    captures: list[dict[str, object]] = []
    offset = 0
    n = 0
    with path.open("wb") as out:
        while offset < target_bytes:
            n += 1
            is_text = n % 2 == 0
            size = rng.randint(20_000, 120_000) if is_text else rng.randint(50_000, 400_000)
            payload = _text(rng, size) if is_text else rng.randbytes(size)
            ctype = "text/html" if is_text else "image/jpeg"
            url = f"http://bench.test/{path.stem}/{n}"
            plain = io.BytesIO()
            writer = WARCWriter(plain, gzip=False)
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=http
            )
            writer.write_record(record)
            member = gzip.compress(plain.getvalue(), compresslevel=1 if is_text else 0)
            out.write(member)
            headers = record.rec_headers
            captures.append(
                {
                    "url": url,
                    "url_normalized": url,
                    "surt": f"test,bench)/{path.stem}/{n}",
                    "captured_at": datetime.now(UTC),
                    "http_status": 200,
                    "media_type": ctype,
                    "payload_digest": headers.get_header("WARC-Payload-Digest"),
                    "payload_length": size,
                    "warc_offset": offset,
                    "warc_length": len(member),
                    "warc_record_id": headers.get_header("WARC-Record-ID"),
                }
            )
            offset += len(member)
    return captures


def timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=400, help="total size of the WARC files")
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="cv-bench-verify-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        work = Path(tmp)
        rng = random.Random(15)
        db = f"sqlite:///{work / 'bench.db'}"
        migrate.upgrade(db)
        weed = start_seaweedfs(stack, work, "bench-verify")
        folder = load_settings(
            data_dir=work / "data", database_url=db, store={"url": (work / "store").as_uri()}
        )
        s3 = load_settings(
            data_dir=work / "data",
            database_url=db,
            store={
                "url": f"s3://{weed.bucket}/verify",
                "endpoint_url": weed.endpoint,
                "region": "us-east-1",
                "access_key_id": weed.access_key,
                "secret_access_key": weed.secret_key,
            },
        )
        rt_folder, rt_s3 = Runtime(folder), Runtime(s3)
        stack.callback(rt_folder.close)
        stack.callback(rt_s3.close)

        print(f"writing {args.files} WARC files, {args.mb} MB in all ...", flush=True)
        per_file = args.mb * 1_000_000 // args.files
        records = 0
        with rt_folder.sessions()() as session, session.begin():
            for i in range(args.files):
                path = work / f"bench-{i:03d}.warc.gz"
                rows = write_warc(path, per_file, rng)
                sha256, size = sha256_file(path)
                key = f"warcs/2026/12/05/{path.name}"
                rt_folder.store().put_file(key, path, (sha256, size))
                rt_s3.store().put_file(key, path, (sha256, size))
                wf = WarcFile(
                    store_key=key,
                    filename=path.name,
                    size=size,
                    sha256=sha256,
                    record_count=len(rows),
                    state="stored",
                    stored_at=datetime.now(UTC),
                )
                session.add(wf)
                session.flush()
                session.add_all(Capture(warc_file_id=wf.id, **row) for row in rows)
                records += len(rows)
                path.unlink()
        files = sorted(str(p) for p in (work / "store" / "warcs").rglob("*.warc.gz"))
        total = sum(os.path.getsize(f) for f in files)
        print(f"{len(files)} files, {total / 1e6:.1f} MB, {records} capture records", flush=True)
        subprocess.run(["cat", *files], stdout=subprocess.DEVNULL, check=True)  # warm the cache

        def sha256sum() -> None:
            subprocess.run(["sha256sum", *files], stdout=subprocess.DEVNULL, check=True)

        def verify(rt: Runtime) -> object:
            def go() -> None:
                run_id = runs.start_run(rt.sessions(), SystemClock(), 1.0)
                result = verify_run(rt, run_id, rate_mb_per_second=0)
                assert result.ok and result.bytes_checked == total, result.to_json()
                assert result.records_checked == records

            return go

        cases = {
            "sha256sum": sha256sum,
            "verify folder": verify(rt_folder),
            "verify s3": verify(rt_s3),
        }
        best = {name: float("inf") for name in cases}
        for rep in range(args.reps):
            # A different first case each repetition, so a noisy neighbour hits all alike.
            names = list(cases)
            names = names[rep % len(names) :] + names[: rep % len(names)]
            for name in names:
                best[name] = min(best[name], timed(cases[name]))

        reference = total / best["sha256sum"] / 1e6
        print(f"\n{'case':<15}{'seconds':>9}{'MB/s':>9}{'x sha256sum':>13}")
        for name, seconds in best.items():
            rate = total / seconds / 1e6
            print(f"{name:<15}{seconds:>9.2f}{rate:>9.1f}{rate / reference:>13.2f}")
        print(f"\n(best of {args.reps}; {total / 1e6:.1f} MB in {len(files)} WARC files)")


if __name__ == "__main__":
    main()
