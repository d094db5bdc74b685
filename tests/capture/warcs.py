"""Writing small WARC files by the crawler contract, for testing the archive side alone."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from dataclasses import asdict
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.capture.contract import (
    JSON_METADATA_PROFILE,
    METADATA_PROFILE,
    REVISIT_PROFILE,
    CaptureMetadata,
)


def sha256_label(data: bytes) -> str:
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode()


def warc_fields(meta: CaptureMetadata) -> bytes:
    """The crawler contract's metadata body, spelt out here rather than by the crawler's code."""
    lines = [("profile", METADATA_PROFILE)]
    if meta.job_id is not None:
        lines.append(("job-id", str(meta.job_id)))
    lines += [("url", meta.url), ("final-url", meta.final_url)]
    lines.append(("final-record-id", meta.final_record_id))
    if meta.document_id is not None:
        lines.append(("document-id", meta.document_id))
    lines += [("citation-id", str(c)) for c in meta.citation_ids]
    lines += [("chain", u) for u in meta.chain] + [("requisite", u) for u in meta.requisites]
    lines.append(("robots", meta.robots))
    return "".join(f"{name}: {value}\r\n" for name, value in lines).encode()


class ContractWarc:
    """Builds one WARC file with warcinfo, exchanges, revisits and metadata records."""

    def __init__(self, path: Path, robots: str = "ignore") -> None:
        self.path = path
        self._fh = path.open("wb")
        self.writer = WARCWriter(self._fh, gzip=True, warc_version="WARC/1.1")
        info = self.writer.create_warcinfo_record(
            path.name, {"software": "citevault-test", "robots": robots}
        )
        self.writer.write_record(info)

    def exchange(
        self,
        url: str,
        body: bytes,
        *,
        status: str = "200 OK",
        content_type: str = "text/html",
        extra: list[tuple[str, str]] | None = None,
        date: str | None = None,
        fields: dict[str, str] | None = None,
    ) -> str:
        """A request and a response record; ``fields`` are more WARC header fields."""
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        headers += extra or []
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        warc_headers = {"WARC-Payload-Digest": sha256_label(body), "WARC-IP-Address": "192.0.2.7"}
        if date:
            warc_headers["WARC-Date"] = date
        warc_headers.update(fields or {})
        req = self.writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [], is_http_request=True),
        )
        # the answer names its request, as the crawler links them
        warc_headers["WARC-Concurrent-To"] = req.rec_headers.get_header("WARC-Record-ID")
        resp = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),  # without it warcio replaces the digest with its own SHA-1
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
        self.writer.write_record(req)
        self.writer.write_record(resp)
        return str(resp.rec_headers.get_header("WARC-Record-ID"))

    def revisit(
        self, url: str, body: bytes, refers_to: str, refers_uri: str, refers_date: str
    ) -> str:
        http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        rec = self.writer.create_revisit_record(
            url, sha256_label(body), refers_uri, refers_date, http_headers=http
        )
        rec.rec_headers.replace_header("WARC-Profile", REVISIT_PROFILE)
        rec.rec_headers.add_header("WARC-Refers-To", refers_to)
        self.writer.write_record(rec)
        return str(rec.rec_headers.get_header("WARC-Record-ID"))

    def metadata(self, meta: CaptureMetadata, form: str = "fields") -> None:
        """The job's metadata record as the crawler writes it, or (``json``) as it once did."""
        if form == "json":
            body = json.dumps({**asdict(meta), "profile": JSON_METADATA_PROFILE}).encode()
            content_type = "application/json"
        else:
            body = warc_fields(meta)
            content_type = "application/warc-fields"
        rec = self.writer.create_warc_record(
            meta.url,
            "metadata",
            payload=io.BytesIO(body),
            length=len(body),
            warc_content_type=content_type,
            warc_headers_dict={"WARC-Concurrent-To": meta.final_record_id},
        )
        self.writer.write_record(rec)

    def close(self) -> Path:
        self._fh.close()
        return self.path


def meta(job_id: int | None, url: str, final: str, **kw: object) -> CaptureMetadata:
    return CaptureMetadata(
        profile=METADATA_PROFILE,
        job_id=job_id,
        url=url,
        final_url=url,
        final_record_id=final,
        **kw,  # type: ignore[arg-type]
    )
