"""The assistant's reads: a workspace's jobs in a time window, for the weekly insights.

Bounded by workspace and creation time, so the query is a range read on
``ix_jobs_workspace_created`` whatever the workspace's whole history holds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.jobs.models import Job
from qdeck.jobs.status import JobStatus

# Enough for a busy team's nine weeks; beyond it the figures come from the newest jobs.
MAX_ROWS = 100_000


@dataclass(frozen=True)
class JobRow:
    created_at: datetime
    started_at: datetime | None
    status: JobStatus
    backend: str
    error_code: str | None
    shots: int | None
    num_circuits: int


class AssistantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def jobs_between(
        self, workspace_id: uuid.UUID, start: datetime, end: datetime
    ) -> list[JobRow]:
        stmt = (
            select(
                Job.created_at,
                Job.started_at,
                Job.status,
                Job.backend,
                Job.error_code,
                Job.shots,
                Job.num_circuits,
            )
            .where(
                Job.workspace_id == workspace_id,
                Job.created_at >= start,
                Job.created_at < end,
            )
            .order_by(Job.created_at.desc())
            .limit(MAX_ROWS)
        )
        return [JobRow(*row) for row in (await self.session.execute(stmt)).all()]
