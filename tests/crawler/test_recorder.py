"""The recorder on hand-made exchanges: cuts, disconnects, revisits, metadata."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from pathlib import Path

from scrapy import Request
from scrapy.http import Response

from archive.capture.contract import METADATA_PROFILE, CaptureMetadata, KnownPayload
from crawler.exchange import TRUNCATED_LENGTH, exchange
from crawler.warc.files import WarcFiles
from crawler.warc.recorder import Recorder
from crawler.warc.records import RecordFactory
from tests.crawler.fakes import DictDigestIndex
from tests.crawler.harness import Record, read_records, sha256_b32, warcio_check

URL = "http://site.test/a?b=c#fragment"


def _recorder(tmp_path: Path, digests: DictDigestIndex, cap: int = 1000) -> Recorder:
    factory = RecordFactory()
    files = WarcFiles(
        tmp_path,
        rollover_bytes=10**9,
        warcinfo={"software": "test"},
        on_closed=lambda path, index: None,
        factory=factory,
    )
    return Recorder(files, factory, digests, cap)


def _response(request: Request, body: bytes, **kwargs: object) -> Response:
    return Response(
        "http://site.test/a?b=c",
        status=200,
        headers={"Content-Type": "text/plain", "Content-Length": str(len(body))},
        body=body,
        request=request,
        ip_address=ipaddress.ip_address("192.0.2.7"),
        protocol="HTTP/1.1",
        **kwargs,  # type: ignore[arg-type]
    )


def _written(recorder: Recorder, tmp_path: Path) -> list[Record]:
    recorder.files.close()
    (path,) = tmp_path.glob("*.warc.gz")
    warcio_check(path)
    return read_records(path)


def test_a_body_past_the_cap_is_cut_to_it_and_marked(tmp_path: Path) -> None:
    recorder = _recorder(tmp_path, DictDigestIndex(), cap=10)
    request = Request(URL)
    exchange(request).truncated = TRUNCATED_LENGTH
    written = recorder.exchange(request, _response(request, b"0123456789abcdef"))
    assert written.response.body == b"0123456789"
    _, question, answer = _written(recorder, tmp_path)
    assert question.uri == answer.uri == "http://site.test/a?b=c"  # no fragment
    assert question.http_block.startswith(b"GET /a?b=c HTTP/1.1\r\nHost: site.test\r\n")
    assert answer.headers["WARC-Truncated"] == "length"
    assert answer.payload == b"0123456789"
    assert answer.http_header("Content-Length") == "10"
    assert answer.headers["WARC-IP-Address"] == "192.0.2.7"


def test_a_dropped_connection_is_marked_disconnect(tmp_path: Path) -> None:
    recorder = _recorder(tmp_path, DictDigestIndex())
    request = Request(URL)
    recorder.exchange(request, _response(request, b"part", flags=["dataloss"]))
    _, _, answer = _written(recorder, tmp_path)
    assert answer.headers["WARC-Truncated"] == "disconnect"


def test_revisits_from_the_index_and_from_this_crawl(tmp_path: Path) -> None:
    known = KnownPayload("http://old.test/x", datetime(2020, 1, 1, tzinfo=UTC), "<urn:uuid:old>")
    digests = DictDigestIndex({sha256_b32(b"old body"): known})
    recorder = _recorder(tmp_path, digests)
    first = Request("http://site.test/1")
    recorder.exchange(first, _response(first, b"old body"))
    second, third = Request("http://site.test/2"), Request("http://site.test/3")
    original = recorder.exchange(second, _response(second, b"new body"))
    recorder.exchange(third, _response(third, b"new body"))
    cut = Request("http://site.test/4")
    exchange(cut).truncated = TRUNCATED_LENGTH
    recorder.exchange(cut, _response(cut, b"new body"))
    records = _written(recorder, tmp_path)
    answers = [r for r in records if r.type in ("response", "revisit")]
    assert [r.type for r in answers] == ["revisit", "response", "revisit", "response"]
    assert answers[0].headers["WARC-Refers-To"] == "<urn:uuid:old>"
    assert answers[2].headers["WARC-Refers-To"] == original.record_id
    assert answers[2].headers["WARC-Refers-To-Target-URI"] == "http://site.test/2"
    assert digests.lookups.count(sha256_b32(b"new body")) == 1  # then known from this crawl


def test_metadata_record(tmp_path: Path) -> None:
    recorder = _recorder(tmp_path, DictDigestIndex())
    meta = CaptureMetadata(
        profile=METADATA_PROFILE,
        job_id=7,
        url="http://site.test/é",
        final_url="http://site.test/%C3%A9",
        final_record_id="<urn:uuid:final>",
        chain=["http://site.test/%C3%A9"],
    )
    record_id = recorder.metadata(meta)
    (_, record) = _written(recorder, tmp_path)
    assert record.id == record_id
    assert record.headers["WARC-Concurrent-To"] == "<urn:uuid:final>"
    assert record.headers["WARC-Target-URI"] == "http://site.test/é"
    assert record.job()["url"] == "http://site.test/é"
    assert record.job()["requisites"] == []
