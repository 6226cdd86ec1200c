"""Domain errors. Each carries its HTTP status and a stable machine-readable code.

Services raise these; the API turns them into RFC 9457 problem documents and the
UI shows the same ``detail`` text.
"""

from __future__ import annotations

from typing import Any


class QdeckError(Exception):
    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.errors = errors
        self.headers = headers or {}


class InvalidInput(QdeckError):
    status = 422
    code = "invalid_input"
    title = "Invalid input"


class NotAuthenticated(QdeckError):
    status = 401
    code = "not_authenticated"
    title = "Not authenticated"


class PermissionDenied(QdeckError):
    """A member of the workspace lacks the role for this action.

    Outsiders never see this: they get NotFound, so a workspace's existence does not leak.
    """

    status = 403
    code = "permission_denied"
    title = "Permission denied"


class NotFound(QdeckError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(QdeckError):
    status = 409
    code = "conflict"
    title = "Conflict"


class PayloadTooLarge(QdeckError):
    status = 413
    code = "payload_too_large"
    title = "Payload too large"


class RateLimited(QdeckError):
    status = 429
    code = "rate_limited"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(detail, code=code, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class ServiceUnavailable(QdeckError):
    status = 503
    code = "unavailable"
    title = "Service unavailable"
