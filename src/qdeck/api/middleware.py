"""ASGI middleware: request ids, access logs, security headers and the body-size limit.

Written as plain ASGI (not BaseHTTPMiddleware) so WebSockets and streaming responses pass
through untouched and nothing is buffered.
"""

from __future__ import annotations

import gzip
import ipaddress
import re
import time
import uuid
from functools import lru_cache
from typing import Any

import structlog
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qdeck.api import content_policy

log = structlog.get_logger("qdeck.http")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
)


class RequestContextMiddleware:
    """Gives every request an id (echoed in X-Request-ID), logs it, adds security headers."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        # Read now: a mounted app (NiceGUI) replaces scope["app"] on the way in.
        settings = getattr(getattr(scope.get("app"), "state", None), "settings", None)
        _apply_forwarded_for(scope, settings)
        path = scope.get("path", "")
        started = time.perf_counter()
        status_holder: dict[str, int] = {}

        page: dict[str, Any] = {}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if path.startswith("/api/docs"):
                    headers.setdefault("Content-Security-Policy", DOCS_CSP)
                elif path.startswith(("/api/", "/healthz", "/readyz")):
                    headers.setdefault("Content-Security-Policy", API_CSP)
                elif headers.get("content-type", "").startswith("text/html"):
                    # A UI page: held back until its body is complete, to add the nonce.
                    page.update(start=message, body=b"")
                    return
                if self.hsts:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            elif message["type"] == "http.response.body" and page:
                page["body"] += message.get("body", b"")
                if message.get("more_body"):
                    return
                await _send_page(
                    scope, send, page["start"], page["body"], settings=settings, hsts=self.hsts
                )
                return
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_wrapper)
            finally:
                # Path only: query strings can carry tokens and must not reach the logs.
                log.info(
                    "request",
                    method=scope.get("method", "WS"),
                    path=path,
                    status=status_holder.get("status"),
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                )


async def _send_page(
    scope: Scope, send: Send, start: Message, body: bytes, *, settings: Any, hsts: bool
) -> None:
    """An HTML page with its Content-Security-Policy and the nonce in its own scripts."""
    nonce = content_policy.new_nonce()
    ws_origin = content_policy.websocket_origin(
        getattr(settings, "public_url", None),
        _header(scope, b"host"),
        secure=scope.get("scheme") == "https",
    )
    headers = MutableHeaders(scope=start)
    # NiceGUI's own GZipMiddleware sits inside this one.
    gzipped = headers.get("content-encoding") == "gzip" and body
    if gzipped:
        body = gzip.decompress(body)
    body = content_policy.add_nonce(body, nonce)
    if gzipped:
        body = gzip.compress(body, compresslevel=6)
    headers["Content-Security-Policy"] = content_policy.page_policy(nonce, ws_origin)
    if "content-length" in headers and scope.get("method") != "HEAD":
        headers["Content-Length"] = str(len(body))
    if hsts:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    await send(start)
    await send({"type": "http.response.body", "body": body})


class BodySizeLimitMiddleware:
    """Refuses bodies over the limit with 413, whether or not Content-Length is honest."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_too_large(scope, send, self.max_bytes)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # An HTTPException, because FastAPI re-raises those from body parsing
                    # untouched and turns anything else into a generic 400.
                    raise HTTPException(413, _too_large_text(self.max_bytes))
            return message

        await self.app(scope, limited_receive, send)


def _too_large_text(max_bytes: int) -> str:
    return f"The request body is larger than the limit of {max_bytes} bytes."


async def _send_too_large(scope: Scope, send: Send, max_bytes: int) -> None:
    from qdeck.api.problems import problem_response

    response = problem_response(
        None,
        status=413,
        code="payload_too_large",
        title="Payload too large",
        detail=_too_large_text(max_bytes),
    )
    await response(scope, _drain, send)


async def _drain() -> dict[str, Any]:
    return {"type": "http.disconnect"}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _apply_forwarded_for(scope: Scope, settings: Any) -> None:
    """Put the real client in ``scope["client"]`` when the peer is a trusted proxy.

    Only then: X-Forwarded-For from anyone else is a claim the client makes about itself.
    The list is read from the right, skipping trusted proxies, so a forged entry the
    client put in front of the proxy's own is never taken.
    """
    trusted = tuple(getattr(settings, "trusted_proxies", None) or ())
    client = scope.get("client")
    if not trusted or not client:
        return
    networks = _networks(trusted)
    if not _is_trusted(client[0], networks):
        return
    forwarded = ",".join(
        value.decode("latin-1")
        for key, value in scope.get("headers", [])
        if key == b"x-forwarded-for"
    )
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            if _is_address(hop):
                scope["client"] = (hop, 0)
            return


@lru_cache(maxsize=16)
def _networks(
    trusted: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_trusted(text: str, networks: tuple[Any, ...]) -> bool:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return any(address in network for network in networks)
