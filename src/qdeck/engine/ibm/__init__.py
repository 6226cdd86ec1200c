"""IBM Quantum adapter: real devices through qiskit-ibm-runtime (pure: no database, no web).

* :mod:`.connection` — :class:`IbmCredentials` (the token never prints), a TTL cache of
  ``QiskitRuntimeService`` objects, and the ``local`` testing channel.
* :mod:`.tokens` — :func:`check_token`, for when a user stores a token.
* :mod:`.errors` — :func:`describe_ibm_error`: any exception -> ``{"code", "message",
  "transient"}``.
* :mod:`.devices` — :func:`list_ibm_devices`: devices with status, queue and median errors.
* :mod:`.runner` — :class:`IbmRuntimeRunner`, the :class:`~qdeck.engine.runner.Runner`
  for IBM devices (``submit_ibm``, ``attach``, ``cancel``).
"""

from .connection import (
    CHANNELS,
    ApiToken,
    IbmCredentials,
    ServiceCache,
    build_service,
    default_services,
    resolve_backend,
)
from .devices import describe_backend, list_ibm_devices
from .errors import (
    AttachUnavailable,
    IbmAdapterError,
    InvalidCredentialsError,
    MissingCredentialsError,
    RemoteJobCancelled,
    describe_ibm_error,
)
from .execution import PollPolicy
from .runner import IbmRuntimeRunner
from .tokens import TokenCheck, check_token

__all__ = [
    "CHANNELS",
    "ApiToken",
    "AttachUnavailable",
    "IbmAdapterError",
    "IbmCredentials",
    "IbmRuntimeRunner",
    "InvalidCredentialsError",
    "MissingCredentialsError",
    "PollPolicy",
    "RemoteJobCancelled",
    "ServiceCache",
    "TokenCheck",
    "build_service",
    "check_token",
    "default_services",
    "describe_backend",
    "describe_ibm_error",
    "list_ibm_devices",
    "resolve_backend",
]
