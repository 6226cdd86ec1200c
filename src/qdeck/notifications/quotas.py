"""A workspace's daily shot and job quota, and the 80 % / 100 % notices.

The day is the UTC day; usage counts the jobs submitted since its midnight and their
shots (shots x circuits). Each level notifies the workspace's owners and admins once a
day per quota (a dedupe key per day, level and quota), whichever server sees it first.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.jobs.models import Job
from qdeck.notifications.models import NotificationWorkspaceSettings
from qdeck.notifications.schemas import UsageQuotaRead, UsageQuotaUpdate
from qdeck.workspaces.models import Membership, Workspace
from qdeck.workspaces.roles import Role

LEVELS = ((100, "usage.quota_100"), (80, "usage.quota_80"))
# service.notify_many, passed in: the service reads quotas, so quotas cannot import it.
NotifyMany = Callable[..., Awaitable[Any]]


async def usage_today(
    session: AsyncSession, workspace_id: uuid.UUID, now: datetime
) -> tuple[int, int]:
    """(shots, jobs) submitted in the workspace since UTC midnight."""
    midnight = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    row = (
        await session.execute(
            select(
                func.coalesce(func.sum(func.coalesce(Job.shots, 0) * Job.num_circuits), 0),
                func.count(),
            ).where(Job.workspace_id == workspace_id, Job.created_at >= midnight)
        )
    ).one()
    return int(row[0]), int(row[1])


async def describe(session: AsyncSession, workspace_id: uuid.UUID, now: datetime) -> UsageQuotaRead:
    found = await session.get(NotificationWorkspaceSettings, workspace_id)
    shots, jobs = await usage_today(session, workspace_id, now)
    return UsageQuotaRead(
        workspace_id=workspace_id,
        daily_shot_quota=found.daily_shot_quota if found else None,
        daily_job_quota=found.daily_job_quota if found else None,
        shots_today=shots,
        jobs_today=jobs,
    )


async def set_quota(
    session: AsyncSession, workspace_id: uuid.UUID, update: UsageQuotaUpdate
) -> None:
    found = await session.get(NotificationWorkspaceSettings, workspace_id)
    if found is None:
        found = NotificationWorkspaceSettings(workspace_id=workspace_id)
        session.add(found)
    sent = update.model_fields_set
    if "daily_shot_quota" in sent:
        found.daily_shot_quota = update.daily_shot_quota
    if "daily_job_quota" in sent:
        found.daily_job_quota = update.daily_job_quota
    await session.flush()


async def check_usage(
    session: AsyncSession, workspace_id: uuid.UUID, now: datetime, notify_many: NotifyMany
) -> None:
    """After a submission: notify the admins of the highest level each quota reached."""
    quota = await session.get(NotificationWorkspaceSettings, workspace_id)
    if quota is None or (quota.daily_shot_quota is None and quota.daily_job_quota is None):
        return
    workspace = await session.get(Workspace, workspace_id)
    if workspace is None:
        return
    shots, jobs = await usage_today(session, workspace_id, now)
    measured = (("shots", shots, quota.daily_shot_quota), ("jobs", jobs, quota.daily_job_quota))
    for what, used, limit in measured:
        if not limit:
            continue
        level = next(((pct, kind) for pct, kind in LEVELS if used * 100 >= pct * limit), None)
        if level is None:
            continue
        pct, kind = level
        admins = await _admins(session, workspace_id)
        share = used * 100 // limit
        await notify_many(
            session,
            admins,
            workspace_id=workspace_id,
            kind=kind,
            title=f"{workspace.name} used {share} % of its daily {what} quota",
            body=_why(what, used, limit, pct, now),
            link="/notifications/settings",
            data={"metric": what, "used": used, "quota": limit, "level": pct},
            dedupe_key=f"{kind}:{workspace_id}:{now.date().isoformat()}:{what}",
            now=now,
        )


def _why(what: str, used: int, limit: int, pct: int, now: datetime) -> str:
    if pct >= 100:
        return (
            f"{used:,} of {limit:,} {what} today: the quota is spent; raise it in the "
            "workspace's settings or wait for midnight UTC."
        )
    elapsed = (now.hour * 3600 + now.minute * 60 + now.second) / 86400
    pace = int(used / elapsed) if elapsed > 0.01 else None
    if pace is not None and pace > limit:
        return f"{used:,} of {limit:,} {what} today; at this pace about {pace:,} by midnight UTC."
    return f"{used:,} of {limit:,} {what} today, {limit - used:,} left until midnight UTC."


async def _admins(session: AsyncSession, workspace_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Membership.user_id).where(
            Membership.workspace_id == workspace_id,
            Membership.role.in_([Role.OWNER, Role.ADMIN]),
        )
    )
    return list(rows)
