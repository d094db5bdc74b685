"""Fixtures for the real servers that ``tests/run`` starts.

Database tests run on SQLite and PostgreSQL; store tests on a local folder and
on SeaweedFS.  A missing server is an error, not a skip: a suite that quietly
skips its PostgreSQL half would pass while proving nothing about it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from archive.settings import Settings, load_settings
from archive.storage import ObjectStore, open_store

# The loopback test site (``test_site`` fixture) for every test that crawls.
pytest_plugins = ["tests.sites.fixtures", "tests.browser"]


def _need(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"{name} is not set: run the tests with tests/run, which starts the servers",
            pytrace=False,
        )
    return value


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    url = make_url(_need("CITEVAULT_TEST_DATABASE_URL"))
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"cvtest_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'citevault.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture(scope="session")
def s3_endpoint() -> str:
    return _need("CITEVAULT_TEST_S3_ENDPOINT")


@pytest.fixture(scope="session")
def s3_credentials() -> dict[str, str]:
    return {
        "access_key_id": os.environ.get("CITEVAULT_TEST_S3_ACCESS_KEY", "citevault-test"),
        "secret_access_key": os.environ.get("CITEVAULT_TEST_S3_SECRET_KEY", "unused"),
    }


@pytest.fixture(scope="session")
def s3_client(s3_endpoint: str, s3_credentials: dict[str, str]) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=s3_credentials["access_key_id"],
        aws_secret_access_key=s3_credentials["secret_access_key"],
        region_name="us-east-1",
    )


@pytest.fixture(scope="session")
def s3_bucket(s3_client: Any) -> str:
    """One bucket for the session (creating one costs SeaweedFS ~2 s); tests use prefixes."""
    name = f"cvtest-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_prefix() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def s3_store_settings(
    s3_endpoint: str, s3_credentials: dict[str, str], s3_bucket: str, s3_prefix: str
) -> dict[str, Any]:
    return {
        "url": f"s3://{s3_bucket}/{s3_prefix}",
        "endpoint_url": s3_endpoint,
        "region": "us-east-1",
        "max_attempts": 1,
        "connect_timeout_seconds": 2,
        **s3_credentials,
    }


@pytest.fixture
def make_settings(tmp_path: Path) -> Any:
    def factory(**overrides: Any) -> Settings:
        overrides.setdefault("data_dir", tmp_path / "data")
        return load_settings(**overrides)

    return factory


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, make_settings: Any, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return open_store(make_settings(store={"url": (tmp_path / "store").as_uri()}))
    settings = request.getfixturevalue("s3_store_settings")
    return open_store(make_settings(store=settings))
