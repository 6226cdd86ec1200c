"""Queries behind the statistics: each bounded by workspace and a time window, so its cost
follows the window's jobs, not every job ever run (index ``ix_jobs_workspace_created``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, and_, cast, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from qdeck.jobs.models import Job
from qdeck.jobs.status import JobStatus

FINISHED = (JobStatus.COMPLETED, JobStatus.FAILED)
# Medians and histograms read at most this many recent jobs of the window.
SAMPLE_LIMIT = 20_000


class AnalyticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.dialect = session.bind.dialect.name if session.bind is not None else "sqlite"

    def _seconds(self, start: Any, end: Any) -> ColumnElement[float]:
        """``end - start`` in seconds, computed by the database."""
        if self.dialect == "sqlite":
            return cast((func.julianday(end) - func.julianday(start)) * 86400.0, Float)
        return cast(extract("epoch", end - start), Float)

    def _day(self, column: Any) -> ColumnElement[Any]:
        if self.dialect == "sqlite":
            return func.date(column)
        return cast(func.timezone("UTC", column), Date)

    async def created_since(self, workspace_id: uuid.UUID, since: datetime) -> int:
        stmt = select(func.count()).where(Job.workspace_id == workspace_id, Job.created_at >= since)
        return int(await self.session.scalar(stmt) or 0)

    async def active_counts(self, workspace_id: uuid.UUID) -> dict[JobStatus, int]:
        active = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLING)
        rows = await self.session.execute(
            select(Job.status, func.count())
            .where(Job.workspace_id == workspace_id, Job.status.in_(active))
            .group_by(Job.status)
        )
        return {status: count for status, count in rows.all()}

    async def durations(
        self, workspace_id: uuid.UUID, since: datetime
    ) -> list[tuple[JobStatus, float | None, float | None]]:
        """(status, queue seconds, run seconds) of the window's finished jobs, newest first."""
        stmt = (
            select(
                Job.status,
                self._seconds(Job.created_at, Job.started_at),
                self._seconds(Job.started_at, Job.finished_at),
            )
            .where(
                Job.workspace_id == workspace_id,
                Job.created_at >= since,
                Job.status.in_(FINISHED),
            )
            .order_by(Job.created_at.desc())
            .limit(SAMPLE_LIMIT)
        )
        return [(s, q, r) for s, q, r in (await self.session.execute(stmt)).all()]

    async def daily_counts(
        self, workspace_id: uuid.UUID, since: datetime
    ) -> list[tuple[date, JobStatus, int]]:
        day = self._day(Job.created_at)
        rows = await self.session.execute(
            select(day, Job.status, func.count())
            .where(Job.workspace_id == workspace_id, Job.created_at >= since)
            .group_by(day, Job.status)
        )
        return [(_as_date(d), status, count) for d, status, count in rows.all()]

    async def finished_by_backend(
        self, workspace_id: uuid.UUID, since: datetime
    ) -> list[tuple[str, JobStatus, int]]:
        rows = await self.session.execute(
            select(Job.backend, Job.status, func.count())
            .where(
                and_(
                    Job.workspace_id == workspace_id,
                    Job.created_at >= since,
                    Job.status.in_(FINISHED),
                )
            )
            .group_by(Job.backend, Job.status)
        )
        return [(backend, status, count) for backend, status, count in rows.all()]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
