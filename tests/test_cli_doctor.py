"""The CLI basics: help, db upgrade, doctor, and one clear error per failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import clean_env, run_cli, run_cli_process


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"), **extra)


def _s3_env(tmp_path: Path, settings: dict[str, Any], **extra: str) -> dict[str, str]:
    return _env(
        tmp_path,
        CITEVAULT_STORE__URL=settings["url"],
        CITEVAULT_STORE__ENDPOINT_URL=settings["endpoint_url"],
        CITEVAULT_STORE__REGION="us-east-1",
        CITEVAULT_STORE__ACCESS_KEY_ID=settings["access_key_id"],
        CITEVAULT_STORE__SECRET_ACCESS_KEY=settings["secret_access_key"],
        CITEVAULT_STORE__MAX_ATTEMPTS="1",
        CITEVAULT_STORE__CONNECT_TIMEOUT_SECONDS="2",
        **extra,
    )


def _assert_clean_failure(result: Any, *needles: str) -> None:
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out, out
    flat = " ".join(out.split())
    for needle in needles:
        assert needle in flat, f"{needle!r} not in:\n{out}"


def test_installed_command_and_help(tmp_path: Path) -> None:
    """The console script itself, as a real process."""
    import subprocess
    import sys

    script = Path(sys.executable).parent / "citevault"
    result = subprocess.run(
        [str(script), "--help"], env=_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    for word in ("add", "citations", "documents", "resolve", "doctor", "db", "config"):
        assert word in result.stdout


def test_embedded_default_doctor_and_upgrade(tmp_path: Path) -> None:
    env = _env(tmp_path)
    result = run_cli("doctor", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all checks passed" in result.stdout
    result = run_cli("db", "upgrade", env=env)
    assert result.returncode == 0, result.stderr
    from archive.db.migrate import head_revision

    assert f"revision {head_revision()}" in result.stdout
    assert (tmp_path / "data" / "citevault.db").is_file()
    result = run_cli("db", "current", env=env)
    assert result.returncode == 0


def test_doctor_on_postgres_and_s3(
    tmp_path: Path, pg_url: str, s3_store_settings: dict[str, Any]
) -> None:
    env = _s3_env(tmp_path, s3_store_settings, CITEVAULT_DATABASE_URL=pg_url)
    result = run_cli("doctor", env=env)
    # A fresh PostgreSQL database is not migrated implicitly.
    _assert_clean_failure(result, "citevault db upgrade")
    assert run_cli("db", "upgrade", env=env).returncode == 0
    result = run_cli("doctor", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all checks passed" in result.stdout


def test_doctor_wrong_s3_credentials(tmp_path: Path, s3_store_settings: dict[str, Any]) -> None:
    bad = dict(s3_store_settings, secret_access_key="not-the-secret")
    result = run_cli("doctor", env=_s3_env(tmp_path, bad))
    _assert_clean_failure(result, "refused our credentials")


def test_doctor_no_such_bucket(tmp_path: Path, s3_store_settings: dict[str, Any]) -> None:
    bad = dict(s3_store_settings, url="s3://no-such-bucket-here/x")
    result = run_cli("doctor", env=_s3_env(tmp_path, bad))
    _assert_clean_failure(result, "bucket 'no-such-bucket-here'", "does not exist")


def test_doctor_unreachable_store(tmp_path: Path, s3_store_settings: dict[str, Any]) -> None:
    bad = dict(s3_store_settings, endpoint_url="http://127.0.0.1:9")
    result = run_cli("doctor", env=_s3_env(tmp_path, bad))
    _assert_clean_failure(result, "cannot reach the S3 endpoint http://127.0.0.1:9")


def test_doctor_unreachable_database(tmp_path: Path) -> None:
    env = _env(tmp_path, CITEVAULT_DATABASE_URL="postgresql://citevault@127.0.0.1:9/x")
    result = run_cli("doctor", env=env)
    _assert_clean_failure(result, "cannot use the database", "Connection refused")


def test_doctor_unknown_database_name(tmp_path: Path, pg_admin_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_admin_url).set(database="no_such_db_here").render_as_string(False)
    result = run_cli("doctor", env=_env(tmp_path, CITEVAULT_DATABASE_URL=url))
    _assert_clean_failure(result, "no_such_db_here", "does not exist")


def test_doctor_unwritable_folder(tmp_path: Path) -> None:
    # /sys refuses new folders even to root, so this holds however the tests run.
    env = _env(tmp_path, CITEVAULT_STORE__URL="file:///sys/citevault-store")
    result = run_cli("doctor", env=env)
    _assert_clean_failure(result, "/sys/citevault-store")


def test_doctor_store_path_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    env = _env(tmp_path, CITEVAULT_STORE__URL=(blocker / "store").as_uri())
    _assert_clean_failure(run_cli("doctor", env=env), "store")


def test_malformed_config(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[fetch\nmax_redirects = 2\n")
    result = run_cli_process("--config", str(cfg), "doctor", env=_env(tmp_path))
    _assert_clean_failure(result, "not valid TOML", str(cfg))
    assert result.returncode == 2


def test_unknown_setting_in_file_and_environment(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[store]\nbuckett = 'x'\n")
    result = run_cli("--config", str(cfg), "doctor", env=_env(tmp_path))
    _assert_clean_failure(result, "unknown setting 'store.buckett'")
    result = run_cli("doctor", env=_env(tmp_path, CITEVAULT_STORE__BUCKETT="x"))
    _assert_clean_failure(result, "CITEVAULT_STORE__BUCKETT")


def test_bad_store_url(tmp_path: Path) -> None:
    result = run_cli("doctor", env=_env(tmp_path, CITEVAULT_STORE__URL="ftp://x/y"))
    _assert_clean_failure(result, "unsupported store URL")


def test_debug_shows_traceback(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("x = = 1\n")
    result = run_cli_process("--debug", "--config", str(cfg), "doctor", env=_env(tmp_path))
    assert result.returncode == 2
    assert "Traceback" in result.stderr


@pytest.mark.parametrize("args", [["db", "nonsense"], ["frobnicate"]])
def test_usage_errors(tmp_path: Path, args: list[str]) -> None:
    result = run_cli(*args, env=_env(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
