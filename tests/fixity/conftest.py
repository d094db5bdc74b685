"""A small archive to audit: two documents captured from the loopback site.

``archived`` gives, on the folder store with SQLite or on SeaweedFS with
PostgreSQL, an installation holding two WARC files (one crawl per document)
and two document objects, and the means to damage them the way a disk or a
bucket would: flip a byte, lose an object, grow a stray one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import select

from archive.db.models import Capture, DocumentVersion, WarcFile
from archive.runtime import Runtime
from archive.settings import load_settings
from tests.helpers import clean_env, cli_ok
from tests.sites.site import TestSite


@dataclass
class Archived:
    env: dict[str, str]
    rt: Runtime
    backend: str
    s3: dict[str, Any] | None
    s3_client: Any

    def warc_keys(self) -> list[str]:
        with self.rt.sessions()() as s:
            return list(s.scalars(select(WarcFile.store_key).order_by(WarcFile.id)))

    def document_keys(self) -> list[str]:
        with self.rt.sessions()() as s:
            return list(s.scalars(select(DocumentVersion.store_key).order_by(DocumentVersion.id)))

    def all_keys(self) -> list[str]:
        return self.warc_keys() + self.document_keys()

    def a_capture_in(self, key: str) -> Capture:
        """A response record of the file, to damage from the inside."""
        with self.rt.sessions()() as s:
            wf = s.scalars(select(WarcFile).where(WarcFile.store_key == key)).one()
            cap = s.scalars(
                select(Capture)
                .where(Capture.warc_file_id == wf.id, Capture.payload_length > 0)
                .order_by(Capture.warc_offset)
            ).first()
            assert cap is not None
            s.expunge(cap)
            return cap

    def _s3_key(self, key: str) -> tuple[str, str]:
        assert self.s3 is not None
        bucket, _, prefix = self.s3["url"][len("s3://") :].partition("/")
        return bucket, f"{prefix}/{key}"

    def flip_byte(self, key: str, at: int) -> None:
        if self.s3 is None:
            path = self.rt.settings.data_dir / "store" / key
            with path.open("r+b") as fh:
                fh.seek(at)
                byte = fh.read(1)
                fh.seek(at)
                fh.write(bytes([byte[0] ^ 0x01]))
            return
        bucket, full = self._s3_key(key)
        got = self.s3_client.get_object(Bucket=bucket, Key=full)
        data = bytearray(got["Body"].read())
        data[at] ^= 0x01
        self.s3_client.put_object(
            Bucket=bucket, Key=full, Body=bytes(data), Metadata=got.get("Metadata", {})
        )

    def delete(self, key: str) -> None:
        if self.s3 is None:
            (self.rt.settings.data_dir / "store" / key).unlink()
            return
        bucket, full = self._s3_key(key)
        self.s3_client.delete_object(Bucket=bucket, Key=full)

    def add_stray(self, key: str) -> None:
        self.rt.store().put_bytes(key, b"WARC/1.1\r\n stray bytes no row names\r\n")


def _s3_env(settings: dict[str, Any]) -> dict[str, str]:
    return {
        "CITEVAULT_STORE__URL": settings["url"],
        "CITEVAULT_STORE__ENDPOINT_URL": settings["endpoint_url"],
        "CITEVAULT_STORE__REGION": "us-east-1",
        "CITEVAULT_STORE__ACCESS_KEY_ID": settings["access_key_id"],
        "CITEVAULT_STORE__SECRET_ACCESS_KEY": settings["secret_access_key"],
    }


@pytest.fixture(params=["sqlite-folder", "postgres-seaweedfs"])
def archived(
    request: pytest.FixtureRequest, tmp_path: Path, test_site: TestSite
) -> Iterator[Archived]:
    env = clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES="false",
    )
    s3: dict[str, Any] | None = None
    client = None
    if request.param == "postgres-seaweedfs":
        s3 = request.getfixturevalue("s3_store_settings")
        client = request.getfixturevalue("s3_client")
        env["CITEVAULT_DATABASE_URL"] = request.getfixturevalue("pg_url")
        env.update(_s3_env(s3))
        cli_ok(env, "db", "upgrade")
    base = test_site.base_url
    for doc_id, page in (("first", "requisites.html"), ("second", "requisites2.html")):
        doc = tmp_path / f"{doc_id}.txt"
        doc.write_text(f"The document {doc_id} cites {base}/page/{page}.\n")
        cli_ok(env, "add", str(doc), "--id", doc_id)
        cli_ok(env, "archive", doc_id)
    with mock.patch.dict("os.environ", env, clear=True):
        rt = Runtime(load_settings())
    try:
        archived = Archived(env, rt, request.param, s3, client)
        assert len(archived.warc_keys()) == 2 and len(archived.document_keys()) == 2
        yield archived
    finally:
        rt.close()
