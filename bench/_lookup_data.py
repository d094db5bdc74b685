"""The archive ``bench/lookup.py`` queries: documents, citations, captures, real WARC bytes.

Rows are generated in Python and streamed with PostgreSQL COPY, because row by
row ORM inserts would take longer than the whole measurement.  Secondary
indexes are dropped while loading and rebuilt afterwards (one sort instead of
millions of random B-tree inserts) and triggers are off while loading; the
indexes are rebuilt, the rows consistent by construction, and the
``private_only`` flags that the triggers would have kept are checked after
the load, so the schema the API sees is exactly the migrated one.  Every
capture points at one of a few hundred real ~50 KB response records in WARC
files in the store, so reading a record back transfers real bytes.
"""

from __future__ import annotations

import base64
import hashlib
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import surt
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.storage import ObjectStore

SPECIAL_DOC = "cited-50"
SPECIAL_CITATIONS = 50
SPECIAL_CAPTURES_EACH = 5
RECORDS = 200
WARC_FILES = 4
BATCH = 20_000
START = datetime(2012, 1, 1, tzinfo=UTC)
SPAN_SECONDS = int((datetime(2026, 1, 1, tzinfo=UTC) - START).total_seconds())
NOW = "2026-01-15 12:00:00+00"
TLDS = ("com", "org", "net", "de", "co.uk", "fr", "io", "edu", "gov", "info", "nl", "jp")
SUBS = ("www.", "www.", "", "", "blog.", "news.", "docs.", "en.", "data.")
_TEXT = (
    "report climate policy health data study review energy market history science water "
    "survey law court budget city school trade statement press release archive story "
    "analysis results paper notes guide index update figures"
)
WORDS = tuple(_TEXT.split())
CAPTURE_COLS = (
    "id, url, url_normalized, surt, captured_at, http_status, media_type, payload_digest, "
    "payload_length, warc_file_id, warc_offset, warc_length, warc_record_id, redirect_to, "
    "ip_address, error, created_at, private_only"
)
# No response: no status and no record, only the reason.
FAILED = "\\N\t" * 10 + f"timeout after 120 s\t{NOW}\t"
LINK_COLS = "citation_id, capture_id, how, linked_at"
CITATION_COLS = (
    "id, version_id, document_id, ordinal, kind, extractor, url_as_cited, url_normalized, "
    "anchor_text, title, context, span_start, span_end, resolution, resolved_url, created_at"
)
BIG_TABLES = ("documents", "document_versions", "citations", "captures", "citation_captures")


@dataclass(frozen=True)
class Sizes:
    documents: int
    citations: int
    captures: int
    hosts: int
    urls: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        docs = max(100, round(100_000 * scale))
        cits = max(10 * docs // 10 + SPECIAL_CITATIONS, round(1_000_000 * scale))
        caps = max(cits + SPECIAL_CITATIONS * SPECIAL_CAPTURES_EACH, round(2_000_000 * scale))
        return cls(docs, cits, caps, max(100, round(3000 * scale**0.5)), max(100, cits * 2 // 5))


@dataclass(frozen=True)
class Record:
    warc_file_id: int
    offset: int
    length: int
    digest: str
    payload_length: int


@dataclass
class Targets:
    """What the load generator asks for: things that exist and a caller may see."""

    urls: list[str] = field(default_factory=list)
    warc_captures: list[int] = field(default_factory=list)
    record_bytes: float = 0.0


def make_warcs(
    work: Path, store: ObjectStore, rng: random.Random
) -> tuple[list[Record], list[str]]:
    """WARC files of ~50 KB gzip records, uploaded; returns records and warc_files rows."""
    records: list[Record] = []
    rows: list[str] = []
    per_file = RECORDS // WARC_FILES
    for f in range(WARC_FILES):
        name = f"bench-{f:03d}.warc.gz"
        path = work / name
        count = 0
        with path.open("wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for n in range(per_file):
                # Base64 of random bytes compresses to ~3/4: ~50 KB per gzip member.
                text = base64.b64encode(rng.randbytes(49_000)).decode()
                body = f"<!doctype html><title>page {f}-{n}</title><pre>{text}</pre>".encode()
                http = StatusAndHeaders(
                    "200 OK",
                    [
                        ("Content-Type", "text/html; charset=utf-8"),
                        ("Content-Length", str(len(body))),
                    ],
                    protocol="HTTP/1.1",
                )
                rec = writer.create_warc_record(
                    f"https://example.org/bench/{f}/{n}",
                    "response",
                    payload=_Bytes(body),
                    http_headers=http,
                )
                start = fh.tell()
                writer.write_record(rec)
                digest = rec.rec_headers.get_header("WARC-Payload-Digest") or "-"
                records.append(Record(f + 1, start, fh.tell() - start, digest, len(body)))
                count += 1
        key = f"warcs/bench/{name}"
        stored = store.put_file(key, path)
        sha = stored.sha256 or hashlib.sha256(path.read_bytes()).hexdigest()
        rows.append(
            f"{f + 1}\t{key}\t{name}\t{path.stat().st_size}\t{sha}\t{count}\tstored\t{NOW}\t{NOW}\n"
        )
    return records, rows


class _Bytes:
    """A readable payload for warcio without copying through BytesIO twice."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.pos + size
        chunk, self.pos = self.data[self.pos : end], min(end, len(self.data))
        return chunk


def make_urls(sizes: Sizes, rng: random.Random) -> tuple[list[str], list[str]]:
    """URLs over ``sizes.hosts`` hosts, and their SURT keys (checked against ``surt``)."""
    hosts: list[tuple[str, str]] = []
    for h in range(sizes.hosts):
        name = f"{rng.choice(WORDS)}{rng.choice(WORDS)}{h}"
        host = f"{rng.choice(SUBS)}{name}.{rng.choice(TLDS)}"
        key = str(surt.surt(f"http://{host}/"))
        hosts.append((host, key[:-1] if key.endswith("/") else key))
    urls, keys = [], []
    for u in range(sizes.urls):
        host, key = hosts[
            min(int(rng.paretovariate(1.2)) - 1, len(hosts) - 1) if u % 3 else u % len(hosts)
        ]
        path = f"/{rng.choice(WORDS)}/{2000 + u % 26}/{rng.choice(WORDS)}-{rng.choice(WORDS)}-{u}"
        if u % 4 == 0:
            path += ".html"
        elif u % 17 == 0:
            path += f"?id={u % 9973}"
        scheme = "https" if u % 5 else "http"
        urls.append(f"{scheme}://{host}{path}")
        keys.append(key + path)
    for url, key in zip(urls[:3000], keys[:3000], strict=True):
        if str(surt.surt(url)) != key:
            raise RuntimeError(f"generated SURT {key!r} differs from surt's {surt.surt(url)!r}")
    return urls, keys


def _stamp(seconds: int) -> str:
    return (START + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S+00")


def _chunks(lines: Iterator[str]) -> Iterator[bytes]:
    buf: list[str] = []
    for line in lines:
        buf.append(line)
        if len(buf) >= BATCH:
            yield "".join(buf).encode()
            buf.clear()
    if buf:
        yield "".join(buf).encode()


def _copy(conn: psycopg.Connection, table: str, lines: Iterator[str]) -> None:
    with conn.cursor() as cur, cur.copy(f"COPY {table} FROM STDIN") as copy:
        for chunk in _chunks(lines):
            copy.write(chunk)


def _drop_indexes(conn: psycopg.Connection) -> list[str]:
    """Drop secondary indexes (not those behind constraints); return how to rebuild them."""
    rows = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = ANY(%s) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = "
        "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
        (list(BIG_TABLES),),
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [ddl for _, ddl in rows]


def fill(url: str, sizes: Sizes, work: Path, store: ObjectStore, seed: int) -> Targets:
    rng = random.Random(seed)
    records, warc_rows = make_warcs(work, store, rng)
    urls, keys = make_urls(sizes, rng)
    targets = Targets(record_bytes=sum(r.length for r in records) / len(records))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # no FK triggers while loading
        conn.execute("SET maintenance_work_mem = '256MB'")
        rebuild = _drop_indexes(conn)
        _copy(conn, "warc_files", iter(warc_rows))
        doc_of, private = _documents(conn, sizes, rng)
        cit_url, counts = _citations(conn, sizes, rng, urls, doc_of)
        cits = (cit_url, counts, doc_of)
        _captures(url, conn, rng, urls, keys, records, cits, private, targets)
        for ddl in rebuild:
            conn.execute(ddl)
        for table in ("document_versions", "citations", "captures", "warc_files"):
            seq = f"pg_get_serial_sequence('{table}', 'id')"
            conn.execute(f"SELECT setval({seq}, (SELECT max(id) FROM {table}))")
        for table in BIG_TABLES:
            conn.execute(f"VACUUM ANALYZE {table}")
        _check_private_only(conn)
    return targets


def _check_private_only(conn: psycopg.Connection) -> None:
    """The loaded flags must be what the database's triggers would have written."""
    row = conn.execute(
        "SELECT count(*) FROM captures c LEFT JOIN ("
        " SELECT cc.capture_id, bool_and(d.is_private) AS hidden FROM citation_captures cc"
        " JOIN citations ci ON ci.id = cc.citation_id JOIN documents d ON d.id = ci.document_id"
        " GROUP BY cc.capture_id) r ON r.capture_id = c.id"
        " WHERE c.private_only <> coalesce(r.hidden, false)"
    ).fetchone()
    if row is None or row[0]:
        raise RuntimeError(f"{row} captures have a wrong private_only flag after the fill")


def _documents(
    conn: psycopg.Connection, sizes: Sizes, rng: random.Random
) -> tuple[array[int], bytearray]:
    """Documents and their one version each; returns citation -> document, and private flags."""
    d = sizes.documents
    counts = [1] * d
    counts[0] = SPECIAL_CITATIONS
    for _ in range(sizes.citations - sum(counts)):
        counts[1 + min(int(rng.expovariate(1 / (d / 3))), d - 2)] += 1
    private = bytearray(1 if i and rng.random() < 0.02 else 0 for i in range(d))
    doc_ids = [SPECIAL_DOC, *(f"doc-{i:07d}" for i in range(1, d))]

    def docs() -> Iterator[str]:
        for i, ident in enumerate(doc_ids):
            flag = "t" if private[i] else "f"
            yield f"{ident}\tCited sources {i}\thttps://papers.example/{i}\t{flag}\t1\t{NOW}\t{NOW}\n"

    def versions() -> Iterator[str]:
        for i, ident in enumerate(doc_ids):
            sha = hashlib.sha256(ident.encode()).hexdigest()
            yield (
                f"{i + 1}\t{ident}\t1\t{sha}\t{20_000 + i % 50_000}\ttext/html\thtml\t"
                f"https://papers.example/{i}\tCited sources {i}\t"
                f"documents/{sha[:2]}/{sha}\t\\N\t{NOW}\n"
            )

    _copy(conn, "documents", docs())
    _copy(conn, "document_versions", versions())
    doc_of = array("i", (i for i, n in enumerate(counts) for _ in range(n)))
    return doc_of, private


def _citations(
    conn: psycopg.Connection,
    sizes: Sizes,
    rng: random.Random,
    urls: list[str],
    doc_of: array[int],
) -> tuple[array[int], array[int]]:
    """Citations (popular URLs are cited more often); returns their URLs and capture counts."""
    n, u = sizes.citations, len(urls)
    cit_url = array(
        "i",
        (
            int(u * rng.random() ** 1.5) if rng.random() < 0.3 else rng.randrange(u)
            for _ in range(n)
        ),
    )
    counts = array("i", [0]) * n
    for c in range(SPECIAL_CITATIONS):
        counts[c] = SPECIAL_CAPTURES_EACH
    rest = sizes.captures - SPECIAL_CITATIONS * SPECIAL_CAPTURES_EACH
    for c in range(SPECIAL_CITATIONS, n):  # most citations have a capture, some several
        if rest and rng.random() < 0.9:
            counts[c] += 1
            rest -= 1
    for _ in range(rest):
        counts[rng.randrange(SPECIAL_CITATIONS, n)] += 1

    def rows() -> Iterator[str]:
        ordinal, last = 0, -1
        for c in range(n):
            doc = doc_of[c]
            ordinal = ordinal + 1 if doc == last else 0
            last = doc
            ident = SPECIAL_DOC if doc == 0 else f"doc-{doc:07d}"
            link = urls[cit_url[c]]
            word = WORDS[c % len(WORDS)]
            yield (
                f"{c + 1}\t{doc + 1}\t{ident}\t{ordinal}\turl\thtml\t{link}\t{link}\t"
                f"The {word} source\tA {word} we cite\t"
                f"... as the {word} shows, the figures were revised ...\t{100 * ordinal}\t"
                f"{100 * ordinal + 40}\tresolved\t{link}\t{NOW}\n"
            )

    _copy(conn, f"citations ({CITATION_COLS})", rows())
    return cit_url, counts


def _captures(
    url: str,
    conn: psycopg.Connection,
    rng: random.Random,
    urls: list[str],
    keys: list[str],
    records: list[Record],
    cits: tuple[array[int], array[int], array[int]],
    private: bytearray,
    targets: Targets,
) -> None:
    """Captures and their links, streamed side by side on two connections."""
    cit_url, counts, doc_of = cits
    keep = 40_000 / max(1, sum(counts))
    seen = bytearray(len(urls))
    links: list[str] = []
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("SET session_replication_role = replica")
        with (
            other.cursor() as cur,
            cur.copy(f"COPY citation_captures ({LINK_COLS}) FROM STDIN") as out,
        ):

            def rows() -> Iterator[str]:
                ident = 0
                for c in range(len(cit_url)):
                    u = cit_url[c]
                    link, key, public = urls[u], keys[u], not private[doc_of[c]]
                    hidden = "f" if public else "t"  # each capture has this one citation
                    for _ in range(counts[c]):
                        ident += 1
                        at = _stamp(rng.randrange(SPAN_SECONDS))
                        roll = rng.random()
                        links.append(f"{c + 1}\t{ident}\tfetched\t{at}\n")
                        if len(links) >= BATCH:
                            out.write("".join(links).encode())
                            links.clear()
                        if roll < 0.01:
                            yield f"{ident}\t{link}\t{link}\t{key}\t{at}\t{FAILED}{hidden}\n"
                            continue
                        rec = records[ident % len(records)]
                        status, redirect = (301, link + "/") if roll < 0.02 else (200, "\\N")
                        yield (
                            f"{ident}\t{link}\t{link}\t{key}\t{at}\t{status}\ttext/html\t"
                            f"{rec.digest}\t{rec.payload_length}\t{rec.warc_file_id}\t{rec.offset}\t"
                            f"{rec.length}\t<urn:uuid:00000000-0000-4000-8000-{ident:012x}>\t"
                            f"{redirect}\t127.0.0.1\t\\N\t{NOW}\t{hidden}\n"
                        )
                        if status == 200 and public:
                            seen[u] = 1
                            if rng.random() < keep:
                                targets.warc_captures.append(ident)

            _copy(conn, f"captures ({CAPTURE_COLS})", rows())
            if links:
                out.write("".join(links).encode())
    picked = [u for u in range(len(urls)) if seen[u]]
    rng.shuffle(picked)
    targets.urls = [urls[u] for u in picked[:20_000]]
