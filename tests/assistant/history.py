"""Jobs written straight into the database with chosen times and outcomes: a team's past."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from qdeck.jobs.models import Job
from qdeck.jobs.status import JobStatus, Primitive


def job_row(
    workspace_id: str,
    created_at: datetime,
    *,
    status: JobStatus = JobStatus.COMPLETED,
    backend: str = "fake_manila",
    wait_seconds: float | None = 2.0,
    shots: int = 1000,
    num_circuits: int = 1,
    error_code: str | None = None,
    error_message: str | None = None,
    spec: dict[str, Any] | None = None,
    num_qubits: int = 2,
) -> Job:
    started = None if wait_seconds is None else created_at + timedelta(seconds=wait_seconds)
    finished = status in (JobStatus.COMPLETED, JobStatus.FAILED)
    return Job(
        id=uuid.uuid4(),
        workspace_id=uuid.UUID(workspace_id),
        name="seeded",
        backend=backend,
        primitive=Primitive.SAMPLER,
        status=status,
        shots=shots,
        num_circuits=num_circuits,
        num_qubits=num_qubits,
        spec=spec or {"primitive": "sampler", "backend": backend, "circuits": []},
        error_code=error_code if status == JobStatus.FAILED else None,
        error_message=error_message if status == JobStatus.FAILED else None,
        created_at=created_at,
        started_at=started,
        finished_at=(started or created_at) + timedelta(seconds=1) if finished else None,
    )


async def store(app: Any, jobs: list[Job]) -> None:
    async with app.state.database.session() as session:
        session.add_all(jobs)
