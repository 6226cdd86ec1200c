"""Settings: the one place qdeck reads its configuration from.

Every setting can be given as an environment variable with the ``QDECK_`` prefix
or in a ``.env`` file in the working directory. No other module reads the
environment.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SECRET_KEY_FILE = "secret_key"
DATABASE_FILE = "qdeck.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="QDECK_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Where qdeck keeps its SQLite file and generated secret key.
    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("qdeck", appauthor=False)))
    # SQLAlchemy async URL; empty means the SQLite file in data_dir.
    database_url: str = ""
    # PostgreSQL schema to use (search_path); lets several installs share one database.
    database_schema: str | None = None
    # Run migrations to head when the server starts.
    auto_migrate: bool = True
    # Instance secret used to sign sessions and encrypt stored secrets. Generated on first
    # start into data_dir when not given.
    secret_key: SecretStr | None = None

    host: str = "127.0.0.1"
    port: int = 8000
    # Public base URL when behind a proxy; an https URL marks cookies Secure.
    public_url: str | None = None
    # Browser origins allowed by CORS; empty keeps CORS closed.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Largest request body accepted, in bytes.
    max_body_bytes: int = 2 * 1024 * 1024

    # Proxies (IPs or CIDR networks) whose X-Forwarded-For names the client; empty: the
    # peer address is the client. Only list proxies you run: the header is trivial to forge.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Browser origins allowed to open cookie-authenticated WebSockets besides public_url.
    # Empty: public_url's origin (or the Host the request came to, without public_url).
    ws_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # Absolute lifetime of a browser session, and how long it may go unused (docs/security.md).
    session_ttl_hours: int = 24 * 14
    session_idle_hours: float = Field(72.0, gt=0)
    # Log-in throttling (docs/security.md): failures counted within login_window_seconds,
    # per (account, address) pair, per address, and per account from unfamiliar addresses.
    # Past each limit the wait doubles from login_delay_seconds up to login_max_delay_seconds.
    login_max_failures: int = 5
    login_address_max_failures: int = 10
    login_account_max_failures: int = 50
    login_window_seconds: int = 900
    login_delay_seconds: int = 15
    login_max_delay_seconds: int = 900
    # Sign-ups accepted from one address per hour.
    signup_max_per_address: int = 20

    # Redis for sharing live events between several server processes (optional).
    redis_url: str | None = None
    # The pub/sub channel; processes that should see each other's events share it.
    redis_channel: str = "qdeck:events"
    # WebSocket limits.
    ws_max_subscriptions: int = 100
    ws_max_frame_bytes: int = 64 * 1024
    ws_heartbeat_seconds: float = 20.0
    # Events a client may lag behind before it is disconnected as too slow.
    ws_max_queue: int = 1000
    # Events replayed on reconnect before the client is told to reload instead.
    ws_max_replay: int = 1000

    # --- events: the outbox, its relay and consumers ---
    # How often the relay and the consumers look for events committed elsewhere (another
    # process without Redis, or a missed wake-up).
    outbox_poll_seconds: float = Field(0.25, gt=0, le=60)
    consumer_poll_seconds: float = Field(1.0, gt=0, le=60)
    # Run this process's share of the consumers (several processes share them safely).
    consumers_enabled: bool = True
    # A handler that fails is tried this many times, with a backoff doubling from
    # consumer_retry_seconds, before its event is parked for that consumer.
    consumer_max_attempts: int = Field(5, ge=1, le=100)
    consumer_retry_seconds: float = Field(1.0, gt=0, le=3600)
    # Events are kept this long after every consumer has passed them.
    event_retention_days: int = Field(30, ge=1)
    # Extra modules with a ``register(registry)`` function, loaded after the built-in
    # domains (QDECK_PLUGINS='["mypackage.plugin"]').
    plugins: list[str] = []

    # --- job engine ---
    # Run the scheduler and workers in this server process.
    engine_enabled: bool = True
    # Simulation worker processes; 0 means one per CPU core.
    workers: int = 0
    # Backends whose simulators (and noise models) each worker prepares at start.
    warm_backends: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["aer_simulator"])
    # Memory one simulation may use; a statevector needs 16 bytes x 2^qubits.
    worker_memory_bytes: int = 4 * 2**30
    max_shots: int = 100_000
    max_circuits_per_job: int = 32
    job_timeout_seconds: int = 3600
    # Running jobs at once per backend and per user (queued jobs wait their turn).
    backend_concurrency: int = 8
    user_concurrency: int = 8
    # Attempts for a job hit by a transient failure (worker died, IBM 5xx) before it fails.
    job_max_attempts: int = 3
    retry_backoff_seconds: float = 2.0
    # How long a server's claim on a running job lasts without renewal; after that
    # another server (or this one restarted) recovers the job.
    job_lease_seconds: int = 30
    # Ray cluster address ("auto", "ray://host:10001"); unset runs workers locally.
    ray_address: str | None = None
    # Instance-wide IBM Quantum credentials; users may also store their own token.
    ibm_quantum_token: SecretStr | None = None
    # ibm_quantum_platform, ibm_cloud, or "local": qiskit-ibm-runtime's local testing mode,
    # where ibm_* devices are the fake devices of the same name (no account needed).
    ibm_quantum_channel: str = "ibm_quantum_platform"
    ibm_quantum_instance: str | None = None
    # Devices offered in local testing mode.
    ibm_local_devices: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["ibm_manila", "ibm_brisbane"]
    )

    # --- notification channels: e-mail and webhooks (docs/notifications.md, "Channels") ---
    # SMTP server for notification e-mail; without a host qdeck notifies in-app only.
    smtp_host: str | None = None
    smtp_port: int = Field(587, ge=1, le=65535)
    # none (plain, for a relay on localhost), starttls (upgrade after connecting), tls
    # (implicit TLS, usually port 465).
    smtp_tls_mode: Literal["none", "starttls", "tls"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "qdeck <qdeck@localhost>"
    smtp_timeout_seconds: float = Field(30.0, gt=0, le=300)
    # Webhook URLs must be https unless this allows http.
    webhook_allow_http: bool = False
    # Deliver to loopback, private, link-local and metadata addresses (a receiver on
    # this machine or this network); off by default against SSRF.
    webhook_allow_private: bool = False
    webhook_timeout_seconds: float = Field(15.0, gt=0, le=120)
    # The old secret keeps signing this long after a rotation.
    webhook_rotation_overlap_hours: float = Field(24.0, ge=0, le=24 * 30)
    # An endpoint failing for this long is disabled and its owner told.
    webhook_disable_after_days: float = Field(5.0, gt=0)
    # Run this process's delivery worker (several processes share the rows safely).
    delivery_enabled: bool = True
    delivery_poll_seconds: float = Field(1.0, gt=0, le=60)
    # A claimed delivery not finished within this time is taken again (its sender died).
    delivery_claim_seconds: float = Field(120.0, gt=0)
    # Multiplies the retry schedule (0 s, 5 s, 5 min, ... 24 h); tests shrink it.
    delivery_retry_scale: float = Field(1.0, ge=0, le=10)

    # --- notifications core: grouping, time-based checks (docs/notifications.md) ---
    # Run the notifications worker (queue, session, backend and digest checks) here.
    notifications_enabled: bool = True
    # Jobs of one session (or one person's burst in a workspace) finishing within this
    # window become one notification.
    notification_group_window_seconds: float = Field(60.0, ge=0, le=3600)
    # A job queued longer than this notifies its owner.
    notification_queue_threshold_seconds: float = Field(900.0, gt=0)
    # A quantum session this close to its maximum time notifies whoever opened it.
    notification_session_warning_seconds: float = Field(900.0, gt=0)
    # How often the worker looks (every server looks; dedupe keys and leases keep it once).
    notification_tick_seconds: float = Field(30.0, gt=0, le=3600)
    # The weekly digest goes out after this UTC hour on Mondays.
    notification_weekly_digest_hour: int = Field(8, ge=0, le=23)

    # --- gamification (docs/gamification.md) ---
    # Job XP one person can earn per day of their own calendar (Stack Overflow's 200).
    gamification_daily_job_xp_cap: int = Field(200, ge=0, le=100_000)
    # Run this process's league rollover worker (safe on every server: it runs once per week).
    gamification_worker_enabled: bool = True
    gamification_tick_seconds: float = Field(60.0, gt=0, le=3600)

    # Chat: at most this many messages per person in any window of this many seconds
    # (counted in the database, so the limit holds across servers).
    chat_rate_limit: int = Field(20, ge=1, le=10_000)
    chat_rate_window_seconds: float = Field(10.0, gt=0, le=3600)
    # Run this process's retention sweep (deletes messages past a workspace's setting).
    chat_worker_enabled: bool = True
    chat_sweep_seconds: float = Field(3600.0, gt=0, le=86_400)

    log_level: str = "INFO"
    # JSON log lines (for log collectors) instead of human-readable console lines.
    log_json: bool = False

    @field_validator(
        "cors_origins",
        "warm_backends",
        "ibm_local_devices",
        "trusted_proxies",
        "ws_allowed_origins",
        mode="before",
    )
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # Accept a comma-separated string, the natural form for an env variable.
        if isinstance(value, str) and not value.strip().startswith("["):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: list[str]) -> list[str]:
        # Refused at start, not on every request: "10.0.0.0/8", "127.0.0.1", "::1".
        for entry in value:
            ipaddress.ip_network(entry, strict=False)
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / DATABASE_FILE}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @cached_property
    def instance_secret(self) -> bytes:
        """The instance secret, generated once and kept (0600) in data_dir when not set."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / SECRET_KEY_FILE
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            # O_EXCL: two processes starting together must not write two different keys.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()

    @property
    def cookies_secure(self) -> bool:
        return bool(self.public_url and self.public_url.startswith("https://"))

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)
