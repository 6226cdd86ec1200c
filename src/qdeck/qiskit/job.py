"""The job a qdeck primitive's ``run()`` returns, and what Sampler and Estimator share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from qiskit.primitives import BasePrimitiveJob, PrimitiveResult
from qiskit.providers import JobStatus as QiskitStatus

from qdeck.client import Job, JobResult, QDeckClient
from qdeck.jobs.schemas import CircuitIn
from qdeck.jobs.status import JobStatus

_STATUS = {
    JobStatus.QUEUED: QiskitStatus.QUEUED,
    JobStatus.RUNNING: QiskitStatus.RUNNING,
    JobStatus.CANCELLING: QiskitStatus.RUNNING,
    JobStatus.COMPLETED: QiskitStatus.DONE,
    JobStatus.FAILED: QiskitStatus.ERROR,
    JobStatus.CANCELLED: QiskitStatus.CANCELLED,
}
# When a run became several qdeck jobs, the run's status is the most telling of theirs.
_PRECEDENCE = [
    QiskitStatus.ERROR,
    QiskitStatus.CANCELLED,
    QiskitStatus.RUNNING,
    QiskitStatus.QUEUED,
    QiskitStatus.DONE,
]


@dataclass
class Batch:
    """One qdeck job holding some of the run's pubs (pubs that share shots/precision)."""

    job: Job
    pub_indices: list[int]


# Turns (position of the pub in the run, its entry in the qdeck result, the qdeck result)
# into the pub's Qiskit result.
Converter = Callable[[int, dict[str, Any], JobResult], Any]


class QDeckPrimitiveJob(BasePrimitiveJob[PrimitiveResult, QiskitStatus]):
    """Follows the run's qdeck jobs; ``result()`` blocks until all finish.

    ``job_id()`` is the qdeck job id (the first one when pubs with different shots or
    precision had to be sent as several jobs; all are in ``job_ids``), so the run is the
    one shown in the dashboard.
    """

    def __init__(self, batches: Sequence[Batch], num_pubs: int, convert: Converter) -> None:
        super().__init__(batches[0].job.id)
        self.batches = list(batches)
        self._num_pubs = num_pubs
        self._convert = convert
        self._result: PrimitiveResult | None = None

    @property
    def job_ids(self) -> list[str]:
        return [batch.job.id for batch in self.batches]

    @property
    def qdeck_jobs(self) -> list[Job]:
        return [batch.job for batch in self.batches]

    def result(self, timeout: float | None = None) -> PrimitiveResult:
        """The run's ``PrimitiveResult``; raises ``JobFailed``/``JobCancelled`` like a
        provider's job would raise its own failure."""
        if self._result is None:
            results: list[Any] = [None] * self._num_pubs
            for batch in self.batches:
                outcome = batch.job.wait(timeout=timeout)
                for position, index in enumerate(batch.pub_indices):
                    results[index] = self._convert(index, outcome.pubs[position], outcome)
            self._result = PrimitiveResult(results, metadata={"version": 2})
        return self._result

    def status(self) -> QiskitStatus:
        statuses = {_STATUS[str(batch.job.refresh().status)] for batch in self.batches}
        return next(s for s in _PRECEDENCE if s in statuses)

    def done(self) -> bool:
        return self.status() == QiskitStatus.DONE

    def running(self) -> bool:
        return self.status() == QiskitStatus.RUNNING

    def cancelled(self) -> bool:
        return self.status() == QiskitStatus.CANCELLED

    def in_final_state(self) -> bool:
        return self.status() in (QiskitStatus.DONE, QiskitStatus.ERROR, QiskitStatus.CANCELLED)

    def cancel(self) -> None:
        for batch in self.batches:
            if str(batch.job.refresh().status) in (JobStatus.QUEUED, JobStatus.RUNNING):
                batch.job.cancel()


class QDeckPrimitive:
    """What both primitives hold: the client, the backend, and the job fields to send."""

    primitive = "sampler"

    def __init__(
        self,
        backend: Any = "aer_simulator",
        *,
        client: QDeckClient | None = None,
        seed: int | None = None,
        **job_options: Any,
    ) -> None:
        # A Qiskit backend object (FakeSherbrooke()) names the qdeck backend of the same name.
        self.backend = backend if isinstance(backend, str) else backend.name
        self.client = client or QDeckClient()
        self.seed = seed
        self.job_options = job_options

    def _submit(self, groups: dict[Any, list[int]], circuits: list[CircuitIn], field: str):
        """One qdeck job per group of pubs sharing shots (sampler) or precision (estimator)."""
        batches = []
        for value, indices in groups.items():
            job = self.client.jobs.submit(
                [circuits[i] for i in indices],
                backend=self.backend,
                primitive=self.primitive,
                seed=self.seed,
                **{field: value},
                **self.job_options,
            )
            batches.append(Batch(job, indices))
        return batches

    def __repr__(self) -> str:
        return f"{type(self).__name__}(backend={self.backend!r}, url={self.client.url!r})"
