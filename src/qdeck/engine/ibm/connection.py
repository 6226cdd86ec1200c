"""Credentials, cached ``QiskitRuntimeService`` objects and backend resolution.

The token is held by :class:`ApiToken`, whose ``repr``/``str``/format show only its last
four characters, so credentials can be logged, put in exceptions or dataclass reprs without
leaking. The raw value leaves the wrapper in exactly one place: :func:`build_service`.

Building a service talks to IBM Cloud (it lists the account's instances), so
:class:`ServiceCache` keeps one per (token hash, channel, instance) for a while instead of
rebuilding it per job or per device listing.

``channel="local"`` is qiskit-ibm-runtime's local testing mode: no token, no network, and
backend names resolve to the fake devices of ``qiskit_ibm_runtime.fake_provider`` (which
simulate with a real device's calibration snapshot). The runner and the device listing take
exactly the same code path with it, which is how they are tested.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from qiskit.providers.exceptions import QiskitBackendNotFoundError

from .errors import IbmAdapterError, InvalidCredentialsError

CHANNELS = ("ibm_quantum_platform", "ibm_cloud", "local")
DEFAULT_CHANNEL = "ibm_quantum_platform"
LOCAL_CHANNEL = "local"
# Long enough that a burst of jobs shares one service; short enough that a revoked token or
# a changed instance is noticed without restarting qdeck.
SERVICE_TTL_SECONDS = 15 * 60
# Below this length even the last four characters would reveal too much of the token.
_MIN_LENGTH_TO_SHOW_TAIL = 12
# Retired device names map onto the fake named after them ("ibm_brisbane" -> "fake_brisbane").
_REAL_NAME_PREFIXES = ("ibm_", "ibmq_")


class SecretLike(Protocol):
    def get_secret_value(self) -> str: ...


class ApiToken:
    """An IBM Quantum API token that never prints itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        value = (value or "").strip()
        if not value:
            raise InvalidCredentialsError("the IBM Quantum API token is empty")
        self._value = value

    def reveal(self) -> str:
        return self._value

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the token: a cache key that is useless to anyone who reads it."""
        return hashlib.sha256(self._value.encode()).hexdigest()

    @property
    def masked(self) -> str:
        if len(self._value) < _MIN_LENGTH_TO_SHOW_TAIL:
            return "****"
        return f"****{self._value[-4:]}"

    def __repr__(self) -> str:
        return f"ApiToken('{self.masked}')"

    def __str__(self) -> str:
        return self.masked

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ApiToken):
            return NotImplemented
        return hmac.compare_digest(self._value, other._value)

    def __hash__(self) -> int:
        return hash(self.fingerprint)


@dataclass(frozen=True)
class IbmCredentials:
    """Who to talk to IBM Quantum as. Never stored in a job spec (specs go to the database)."""

    token: ApiToken | None
    channel: str = DEFAULT_CHANNEL
    instance: str | None = None

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise InvalidCredentialsError(
                f"channel must be one of {', '.join(CHANNELS)}, got {self.channel!r}"
            )
        if isinstance(self.token, str):
            object.__setattr__(self, "token", ApiToken(self.token))
        if self.token is None and self.channel != LOCAL_CHANNEL:
            raise InvalidCredentialsError(f"the {self.channel} channel needs an API token")
        if self.instance is not None and not self.instance.strip():
            object.__setattr__(self, "instance", None)

    @classmethod
    def from_token(
        cls,
        token: str | SecretLike,
        channel: str = DEFAULT_CHANNEL,
        instance: str | None = None,
    ) -> IbmCredentials:
        """Accepts a plain string or anything with ``get_secret_value()`` (pydantic)."""
        raw = token.get_secret_value() if hasattr(token, "get_secret_value") else token
        return cls(ApiToken(str(raw)), channel, instance)

    @classmethod
    def local(cls) -> IbmCredentials:
        return cls(None, LOCAL_CHANNEL, None)

    @property
    def is_local(self) -> bool:
        return self.channel == LOCAL_CHANNEL

    @property
    def cache_key(self) -> tuple[str, str, str | None]:
        return (self.token.fingerprint if self.token else "", self.channel, self.instance)

    def secrets(self) -> tuple[str, ...]:
        """Strings to scrub from error messages."""
        return (self.token.reveal(),) if self.token else ()


ServiceFactory = Callable[[IbmCredentials], Any]


def build_service(credentials: IbmCredentials) -> Any:
    """A ``QiskitRuntimeService`` (or the local testing service). Talks to IBM Cloud."""
    from qiskit_ibm_runtime import QiskitRuntimeService
    from qiskit_ibm_runtime.exceptions import IBMInputValueError

    if credentials.is_local:
        return QiskitRuntimeService(channel=LOCAL_CHANNEL)
    assert credentials.token is not None  # guaranteed by IbmCredentials
    try:
        return QiskitRuntimeService(
            channel=credentials.channel,  # type: ignore[arg-type]
            token=credentials.token.reveal(),
            instance=credentials.instance,
        )
    except IBMInputValueError as exc:
        if credentials.instance is None:
            raise
        raise IbmAdapterError(
            f"the IBM Quantum instance {credentials.instance!r} is not available to this "
            "token; check the instance (CRN) saved with your token in qdeck",
            code="ibm_instance_not_found",
        ) from exc


@dataclass
class _Entry:
    service: Any
    expires_at: float


@dataclass
class ServiceCache:
    """One service per (token hash, channel, instance), rebuilt after ``ttl_seconds``."""

    factory: ServiceFactory = build_service
    ttl_seconds: float = SERVICE_TTL_SECONDS
    clock: Callable[[], float] = time.monotonic
    _entries: dict[tuple[str, str, str | None], _Entry] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def get(self, credentials: IbmCredentials) -> Any:
        key = credentials.cache_key
        now = self.clock()
        with self._lock:
            self._drop_expired(now)
            entry = self._entries.get(key)
            if entry is not None:
                return entry.service
        # Built outside the lock: it takes seconds and must not hold up other accounts. Two
        # threads may both build for the same key; the second result simply wins.
        service = self.factory(credentials)
        with self._lock:
            self._entries[key] = _Entry(service, self.clock() + self.ttl_seconds)
        return service

    def forget(self, credentials: IbmCredentials) -> None:
        """Drop the cached service (after IBM rejected its token, for instance)."""
        with self._lock:
            self._entries.pop(credentials.cache_key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _drop_expired(self, now: float) -> None:
        for key in [k for k, e in self._entries.items() if e.expires_at <= now]:
            del self._entries[key]


@functools.cache
def default_services() -> ServiceCache:
    """The process-wide cache, shared by the runner and the device listing."""
    return ServiceCache()


def resolve_backend(service: Any, credentials: IbmCredentials, name: str) -> Any:
    """The backend object for ``name``; raises ``QiskitBackendNotFoundError`` if unknown."""
    if not isinstance(name, str) or not name:
        raise QiskitBackendNotFoundError(f"no backend named {name!r}")
    if not credentials.is_local:
        try:
            return service.backend(name)
        except QiskitBackendNotFoundError as exc:
            raise QiskitBackendNotFoundError(
                f"IBM Quantum has no backend named {name!r} for this account (retired, or "
                "not in your instance)"
            ) from exc
    if name == "aer_simulator":  # the local service would hand back a plain AerSimulator
        raise QiskitBackendNotFoundError("aer_simulator is not an IBM Quantum device")
    for candidate in _local_candidates(name):
        try:
            return service.backend(candidate)
        except QiskitBackendNotFoundError:
            continue
    raise QiskitBackendNotFoundError(
        f"no fake device named {name!r} in local testing mode (try fake_manila, fake_brisbane)"
    )


def _local_candidates(name: str) -> list[str]:
    candidates = [name]
    for prefix in _REAL_NAME_PREFIXES:
        if name.startswith(prefix):
            candidates.append("fake_" + name[len(prefix) :])
    return candidates
