"""qdeck's Python SDK: the REST API as typed calls, sync or asyncio.

Example::

    from qdeck.client import QDeckClient

    qd = QDeckClient("http://127.0.0.1:8000", "qdk_...")  # or QDECK_URL / `qdeck login`
    job = qd.jobs.submit(open("bell.qasm").read(), backend="fake_sherbrooke", shots=2000)
    print(job.wait().counts)

The models are the server's schemas (``qdeck.jobs.schemas.JobRead`` and friends).
"""

from qdeck.client.aio import AsyncJob, AsyncQDeckClient
from qdeck.client.errors import (
    APIError,
    AuthenticationError,
    ConflictError,
    InvalidRequestError,
    JobCancelled,
    JobError,
    JobFailed,
    NotFoundError,
    PermissionDeniedError,
    QDeckClientError,
    RateLimitedError,
    ServerError,
    ServerUnreachable,
    SubmissionUncertain,
    WaitTimeout,
)
from qdeck.client.follow import Progress
from qdeck.client.login import token_from_password
from qdeck.client.results import JobResult
from qdeck.client.sync import Job, QDeckClient

__all__ = [
    "APIError",
    "AsyncJob",
    "AsyncQDeckClient",
    "AuthenticationError",
    "ConflictError",
    "InvalidRequestError",
    "Job",
    "JobCancelled",
    "JobError",
    "JobFailed",
    "JobResult",
    "NotFoundError",
    "PermissionDeniedError",
    "Progress",
    "QDeckClient",
    "QDeckClientError",
    "RateLimitedError",
    "ServerError",
    "ServerUnreachable",
    "SubmissionUncertain",
    "WaitTimeout",
    "token_from_password",
]
