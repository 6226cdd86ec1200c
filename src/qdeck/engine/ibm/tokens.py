"""Check an IBM Quantum token when a user stores it: which devices it reaches, or why not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import structlog

from .connection import (
    DEFAULT_CHANNEL,
    LOCAL_CHANNEL,
    IbmCredentials,
    SecretLike,
    ServiceFactory,
    build_service,
)
from .errors import describe_ibm_error

log = structlog.get_logger("qdeck.ibm")


@dataclass(frozen=True)
class TokenCheck:
    """What :func:`check_token` found: the backends the token can use, or why it failed."""

    ok: bool
    channel: str
    instance: str | None = None
    backends: list[str] = field(default_factory=list)
    error: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "channel": self.channel,
            "instance": self.instance,
            "backends": list(self.backends),
            "error": self.error,
        }


def check_token(
    token: str | SecretLike | None,
    channel: str = DEFAULT_CHANNEL,
    instance: str | None = None,
    *,
    factory: ServiceFactory = build_service,
) -> TokenCheck:
    """Try ``token`` against IBM Quantum (when a user stores it). Never raises.

    Named ``check_`` rather than ``test_`` so pytest never collects it when imported.
    Blocking: call it from a thread (``asyncio.to_thread``) in async code.
    """
    raw = token.get_secret_value() if hasattr(token, "get_secret_value") else token
    secrets = (str(raw),) if raw else ()
    try:
        if channel == LOCAL_CHANNEL:
            credentials = IbmCredentials.local()
        else:
            credentials = IbmCredentials.from_token(str(raw or ""), channel, instance)
        service = factory(credentials)
        names = sorted(b.name for b in service.backends())
        active = _active_instance(service) or credentials.instance
    except Exception as exc:
        error = describe_ibm_error(exc, secrets=secrets)
        log.info("ibm_token_check_failed", channel=channel, code=error["code"])
        return TokenCheck(ok=False, channel=channel, instance=instance, error=error)
    log.info("ibm_token_check_ok", channel=channel, backends=len(names))
    return TokenCheck(ok=True, channel=channel, instance=active, backends=names)


def _active_instance(service: Any) -> str | None:
    try:
        active = service.active_instance()
    except Exception:  # local service has none; a remote one may not have picked one yet
        return None
    return active if isinstance(active, str) else None
