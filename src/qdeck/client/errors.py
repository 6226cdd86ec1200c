"""Exceptions the SDK raises. API errors carry the server's stable problem ``code``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qdeck.jobs.schemas import JobDetail


class QDeckClientError(Exception):
    """Base class of everything the SDK raises on purpose."""


class ServerUnreachable(QDeckClientError):
    """No answer from the server: it is down, the URL is wrong, or the network is."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"cannot reach qdeck at {url} ({reason}); check that the server is running and "
            "that the URL is right (qdeck login URL, or QDECK_URL)"
        )
        self.url = url
        self.reason = reason


class SubmissionUncertain(ServerUnreachable):
    """A request that creates something failed after it was sent, so it may have been stored.

    It is not retried automatically: a second ``POST /jobs`` could run the job twice.
    """

    def __init__(self, url: str, reason: str, what: str) -> None:
        QDeckClientError.__init__(
            self,
            f"the connection to {url} failed after the request was sent ({reason}); {what} may "
            "or may not have been stored. Look before submitting again (qdeck jobs list).",
        )
        self.url = url
        self.reason = reason


class APIError(QDeckClientError):
    """The server answered with an RFC 9457 problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        title: str = "",
        errors: list[dict[str, Any]] | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{message} [{code}]")
        self.status = status
        self.code = code
        self.message = message
        self.title = title
        self.errors = errors or []
        self.request_id = request_id
        self.retry_after = retry_after


class AuthenticationError(APIError):
    """401: no token, or the token is wrong, expired or revoked."""


class PermissionDeniedError(APIError):
    """403: your role in the workspace does not allow this."""


class NotFoundError(APIError):
    """404: it does not exist, or it is in a workspace you are not a member of."""


class ConflictError(APIError):
    """409: the request contradicts the current state (e.g. cancelling a finished job)."""


class InvalidRequestError(APIError):
    """400/413/422: the request itself is wrong; ``errors`` names the fields."""


class RateLimitedError(APIError):
    """429: too many attempts; ``retry_after`` says how many seconds to wait."""


class ServerError(APIError):
    """5xx: the server failed; the ``request_id`` helps its operators find out why."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: InvalidRequestError,
    422: InvalidRequestError,
    429: RateLimitedError,
}


def error_class(status: int) -> type[APIError]:
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, APIError)


class JobError(QDeckClientError):
    """The job ended without a result. ``job`` is its final state."""

    def __init__(self, job: JobDetail, message: str) -> None:
        super().__init__(message)
        self.job = job
        self.code = job.error_code


class JobFailed(JobError):
    def __init__(self, job: JobDetail) -> None:
        where = f" while {job.failed_phase}" if job.failed_phase else ""
        super().__init__(
            job,
            f"job {job.id} failed{where}: {job.error_message or 'no reason given'} "
            f"[{job.error_code or 'failed'}]",
        )


class JobCancelled(JobError):
    def __init__(self, job: JobDetail) -> None:
        super().__init__(job, f"job {job.id} was cancelled")


class WaitTimeout(QDeckClientError, TimeoutError):
    """``wait(timeout=...)`` ran out; the job keeps running on the server."""

    def __init__(self, job_id: str, seconds: float, status: str | None) -> None:
        super().__init__(
            f"job {job_id} is still {status or 'unfinished'} after {seconds:g} s; it keeps "
            "running on the server (wait again, or cancel it)"
        )
        self.job_id = job_id
        self.status = status
