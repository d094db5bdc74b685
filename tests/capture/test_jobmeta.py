"""The job metadata body: what is read back, and what is not taken for ours."""

from __future__ import annotations

import json

from archive.capture import jobmeta
from archive.capture.contract import JSON_METADATA_PROFILE, METADATA_PROFILE, CaptureMetadata

FIELDS = "application/warc-fields"


def _meta(**kw: object) -> CaptureMetadata:
    values: dict[str, object] = {
        "profile": METADATA_PROFILE,
        "job_id": 42,
        "url": "https://example.org/a",
        "final_url": "https://example.org/c",
        "final_record_id": "<urn:uuid:0000>",
        "document_id": "doc-1",
        "citation_ids": [3, 1, 2],
        "chain": ["https://example.org/a", "https://example.org/b", "https://example.org/c"],
        "requisites": ["https://example.org/x.css", "https://example.org/y.png"],
        "robots": "obey",
        "budget_exhausted": "bytes",
    }
    values.update(kw)
    return CaptureMetadata(**values)  # type: ignore[arg-type]


def test_every_fact_comes_back_in_order() -> None:
    meta = _meta()
    assert jobmeta.decode(jobmeta.encode(meta), FIELDS) == meta
    bare = _meta(job_id=None, document_id=None, citation_ids=[], requisites=[])
    bare.budget_exhausted = None
    body = jobmeta.encode(bare)
    assert b"job-id" not in body and b"document-id" not in body and b"requisite" not in body
    assert jobmeta.decode(body, FIELDS) == bare


def test_a_value_cannot_break_a_line() -> None:
    body = jobmeta.encode(_meta(requisites=["https://example.org/a\r\nrobots: ignore"]))
    inside = body.replace(b"\r\n", b"")
    assert b"\r" not in inside and b"\n" not in inside
    read = jobmeta.decode(body, FIELDS)
    assert read is not None
    assert read.requisites == ["https://example.org/a%0D%0Arobots: ignore"]
    assert read.robots == "obey"


def test_json_records_of_older_files() -> None:
    data = {
        "profile": JSON_METADATA_PROFILE,
        "job_id": 42,
        "url": "https://example.org/a",
        "final_url": "https://example.org/c",
        "final_record_id": "<urn:uuid:0000>",
        "document_id": "doc-1",
        "citation_ids": [3, "x", 1],
        "chain": ["https://example.org/a"],
        "requisites": [],
        "robots": "ignore",
        "budget_exhausted": None,
    }
    read = jobmeta.decode(json.dumps(data).encode(), "application/json")
    assert read is not None
    assert (read.job_id, read.citation_ids, read.chain) == (42, [3, 1], ["https://example.org/a"])
    assert read.profile == JSON_METADATA_PROFILE


def test_other_metadata_is_not_ours() -> None:
    heritrix = b"via: https://example.org/\r\nhopsFromSeed: E\r\noutlink: https://example.org/x\r\n"
    assert jobmeta.decode(heritrix, FIELDS) is None
    assert jobmeta.decode(json.dumps({"profile": "other"}).encode(), "application/json") is None
    assert jobmeta.decode(b"not json", "application/json") is None
    assert jobmeta.decode(jobmeta.encode(_meta()), "text/plain") is None
    # the body as JSON under the fields' profile is neither form
    as_json = json.dumps({"profile": METADATA_PROFILE, "url": "u"}).encode()
    assert jobmeta.decode(as_json, "application/json") is None
