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

from archive.capture.contract import METADATA_PROFILE, REVISIT_PROFILE, CaptureMetadata


def sha256_label(data: bytes) -> str:
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode()


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
        resp = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),  # without it warcio replaces the digest with its own SHA-1
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
        req = self.writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [], is_http_request=True),
            warc_headers_dict={"WARC-Concurrent-To": resp.rec_headers.get_header("WARC-Record-ID")},
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

    def metadata(self, meta: CaptureMetadata) -> None:
        body = json.dumps(asdict(meta)).encode()
        rec = self.writer.create_warc_record(
            meta.url,
            "metadata",
            payload=io.BytesIO(body),
            warc_content_type="application/json",
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
