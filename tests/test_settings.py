"""Settings layering: defaults, then the TOML file, then CITEVAULT_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.errors import ConfigError
from archive.settings import GB, load_settings


@pytest.fixture(autouse=True)
def _no_outside_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("CITEVAULT_"):
            monkeypatch.delenv(name)


def test_defaults_put_everything_under_the_data_folder(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'citevault.db'}"
    assert settings.effective_store_url == (tmp_path / "store").as_uri()
    assert settings.warc_rollover_bytes == 1 * GB
    assert settings.fetch.block_private_addresses is True
    assert settings.is_embedded


def test_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        'database_url = "postgresql://u@db/x"\n'
        "warc_rollover_bytes = 5000\n"
        "[store]\n"
        'url = "s3://bucket/prefix"\n'
        'endpoint_url = "http://127.0.0.1:9000"\n'
        "[fetch]\n"
        "max_redirects = 7\n"
    )
    settings = load_settings(cfg)
    assert settings.database_url == "postgresql://u@db/x"
    assert settings.store.url == "s3://bucket/prefix"
    assert settings.fetch.max_redirects == 7
    assert settings.warc_rollover_bytes == 5000

    monkeypatch.setenv("CITEVAULT_FETCH__MAX_REDIRECTS", "3")
    monkeypatch.setenv("CITEVAULT_WARC_ROLLOVER_BYTES", "4096")
    settings = load_settings(cfg)
    assert settings.fetch.max_redirects == 3
    assert settings.warc_rollover_bytes == 4096
    assert settings.store.endpoint_url == "http://127.0.0.1:9000"  # file value kept


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("recapture_window_hours = 2.5\n")
    monkeypatch.setenv("CITEVAULT_CONFIG", str(cfg))
    assert load_settings().recapture_window_hours == 2.5


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("database_url = \n", "not valid TOML"),
        ("[store\nurl='x'\n", "not valid TOML"),
        ("colour = 'blue'\n", "unknown setting 'colour'"),
        ("[fetch]\nmax_redirect = 3\n", "unknown setting 'fetch.max_redirect'"),
        ("[fetch]\nmax_redirects = 'many'\n", "'fetch.max_redirects'"),
        ("warc_rollover_bytes = -1\n", "'warc_rollover_bytes'"),
    ],
)
def test_bad_config_file_names_the_problem(tmp_path: Path, content: str, expected: str) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(content)
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    assert expected in info.value.message
    assert str(cfg) in info.value.message


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")


def test_unknown_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITEVAULT_DATABASE_ULR", "sqlite://")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "CITEVAULT_DATABASE_ULR" in info.value.message
    assert info.value.hint and "double underscore" in info.value.hint


def test_invalid_environment_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITEVAULT_FETCH__BLOCK_PRIVATE_ADDRESSES", "perhaps")
    with pytest.raises(ConfigError, match=r"fetch\.block_private_addresses"):
        load_settings()


def test_shipped_examples_load(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parent.parent / "config"
    examples = sorted(root.glob("*.toml"))
    assert len(examples) >= 2
    for example in examples:
        settings = load_settings(example)
        assert settings.effective_database_url


def test_a_relative_data_folder_means_the_current_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CITEVAULT_DATA_DIR", "./citevault-data")
    settings = load_settings()
    assert settings.data_dir == tmp_path / "citevault-data"
    assert settings.effective_store_url == (tmp_path / "citevault-data" / "store").as_uri()
    assert (
        settings.effective_database_url == f"sqlite:///{tmp_path / 'citevault-data'}/citevault.db"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WARC_GZIP_LEVEL", "0"),
        ("WARC_GZIP_LEVEL", "10"),
        ("WARC_ROLLOVER_SECONDS", "-1"),
        ("DATABASE_POOL_SIZE", "0"),
    ],
)
def test_capture_settings_out_of_range_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(f"CITEVAULT_{name}", value)
    with pytest.raises(ConfigError, match=name.lower()):
        load_settings()
