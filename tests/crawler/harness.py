"""Running a crawl from a test and reading back what it wrote.

Every crawl runs in its own process (``tests.crawler.driver``).  Every WARC
file it produced is checked with the ``warcio check`` command line before a
test looks at it, and read back with warcio's ``ArchiveIterator`` into plain
``Record`` objects that keep the stored payload bytes as they are (still
content-encoded), so that tests can recompute digests from the site's known
bytes independently of the crawler's own code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archive.capture.contract import JobSpec

ROOT = Path(__file__).resolve().parents[2]
WARCIO = Path(sys.executable).with_name("warcio")
BACKGROUND = ThreadPoolExecutor(max_workers=2)
LATER: list[Future[None]] = []


def sha256_b32(data: bytes) -> str:
    """Written here again, not imported from the crawler, so a bug there cannot confirm itself."""
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode()


_REPEATED = frozenset({"citation-id", "chain", "requisite"})


@dataclass
class Record:
    file: Path
    type: str
    headers: dict[str, str]
    all_headers: list[tuple[str, str]]
    http_status: int | None
    http_headers: list[tuple[str, str]]
    http_block: bytes
    payload: bytes

    @property
    def id(self) -> str:
        return self.headers["WARC-Record-ID"]

    @property
    def uri(self) -> str:
        return self.headers.get("WARC-Target-URI", "")

    def http_header(self, name: str) -> str | None:
        for key, value in self.http_headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self) -> Any:
        return json.loads(self.payload)

    def fields(self) -> list[tuple[str, str]]:
        """An ``application/warc-fields`` body as (name, value) lines, in order."""
        assert self.headers.get("Content-Type") == "application/warc-fields", self.headers
        text = self.payload.decode("utf-8")
        assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), text
        lines = [line.split(": ", 1) for line in text.removesuffix("\r\n").split("\r\n")]
        assert all(len(pair) == 2 for pair in lines), text
        return [(name, value) for name, value in lines]

    def job(self) -> dict[str, Any]:
        """A job's metadata record read as a dict (parsed here, not by the code under test)."""
        fields = self.fields()
        singles = [name for name, _ in fields if name not in _REPEATED]
        assert len(singles) == len(set(singles)), f"a single-valued field is repeated: {fields}"
        one = dict(fields)
        job_id = one.get("job-id")
        return {
            "profile": one["profile"],
            "job_id": int(job_id) if job_id is not None else None,
            "url": one["url"],
            "final_url": one["final-url"],
            "final_record_id": one["final-record-id"],
            "document_id": one.get("document-id"),
            "citation_ids": [int(v) for n, v in fields if n == "citation-id"],
            "chain": [v for n, v in fields if n == "chain"],
            "requisites": [v for n, v in fields if n == "requisite"],
            "robots": one["robots"],
            "budget_exhausted": one.get("budget-exhausted"),
        }


@dataclass
class CrawlResult:
    raw: dict[str, Any]
    files: list[Path]
    records: list[Record]
    log: str
    spool: Path
    names: list[str] = field(default_factory=list)

    @property
    def stats(self) -> dict[str, Any]:
        return dict(self.raw.get("stats") or {})

    @property
    def failures(self) -> list[tuple[int, str, bool]]:
        return [tuple(f) for f in self.raw["failures"]]  # type: ignore[misc]

    def failure(self, job_id: int) -> tuple[str, bool]:
        found = [(reason, retry) for jid, reason, retry in self.failures if jid == job_id]
        assert len(found) == 1, f"job {job_id} failures: {found}\n{self.log[-3000:]}"
        return found[0]

    def of_type(self, kind: str) -> list[Record]:
        return [r for r in self.records if r.type == kind]

    def for_uri(self, uri: str, kind: str | None = None) -> list[Record]:
        return [r for r in self.records if r.uri == uri and (kind is None or r.type == kind)]

    def answers(self, uri: str) -> list[Record]:
        """Response and revisit records for ``uri``."""
        return [r for r in self.for_uri(uri) if r.type in ("response", "revisit")]

    def metadata(self, job_id: int | None = None, url: str | None = None) -> dict[str, Any]:
        found = [
            r.job()
            for r in self.of_type("metadata")
            if (job_id is None or r.job()["job_id"] == job_id)
            and (url is None or r.job()["url"] == url)
        ]
        assert len(found) == 1, f"metadata for job {job_id} / {url}: {found}"
        return found[0]

    def by_id(self, record_id: str) -> Record:
        found = [r for r in self.records if r.id == record_id]
        assert len(found) == 1, record_id
        return found[0]


def read_records(path: Path) -> list[Record]:
    records = []
    with path.open("rb") as handle:
        for rec in ArchiveIterator(handle, arc2warc=False):
            http_status = None
            http_headers: list[tuple[str, str]] = []
            block = b""
            if rec.http_headers is not None and rec.rec_type in ("response", "revisit", "request"):
                if rec.rec_type != "request":
                    http_status = int(rec.http_headers.get_statuscode())
                http_headers = list(rec.http_headers.headers)
                block = rec.http_headers.to_bytes()
            records.append(
                Record(
                    file=path,
                    type=rec.rec_type,
                    headers=dict(rec.rec_headers.headers),
                    all_headers=list(rec.rec_headers.headers),
                    http_status=http_status,
                    http_headers=http_headers,
                    http_block=block,
                    payload=rec.raw_stream.read(),
                )
            )
    return records


BROTLI_BUG = "'brotli.Decompressor' object has no attribute 'unused_data'"


def warcio_check(path: Path) -> None:
    """The ``warcio check`` command line; see ``warcio_compat`` for brotli payloads."""
    done = subprocess.run(
        [str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0 and BROTLI_BUG in done.stderr:
        done = subprocess.run(
            [sys.executable, "-m", "tests.crawler.warcio_compat", "-v", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    assert done.returncode == 0, f"warcio check failed on {path}:\n{done.stdout}{done.stderr}"
    assert "digest pass" in done.stdout


def _job(job: JobSpec | dict[str, Any]) -> dict[str, Any]:
    if isinstance(job, JobSpec):
        return {
            "job_id": job.job_id,
            "url": job.url,
            "document_id": job.document_id,
            "citation_ids": list(job.citation_ids),
            "force": job.force,
        }
    return dict(job)


def run_crawl_process(
    workdir: Path,
    jobs: list[JobSpec | dict[str, Any]],
    *,
    fetch: dict[str, Any] | None = None,
    block_private: bool | None = False,
    known: dict[str, dict[str, str]] | None = None,
    overrides: dict[str, Any] | None = None,
    rollover: int | None = None,
    timeout: float = 60,
    expect_error: bool = False,
    check_later: bool = False,
    **options: Any,
) -> CrawlResult:
    """Crawl ``jobs`` in a new process; the WARC files are checked and read back.

    ``check_later`` runs ``warcio check`` in the background, joined at the end
    of the session (``conftest.py``): for files whose check takes long (bombs).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    spool = workdir / "spool"
    spec = {
        "spool": str(spool),
        "out": str(workdir / "result.json"),
        "jobs": [_job(job) for job in jobs],
        "fetch": fetch or {},
        "block_private": block_private,
        "known": known or {},
        "overrides": overrides or {},
        **options,
    }
    if rollover is not None:
        spec["warc_rollover_bytes"] = rollover
    spec_path = workdir / "spec.json"
    spec_path.write_text(json.dumps(spec))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITEVAULT_")}
    env["PYTHONPATH"] = str(ROOT)
    # an empty tldextract cache: were the Public Suffix List ever consulted the
    # usual way, it would have to be fetched, and the driver would see it
    env["TLDEXTRACT_CACHE"] = str(workdir / "tldextract-cache")
    done = subprocess.run(
        [sys.executable, "-m", "tests.crawler.driver", str(spec_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, f"the crawl process failed:\n{log[-5000:]}"
    raw = json.loads((workdir / "result.json").read_text())
    if expect_error:
        assert "error" in raw, "run_crawl was expected to raise"
        files = [Path(p) for p in raw["sink_paths"]]
    else:
        assert "error" not in raw, f"run_crawl raised:\n{raw['error']}\n{log[-3000:]}"
        files = [Path(p) for p in raw["stats"]["warc_files"]]
    leftovers = sorted(p.name for p in spool.glob("*") if p.suffix == ".open")
    assert not leftovers, f"files left open in the spool: {leftovers}"
    assert [Path(p) for p in raw["sink_paths"]] == files
    assert not raw["sink_problems"], raw["sink_problems"]
    # committing trusts the index the crawler kept while writing: it must be
    # exactly what reading each file back gives
    assert not raw["index_mismatches"], "\n".join(raw["index_mismatches"][:5])
    if check_later:
        LATER.extend(BACKGROUND.submit(warcio_check, path) for path in files)
    else:
        with ThreadPoolExecutor(max_workers=2) as pool:  # the checks are separate processes
            list(pool.map(warcio_check, files))
    records = [record for path in files for record in read_records(path)]
    return CrawlResult(raw=raw, files=files, records=records, log=log, spool=spool)
