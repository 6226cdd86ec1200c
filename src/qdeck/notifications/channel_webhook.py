"""Sending one signed webhook request: the address checked, no redirects, a bounded read.

The request goes to the address ``ssrf.resolve`` checked (the URL's host is replaced by
it; ``Host`` and the TLS server name stay the original name, so certificates are still
verified against it). Connections are pooled per (name, address), never shared between
names, so one host's verified TLS connection is not reused for another.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time

import httpx

from qdeck.config import Settings
from qdeck.notifications import ssrf
from qdeck.notifications.channel_result import SendResult

MAX_RESPONSE_BYTES = 64 * 1024
EXCERPT_CHARS = 2000
MAX_CLIENTS = 256


class WebhookSender:
    """One per worker; ``close()`` when done."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._clients: dict[tuple[str, str, str, int], httpx.AsyncClient] = {}

    def _client(self, scheme: str, host: str, ip: str, port: int) -> httpx.AsyncClient:
        key = (scheme, host, ip, port)
        client = self._clients.get(key)
        if client is None:
            if len(self._clients) >= MAX_CLIENTS:
                oldest = self._clients.pop(next(iter(self._clients)))
                asyncio.get_running_loop().create_task(oldest.aclose())
            timeout = self.settings.webhook_timeout_seconds
            client = httpx.AsyncClient(
                follow_redirects=False,
                timeout=httpx.Timeout(timeout),
                limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
                trust_env=False,
            )
            self._clients[key] = client
        return client

    async def close(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> SendResult:
        started = time.perf_counter()

        def took() -> int:
            return int((time.perf_counter() - started) * 1000)

        settings = self.settings
        try:
            target = ssrf.parse_url(url, allow_http=settings.webhook_allow_http)
            address = await ssrf.resolve(
                target.host, target.port, allow_private=settings.webhook_allow_private
            )
        except ssrf.UrlRefused as exc:
            return SendResult(False, None, took(), error=str(exc))
        literal = f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)
        default_port = 443 if target.scheme == "https" else 80
        host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
        request_url = f"{target.scheme}://{literal}:{target.port}{target.target}"
        client = self._client(target.scheme, target.host, str(address), target.port)
        request = client.build_request(
            "POST",
            request_url,
            content=body,
            headers={**headers, "host": host_header},
            extensions={"sni_hostname": target.host},
        )
        try:
            async with asyncio.timeout(settings.webhook_timeout_seconds):
                response = await client.send(request, stream=True)
                try:
                    excerpt = await _read_bounded(response)
                finally:
                    await response.aclose()
        except TimeoutError:
            return SendResult(
                False,
                None,
                took(),
                error=f"No answer within {settings.webhook_timeout_seconds:g} s.",
            )
        except httpx.HTTPError as exc:
            return SendResult(False, None, took(), error=_describe(exc))
        status = response.status_code
        ok = 200 <= status < 300
        error = None
        if not ok:
            redirect = " (redirects are not followed)" if 300 <= status < 400 else ""
            error = f"HTTP {status}{redirect}"
        return SendResult(ok, status, took(), error=error, excerpt=excerpt)


async def _read_bounded(response: httpx.Response) -> str:
    """At most 64 KiB of the body is read; the rest is never downloaded."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_RESPONSE_BYTES:
            break
    return b"".join(chunks)[:MAX_RESPONSE_BYTES].decode("utf-8", "replace")[:EXCERPT_CHARS]


def _describe(exc: httpx.HTTPError) -> str:
    kind = type(exc).__name__
    text = str(exc) or kind
    return f"{kind}: {text}"[:400]
