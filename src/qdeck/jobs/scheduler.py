"""The scheduler: moves jobs from the database to a runner and records what comes back.

The database is the source of truth. A job is claimed with a conditional update (so two
servers never take the same job), marked running with a lease, and only then handed to
a runner: the one its execution target names (``jobs.targets``; the scheduler asks the
registry and knows no target by name).
Everything a runner reports carries the attempt number it was given; a report for an
attempt that is no longer current is ignored, so a job never gets two results. Leases are
renewed while this server lives; a job whose lease has expired (its server died) is
requeued by whichever server notices first, or, if its target can re-attach (its work runs
remotely, at IBM), re-attached to its remote job and never resubmitted.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.db.types import utcnow
from qdeck.engine.runner import Runner, RunnerMessage, RunRequest
from qdeck.events.bus import Event, EventBus
from qdeck.jobs import event_types
from qdeck.jobs.lifecycle import transition
from qdeck.jobs.models import Job
from qdeck.jobs.outcomes import OutcomeRecorder
from qdeck.jobs.repository import JobRepository
from qdeck.jobs.status import EventOrigin, JobStatus
from qdeck.jobs.targets import ExecutionTarget, TargetRegistry
from qdeck.jobs.validation import engine_limits
from qdeck.quantum_sessions.repository import QuantumSessionRepository
from qdeck.services import Services

log = structlog.get_logger("qdeck.scheduler")

IDLE_POLL_SECONDS = 0.5
MAINTENANCE_SECONDS = 1.0
# A finished or requeued job frees a worker or needs dispatching.
_FREES_CAPACITY = {JobStatus.QUEUED, JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED}


@dataclass
class _Handover:
    target: ExecutionTarget
    request: RunRequest
    grant: Any = None  # what the target's admit() handed out (IBM: the credentials)
    remote_job_id: str | None = None


class Scheduler:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        bus: EventBus,
        targets: TargetRegistry,
    ) -> None:
        self.database = database
        self.settings = settings
        self.bus = bus
        self.targets = targets
        self.runners: list[Runner] = targets.runners
        self.worker_id = f"scheduler-{uuid.uuid4().hex[:12]}"
        self.outcomes = OutcomeRecorder(database, settings, self.worker_id)
        self._wake_dispatch = asyncio.Event()
        self._wake_maintenance = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._subscription = None

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.job_lease_seconds)

    async def start(self) -> None:
        self._subscription = self.bus.subscribe(_interesting, max_queue=10_000)
        self._tasks = [
            asyncio.create_task(self._loop(self._dispatch, self._wake_dispatch, IDLE_POLL_SECONDS)),
            asyncio.create_task(
                self._loop(self._maintain, self._wake_maintenance, MAINTENANCE_SECONDS)
            ),
            asyncio.create_task(self._listen()),
            *(asyncio.create_task(self._messages(r)) for r in self.runners),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            _, stuck = await asyncio.wait(self._tasks, timeout=10)
            for task in stuck:
                log.error("scheduler_task_did_not_stop", task=task.get_coro().__qualname__)
        self._tasks = []
        if self._subscription is not None:
            self._subscription.close()

    def wake(self) -> None:
        self._wake_dispatch.set()
        self._wake_maintenance.set()

    async def _listen(self) -> None:
        """Local submissions and cancel requests wake the loops at once."""
        assert self._subscription is not None
        while True:
            event = await self._subscription.get()
            status = event.data.get("status")
            if event.type == event_types.JOB_SUBMITTED or status in _FREES_CAPACITY:
                self._wake_dispatch.set()
            elif status == JobStatus.CANCELLING:
                self._wake_maintenance.set()

    async def _loop(self, step, wake: asyncio.Event, every: float) -> None:
        while True:
            try:
                await step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler_step_failed", step=step.__name__)
                await asyncio.sleep(every)
            # asyncio.timeout rather than wait_for: on Python 3.11, wait_for can swallow a
            # cancellation that arrives as the event is set, and stop() would wait forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(every):
                    await wake.wait()
            wake.clear()

    async def _dispatch(self) -> None:
        """Claim as many queued jobs as runners have room for, respecting the limits."""
        free = {id(r): r.free_slots() for r in self.runners}
        if sum(free.values()) <= 0:
            return
        handovers: list[_Handover] = []
        now = utcnow()
        async with self.database.session() as session:
            jobs = JobRepository(session)
            per_backend, per_user, busy_sessions = await jobs.running_counts()
            limit = sum(free.values()) * 4 + 16
            for job in await jobs.queued_candidates(now, limit=limit):
                target = self.targets.target_for(job.backend)
                if target is None or free[id(target.runner)] <= 0:
                    continue
                if per_backend.get(job.backend, 0) >= self.settings.backend_concurrency:
                    continue
                if (
                    job.submitted_by
                    and per_user.get(job.submitted_by, 0) >= self.settings.user_concurrency
                ):
                    continue
                if job.quantum_session_id is not None and job.quantum_session_id in busy_sessions:
                    continue  # a session runs its jobs one after another
                handover = await self._claim(session, jobs, job, target, now)
                if handover is None:
                    continue
                handovers.append(handover)
                free[id(target.runner)] -= 1
                per_backend[job.backend] = per_backend.get(job.backend, 0) + 1
                if job.submitted_by:
                    per_user[job.submitted_by] = per_user.get(job.submitted_by, 0) + 1
                if job.quantum_session_id:
                    busy_sessions.add(job.quantum_session_id)
        # Only after the commit: if we die here, the lease expires and the job is recovered.
        await self._hand_over(handovers)

    async def _claim(
        self,
        session: AsyncSession,
        jobs: JobRepository,
        job: Job,
        target: ExecutionTarget,
        now: datetime,
    ) -> _Handover | None:
        admission = await target.admit(session, job)
        if admission.refused:
            await self.outcomes.fail_now(
                session, job, admission.refusal_code or "refused", admission.refusal_message or ""
            )
            return None
        if not await jobs.claim(job.id, self.worker_id, now + self.lease):
            return None
        await session.refresh(job, ["worker_id", "attempts", "lease_expires_at"])
        await transition(
            session,
            job,
            JobStatus.RUNNING,
            origin=EventOrigin.SCHEDULER,
            reason=f"attempt {job.attempts} started on the {target.runner.name} runner",
        )
        if job.quantum_session_id:
            await QuantumSessionRepository(session).touch(job.quantum_session_id)
        return _Handover(target, self._request(job), admission.grant)

    def _request(self, job: Job) -> RunRequest:
        return RunRequest(
            job_id=str(job.id),
            attempt=job.attempts,
            spec=job.spec,
            limits=engine_limits(self.settings),
            affinity=str(job.quantum_session_id) if job.quantum_session_id else None,
        )

    async def _hand_over(self, handovers: list[_Handover]) -> None:
        for handover in handovers:
            request = handover.request
            try:
                await handover.target.start(
                    request, handover.grant, remote_job_id=handover.remote_job_id
                )
            except Exception as exc:  # e.g. the worker died between claim and hand-over
                error = {"code": "dispatch_failed", "message": str(exc), "transient": True}
                await self.outcomes.record(
                    [RunnerMessage("lost", request.job_id, request.attempt, error=error)]
                )

    async def _messages(self, runner: Runner) -> None:
        while True:
            first = await runner.next_message()
            # Record whatever else has arrived in the same transaction.
            batch = [first, *runner.pending_messages()]
            try:
                await self.outcomes.record(batch)
            except Exception:
                log.exception("recording_runner_messages_failed", count=len(batch))

    async def _maintain(self) -> None:
        """Renew leases, carry out cancels and timeouts, recover orphaned jobs."""
        now = utcnow()
        to_stop: list[tuple[str, str]] = []
        async with self.database.session() as session:
            jobs = JobRepository(session)
            await jobs.renew_leases(self.worker_id, now + self.lease)
            for job in await jobs.held_by(self.worker_id):
                if job.status == JobStatus.CANCELLING:
                    to_stop.append((str(job.id), "cancel"))
                elif job.started_at is not None:
                    limit = job.timeout_seconds or self.settings.job_timeout_seconds
                    if now - job.started_at > timedelta(seconds=limit):
                        to_stop.append((str(job.id), "timeout"))
        for job_id, why in to_stop:
            for runner in self.runners:
                if await runner.cancel(job_id):
                    break
            await self.outcomes.stopped(uuid.UUID(job_id), why)
        orphans = await self.outcomes.recover_orphans(now, can_attach=self.targets.can_reattach)
        await self._reattach(orphans)
        async with self.database.session() as session:
            await Services(session, self.settings).quantum_sessions.expire_due(now)

    async def _reattach(self, jobs: list[Job]) -> None:
        """Follow again the remote jobs a dead server was following; never resubmit them."""
        handovers = []
        async with self.database.session(write=False) as session:
            for job in jobs:
                target = self.targets.target_for(job.backend)
                if target is None:
                    continue
                # A refusal (the token is gone) hands over no grant: the runner reports it.
                admission = await target.admit(session, job)
                handovers.append(
                    _Handover(target, self._request(job), admission.grant, job.remote_job_id)
                )
        await self._hand_over(handovers)


def _interesting(event: Event) -> bool:
    return event.type in (event_types.JOB_SUBMITTED, event_types.JOB_STATUS_CHANGED)
