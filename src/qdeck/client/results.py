"""A finished job's result, read the way people ask for it: counts, expectation values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qdeck.client.errors import JobCancelled, JobFailed
from qdeck.jobs.schemas import JobDetail
from qdeck.jobs.status import JobStatus


@dataclass(frozen=True)
class JobResult:
    """The result of a completed job.

    The server's format is documented in :mod:`qdeck.engine.simulate`: one entry per pub
    (circuit), each with one ``data`` entry per parameter binding.
    """

    job: JobDetail
    followed_by: str = "rest"  # how wait() learnt the job had finished: websocket | polling

    @property
    def raw(self) -> dict[str, Any]:
        return self.job.result or {}

    @property
    def pubs(self) -> list[dict[str, Any]]:
        return self.raw.get("pubs", [])

    def data(self, pub: int = 0, binding: int = 0) -> dict[str, Any]:
        return self.pubs[pub]["data"][binding]

    def get_counts(self, pub: int = 0, binding: int = 0) -> dict[str, int]:
        """Counts of the joined bitstring (all classical registers, last register leftmost)."""
        return self.data(pub, binding)["counts"]

    @property
    def counts(self) -> dict[str, int]:
        """Counts of the first circuit: the common case of a one-circuit sampler job."""
        return self.get_counts()

    def evs(self, pub: int = 0, binding: int = 0) -> list[float]:
        return self.data(pub, binding)["evs"]

    def stds(self, pub: int = 0, binding: int = 0) -> list[float]:
        return self.data(pub, binding)["stds"]

    def __repr__(self) -> str:
        return f"JobResult(job={self.job.id}, backend={self.job.backend}, pubs={len(self.pubs)})"


def result_of(job: JobDetail, followed_by: str = "rest") -> JobResult:
    """The result of a finished job, or the exception that says why there is none."""
    if job.status == JobStatus.FAILED:
        raise JobFailed(job)
    if job.status == JobStatus.CANCELLED:
        raise JobCancelled(job)
    if job.status != JobStatus.COMPLETED:
        raise ValueError(f"job {job.id} is {job.status}; wait() for it first")
    return JobResult(job, followed_by)
