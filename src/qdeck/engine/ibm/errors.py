"""Turn whatever qiskit-ibm-runtime, requests or IBM Cloud raise into qdeck's error dict.

Every failure becomes ``{"code", "message", "transient"}`` (plus ``"phase"`` when known),
the shape :class:`~qdeck.engine.runner.RunnerMessage` carries. ``transient`` tells the
scheduler whether retrying can help: 5xx answers, 429/408, timeouts and broken connections
are transient; a rejected token, a bad request or a job IBM itself failed are not.

qiskit-ibm-runtime often re-raises a ``RequestsApiError`` as ``IBMRuntimeError(...) from
None`` and reports a 503 as a ``RequestsApiError`` without a status code, so the HTTP
status is looked for along the whole ``__cause__`` / ``__context__`` chain, not only on the
exception caught. Messages are scrubbed of the caller's token and of anything that looks
like a credential before they leave this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import requests
from qiskit.providers.exceptions import QiskitBackendNotFoundError
from qiskit_ibm_runtime.accounts.exceptions import AccountsError
from qiskit_ibm_runtime.exceptions import (
    IBMApiError,
    IBMBackendError,
    IBMError,
    IBMNotAuthorizedError,
    RuntimeInvalidStateError,
    RuntimeJobFailureError,
    RuntimeJobMaxTimeoutError,
    RuntimeJobNotFound,
    RuntimeJobTimeoutError,
)

from qdeck.engine.errors import EngineError

UPDATE_TOKEN_HINT = (
    "Update your IBM Quantum API token in qdeck (Settings → IBM Quantum), then resubmit."
)
_MAX_MESSAGE_CHARS = 600
# RequestsApiError messages look like "<status> Client Error: <reason> for url: <url>.
# <IBM's message>, Error code: <n>." — keep only IBM's part for the user.
_AFTER_URL = re.compile(r"for url: \S+?\.(?:\s+|$)(.*)", re.S)
_CREDENTIAL_PATTERNS = (
    re.compile(r"(?i)((?:access_token|apikey|api_key|token)=)[^&\s'\"]+"),
    re.compile(r"(?i)((?:bearer|apikey)\s+)[A-Za-z0-9._~+/=-]{8,}"),
)
_NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout, ConnectionError, TimeoutError)


class IbmAdapterError(Exception):
    """An error this adapter raises on purpose, already carrying its qdeck code."""

    code = "ibm_adapter_error"
    transient = False

    def __init__(
        self, message: str, *, code: str | None = None, transient: bool | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if transient is not None:
            self.transient = transient


class MissingCredentialsError(IbmAdapterError):
    code = "ibm_credentials_missing"


class InvalidCredentialsError(IbmAdapterError, ValueError):
    code = "ibm_credentials_invalid"


class RemoteJobCancelled(IbmAdapterError):
    code = "ibm_job_cancelled"


class AttachUnavailable(IbmAdapterError):
    code = "ibm_attach_unavailable"


def describe_ibm_error(
    exc: BaseException, *, phase: str | None = None, secrets: Iterable[str | None] = ()
) -> dict[str, Any]:
    """The qdeck error dict for ``exc``; ``secrets`` are blanked out of the message."""
    error: dict[str, Any] = {}
    if isinstance(exc, EngineError):
        # Same dict the simulation worker reports for a bad spec (field, type, code).
        error = {"code": "invalid_job", **exc.to_dict()}
    code, message, transient = _classify(exc)
    error.update(
        code=code, message=redact(message, secrets)[:_MAX_MESSAGE_CHARS], transient=transient
    )
    if phase is not None:
        error["phase"] = phase
    return error


def is_transient(exc: BaseException) -> bool:
    """Whether retrying the same call later can succeed."""
    return _classify(exc)[2]


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    for pattern in _CREDENTIAL_PATTERNS:
        text = pattern.sub(r"\1[redacted]", text)
    return text


def ibm_message(exc: BaseException) -> str:
    """What IBM said, without the request URL boilerplate requests adds."""
    text = str(exc).strip()
    match = _AFTER_URL.search(text)
    if match and match.group(1).strip():
        return match.group(1).strip()
    return text or type(exc).__name__


def _classify(exc: BaseException) -> tuple[str, str, bool]:
    chain = list(_chain(exc))
    found = _first_of(chain, IbmAdapterError)
    if found is not None:
        return found.code, found.message, found.transient
    if isinstance(exc, EngineError):
        return getattr(exc, "code", "invalid_job"), exc.message, False
    if _first_of(chain, QiskitBackendNotFoundError) is not None:
        return "unknown_backend", ibm_message(exc), False
    job_outcome = _job_outcome(exc)
    if job_outcome is not None:
        return job_outcome
    status = _http_status(chain)
    if isinstance(exc, IBMNotAuthorizedError) or status in (401, 403):
        shown = status or 401
        return (
            "ibm_auth_failed",
            f"IBM Quantum rejected the API token (HTTP {shown}). {UPDATE_TOKEN_HINT}",
            False,
        )
    network = any(isinstance(e, _NETWORK_ERRORS) for e in chain) or _no_response(chain)
    if _first_of(chain, AccountsError) is not None and not network and not _retryable(status):
        # Raised when the token cannot even list instances: IAM answers 400 "API key could
        # not be found" for a wrong key, so a 4xx here is about the token, not the request.
        return "ibm_auth_failed", f"{ibm_message(exc)} {UPDATE_TOKEN_HINT}", False
    if status is not None:
        return _from_status(status, exc)
    if network:
        return (
            "ibm_network_error",
            f"could not reach IBM Quantum ({type(chain[-1]).__name__}); qdeck will retry",
            True,
        )
    return _from_type(exc)


def _retryable(status: int | None) -> bool:
    return status is not None and (status >= 500 or status in (408, 429))


def _job_outcome(exc: BaseException) -> tuple[str, str, bool] | None:
    """Errors about a job IBM already accepted (its outcome, not the HTTP call)."""
    if isinstance(exc, RuntimeJobMaxTimeoutError):
        text = f"the job ran longer than IBM's maximum execution time: {ibm_message(exc)}"
        return "ibm_job_timeout", text, False
    if isinstance(exc, RuntimeJobFailureError):
        return "ibm_job_failed", f"IBM Quantum reports the job failed: {ibm_message(exc)}", False
    if isinstance(exc, RuntimeInvalidStateError) and "cancel" in str(exc).lower():
        return "ibm_job_cancelled", "the job was cancelled on IBM Quantum", False
    if isinstance(exc, RuntimeJobNotFound):
        return "ibm_job_not_found", f"IBM Quantum does not know this job: {exc}", False
    if isinstance(exc, RuntimeJobTimeoutError):
        return "ibm_timeout", f"timed out waiting for IBM Quantum: {exc}", True
    return None


def _from_status(status: int, exc: BaseException) -> tuple[str, str, bool]:
    said = ibm_message(exc)
    if status >= 500:
        text = f"IBM Quantum is temporarily unavailable (HTTP {status}); qdeck will retry. {said}"
        return "ibm_unavailable", text, True
    if status == 429:
        return "ibm_rate_limited", f"IBM Quantum is rate-limiting requests (HTTP 429). {said}", True
    if status == 408:
        return "ibm_timeout", f"IBM Quantum timed out the request (HTTP 408). {said}", True
    if status == 404:
        return "ibm_not_found", f"IBM Quantum could not find it (HTTP 404): {said}", False
    return (
        "ibm_request_rejected",
        f"IBM Quantum rejected the request (HTTP {status}): {said}",
        False,
    )


def _from_type(exc: BaseException) -> tuple[str, str, bool]:
    if isinstance(exc, ValueError):  # IBMInputValueError, ISA checks, bad options
        return "ibm_invalid_input", f"IBM Quantum refused the input: {ibm_message(exc)}", False
    if isinstance(exc, IBMBackendError | IBMApiError):
        # "Unexpected answer while querying the server": usually a passing server problem.
        return "ibm_api_error", f"IBM Quantum answered unexpectedly: {ibm_message(exc)}", True
    if isinstance(exc, IBMError):
        return "ibm_error", ibm_message(exc), False
    return "ibm_adapter_error", f"{type(exc).__name__}: {exc}", False


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        # ``raise X from None`` hides __context__ from tracebacks but keeps it: use it.
        current = current.__cause__ or current.__context__


def _first_of(chain: list[BaseException], kind: type) -> Any:
    return next((e for e in chain if isinstance(e, kind)), None)


def _http_status(chain: list[BaseException]) -> int | None:
    for error in chain:
        status = getattr(error, "status_code", None)  # RequestsApiError, IBM Cloud ApiException
        if isinstance(status, int) and status >= 100:
            return status
        response = getattr(error, "response", None)
        status = getattr(response, "status_code", None)
        if isinstance(status, int) and status >= 100:
            return status
    return None


def _no_response(chain: list[BaseException]) -> bool:
    """A RequestsApiError with status -1 means the request got no HTTP answer at all."""
    return any(getattr(e, "status_code", None) == -1 for e in chain)
