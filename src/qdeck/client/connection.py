"""What both clients share: where the server is, who is asking, how patiently."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from qdeck import __version__
from qdeck.client import config
from qdeck.client.errors import QDeckClientError
from qdeck.client.transport import API_PREFIX, RetryPolicy


@dataclass(frozen=True)
class Connection:
    url: str
    token: str | None
    timeout: httpx.Timeout
    policy: RetryPolicy
    websocket_url: str | None  # None: never try the socket, always poll

    @classmethod
    def resolve(
        cls,
        url: str | None,
        token: str | None,
        *,
        timeout: float | httpx.Timeout,
        retries: int,
        backoff: float,
        live_updates: bool,
        websocket_url: str | None,
    ) -> Connection:
        """Explicit arguments first, then QDECK_URL/QDECK_TOKEN, then ``qdeck login``'s."""
        found = config.load()
        if url is None:
            url, token = found.url, token or found.token
        elif token is None and found.url == url.rstrip("/"):
            # A configured token goes only to the server it was configured for.
            token = found.token
        if not url:
            raise QDeckClientError(
                "no qdeck server given: pass url=..., set QDECK_URL, or run `qdeck login URL`"
            )
        url = url.rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise QDeckClientError(f"the qdeck URL must start with http:// or https://: {url!r}")
        if websocket_url is None:
            websocket_url = "ws" + url.removeprefix("http") + API_PREFIX + "/ws"
        return cls(
            url=url,
            token=token,
            timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
            policy=RetryPolicy(retries=retries, backoff=backoff),
            websocket_url=websocket_url if live_updates else None,
        )

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    @property
    def headers(self) -> dict[str, str]:
        return {"User-Agent": f"qdeck-python/{__version__}", **self.auth_headers}
