"""Jobs as edges show them: ``JobRead`` in lists, ``JobDetail`` on a job's page. The API
and the web UI render these, never the ORM rows behind them."""

from __future__ import annotations

import uuid

from qdeck.jobs.models import Job, JobEvent
from qdeck.jobs.schemas import JobDetail, JobEventRead, JobRead


def job_read(job: Job, queue_position: int | None = None) -> JobRead:
    return JobRead.model_validate(
        {
            **{name: getattr(job, name) for name in JobRead.model_fields if hasattr(job, name)},
            "session_id": job.quantum_session_id,
            "tags": [t.tag for t in job.tags],
            "queue_position": queue_position,
        }
    )


def job_detail(
    job: Job,
    queue_position: int | None,
    events: list[JobEvent],
    retried_by: list[uuid.UUID],
) -> JobDetail:
    return JobDetail.model_validate(
        {
            **job_read(job, queue_position).model_dump(),
            "notes": job.notes,
            "optimization_level": job.optimization_level,
            "seed": job.seed,
            "timeout_seconds": job.timeout_seconds,
            "failed_phase": job.failed_phase,
            "spec": job.spec,
            "result": job.result,
            "events": [JobEventRead.model_validate(e) for e in events],
            "retried_by": retried_by,
        }
    )
