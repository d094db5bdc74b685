"""WARC files and header blocks on their own: naming, rollover, gzip members, blocks."""

from __future__ import annotations

import gzip
import re
import socket
import zlib
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import Response

from archive.errors import StoreError
from archive.settings import Settings
from crawler.run import run_adhoc
from crawler.warc.files import WarcFiles
from crawler.warc.recorder import gzip_level
from crawler.warc.records import RecordFactory, request_block, response_block, sha256_digest
from tests.crawler.harness import read_records, sha256_b32, warcio_check

NAME = re.compile(r"^citevault-(\d{20})-([A-Za-z0-9._-]+)-(\d+)-(\d{5})\.warc\.gz$")


def _metadata(factory: RecordFactory, n: int, size: int = 300) -> object:
    body = (b'{"n": %d, "pad": "' % n) + b"x" * size + b'"}'
    return factory.plain(
        "metadata",
        f"http://site.test/{n}",
        body,
        [
            ("WARC-Record-ID", f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>"),
            ("WARC-Date", "2024-01-01T00:00:00.000000Z"),
            ("WARC-Target-URI", f"http://site.test/{n}"),
        ],
        "application/json",
    )


def _files(tmp_path: Path, **options: Any) -> tuple[WarcFiles, list[Path], RecordFactory]:
    """WarcFiles in ``tmp_path`` that collects the paths it closes."""
    closed: list[Path] = []
    factory = RecordFactory()
    settings: dict[str, Any] = {"rollover_bytes": 10**9, "warcinfo": {"software": "t"}}
    settings.update(options)
    files = WarcFiles(
        tmp_path,
        on_closed=lambda path, index: closed.append(path),
        factory=factory,
        **settings,
    )
    return files, closed, factory


def test_rollover_names_warcinfo_and_closing(tmp_path: Path) -> None:
    files, closed, factory = _files(
        tmp_path, rollover_bytes=2000, warcinfo={"software": "test", "robots": "ignore"}
    )
    for n in range(12):
        files.write([(_metadata(factory, n), 0, None)])
        assert not any(p.suffix == ".gz" and p not in closed for p in tmp_path.iterdir())
    files.close()
    files.close()  # idempotent
    assert len(closed) > 2
    assert sorted(tmp_path.iterdir()) == sorted(closed)
    serials = []
    for path in closed:
        match = NAME.match(path.name)
        assert match, path.name
        assert match.group(2) == re.sub(r"[^A-Za-z0-9.-]+", "_", socket.gethostname())
        serials.append(int(match.group(4)))
        warcio_check(path)
        records = read_records(path)
        assert records[0].type == "warcinfo"
        assert records[0].headers["WARC-Filename"] == path.name
        assert all(r.type == "metadata" for r in records[1:])
    assert serials == list(range(len(closed)))
    numbers = [r.json()["n"] for p in closed for r in read_records(p)[1:]]
    assert numbers == list(range(12))


def test_each_record_is_its_own_gzip_member_at_its_level(tmp_path: Path) -> None:
    files, closed, factory = _files(tmp_path)
    files.write([(_metadata(factory, 1, 5000), 0, None), (_metadata(factory, 2, 5000), 9, None)])
    files.close()
    data = closed[0].read_bytes()
    members = []
    while data:
        stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
        members.append(stream.decompress(data))
        data = stream.unused_data
    assert len(members) == 3  # warcinfo, then one member per record
    assert gzip.decompress(closed[0].read_bytes()) == b"".join(members)
    stored_size = len(closed[0].read_bytes())
    assert stored_size > 5000  # the level-0 record is stored, not deflated


def test_response_block_states_the_stored_length_and_keeps_raw_bytes() -> None:
    headers = [
        (b"Content-Length", [b"999"]),
        (b"Transfer-Encoding", [b"chunked"]),
        (b"Set-Cookie", [b"a=1", b"b=2"]),
        (b"Content-Disposition", [b"attachment; filename=\xe9t\xe9.txt"]),
    ]
    block = response_block("HTTP/1.1", 200, b"Fine", headers, 10)
    assert block == (
        b"HTTP/1.1 200 Fine\r\nContent-Length: 10\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
        b"Content-Disposition: attachment; filename=\xe9t\xe9.txt\r\n\r\n"
    )
    assert response_block(None, 404, None, [], 3).startswith(b"HTTP/1.1 404 Not Found\r\n")
    assert b"Content-Length" not in response_block("HTTP/1.1", 204, None, [], 0)
    assert b"Content-Length: 0" in response_block("HTTP/1.1", 200, None, [], 0)


def test_request_block_puts_host_first_and_drops_default_ports() -> None:
    headers = [(b"User-Agent", [b"ua"]), (b"Accept", [b"*/*"])]
    assert request_block("GET", "https://site.test:443/a?b=c", headers, b"").startswith(
        b"GET /a?b=c HTTP/1.1\r\nHost: site.test\r\nUser-Agent: ua\r\n"
    )
    assert b"Host: site.test:8443\r\n" in request_block("GET", "https://site.test:8443/", [], b"")
    assert b"Host: [::1]:8080\r\n" in request_block("GET", "http://[::1]:8080", [], b"")
    assert request_block("GET", "http://site.test", [], b"").startswith(b"GET / HTTP/1.1\r\n")


def test_digest_form() -> None:
    assert sha256_digest(b"a", b"b") == sha256_b32(b"ab")
    assert sha256_digest(b"").startswith(
        "sha256:4OYMIQUY7QOBJGX36TEJS35ZEQT24QPEMSNZGTFESWMRW6CSXBKQ"
    )


def test_gzip_level_per_payload_kind() -> None:
    def level(**headers: str) -> int:
        return gzip_level(Response("http://site.test/", headers=headers, body=b"x"))

    assert level(**{"Content-Type": "text/html"}) == 6
    assert level(**{"Content-Type": "text/html", "Content-Encoding": "gzip"}) == 0
    assert level(**{"Content-Type": "image/png"}) == 0
    assert level(**{"Content-Type": "video/mp4"}) == 0
    assert level(**{"Content-Type": "font/woff2"}) == 0
    assert level(**{"Content-Type": "application/pdf"}) == 0
    assert level(**{"Content-Type": "image/svg+xml"}) == 6
    assert level() == 6


def test_the_configured_level_is_what_text_records_are_written_at(tmp_path: Path) -> None:
    from crawler.settings import scrapy_settings

    assert scrapy_settings(Settings())["CITEVAULT_WARC_GZIP_LEVEL"] == 1
    assert scrapy_settings(Settings(warc_gzip_level=9))["CITEVAULT_WARC_GZIP_LEVEL"] == 9
    text = Response("http://site.test/", headers={"Content-Type": "text/html"}, body=b"x")
    image = Response("http://site.test/", headers={"Content-Type": "image/png"}, body=b"x")
    assert gzip_level(text, 1) == 1 and gzip_level(image, 1) == 0
    files, closed, factory = _files(tmp_path)
    files.write([(_metadata(factory, 1, 5000), 1, None), (_metadata(factory, 2, 5000), 9, None)])
    files.close()
    data = closed[0].read_bytes()
    flags = []
    while data:
        stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
        stream.decompress(data)
        flags.append(data[8])  # XFL: 4 = fastest (level 1), 2 = best (level 9)
        data = stream.unused_data
    assert flags[1:] == [4, 2]


def test_the_spool_must_be_creatable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the spool folder"):
        run_adhoc(Settings(), ["http://site.test/"], blocker / "spool")


def test_files_roll_over_by_age_as_well_as_size(tmp_path: Path) -> None:
    now = [0.0]
    files, closed, factory = _files(tmp_path, rollover_seconds=300, clock=lambda: now[0])
    files.write([(_metadata(factory, 1), 1, None)])
    now[0] = 299.0
    files.write([(_metadata(factory, 2), 1, None)])
    files.close_if_old()
    assert closed == []  # young enough: both records in the open file
    now[0] = 300.0
    files.close_if_old()  # what the crawl's heartbeat calls while nothing is written
    assert len(closed) == 1
    assert [r.json()["n"] for r in read_records(closed[0])[1:]] == [1, 2]
    files.write([(_metadata(factory, 3), 1, None)])  # a new file, opened at 300
    now[0] = 700.0
    files.write([(_metadata(factory, 4), 1, None)])  # the write that finds it old closes it
    assert len(closed) == 2
    assert [r.json()["n"] for r in read_records(closed[1])[1:]] == [3, 4]
    files.close()
    assert len(closed) == 2  # nothing was open any more
