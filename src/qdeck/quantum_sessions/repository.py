"""Queries for quantum sessions."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from qdeck.db.keyset import PageRequest, fetch_page
from qdeck.db.types import utcnow
from qdeck.jobs.models import Job
from qdeck.jobs.status import JobStatus
from qdeck.quantum_sessions.models import QuantumSession, SessionStatus
from qdeck.workspaces.models import Membership

OPEN_STATES = (SessionStatus.OPEN, SessionStatus.ACTIVE)
PENDING = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLING)


class QuantumSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, session_id: uuid.UUID) -> QuantumSession | None:
        return await self.session.get(QuantumSession, session_id)

    async def add(self, quantum_session: QuantumSession) -> None:
        self.session.add(quantum_session)
        await self.session.flush()

    async def touch(self, session_id: uuid.UUID) -> None:
        """A job of the session was submitted or started: it is active and not idle."""
        quantum_session = await self.get(session_id)
        if quantum_session is not None and quantum_session.status in OPEN_STATES:
            quantum_session.status = SessionStatus.ACTIVE
            quantum_session.last_activity_at = utcnow()

    async def list_page(
        self,
        user_id: uuid.UUID,
        page: PageRequest,
        *,
        workspace_id: uuid.UUID | None,
        status: SessionStatus | None,
    ) -> tuple[list[QuantumSession], str | None]:
        member_of = select(Membership.workspace_id).where(Membership.user_id == user_id)
        stmt: Select = select(QuantumSession).where(QuantumSession.workspace_id.in_(member_of))
        if workspace_id is not None:
            stmt = stmt.where(QuantumSession.workspace_id == workspace_id)
        if status is not None:
            stmt = stmt.where(QuantumSession.status == status)
        order = [QuantumSession.created_at, QuantumSession.id]
        return await fetch_page(self.session, stmt, order, page)

    async def open_sessions(self) -> list[QuantumSession]:
        rows = await self.session.scalars(
            select(QuantumSession).where(QuantumSession.status.in_(OPEN_STATES))
        )
        return list(rows.all())

    async def has_pending_jobs(self, session_id: uuid.UUID) -> bool:
        stmt = select(exists().where(Job.quantum_session_id == session_id, Job.status.in_(PENDING)))
        return bool(await self.session.scalar(stmt))

    async def jobs(self, session_id: uuid.UUID) -> list[Job]:
        rows = await self.session.scalars(
            select(Job)
            .options(selectinload(Job.tags))
            .where(Job.quantum_session_id == session_id)
            .order_by(Job.created_at, Job.id)
        )
        return list(rows)
