"""Records what runners report (phases, results, errors, lost workers) and recovers jobs
whose server died. Every write is guarded by the job's current attempt and holder.

What follows from an outcome (the activity feed, notifications, XP) is not done here:
consumers of the outbox react to the job's events (see ``activity.consumers``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.db.types import utcnow
from qdeck.engine.runner import RunnerMessage
from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.jobs.event_types import JOB_RESULT_READY
from qdeck.jobs.lifecycle import transition
from qdeck.jobs.models import Job
from qdeck.jobs.repository import JobRepository
from qdeck.jobs.status import EventOrigin, JobPhase, JobStatus

log = structlog.get_logger("qdeck.scheduler")
ACTIVE = (JobStatus.RUNNING, JobStatus.CANCELLING)


class OutcomeRecorder:
    def __init__(self, database: Database, settings: Settings, holder: str) -> None:
        self.database = database
        self.settings = settings
        self.holder = holder

    async def record(self, messages: list[RunnerMessage]) -> None:
        async with self.database.session() as session:
            jobs = JobRepository(session)
            for message in messages:
                job = await jobs.get(uuid.UUID(message.job_id), with_tags=False)
                if job is None or not self._current(job, message):
                    log.info("stale_report_ignored", job_id=message.job_id, kind=message.kind)
                    continue
                await self._apply(session, job, message)

    def _current(self, job: Job, message: RunnerMessage) -> bool:
        return (
            job.status in ACTIVE
            and job.worker_id == self.holder
            and job.attempts == message.attempt
        )

    async def _apply(self, session: AsyncSession, job: Job, message: RunnerMessage) -> None:
        if message.kind == "phase":
            await self._progress(session, job, message)
        elif message.kind == "result":
            await self._complete(session, job, message.result or {})
        elif message.kind == "error" and not (message.error or {}).get("transient"):
            await self._fail(session, job, message.error or {})
        else:
            await self._retry_or_fail(session, job, message.error or {}, origin=EventOrigin.ENGINE)

    async def _progress(self, session: AsyncSession, job: Job, message: RunnerMessage) -> None:
        """A phase change; for IBM jobs also the remote job id and IBM's own status."""
        remote = message.result or {}
        details = {}
        if remote.get("remote_job_id") and remote["remote_job_id"] != job.remote_job_id:
            job.remote_job_id = str(remote["remote_job_id"])
            details["remote_job_id"] = job.remote_job_id
        if remote.get("remote_status"):
            details["remote_status"] = str(remote["remote_status"])
        phase = JobPhase(message.phase) if message.phase else job.phase
        if job.status != JobStatus.RUNNING or (phase == job.phase and not details):
            return  # cancelling, or nothing new to tell
        reason = (phase.value if phase else JobStatus.RUNNING.value).replace("_", " ")
        if "remote_status" in details:
            reason = f"{reason} (IBM Quantum: {details['remote_status'].lower()})"
        await transition(
            session,
            job,
            JobStatus.RUNNING,
            phase=phase,
            origin=EventOrigin.REMOTE if details else EventOrigin.ENGINE,
            reason=reason,
            details=details,
        )

    async def fail_now(self, session: AsyncSession, job: Job, code: str, message: str) -> None:
        """Fail a job that cannot start (its status may still be queued)."""
        await self._fail(
            session, job, {"code": code, "message": message}, origin=EventOrigin.SCHEDULER
        )

    async def _complete(self, session: AsyncSession, job: Job, result: dict[str, Any]) -> None:
        late = job.status == JobStatus.CANCELLING
        job.result = result
        reason = "finished before the cancel took effect" if late else "finished"
        await transition(
            session, job, JobStatus.COMPLETED, origin=EventOrigin.ENGINE, reason=reason
        )
        emit(
            session,
            Event(
                type=JOB_RESULT_READY,
                workspace_id=job.workspace_id,
                job_id=job.id,
                data={"job_id": str(job.id), "name": job.name},
            ),
        )

    async def _fail(
        self, session: AsyncSession, job: Job, error: dict[str, Any], *, origin=EventOrigin.ENGINE
    ) -> None:
        job.error_code = str(error.get("code") or "failed")
        job.error_message = str(error.get("message") or "the job failed")
        job.failed_phase = error.get("phase") or (job.phase.value if job.phase else None)
        await transition(
            session,
            job,
            JobStatus.FAILED,
            origin=origin,
            reason=job.error_message,
            details={k: v for k, v in error.items() if k in ("code", "phase", "type", "field")},
        )

    async def _retry_or_fail(
        self, session: AsyncSession, job: Job, error: dict[str, Any], *, origin: EventOrigin
    ) -> None:
        """A transient failure: try again after a backoff, up to the attempt limit."""
        message = str(error.get("message") or "transient failure")
        if job.status == JobStatus.CANCELLING:
            await self._cancelled(session, job, f"cancelled ({message})", origin=origin)
            return
        if job.attempts >= self.settings.job_max_attempts:
            failure = {**error, "message": f"{message}; gave up after {job.attempts} attempts"}
            await self._fail(session, job, failure, origin=origin)
            return
        backoff = self.settings.retry_backoff_seconds * 2 ** max(0, job.attempts - 1)
        job.available_at = utcnow() + timedelta(seconds=backoff)
        job.worker_id = None
        job.lease_expires_at = None
        job.started_at = None
        await transition(
            session,
            job,
            JobStatus.QUEUED,
            origin=origin,
            reason=f"{message}; retrying in {backoff:.0f} s (attempt {job.attempts + 1})",
            details={"code": error.get("code"), "transient": True},
        )

    async def _cancelled(
        self, session: AsyncSession, job: Job, reason: str, *, origin=EventOrigin.ENGINE
    ) -> None:
        await transition(session, job, JobStatus.CANCELLED, origin=origin, reason=reason)

    async def stopped(self, job_id: uuid.UUID, why: str) -> None:
        """The runner stopped the job's computation for a cancel or a timeout."""
        async with self.database.session() as session:
            job = await JobRepository(session).get(job_id, with_tags=False)
            if job is None or job.status not in ACTIVE or job.worker_id != self.holder:
                return
            if why == "timeout":
                limit = job.timeout_seconds or self.settings.job_timeout_seconds
                await self._fail(
                    session,
                    job,
                    {
                        "code": "timeout",
                        "message": f"the job ran longer than its {limit} s time limit",
                        "phase": job.phase.value if job.phase else None,
                    },
                )
            else:
                await self._cancelled(session, job, "computation stopped")

    async def recover_orphans(
        self, now: datetime, *, can_attach: Callable[[Job], bool]
    ) -> list[Job]:
        """Requeue jobs whose server died; return the IBM jobs to re-attach to instead."""
        reattach = []
        async with self.database.session() as session:
            for job in await JobRepository(session).orphaned(now, self.holder):
                log.warning("recovering_job", job_id=str(job.id), status=job.status.value)
                if can_attach(job):
                    await self._take_over(session, job, now)
                    reattach.append(job)
                    continue
                error = {
                    "code": "server_lost",
                    "message": "the server running this job stopped",
                    "transient": True,
                }
                await self._retry_or_fail(session, job, error, origin=EventOrigin.SYSTEM)
        return reattach

    async def _take_over(self, session: AsyncSession, job: Job, now: datetime) -> None:
        """Hold a remote job someone else was following; same attempt, same remote job."""
        job.worker_id = self.holder
        job.lease_expires_at = now + timedelta(seconds=self.settings.job_lease_seconds)
        if job.status == JobStatus.RUNNING:
            await transition(
                session,
                job,
                JobStatus.RUNNING,
                phase=job.phase,
                origin=EventOrigin.SYSTEM,
                reason=f"re-attached to IBM Quantum job {job.remote_job_id} after the server "
                "following it stopped",
                details={"remote_job_id": job.remote_job_id},
            )
