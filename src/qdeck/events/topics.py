"""WebSocket topics: what a name means, who may subscribe, which events belong, and how
to replay what a reconnecting client missed from the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.activity.models import ActivityEntry
from qdeck.activity.repository import ActivityRepository
from qdeck.activity.service import activity_event
from qdeck.errors import InvalidInput
from qdeck.events.bus import Event, EventType
from qdeck.jobs.lifecycle import job_event
from qdeck.jobs.models import Job, JobEvent
from qdeck.workspaces.access import Action, authorize
from qdeck.workspaces.models import Project

JOB_EVENTS = (EventType.JOB_SUBMITTED, EventType.JOB_STATUS_CHANGED, EventType.JOB_PROGRESS)


class TopicKind(StrEnum):
    JOB = "job"
    WORKSPACE = "workspace"
    PROJECT = "project"
    ACTIVITY = "activity"
    NOTIFICATIONS = "notifications"


@dataclass(frozen=True)
class Topic:
    kind: TopicKind
    id: uuid.UUID | None
    # The workspace the topic lives in (None for the caller's own notifications); losing
    # membership of it ends the subscription.
    workspace_id: uuid.UUID | None = None

    @property
    def name(self) -> str:
        return self.kind.value if self.id is None else f"{self.kind.value}:{self.id}"

    def matches(self, event: Event, user_id: uuid.UUID) -> bool:
        if self.kind == TopicKind.NOTIFICATIONS:
            return event.type == EventType.NOTIFICATION and event.user_id == user_id
        if self.kind == TopicKind.ACTIVITY:
            return event.type == EventType.ACTIVITY and event.workspace_id == self.id
        if event.type == EventType.SESSION_CHANGED:
            return self.kind == TopicKind.WORKSPACE and event.workspace_id == self.id
        if event.type not in JOB_EVENTS:
            return False
        if self.kind == TopicKind.JOB:
            return event.job_id == self.id
        if self.kind == TopicKind.WORKSPACE:
            return event.workspace_id == self.id
        return event.data.get("project_id") == str(self.id)


def parse_topic(name: object) -> Topic:
    bad = InvalidInput(
        "topic must be job:<id>, workspace:<id>, project:<id>, activity:<workspace id> or "
        "notifications",
        code="invalid_topic",
    )
    if not isinstance(name, str):
        raise bad
    if name == TopicKind.NOTIFICATIONS.value:
        return Topic(TopicKind.NOTIFICATIONS, None)
    kind, _, raw_id = name.partition(":")
    try:
        return Topic(TopicKind(kind), uuid.UUID(raw_id))
    except ValueError:
        raise bad from None


async def authorize_topic(session: AsyncSession, user_id: uuid.UUID, topic: Topic) -> Topic:
    """The topic with its workspace filled in; NotFound if the caller may not see it."""
    if topic.kind == TopicKind.NOTIFICATIONS:
        return topic
    assert topic.id is not None
    if topic.kind in (TopicKind.WORKSPACE, TopicKind.ACTIVITY):
        workspace_id, resource = topic.id, "workspace"
    elif topic.kind == TopicKind.JOB:
        job = await session.get(Job, topic.id)
        workspace_id, resource = (job.workspace_id if job else uuid.uuid4()), "job"
    else:
        project = await session.get(Project, topic.id)
        workspace_id, resource = (project.workspace_id if project else uuid.uuid4()), "project"
    # A random id for a missing resource gives the same 404 as a foreign one.
    await authorize(session, user_id, workspace_id, Action.VIEW, resource=resource)
    return Topic(topic.kind, topic.id, workspace_id)


async def latest_seq(session: AsyncSession, topic: Topic) -> int:
    """The newest stored sequence number of ``topic`` (0 when it has none)."""
    if topic.kind == TopicKind.NOTIFICATIONS:
        return 0
    if topic.kind == TopicKind.ACTIVITY:
        stmt = select(func.max(ActivityEntry.id)).where(ActivityEntry.workspace_id == topic.id)
    elif topic.kind == TopicKind.JOB:
        stmt = select(func.max(JobEvent.id)).where(JobEvent.job_id == topic.id)
    elif topic.kind == TopicKind.WORKSPACE:
        stmt = select(func.max(JobEvent.id)).where(JobEvent.workspace_id == topic.id)
    else:
        stmt = (
            select(func.max(JobEvent.id))
            .join(Job, Job.id == JobEvent.job_id)
            .where(Job.project_id == topic.id)
        )
    return int(await session.scalar(stmt) or 0)


async def job_events_after(session: AsyncSession, job_id: uuid.UUID, since: int) -> list[Event]:
    """One job's stored events after ``since``, oldest first."""
    rows = await session.execute(
        select(JobEvent, Job)
        .join(Job, Job.id == JobEvent.job_id)
        .where(JobEvent.job_id == job_id, JobEvent.id > since)
        .order_by(JobEvent.id)
    )
    return [job_event(job, row) for row, job in rows.all()]


async def replay(session: AsyncSession, topic: Topic, since: int, limit: int) -> list[Event]:
    """Stored events of ``topic`` after ``since``, oldest first, at most ``limit`` + 1 (so
    the caller can tell that more were missed than it is willing to replay)."""
    if topic.kind == TopicKind.NOTIFICATIONS:
        return []
    if topic.kind == TopicKind.ACTIVITY:
        assert topic.id is not None
        entries = await ActivityRepository(session).after(topic.id, since, limit + 1)
        return [activity_event(entry) for entry in entries]
    stmt = select(JobEvent, Job).join(Job, Job.id == JobEvent.job_id).where(JobEvent.id > since)
    if topic.kind == TopicKind.JOB:
        stmt = stmt.where(JobEvent.job_id == topic.id)
    elif topic.kind == TopicKind.WORKSPACE:
        stmt = stmt.where(JobEvent.workspace_id == topic.id)
    else:
        stmt = stmt.where(Job.project_id == topic.id)
    rows = await session.execute(stmt.order_by(JobEvent.id).limit(limit + 1))
    return [job_event(job, row) for row, job in rows.all()]
