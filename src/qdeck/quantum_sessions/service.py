"""Quantum sessions and batches: open on one backend, submit jobs into it, close it.

Semantics follow IBM Runtime: a session accepts jobs until it is closed or expires; it
expires ``max_time_seconds`` after it was opened, or after ``idle_timeout_seconds``
without a job to run. Closing lets queued jobs finish; cancelling also cancels them.
Locally, the scheduler runs a session's jobs one after another on the same warm worker.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.activity.service import record_activity
from qdeck.auth.models import User
from qdeck.config import Settings
from qdeck.db.keyset import PageRequest
from qdeck.db.types import utcnow
from qdeck.engine import AER_SIMULATOR, default_catalog
from qdeck.errors import Conflict, InvalidInput, NotFound
from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.jobs.models import Job
from qdeck.jobs.service import JobService
from qdeck.jobs.status import JobStatus
from qdeck.quantum_sessions.models import QuantumSession, SessionStatus
from qdeck.quantum_sessions.repository import OPEN_STATES, QuantumSessionRepository
from qdeck.quantum_sessions.schemas import SessionCreate
from qdeck.workspaces.access import Action, authorize
from qdeck.workspaces.targets import target_workspace


class SessionNotFound(NotFound):
    code = "session_not_found"

    def __init__(self) -> None:
        super().__init__("Session not found.")


SESSION_CHANGED = "session.changed"


class QuantumSessionService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.sessions = QuantumSessionRepository(session)

    async def open(self, actor: User, body: SessionCreate) -> QuantumSession:
        workspace_id = await target_workspace(
            self.session, actor.id, body.workspace_id, body.project_id, what="session"
        )
        await authorize(self.session, actor.id, workspace_id, Action.SUBMIT_JOB)
        if body.backend != AER_SIMULATOR and not default_catalog().has(body.backend):
            raise InvalidInput(
                f"There is no backend named {body.backend!r}.",
                code="unknown_backend",
                errors=[{"field": "backend", "message": "unknown backend"}],
            )
        quantum_session = QuantumSession(
            workspace_id=workspace_id,
            project_id=body.project_id,
            created_by=actor.id,
            name=body.name or f"{body.mode.value} on {body.backend}",
            backend=body.backend,
            mode=body.mode,
            status=SessionStatus.OPEN,
            max_time_seconds=body.max_time_seconds,
            idle_timeout_seconds=body.idle_timeout_seconds,
            last_activity_at=utcnow(),
        )
        await self.sessions.add(quantum_session)
        await self._activity(quantum_session, "session.opened", actor.id, "opened")
        self._announce(quantum_session)
        return quantum_session

    async def get(
        self, actor: User, session_id: uuid.UUID, action: Action = Action.VIEW
    ) -> QuantumSession:
        quantum_session = await self.sessions.get(session_id)
        if quantum_session is None:
            raise SessionNotFound()
        await authorize(
            self.session, actor.id, quantum_session.workspace_id, action, resource="session"
        )
        return quantum_session

    async def list(
        self,
        actor: User,
        page: PageRequest,
        *,
        workspace_id: uuid.UUID | None,
        status: SessionStatus | None,
    ) -> tuple[list[QuantumSession], str | None]:
        if workspace_id is not None:
            await authorize(self.session, actor.id, workspace_id, Action.VIEW)
        return await self.sessions.list_page(
            actor.id, page, workspace_id=workspace_id, status=status
        )

    async def jobs(self, quantum_session: QuantumSession) -> list[Job]:
        return await self.sessions.jobs(quantum_session.id)

    async def close(
        self, actor: User, session_id: uuid.UUID, *, cancel_jobs: bool
    ) -> QuantumSession:
        quantum_session = await self.get(actor, session_id, Action.SUBMIT_JOB)
        if quantum_session.status not in OPEN_STATES:
            raise Conflict(
                f"The session is already {quantum_session.status}.", code="session_closed"
            )
        if cancel_jobs:
            jobs = JobService(self.session, self.settings)
            for job in await self.jobs(quantum_session):
                if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
                    await jobs.cancel_authorized(actor, job, "the session was cancelled")
        reason = "cancelled by its owner" if cancel_jobs else "closed by its owner"
        await self._end(quantum_session, SessionStatus.CLOSED, reason, actor_id=actor.id)
        return quantum_session

    async def expire_due(self, now: datetime) -> int:
        """End sessions past their maximum time, or idle past their idle timeout."""
        count = 0
        for quantum_session in await self.sessions.open_sessions():
            reason = await self._expiry_reason(quantum_session, now)
            if reason:
                await self._end(quantum_session, SessionStatus.EXPIRED, reason, actor_id=None)
                count += 1
        return count

    async def _expiry_reason(self, quantum_session: QuantumSession, now: datetime) -> str | None:
        if now - quantum_session.created_at > timedelta(seconds=quantum_session.max_time_seconds):
            return f"reached its maximum time of {quantum_session.max_time_seconds} s"
        if await self.sessions.has_pending_jobs(quantum_session.id):
            return None
        idle_since = quantum_session.last_activity_at or quantum_session.created_at
        if now - idle_since > timedelta(seconds=quantum_session.idle_timeout_seconds):
            return f"idle for more than {quantum_session.idle_timeout_seconds} s"
        return None

    async def _end(
        self,
        quantum_session: QuantumSession,
        status: SessionStatus,
        reason: str,
        *,
        actor_id: uuid.UUID | None,
    ) -> None:
        quantum_session.status = status
        quantum_session.closed_at = utcnow()
        quantum_session.close_reason = reason
        if status == SessionStatus.EXPIRED:
            # Like IBM Runtime: what has not started when a session ends will not run.
            jobs = JobService(self.session, self.settings)
            for job in await self.jobs(quantum_session):
                if job.status == JobStatus.QUEUED:
                    await jobs.cancel_authorized(None, job, f"the session {reason}")
        await self.session.flush()
        await self._activity(quantum_session, "session.closed", actor_id, f"{status}: {reason}")
        self._announce(quantum_session)

    async def _activity(
        self, quantum_session: QuantumSession, verb: str, actor_id: uuid.UUID | None, what: str
    ) -> None:
        await record_activity(
            self.session,
            quantum_session.workspace_id,
            verb,
            actor_id=actor_id,
            subject_type="session",
            subject_id=quantum_session.id,
            summary=f"{quantum_session.name} {what}",
        )

    def _announce(self, quantum_session: QuantumSession) -> None:
        event = Event(
            type=SESSION_CHANGED,
            workspace_id=quantum_session.workspace_id,
            data={
                "session_id": str(quantum_session.id),
                "status": quantum_session.status.value,
                "backend": quantum_session.backend,
                "reason": quantum_session.close_reason or "",
            },
        )
        emit(self.session, event)
