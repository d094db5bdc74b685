"""The per-job metadata record's body: written as WARC fields, read in both forms ever written.

Replay engines index every record whose target is an http(s) URL unless
they know to skip it, and what they skip differs: pywb's indexer passes over
records whose Content-Type is exactly ``application/warc-fields``
(``pywb/indexer/archiveindexer.py``, ``create_record_iter``), ReplayWeb.page
indexes a ``metadata`` record only when its target starts with
``metadata://``, and Heritrix has written its per-URL metadata this way for
years, so OpenWayback-era tools expect it.  A job's record therefore carries
its facts as ``application/warc-fields`` (``name: value`` lines, CRLF, the
syntax of WARC headers), lists as repeated fields in order.  Files written
before carried the same facts as JSON (``application/json``, profile
``citevault/capture-metadata/1``); they stay readable, since a stored WARC
file is never rewritten.
"""

from __future__ import annotations

import json
import re
from typing import Any

from archive.capture.contract import (
    JSON_METADATA_PROFILE,
    METADATA_PROFILE,
    CaptureMetadata,
    job_id_value,
)

CONTENT_TYPE = "application/warc-fields"
JSON_CONTENT_TYPE = "application/json"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _value(text: str) -> str:
    """A field value on one line: a control character (none in a URL Scrapy sends) escaped."""
    return _CONTROL.sub(lambda m: f"%{ord(m.group()):02X}", text)


def encode(meta: CaptureMetadata) -> bytes:
    """The record body: one ``name: value`` line per fact, lists as repeated names."""
    lines: list[tuple[str, str]] = [("profile", METADATA_PROFILE)]
    if meta.job_id is not None:
        lines.append(("job-id", str(meta.job_id)))
    lines += [
        ("url", meta.url),
        ("final-url", meta.final_url),
        ("final-record-id", meta.final_record_id),
    ]
    if meta.document_id is not None:
        lines.append(("document-id", meta.document_id))
    lines += [("citation-id", str(c)) for c in meta.citation_ids]
    lines += [("chain", url) for url in meta.chain]
    lines += [("requisite", url) for url in meta.requisites]
    lines.append(("robots", meta.robots))
    if meta.budget_exhausted is not None:
        lines.append(("budget-exhausted", meta.budget_exhausted))
    return "".join(f"{name}: {_value(value)}\r\n" for name, value in lines).encode("utf-8")


def _fields(body: bytes) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for line in body.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            out.append((name.strip().lower(), value.strip()))
    return out


def _from_fields(body: bytes) -> CaptureMetadata | None:
    fields = _fields(body)
    first = {name: value for name, value in reversed(fields)}
    if first.get("profile") != METADATA_PROFILE:
        return None

    def every(name: str) -> list[str]:
        return [value for key, value in fields if key == name]

    return CaptureMetadata(
        profile=METADATA_PROFILE,
        job_id=job_id_value(first.get("job-id")),
        url=first.get("url", ""),
        final_url=first.get("final-url", ""),
        final_record_id=first.get("final-record-id", ""),
        document_id=first.get("document-id"),
        citation_ids=[c for c in map(job_id_value, every("citation-id")) if c is not None],
        chain=every("chain"),
        requisites=every("requisite"),
        robots=first.get("robots", "ignore"),
        budget_exhausted=first.get("budget-exhausted"),
    )


def _from_json(body: bytes) -> CaptureMetadata | None:
    try:
        data: dict[str, Any] = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("profile") != JSON_METADATA_PROFILE:
        return None
    citations = data.get("citation_ids") or []
    return CaptureMetadata(
        profile=JSON_METADATA_PROFILE,
        job_id=job_id_value(data.get("job_id")),
        url=str(data.get("url", "")),
        final_url=str(data.get("final_url", "")),
        final_record_id=str(data.get("final_record_id", "")),
        document_id=data.get("document_id"),
        citation_ids=[c for c in map(job_id_value, citations) if c is not None]
        if isinstance(citations, list)
        else [],
        chain=[str(u) for u in data.get("chain") or []],
        requisites=[str(u) for u in data.get("requisites") or []],
        robots=str(data.get("robots", "ignore")),
        budget_exhausted=data.get("budget_exhausted"),
    )


def decode(body: bytes, content_type: str | None) -> CaptureMetadata | None:
    """A job's metadata from a ``metadata`` record, or None if the record is not one.

    Other tools' metadata records (any other profile or form) are not ours
    and come back as None.
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == CONTENT_TYPE:
        return _from_fields(body)
    if media == JSON_CONTENT_TYPE:
        return _from_json(body)
    return None
