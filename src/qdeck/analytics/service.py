"""Dashboard statistics for one workspace: cards and charts."""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.activity.models import ActivityEntry
from qdeck.activity.service import ActivityService
from qdeck.analytics.repository import AnalyticsRepository
from qdeck.analytics.schemas import (
    BackendSuccess,
    Charts,
    DailyCount,
    DashboardStats,
    RunTimeBucket,
)
from qdeck.auth.models import User
from qdeck.db.keyset import PageRequest
from qdeck.db.types import utcnow
from qdeck.jobs.status import JobStatus
from qdeck.workspaces.access import Action, authorize

# Upper bounds (seconds) of the run-time histogram's buckets; the last is open-ended.
RUN_TIME_BUCKETS = [
    (0.1, "< 0.1 s"),
    (0.5, "0.1-0.5 s"),
    (1, "0.5-1 s"),
    (5, "1-5 s"),
    (30, "5-30 s"),
    (120, "30 s-2 min"),
]
LAST_BUCKET = "> 2 min"


class AnalyticsService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repo = AnalyticsRepository(session)

    async def dashboard(self, actor: User, workspace_id: uuid.UUID) -> DashboardStats:
        await authorize(self.session, actor.id, workspace_id, Action.VIEW)
        now = utcnow()
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        active = await self.repo.active_counts(workspace_id)
        rows = await self.repo.durations(workspace_id, now - timedelta(days=7))
        completed = sum(1 for status, _, _ in rows if status == JobStatus.COMPLETED)
        waits = [q for _, q, _ in rows if q is not None and q >= 0]
        runs = [r for _, _, r in rows if r is not None and r >= 0]
        return DashboardStats(
            jobs_today=await self.repo.created_since(workspace_id, today),
            running_now=active.get(JobStatus.RUNNING, 0) + active.get(JobStatus.CANCELLING, 0),
            queued_now=active.get(JobStatus.QUEUED, 0),
            finished_7d=len(rows),
            success_rate_7d=completed / len(rows) if rows else None,
            median_queue_seconds=statistics.median(waits) if waits else None,
            median_run_seconds=statistics.median(runs) if runs else None,
        )

    async def charts(self, actor: User, workspace_id: uuid.UUID, *, days: int = 14) -> Charts:
        """Jobs per day by status, the run-time distribution (7 days) and the success rate
        by backend (30 days)."""
        await authorize(self.session, actor.id, workspace_id, Action.VIEW)
        now = utcnow()
        first = (now - timedelta(days=days - 1)).date()
        since = datetime(first.year, first.month, first.day, tzinfo=UTC)
        per_day = [
            DailyCount(day, status.value, count)
            for day, status, count in await self.repo.daily_counts(workspace_id, since)
        ]
        rows = await self.repo.durations(workspace_id, now - timedelta(days=7))
        runs = [r for _, _, r in rows if r is not None and r >= 0]
        by_backend: dict[str, dict[JobStatus, int]] = defaultdict(dict)
        for backend, status, count in await self.repo.finished_by_backend(
            workspace_id, now - timedelta(days=30)
        ):
            by_backend[backend][status] = count
        return Charts(
            days=[first + timedelta(days=i) for i in range(days)],
            per_day=per_day,
            run_times=histogram(runs),
            by_backend=sorted(
                (
                    BackendSuccess(b, c.get(JobStatus.COMPLETED, 0), c.get(JobStatus.FAILED, 0))
                    for b, c in by_backend.items()
                ),
                key=lambda s: -(s.completed + s.failed),
            ),
        )

    async def recent_activity(
        self, actor: User, workspace_id: uuid.UUID, *, limit: int = 12
    ) -> list[ActivityEntry]:
        entries, _ = await ActivityService(self.session).list(
            actor, workspace_id, PageRequest(limit=limit)
        )
        return entries


def histogram(seconds: list[float]) -> list[RunTimeBucket]:
    counts = [0] * (len(RUN_TIME_BUCKETS) + 1)
    for value in seconds:
        for i, (bound, _) in enumerate(RUN_TIME_BUCKETS):
            if value < bound:
                counts[i] += 1
                break
        else:
            counts[-1] += 1
    labels = [label for _, label in RUN_TIME_BUCKETS] + [LAST_BUCKET]
    return [RunTimeBucket(label, count) for label, count in zip(labels, counts, strict=True)]
