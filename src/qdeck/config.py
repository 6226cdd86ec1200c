"""Settings: the one place qdeck reads its configuration from.

Every setting can be given as an environment variable with the ``QDECK_`` prefix
or in a ``.env`` file in the working directory. No other module reads the
environment.
"""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Annotated

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

    session_ttl_hours: int = 24 * 14
    login_max_failures: int = 5
    login_window_seconds: int = 300

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

    log_level: str = "INFO"
    # JSON log lines (for log collectors) instead of human-readable console lines.
    log_json: bool = False

    @field_validator("cors_origins", "warm_backends", "ibm_local_devices", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # Accept a comma-separated string, the natural form for an env variable.
        if isinstance(value, str) and not value.strip().startswith("["):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
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
