"""Upload retries are counted (citevault_upload_retries_total).

SeaweedFS cannot be made to answer 503 on demand, so an S3 endpoint on
loopback stands in for a store under strain: the bucket exists, the object
does not, and every upload is refused with 503 SlowDown, which botocore
retries store.max_attempts times.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY

from archive.errors import StoreError
from archive.storage import open_store

SLOW_DOWN = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
    b"<Message>Please reduce your request rate.</Message></Error>"
)


class _Strained(BaseHTTPRequestHandler):
    puts = 0

    def do_HEAD(self) -> None:
        bucket_only = self.path.strip("/").count("/") == 0
        self.send_response(200 if bucket_only else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        type(self).puts += 1
        self.send_response(503)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(SLOW_DOWN)))
        self.end_headers()
        self.wfile.write(SLOW_DOWN)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def strained() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Strained)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_retried_uploads_are_counted(strained: str, make_settings: Any, tmp_path: Path) -> None:
    settings = make_settings(
        store={
            "url": "s3://bucket/prefix",
            "endpoint_url": strained,
            "region": "us-east-1",
            "access_key_id": "test",
            "secret_access_key": "test",
            "max_attempts": 3,
        }
    )
    store = open_store(settings)
    path = tmp_path / "file.warc.gz"
    path.write_bytes(b"some bytes")
    before = REGISTRY.get_sample_value("citevault_upload_retries_total") or 0.0
    _Strained.puts = 0
    with pytest.raises(StoreError):
        store.put_file("warcs/file.warc.gz", path)
    # botocore reads the retries setting's max_attempts as retries after the
    # first attempt: 1 + 3 PUTs, 3 of them retries.
    assert _Strained.puts == 4
    assert REGISTRY.get_sample_value("citevault_upload_retries_total") == before + 3
