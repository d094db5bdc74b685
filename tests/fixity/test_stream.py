"""The one-pass check on its own: records cut out of any chunking, digests, the rate."""

from __future__ import annotations

import hashlib
import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.fixity import runs
from archive.fixity.records import RecordRef
from archive.fixity.stream import stream_check
from archive.fixity.throttle import Throttle

BODY = b"<html>" + b"archived words " * 400 + b"</html>"


def _warc() -> tuple[bytes, list[RecordRef]]:
    """Two gzipped response records, indexed the way the indexer would."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    refs = []
    for n in range(2):
        url = f"http://example.test/{n}"
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(BODY), http_headers=http
        )
        start = out.tell()
        writer.write_record(record)
        refs.append(
            RecordRef(
                n + 1,
                url,
                start,
                out.tell() - start,
                record.rec_headers.get_header("WARC-Record-ID"),
                record.rec_headers.get_header("WARC-Payload-Digest"),
            )
        )
    return out.getvalue(), refs


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("whole", [False, True])
@pytest.mark.parametrize("chunk", [7, 500, 1 << 20])
def test_records_are_checked_whatever_the_chunking(chunk: int, whole: bool) -> None:
    data, refs = _warc()
    outcome = stream_check(_chunks(data, chunk), refs, Throttle(0), whole_records=whole)
    assert outcome.sha256 == hashlib.sha256(data).hexdigest() and outcome.size == len(data)
    assert outcome.records_checked == 2 and outcome.bad_records == []


@pytest.mark.parametrize("whole", [False, True])
def test_a_row_that_claims_another_record_is_named(whole: bool) -> None:
    data, (one, two) = _warc()
    wrong = [
        RecordRef(1, "http://example.test/elsewhere", one.offset, one.length, one.record_id, None),
        RecordRef(
            2, two.url, two.offset, two.length, "<urn:uuid:not-this-one>", two.payload_digest
        ),
    ]
    outcome = stream_check(_chunks(data, 300), wrong, Throttle(0), whole_records=whole)
    problems = {ref.capture_id: why for ref, why in outcome.bad_records}
    assert "target URI is http://example.test/0" in problems[1]
    assert "record id is" in problems[2]


def test_a_payload_that_no_longer_hashes_to_its_digest_is_named() -> None:
    """Header and row agree on a digest the payload does not have: bytes rewritten in place."""
    plain = io.BytesIO()
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer = WARCWriter(plain, gzip=False)
    record = writer.create_warc_record(
        "http://example.test/", "response", payload=io.BytesIO(BODY), http_headers=http
    )
    writer.write_record(record)
    label = record.rec_headers.get_header("WARC-Payload-Digest")
    algorithm, _, value = label.partition(":")
    claimed = f"{algorithm}:{'A' * len(value)}"  # same length: offsets stay true
    raw = plain.getvalue().replace(label.encode(), claimed.encode(), 1)
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    ref = RecordRef(1, "http://example.test/", 0, len(raw), record_id, claimed)
    outcome = stream_check([raw], [ref], Throttle(0), whole_records=True)
    ((_, why),) = outcome.bad_records
    assert why == f"payload does not hash to {claimed}"
    # and the untouched record passes the same check
    intact = RecordRef(1, "http://example.test/", 0, len(raw), record_id, label)
    assert (
        stream_check([plain.getvalue()], [intact], Throttle(0), whole_records=True).bad_records
        == []
    )


@pytest.mark.parametrize("whole", [False, True])
def test_a_row_whose_length_is_wrong_is_named(whole: bool) -> None:
    """The range starts at the record but stops short of its end, or runs into the next."""
    data, (one, two) = _warc()
    short = RecordRef(1, one.url, one.offset, one.length - 3, one.record_id, one.payload_digest)
    long = RecordRef(2, two.url, two.offset, two.length, two.record_id, two.payload_digest)
    spilling = RecordRef(1, one.url, one.offset, one.length + 40, one.record_id, one.payload_digest)
    for ref in (short, spilling):
        outcome = stream_check([data], [ref, long][:1], Throttle(0), whole_records=whole)
        assert [r.capture_id for r, _ in outcome.bad_records] == [1], ref


def test_a_record_past_the_end_of_the_file_is_named() -> None:
    data, (one, two) = _warc()
    cut = data[: two.offset + 10]
    outcome = stream_check(_chunks(cut, 64), [one, two], Throttle(0))
    ((ref, why),) = outcome.bad_records
    assert ref.capture_id == 2 and "the file ends" in why


def test_the_throttle_holds_the_average_rate() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    throttle = Throttle(1_000_000, monotonic=lambda: now[0], sleep=sleep)
    for _ in range(5):
        throttle.consumed(1_000_000)
    assert now[0] == pytest.approx(5.0)  # 5 MB at 1 MB/s take 5 s
    unlimited = Throttle(0, monotonic=lambda: 0.0, sleep=sleep)
    unlimited.consumed(10**9)
    assert len(slept) == 5


def test_the_sample_is_the_fraction_asked_for_and_stable() -> None:
    picked = [runs.is_chosen("0123456789abcdef", 0.1, "warc_file", n) for n in range(20_000)]
    assert 0.09 < sum(picked) / len(picked) < 0.11
    again = [runs.is_chosen("0123456789abcdef", 0.1, "warc_file", n) for n in range(20_000)]
    assert picked == again
    assert all(runs.is_chosen("any", 1.0, "document_version", n) for n in range(100))
