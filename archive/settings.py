"""The one typed settings object, and the only place that reads the environment.

Layering, lowest to highest: built-in defaults, a TOML file (``--config`` or
``CITEVAULT_CONFIG``), then ``CITEVAULT_*`` environment variables (nested
fields with ``__``, e.g. ``CITEVAULT_STORE__URL``).  Unknown keys in either
place are errors rather than silently ignored, because a misspelt setting that
is ignored is the hardest kind of misconfiguration to notice.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from archive.errors import ConfigError
from archive.settings_sections import (
    GB,
    MIB,
    FetchSettings,
    FixitySettings,
    HealthSettings,
    MetricsSettings,
    ReplaySettings,
    SchedulerSettings,
    SeedsSettings,
    ServeSettings,
    SigningSettings,
    StoreSettings,
    WebhookSettings,
    WorkerSettings,
    default_data_dir,
)

ENV_PREFIX = "CITEVAULT_"
CONFIG_ENV = "CITEVAULT_CONFIG"
# Variables under this prefix belong to the test suite, not to the application.
RESERVED_ENV_PREFIXES = ("CITEVAULT_TEST_",)

# The file of the load_settings call under way: pydantic-settings takes a
# source's file from the class, and one process may load several files.
_toml_path: ContextVar[Path | None] = ContextVar("_toml_path", default=None)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        case_sensitive=False,
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    store: StoreSettings = Field(default_factory=StoreSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    health: HealthSettings = Field(default_factory=HealthSettings)

    @field_validator("data_dir")
    @classmethod
    def _absolute_data_dir(cls, value: Path) -> Path:
        """A relative folder (``CITEVAULT_DATA_DIR=./data``) means the current one's:
        the store URL derived from it must be absolute, and so must the paths
        handed to a crawler process."""
        return value.expanduser().absolute()

    replay: ReplaySettings = Field(default_factory=ReplaySettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    # "json": log one JSON object per line (time, level, logger, message and
    # the job, document and capture ids where known), for a log collector.
    log_format: Literal["text", "json"] = "text"
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)
    signing: SigningSettings = Field(default_factory=SigningSettings)
    fixity: FixitySettings = Field(default_factory=FixitySettings)
    seeds: SeedsSettings = Field(default_factory=SeedsSettings)
    warc_rollover_bytes: int = Field(default=1 * GB, ge=1024)
    # gzip level of records whose payload deflate can shrink (HTML, CSS, JSON);
    # images, media and encoded bodies are stored.  1 spends much less CPU than
    # 6 for files somewhat larger; 6 or 9 trade CPU for space.
    warc_gzip_level: int = Field(default=1, ge=1, le=9)
    # A WARC file is also closed (and its captures committed) at this age, so
    # that a busy long-running worker does not hold captures back; 0: size only.
    warc_rollover_seconds: float = Field(default=300.0, ge=0)
    recapture_window_hours: float = Field(default=24.0, ge=0)
    # Larger documents are refused before anything is stored.
    max_document_bytes: int = Field(default=100 * MIB, gt=0)
    # Connections the PostgreSQL pool of a process may hold.  A `serve`
    # process reads with this many at once; its pool may hold twice this,
    # with its overflow, plus a notice listener: 2 x this + 1 at most.  All
    # processes together must fit PostgreSQL's max_connections (100 by
    # default); `serve` warns when its processes could exceed it.
    database_pool_size: int = Field(default=5, ge=1, le=50)
    # Rendered citations bodies each API process keeps (PostgreSQL only;
    # evicted on change notices, see archive/api/cache.py); 0 turns it off.
    citations_cache_entries: int = Field(default=256, ge=0)
    citations_cache_seconds: float = Field(default=60.0, gt=0)
    # Child processes of each API process that extract submitted documents
    # (started on the first submission); more let several large documents be
    # read at once, each taking several times its size in memory while it is read.
    api_extraction_processes: int = Field(default=1, ge=1, le=16)
    # FastAPI's own OpenTelemetry spans, metrics and logs, for a process run under
    # an OpenTelemetry SDK (opentelemetry-instrument).  Off by default: even with
    # no SDK it looks for one on every request, a visible share of the API
    # process's CPU.
    api_telemetry: bool = False

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_toml_path.get())
        return (init_settings, env_settings, toml)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir.expanduser() / 'citevault.db'}"

    @property
    def effective_store_url(self) -> str:
        if self.store.url:
            return self.store.url
        return (self.data_dir.expanduser() / "store").as_uri()

    @property
    def effective_seeds_directory(self) -> Path:
        return (self.seeds.directory or self.data_dir / "seeds").expanduser()

    @property
    def is_embedded(self) -> bool:
        """True when both database and store are the local defaults."""
        return not self.database_url and not self.store.url


def _known_env_names(model: type[BaseModel], prefix: str) -> Iterator[str]:
    for name, field in model.model_fields.items():
        yield f"{prefix}{name}".upper()
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _known_env_names(annotation, f"{prefix}{name}__")


def _check_env(environ: Mapping[str, str]) -> None:
    known = set(_known_env_names(Settings, ENV_PREFIX)) | {CONFIG_ENV}
    for name in environ:
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX) or upper in known:
            continue
        if upper.startswith(RESERVED_ENV_PREFIXES):
            continue
        raise ConfigError(
            f"unknown setting in the environment: {name}",
            hint="check the spelling; nested settings use a double underscore, "
            "e.g. CITEVAULT_STORE__URL. `citevault config` lists every setting.",
        )


def _check_file(path: Path) -> None:
    """Name a missing file or a folder: pydantic-settings would read either as no settings."""
    if path.is_dir():
        raise ConfigError(f"config path is a folder, not a file: {path}")
    if not path.exists():
        raise ConfigError(
            f"config file not found: {path}",
            hint="pass an existing file with --config or CITEVAULT_CONFIG; "
            "examples are in the config/ folder",
        )


def _describe(exc: ValidationError, config_path: Path | None) -> ConfigError:
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            problems.append(f"unknown setting '{loc}'")
        else:
            problems.append(f"'{loc}': {err['msg']}")
    where = f" (config file {config_path} or CITEVAULT_* environment)" if config_path else ""
    return ConfigError(
        "invalid configuration" + where + ": " + "; ".join(problems),
        hint="compare with the examples in config/; `citevault config` shows what is in effect",
    )


def load_settings(config_path: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings from defaults, the config file and the environment.

    ``overrides`` win over everything; they exist for programmatic callers
    (tests, the benchmark scripts) that must not touch the process environment.
    """
    env = os.environ
    _check_env(env)
    if config_path is None and env.get(CONFIG_ENV):
        config_path = Path(env[CONFIG_ENV])
    if config_path is not None:
        _check_file(config_path)
    token = _toml_path.set(config_path)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise _describe(exc, config_path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"config file {config_path} is not valid TOML: {exc}",
            hint="fix the line named above; config/ has commented examples",
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {config_path}: {exc.strerror}") from None
    finally:
        _toml_path.reset(token)


__all__ = [
    "CONFIG_ENV",
    "ENV_PREFIX",
    "GB",
    "MIB",
    "FetchSettings",
    "FixitySettings",
    "HealthSettings",
    "MetricsSettings",
    "ReplaySettings",
    "SchedulerSettings",
    "SeedsSettings",
    "ServeSettings",
    "Settings",
    "SigningSettings",
    "StoreSettings",
    "WebhookSettings",
    "WorkerSettings",
    "default_data_dir",
    "load_settings",
]
