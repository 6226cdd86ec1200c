"""The job state machine: one table of allowed transitions, one function that applies them.

Every change of status or running phase goes through ``transition``, which refuses what
the table does not allow (409), writes a ``JobEvent`` (time, origin, actor, reason) and
emits it to the outbox in the same unit of work.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.db.types import utcnow
from qdeck.errors import Conflict
from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.jobs import event_types
from qdeck.jobs.models import Job, JobEvent
from qdeck.jobs.status import EventOrigin, JobPhase, JobStatus

S = JobStatus
ALLOWED: dict[JobStatus, frozenset[JobStatus]] = {
    S.QUEUED: frozenset({S.RUNNING, S.CANCELLED, S.FAILED}),
    # RUNNING -> RUNNING is a phase change; RUNNING -> QUEUED a retry after a transient failure.
    S.RUNNING: frozenset({S.RUNNING, S.COMPLETED, S.FAILED, S.CANCELLING, S.QUEUED}),
    # The computation may finish, or fail, before the cancel takes effect.
    S.CANCELLING: frozenset({S.CANCELLED, S.COMPLETED, S.FAILED}),
    S.COMPLETED: frozenset(),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
}


class InvalidTransition(Conflict):
    code = "invalid_transition"


def can_transition(current: JobStatus, target: JobStatus) -> bool:
    return target in ALLOWED[current]


async def transition(
    session: AsyncSession,
    job: Job,
    to: JobStatus,
    *,
    origin: EventOrigin,
    reason: str = "",
    phase: JobPhase | None = None,
    actor_id: uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> JobEvent:
    """Move ``job`` to ``to`` (and ``phase``) or raise InvalidTransition."""
    current = job.status
    if not can_transition(current, to):
        verb = {S.CANCELLED: "cancelled", S.CANCELLING: "cancelled"}.get(to, f"moved to {to}")
        raise InvalidTransition(f"A {current} job cannot be {verb}.")
    now = utcnow()
    job.status = to
    job.phase = phase if to == S.RUNNING else None
    if to == S.RUNNING and job.started_at is None:
        job.started_at = now
    if to == S.CANCELLING:
        job.cancel_requested_at = now
    if to.is_final:
        job.finished_at = now
        job.worker_id = None
        job.lease_expires_at = None
    # The job row is locked by this transaction's update, so no other event of this job
    # can slip in between: the latest stored event is this one's predecessor.
    prev_id = await session.scalar(select(func.max(JobEvent.id)).where(JobEvent.job_id == job.id))
    event = JobEvent(
        job_id=job.id,
        workspace_id=job.workspace_id,
        prev_id=prev_id,
        at=now,
        from_status=current,
        to_status=to,
        phase=job.phase,
        origin=origin,
        actor_id=actor_id,
        reason=reason,
        details=details or {},
    )
    session.add(event)
    await session.flush()
    emit(session, job_event(job, event))
    return event


async def record_submission(
    session: AsyncSession,
    job: Job,
    *,
    actor_id: uuid.UUID | None,
    reason: str,
) -> JobEvent:
    """The first event of a job: it entered the queue."""
    event = JobEvent(
        job_id=job.id,
        workspace_id=job.workspace_id,
        at=job.created_at,
        from_status=None,
        to_status=S.QUEUED,
        origin=EventOrigin.USER,
        actor_id=actor_id,
        reason=reason,
    )
    session.add(event)
    await session.flush()
    emit(session, job_event(job, event))
    return event


def job_event(job: Job, row: JobEvent) -> Event:
    """The live message for a stored job event: the same whether it is sent as it happens
    or replayed to a client that reconnects."""
    if row.from_status is None:
        kind = event_types.JOB_SUBMITTED
    elif row.from_status != row.to_status:
        kind = event_types.JOB_STATUS_CHANGED
    else:
        kind = event_types.JOB_PROGRESS
    return Event(
        type=kind,
        workspace_id=row.workspace_id,
        job_id=row.job_id,
        actor_id=row.actor_id,
        seq=row.id,
        at=row.at,
        data={
            "job_id": str(row.job_id),
            "prev_seq": row.prev_id,
            "name": job.name,
            "backend": job.backend,
            "project_id": str(job.project_id) if job.project_id else None,
            "from": row.from_status.value if row.from_status else None,
            "status": row.to_status.value,
            "phase": row.phase.value if row.phase else None,
            "origin": row.origin.value,
            "reason": row.reason,
        },
    )
