"""The sections of the settings object, one model each (``archive.settings`` holds the root).

Kept apart from the loader so that each section's defaults and checks read on their
own; every name here is also importable from ``archive.settings``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

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
