"""One API request as data (:class:`Call`), and sending it with retries, sync or async.

Retries: a request that provably never reached the server (the connection could not be
opened) is always retried. Anything else is retried only if repeating it is harmless:
reads, and writes marked ``idempotent`` (cancel, close, delete). ``POST /jobs`` is not: if
the connection breaks after the request left, or a proxy answers 502/504, the job may
already be stored, and a blind retry would run it twice. Those raise
:class:`SubmissionUncertain` instead, telling the user to look before submitting again.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from qdeck.client.errors import APIError, ServerUnreachable, SubmissionUncertain, error_class

T = TypeVar("T")
API_PREFIX = "/api/v1"
# The request never left this machine: retrying cannot duplicate anything.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
RETRY_STATUSES = frozenset({500, 502, 503, 504})
# Gateways that may have forwarded the request before failing.
AMBIGUOUS_STATUSES = frozenset({502, 504})


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str  # below /api/v1
    parse: Callable[[httpx.Response], T]
    params: dict[str, Any] | None = None
    json: Any = None
    idempotent: bool = True
    what: str = "it"  # what a non-idempotent call creates, for SubmissionUncertain
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_backoff)
        # Full jitter: clients that failed together do not come back together.
        return random.uniform(0.5, 1.0) * min(self.max_backoff, self.backoff * 2**attempt)  # noqa: S311

    def after_error(self, call: Call[Any], attempt: int, error: httpx.TransportError) -> float:
        """Seconds to wait before retrying, or raise the error the caller should see."""
        if attempt < self.retries and (isinstance(error, NOT_SENT) or call.idempotent):
            return self.delay(attempt)
        raise _unreachable(call, error) from error

    def after_response(self, call: Call[Any], attempt: int, response: httpx.Response):
        """Seconds to wait before retrying, or None when the response is final."""
        if response.status_code in RETRY_STATUSES and call.idempotent and attempt < self.retries:
            return self.delay(attempt, _retry_after(response))
        return None


def _unreachable(call: Call[Any], error: httpx.TransportError) -> ServerUnreachable:
    try:
        url = str(error.request.url.copy_with(path="/", query=None)).rstrip("/")
    except RuntimeError:  # an error raised before httpx attached the request
        url = "the server"
    reason = str(error) or type(error).__name__
    if isinstance(error, httpx.TimeoutException) and not isinstance(error, NOT_SENT):
        reason = f"no answer in time: {type(error).__name__}"
    if call.idempotent or isinstance(error, NOT_SENT):
        return ServerUnreachable(url, reason)
    return SubmissionUncertain(url, reason, call.what)


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None


def problem(response: httpx.Response, call: Call[Any] | None = None) -> APIError:
    """The server's problem document as an exception (or a plain one for a proxy's page)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    status = response.status_code
    message = body.get("detail") or body.get("title") or f"HTTP {status} {response.reason_phrase}"
    if call is not None and not call.idempotent and status in AMBIGUOUS_STATUSES:
        message += f"; {call.what} may or may not have been stored: look before trying again"
    return error_class(status)(
        status,
        body.get("code") or f"http_{status}",
        message,
        title=body.get("title", ""),
        errors=body.get("errors"),
        request_id=body.get("request_id") or response.headers.get("x-request-id"),
        retry_after=_retry_after(response),
    )


def _finish(call: Call[T], response: httpx.Response) -> T:
    if response.is_error:
        raise problem(response, call)
    return call.parse(response)


def _request(call: Call[Any]) -> dict[str, Any]:
    return {
        "method": call.method,
        "url": API_PREFIX + call.path,
        "params": call.params,
        "json": call.json,
        "headers": call.headers or None,
    }


def send(http: httpx.Client, policy: RetryPolicy, call: Call[T]) -> T:
    attempt = 0
    while True:
        try:
            response = http.request(**_request(call))
        except httpx.TransportError as error:
            time.sleep(policy.after_error(call, attempt, error))
        else:
            wait = policy.after_response(call, attempt, response)
            if wait is None:
                return _finish(call, response)
            time.sleep(wait)
        attempt += 1


async def send_async(http: httpx.AsyncClient, policy: RetryPolicy, call: Call[T]) -> T:
    attempt = 0
    while True:
        try:
            response = await http.request(**_request(call))
        except httpx.TransportError as error:
            await asyncio.sleep(policy.after_error(call, attempt, error))
        else:
            wait = policy.after_response(call, attempt, response)
            if wait is None:
                return _finish(call, response)
            await asyncio.sleep(wait)
        attempt += 1
