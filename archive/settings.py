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

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from archive.errors import ConfigError

ENV_PREFIX = "CITEVAULT_"
CONFIG_ENV = "CITEVAULT_CONFIG"
# Variables under this prefix belong to the test suite, not to the application.
RESERVED_ENV_PREFIXES = ("CITEVAULT_TEST_",)

# The file of the load_settings call under way: pydantic-settings takes a
# source's file from the class, and one process may load several files.
_toml_path: ContextVar[Path | None] = ContextVar("_toml_path", default=None)

MIB = 1024 * 1024
GB = 1000 * 1000 * 1000


def default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "citevault"


class StoreSettings(BaseModel):
    """Where WARC files and document bytes go.

    ``url`` is ``file:///abs/path`` or ``s3://bucket/prefix``.  Credentials
    left empty are found by boto3 the standard way (its own environment
    variables, shared credentials file, instance role).
    """

    model_config = ConfigDict(extra="forbid")

    url: str | None = None
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: SecretStr | None = None
    multipart_threshold_bytes: int = Field(default=64 * MIB, ge=5 * MIB)
    multipart_chunk_bytes: int = Field(default=16 * MIB, ge=5 * MIB)
    connect_timeout_seconds: float = Field(default=5.0, gt=0)
    read_timeout_seconds: float = Field(default=60.0, gt=0)
    max_attempts: int = Field(default=3, ge=1)


class FetchSettings(BaseModel):
    """Limits every fetch obeys, for documents added by URL and for captures."""

    model_config = ConfigDict(extra="forbid")

    max_response_bytes: int = Field(default=100 * MIB, gt=0)
    max_decompressed_bytes: int = Field(default=500 * MIB, gt=0)
    download_timeout_seconds: float = Field(default=120.0, gt=0)
    max_redirects: int = Field(default=20, ge=0)
    # Budgets of one capture job (its page and every requisite it pulls in);
    # a job that reaches one ends with what it has, and its metadata says
    # which. 0 means no limit. Requests count the page and each requisite
    # (their redirect hops are bounded by max_redirects); depth counts levels
    # below the page (stylesheet imports, frames within frames); bytes are
    # received bytes; seconds run from the start of the page's download.
    max_requests_per_job: int = Field(default=1000, ge=0)
    max_requisite_depth: int = Field(default=5, ge=0)
    max_bytes_per_job: int = Field(default=1024 * MIB, ge=0)
    max_seconds_per_job: float = Field(default=600.0, ge=0)
    concurrency_per_host: int = Field(default=4, ge=1)
    delay_seconds: float = Field(default=0.0, ge=0)
    block_private_addresses: bool = True
    obey_robots_txt: bool = False
    contact_url: str = "https://github.com/citevault/citevault"
    user_agent: str | None = None

    def effective_user_agent(self, version: str) -> str:
        return self.user_agent or f"citevault/{version} (+{self.contact_url})"


class HealthSettings(BaseModel):
    """Health checks of cited URLs: when a citation is dead, and how drift is labelled.

    ``dead_after_*`` follow InternetArchiveBot: dead only after this many
    failed checks, each at least this many days after the last one counted,
    so that a site down for a weekend is ``failing``, not ``dead``.  The drift
    thresholds compare the live main text with the citation-time capture; the
    off-topic pair is AlNoamany, Weigle and Nelson (IJDL 2016): cosine <= 0.10
    together with a word-count change <= -0.85.
    """

    model_config = ConfigDict(extra="forbid")

    dead_after_failures: int = Field(default=3, ge=1)
    dead_after_days: float = Field(default=3.0, ge=0)
    # Checks one worker runs at once (each host still gets fetch.concurrency_per_host).
    concurrency: int = Field(default=128, ge=1, le=1024)
    # Larger bodies are cut here for fingerprints; a check needs text, not the whole file.
    max_body_bytes: int = Field(default=5 * MIB, gt=0)
    same_cosine: float = Field(default=0.98, ge=0, le=1)
    minor_cosine: float = Field(default=0.80, ge=0, le=1)
    off_topic_cosine: float = Field(default=0.10, ge=0, le=1)
    off_topic_word_change: float = Field(default=-0.85, le=0)
    # A live page this close to a random sibling's answer (cosine of main text)
    # is the site's "not found" page served with a 200: a soft 404.
    sibling_cosine: float = Field(default=0.90, ge=0, le=1)


class ReplaySettings(BaseModel):
    """The replay engine (pywb), a separate process on an origin of its own.

    Archived pages run their own scripts; serving them from another origin than
    the application is what keeps them away from the API and its callers.
    ``public_url`` is that origin as browsers reach it (behind a proxy, a host
    of its own); empty means ``http://host:port``.
    """

    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=8090, ge=1, le=65535)
    public_url: str | None = None
    # pywb's virtual environment; empty means <data_dir>/replay.
    engine_dir: Path | None = None
    # Start the engine with `citevault serve` (installing it on first use).
    autostart: bool = False
    # /readyz also asks the engine (at host:port) for an answer: on for a
    # deployment whose pages would show empty replay frames without it.
    ready_check: bool = False


class ServeSettings(BaseModel):
    """What ``citevault serve`` runs beside the HTTP server."""

    model_config = ConfigDict(extra="forbid")

    # On SQLite, one capture worker (``citevault worker``) started and stopped
    # with the server, so that a submitted document is captured on a laptop
    # with nothing else running.  PostgreSQL setups run workers of their own.
    embedded_worker: bool = True


class WorkerSettings(BaseModel):
    """What ``citevault worker`` offers its orchestrator."""

    model_config = ConfigDict(extra="forbid")

    # A small HTTP server in the worker answering /healthz, /readyz and
    # /metrics, as the API does; 0 leaves it off.  0.0.0.0 in a container,
    # where the orchestrator probes from outside.
    health_host: str = "127.0.0.1"
    health_port: int = Field(default=0, ge=0, le=65535)


class MetricsSettings(BaseModel):
    """Prometheus metrics (``/metrics``)."""

    model_config = ConfigDict(extra="forbid")

    # Empty: each process counts for itself.  A folder: every citevault process
    # that shares it (the API's server processes, a worker and its crawlers)
    # counts into it and /metrics sums them.  Give it an empty folder at each
    # start (a tmpfs in a container); prometheus-client's multiprocess mode.
    multiprocess_dir: Path | None = None


class SchedulerSettings(BaseModel):
    """``citevault scheduler``: how often it looks for due ticks, and how long it waits."""

    model_config = ConfigDict(extra="forbid")

    # Seconds between two looks for due ticks; a tick runs at most this late.
    poll_seconds: float = Field(default=30.0, gt=0)
    # A tick older than this when a scheduler first sees it was missed (the
    # schedulers were down): run once or skipped, as its schedule says.
    missed_after_seconds: float = Field(default=300.0, gt=0)
    # How long a scheduler running an action outside the database (a refetch)
    # holds its tick; a tick not finished by then is taken over by another.
    run_lease_seconds: float = Field(default=900.0, gt=0)
    # A check or recapture tick writes its jobs after the claim, this many
    # citations a transaction; each poll spends at most ``plan_budget_seconds``
    # on that before it looks for due ticks again (a chunk started is finished).
    plan_chunk: int = Field(default=2000, gt=0)
    plan_budget_seconds: float = Field(default=5.0, gt=0)
    # /healthz, /readyz and /metrics of the scheduler, as the worker's
    # (worker.health_port); 0 leaves it off.
    health_host: str = "127.0.0.1"
    health_port: int = Field(default=0, ge=0, le=65535)


class WebhookSettings(BaseModel):
    """Schedules' webhooks: how a delivery is posted, retried and given up.

    A failed delivery (a 5xx, 408 or 429, a timeout, a refused connection) is
    tried again after ``backoff_seconds * 2**(attempts - 1)`` (capped at
    ``max_backoff_seconds``) until ``max_attempts`` tries were made; any other
    answer but a 2xx is final at once, since sending the same body again
    cannot change it.
    """

    model_config = ConfigDict(extra="forbid")

    timeout_seconds: float = Field(default=10.0, gt=0)
    max_attempts: int = Field(default=8, ge=1)
    backoff_seconds: float = Field(default=30.0, ge=0)
    max_backoff_seconds: float = Field(default=3600.0, ge=0)
    # Deliveries one sender leases per look, and posts at once.
    batch: int = Field(default=100, ge=1)
    concurrency: int = Field(default=8, ge=1, le=128)
    # How long a sender holds a leased delivery; one left past it is sent again.
    lease_seconds: float = Field(default=120.0, gt=0)
    # How long one look of the scheduler waits for its posts: a receiver that
    # hangs until timeout_seconds must not delay the next look for due ticks.
    # A post still running then is recorded when it ends; one not started yet
    # is put back, due at the next look.
    send_budget_seconds: float = Field(default=5.0, gt=0)
    # The API's address as receivers reach it, put before the archived copy's
    # path (/captures/ID) in a delivery; empty sends the path alone.
    public_url: str | None = None


class SigningSettings(BaseModel):
    """How WACZ exports are signed (WACZ Signing and Verification 0.1.0).

    ``anonymous`` signs with an ECDSA P-384 key this deployment keeps (created
    on first use, mode 0600; ``citevault keys signing`` prints its public key,
    which readers must learn from you: the package alone proves only that it
    was not changed since).  ``authsign`` asks an authsign server for a
    domain-certificate signature with a trusted timestamp.  ``off`` leaves
    ``datapackage-digest.json`` unsigned.
    """

    model_config = ConfigDict(extra="forbid")

    mode: Literal["anonymous", "authsign", "off"] = "anonymous"
    # The private key (PEM); empty means <data_dir>/keys/wacz-signing.pem.
    # Several API processes or hosts that should sign alike share one file.
    key_path: Path | None = None
    # authsign's /sign endpoint, e.g. https://signer.example.org/sign
    authsign_url: str | None = None
    authsign_token: SecretStr | None = None
    timeout_seconds: float = Field(default=30.0, gt=0)


class FixitySettings(BaseModel):
    """``citevault verify``: re-reading what was stored to prove it is intact."""

    model_config = ConfigDict(extra="forbid")

    # Bytes read from the store per second, in MB (10^6 bytes), so that an
    # audit of a large store does not starve captures and reads of the same
    # disks or bucket; 0 means as fast as the store answers.
    rate_mb_per_second: float = Field(default=0.0, ge=0)
    # Seconds between progress lines on stderr during a run.
    progress_seconds: float = Field(default=10.0, gt=0)


class SeedsSettings(BaseModel):
    """Limits of seed runs (``citevault seeds run``): what one feed or sitemap may cost.

    A sitemap index can name thousands of sitemaps, nest indexes, or serve a
    gzip file that inflates a thousandfold; each of these stops at a limit
    here, and the run reports what it left out.
    """

    model_config = ConfigDict(extra="forbid")

    # Seed files the API may run by name (``POST /api/seeds/run {"name": …}``);
    # empty: <data_dir>/seeds.  The API never reads other paths.
    directory: Path | None = None
    # Bytes of one feed or sitemap, received and after gunzip.
    max_source_bytes: int = Field(default=50 * MIB, gt=0)
    # Sitemaps read for one sitemap source, the index itself included.
    max_sitemaps: int = Field(default=50, ge=1)
    # Levels of sitemap indexes below the first (the protocol allows none).
    max_sitemap_depth: int = Field(default=1, ge=0)
    # Entries one source may yield; the rest are reported as skipped.
    max_entries_per_source: int = Field(default=50_000, ge=1)


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
