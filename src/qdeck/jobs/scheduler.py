"""The scheduler: moves jobs from the database to a runner and records what comes back.

The database is the source of truth. A job is claimed with a conditional update (so two
servers never take the same job), marked running with a lease, and only then handed to
the runner. Everything the runner reports carries the attempt number it was given; a
report for an attempt that is no longer current is ignored, so a job never gets two
results. Leases are renewed while this server lives; a job whose lease has expired (its
server died) is requeued by whichever server notices first, or failed after too many
attempts.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import timedelta

import structlog

from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.db.types import utcnow
from qdeck.engine.runner import Runner, RunnerMessage, RunRequest
from qdeck.events.bus import EventBus, EventType
from qdeck.jobs.lifecycle import transition
from qdeck.jobs.outcomes import OutcomeRecorder
from qdeck.jobs.repository import JobRepository
from qdeck.jobs.service import engine_limits
from qdeck.jobs.status import EventOrigin, JobStatus
from qdeck.quantum_sessions.repository import QuantumSessionRepository
from qdeck.quantum_sessions.service import QuantumSessionService

log = structlog.get_logger("qdeck.scheduler")

IDLE_POLL_SECONDS = 0.5
# A finished or requeued job frees a worker or needs dispatching.
_FREES_CAPACITY = {"queued", "completed", "failed", "cancelled"}
MAINTENANCE_SECONDS = 1.0


class Scheduler:
    def __init__(
        self, database: Database, settings: Settings, bus: EventBus, runner: Runner
    ) -> None:
        self.database = database
        self.settings = settings
        self.bus = bus
        self.runner = runner
        self.worker_id = f"scheduler-{uuid.uuid4().hex[:12]}"
        self.outcomes = OutcomeRecorder(database, settings, bus, self.worker_id)
        self._wake_dispatch = asyncio.Event()
        self._wake_maintenance = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._subscription = None

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.job_lease_seconds)

    async def start(self) -> None:
        self._subscription = self.bus.subscribe(self._interesting, max_queue=10_000)
        self._tasks = [
            asyncio.create_task(self._loop(self._dispatch, self._wake_dispatch, IDLE_POLL_SECONDS)),
            asyncio.create_task(self._messages()),
            asyncio.create_task(
                self._loop(self._maintain, self._wake_maintenance, MAINTENANCE_SECONDS)
            ),
            asyncio.create_task(self._listen()),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._subscription is not None:
            self._subscription.close()

    def wake(self) -> None:
        self._wake_dispatch.set()
        self._wake_maintenance.set()

    @staticmethod
    def _interesting(event) -> bool:
        return event.type in (EventType.JOB_SUBMITTED, EventType.JOB_STATUS_CHANGED)

    async def _listen(self) -> None:
        """Local submissions and cancel requests wake the loops at once."""
        assert self._subscription is not None
        while True:
            event = await self._subscription.get()
            if event.type == EventType.JOB_SUBMITTED:
                self._wake_dispatch.set()
            elif event.data.get("status") == JobStatus.CANCELLING:
                self._wake_maintenance.set()
            elif event.data.get("status") in _FREES_CAPACITY:
                self._wake_dispatch.set()

    async def _loop(self, step, wake: asyncio.Event, every: float) -> None:
        while True:
            try:
                await step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler_step_failed", step=step.__name__)
                await asyncio.sleep(every)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=every)
            wake.clear()

    async def _dispatch(self) -> None:
        """Claim as many queued jobs as there are free workers, respecting the limits."""
        free = self.runner.free_slots()
        if free <= 0:
            return
        requests: list[RunRequest] = []
        now = utcnow()
        async with self.database.session() as session:
            jobs = JobRepository(session)
            per_backend, per_user, busy_sessions = await jobs.running_counts()
            for job in await jobs.queued_candidates(now, limit=free * 4 + 16):
                if len(requests) >= free:
                    break
                if per_backend.get(job.backend, 0) >= self.settings.backend_concurrency:
                    continue
                if (
                    job.submitted_by
                    and per_user.get(job.submitted_by, 0) >= self.settings.user_concurrency
                ):
                    continue
                if job.quantum_session_id is not None and job.quantum_session_id in busy_sessions:
                    continue  # a session runs its jobs one after another
                if not await jobs.claim(job.id, self.worker_id, now + self.lease):
                    continue
                await session.refresh(job, ["worker_id", "attempts", "lease_expires_at"])
                await transition(
                    session,
                    self.bus,
                    job,
                    JobStatus.RUNNING,
                    origin=EventOrigin.SCHEDULER,
                    reason=f"attempt {job.attempts} started on the {self.runner.name} runner",
                )
                if job.quantum_session_id:
                    await QuantumSessionRepository(session).touch(job.quantum_session_id)
                per_backend[job.backend] = per_backend.get(job.backend, 0) + 1
                if job.submitted_by:
                    per_user[job.submitted_by] = per_user.get(job.submitted_by, 0) + 1
                if job.quantum_session_id:
                    busy_sessions.add(job.quantum_session_id)
                requests.append(
                    RunRequest(
                        job_id=str(job.id),
                        attempt=job.attempts,
                        spec=job.spec,
                        limits=engine_limits(self.settings),
                        affinity=str(job.quantum_session_id) if job.quantum_session_id else None,
                    )
                )
        # Only after the commit: if we die here, the lease expires and the job is recovered.
        for request in requests:
            try:
                await self.runner.submit(request)
            except Exception as exc:  # e.g. the worker died between claim and hand-over
                error = {"code": "dispatch_failed", "message": str(exc), "transient": True}
                await self.outcomes.record(
                    [RunnerMessage("lost", request.job_id, request.attempt, error=error)]
                )

    async def _messages(self) -> None:
        while True:
            first = await self.runner.next_message()
            batch: list[RunnerMessage] = [first]
            # Record whatever else has arrived in the same transaction.
            batch += self.runner.pending_messages()
            try:
                await self.outcomes.record(batch)
            except Exception:
                log.exception("recording_runner_messages_failed", count=len(batch))

    async def _maintain(self) -> None:
        """Renew leases, carry out cancels and timeouts, recover orphaned jobs."""
        now = utcnow()
        to_cancel: list[tuple[str, str]] = []
        async with self.database.session() as session:
            jobs = JobRepository(session)
            await jobs.renew_leases(self.worker_id, now + self.lease)
            for job in await jobs.held_by(self.worker_id):
                if job.status == JobStatus.CANCELLING:
                    to_cancel.append((str(job.id), "cancel"))
                elif job.started_at is not None:
                    limit = job.timeout_seconds or self.settings.job_timeout_seconds
                    if now - job.started_at > timedelta(seconds=limit):
                        to_cancel.append((str(job.id), "timeout"))
        for job_id, why in to_cancel:
            await self.runner.cancel(job_id)
            await self.outcomes.stopped(uuid.UUID(job_id), why)
        await self.outcomes.recover_orphans(now)
        async with self.database.session() as session:
            await QuantumSessionService(session, self.settings, self.bus).expire_due(now)
