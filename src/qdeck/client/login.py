"""Trade an e-mail and password for an API token, the way `qdeck login` does."""

from __future__ import annotations

import socket

import httpx

from qdeck.auth.schemas import LoginRequest, TokenCreate, TokenCreated
from qdeck.client import calls
from qdeck.client.transport import Call, RetryPolicy, send


def token_from_password(
    url: str, email: str, password: str, name: str | None = None, timeout: float = 30.0
) -> TokenCreated:
    """Log in as a browser would, create a named API token, then end that browser session.

    The password is used once and never stored; the token is what scripts keep.
    """
    name = name or f"qdeck CLI on {socket.gethostname()}"[:100]
    body = LoginRequest(email=email, password=password).model_dump()
    policy = RetryPolicy()
    with httpx.Client(base_url=url.rstrip("/"), timeout=timeout) as http:
        # A failed log-in counts towards the lock-out, so it is sent once, never retried.
        login = Call("POST", "/auth/login", lambda r: r.json(), json=body, idempotent=False)
        csrf = send(http, RetryPolicy(retries=0), login)["csrf_token"]
        token = send(
            http, policy, calls.create_token(TokenCreate(name=name), {"X-CSRF-Token": csrf})
        )
        send(
            http,
            policy,
            Call("POST", "/auth/logout", lambda r: None, headers={"X-CSRF-Token": csrf}),
        )
    return token
