"""Error mapping: real exception classes from qiskit-ibm-runtime, requests and IBM Cloud."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from ibm_cloud_sdk_core import ApiException
from qiskit.providers.exceptions import QiskitBackendNotFoundError
from qiskit_ibm_runtime.accounts.exceptions import InvalidAccountError
from qiskit_ibm_runtime.api.exceptions import RequestsApiError
from qiskit_ibm_runtime.exceptions import (
    IBMBackendApiError,
    IBMBackendApiProtocolError,
    IBMError,
    IBMInputValueError,
    IBMNotAuthorizedError,
    IBMRuntimeError,
    RuntimeInvalidStateError,
    RuntimeJobFailureError,
    RuntimeJobMaxTimeoutError,
    RuntimeJobNotFound,
    RuntimeJobTimeoutError,
)

from qdeck.engine.errors import JobSpecError
from qdeck.engine.ibm import RemoteJobCancelled, describe_ibm_error
from qdeck.engine.ibm.errors import redact


def raised(make: Callable[[], None]) -> BaseException:
    """Run code that raises, so ``__cause__``/``__context__`` are set as in real life."""
    try:
        make()
    except BaseException as exc:
        return exc
    raise AssertionError("nothing was raised")


def http_error(status: int) -> requests.HTTPError:
    response = requests.Response()
    response.status_code = status
    return requests.HTTPError(f"{status} Error", response=response)


def reraised(inner: BaseException, outer: BaseException, *, hide: bool = False) -> BaseException:
    """``outer`` raised while handling ``inner`` (``from None`` when ``hide``)."""

    def make() -> None:
        try:
            raise inner
        except BaseException:
            if hide:
                raise outer from None
            raise outer  # noqa: B904 - mirrors qiskit-ibm-runtime's own 503 handling

    return raised(make)


def maintenance_503() -> BaseException:
    # qiskit_ibm_runtime.api.session raises this for 503 with the default status -1.
    return reraised(
        http_error(503),
        RequestsApiError("Unexpected response received from server. ... maintenance mode"),
    )


def run_failed(status: int) -> BaseException:
    # QiskitRuntimeService._run: ``raise IBMRuntimeError(f"Failed to run program: {ex}")
    # from None`` inside ``except RequestsApiError``.
    inner = RequestsApiError(f"{status} Error for url: https://q.example/jobs. nope", status)
    return reraised(inner, IBMRuntimeError(f"Failed to run program: {inner}"), hide=True)


def no_response() -> BaseException:
    return reraised(
        requests.ConnectionError("Max retries exceeded"),
        RequestsApiError("HTTPSConnectionPool: Max retries exceeded"),
    )


def account_error(cause: BaseException) -> BaseException:
    message = "Unable to retrieve instances. Please check that you are using a valid API token."
    return raised(lambda: _raise_from(InvalidAccountError(message), cause))


def _raise_from(exc: BaseException, cause: BaseException) -> None:
    raise exc from cause


CASES = [
    ("401", lambda: IBMNotAuthorizedError("401 Client Error"), "ibm_auth_failed", False),
    ("403", lambda: RequestsApiError("403 Client Error: Forbidden", 403), "ibm_auth_failed", False),
    ("500", lambda: RequestsApiError("500 Server Error", 500), "ibm_unavailable", True),
    ("502", lambda: RequestsApiError("502 Server Error", 502), "ibm_unavailable", True),
    ("503 maintenance", maintenance_503, "ibm_unavailable", True),
    ("429", lambda: RequestsApiError("429 Too Many Requests", 429), "ibm_rate_limited", True),
    ("408", lambda: RequestsApiError("408 Request Timeout", 408), "ibm_timeout", True),
    ("400", lambda: RequestsApiError("400 Client Error", 400), "ibm_request_rejected", False),
    ("404", lambda: RequestsApiError("404 Not Found", 404), "ibm_not_found", False),
    ("run 500 from None", lambda: run_failed(500), "ibm_unavailable", True),
    ("run 400 from None", lambda: run_failed(400), "ibm_request_rejected", False),
    ("no response", no_response, "ibm_network_error", True),
    ("connection", lambda: requests.ConnectionError("refused"), "ibm_network_error", True),
    ("read timeout", lambda: requests.ReadTimeout("read timed out"), "ibm_network_error", True),
    ("os timeout", lambda: TimeoutError("timed out"), "ibm_network_error", True),
    ("runtime error", lambda: IBMRuntimeError("Failed to get job backend"), "ibm_error", False),
    ("job failed", lambda: RuntimeJobFailureError("Error code 8041"), "ibm_job_failed", False),
    ("max time", lambda: RuntimeJobMaxTimeoutError("ran too long"), "ibm_job_timeout", False),
    (
        "cancelled remotely",
        lambda: RuntimeInvalidStateError("Unable to retrieve result for job x. Job was cancelled."),
        "ibm_job_cancelled",
        False,
    ),
    ("cancelled (ours)", lambda: RemoteJobCancelled("cancelled"), "ibm_job_cancelled", False),
    ("job not found", lambda: RuntimeJobNotFound("Job not found: x"), "ibm_job_not_found", False),
    ("wait timeout", lambda: RuntimeJobTimeoutError("waited 60 s"), "ibm_timeout", True),
    ("no backend", lambda: QiskitBackendNotFoundError("No backend"), "unknown_backend", False),
    ("backend api", lambda: IBMBackendApiError("unexpected"), "ibm_api_error", True),
    ("protocol", lambda: IBMBackendApiProtocolError("bad status"), "ibm_api_error", True),
    ("input", lambda: IBMInputValueError("not ISA"), "ibm_invalid_input", False),
    ("generic", lambda: IBMError("something"), "ibm_error", False),
    (
        "iam 400",
        lambda: account_error(ApiException(400, message="API key not found")),
        "ibm_auth_failed",
        False,
    ),
    (
        "iam down",
        lambda: account_error(ApiException(503, message="unavailable")),
        "ibm_unavailable",
        True,
    ),
    (
        "iam unreachable",
        lambda: account_error(requests.ConnectionError("dns")),
        "ibm_network_error",
        True,
    ),
    ("unexpected", lambda: KeyError("pubs"), "ibm_adapter_error", False),
]


@pytest.mark.parametrize(
    ("make", "code", "transient"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_exceptions_map_to_codes(make, code, transient):
    error = describe_ibm_error(make(), phase="executing")
    assert error["code"] == code
    assert error["transient"] is transient
    assert error["phase"] == "executing"
    assert isinstance(error["message"], str) and error["message"]


def test_auth_failure_tells_the_user_to_update_the_token():
    message = describe_ibm_error(IBMNotAuthorizedError("401"))["message"]
    assert "Update your IBM Quantum API token in qdeck" in message


def test_rejected_request_keeps_ibm_message_without_the_url():
    exc = RequestsApiError(
        "400 Client Error: Bad Request for url: https://quantum.cloud.ibm.com/api/v1/jobs. "
        "The instruction h on qubits (0,) is not supported by the target, Error code: 1517.",
        400,
    )
    message = describe_ibm_error(exc)["message"]
    assert "h on qubits (0,) is not supported" in message and "1517" in message
    assert "quantum.cloud.ibm.com" not in message


def test_spec_errors_keep_the_engine_fields():
    error = describe_ibm_error(JobSpecError("shots must be positive", field="shots"))
    assert error["code"] == "invalid_job" and error["field"] == "shots"
    assert error["transient"] is False and "phase" not in error


def test_secrets_and_credential_looking_values_are_scrubbed():
    token = "abcdefghijklmnopqrstuvwxyz0123456789"
    exc = IBMError(
        f"failed for {token} at https://x/api?access_token=s3cr3tvalue&b=1 "
        "with header Bearer eyJhbGciOiJIUzI1NiJ9.payload"
    )
    message = describe_ibm_error(exc, secrets=[token])["message"]
    assert token not in message and "s3cr3tvalue" not in message and "eyJhbG" not in message
    assert message.count("[redacted]") == 3
    assert redact("nothing to hide", [None, ""]) == "nothing to hide"
