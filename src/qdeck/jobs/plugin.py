"""What the jobs domain plugs into the event platform: the job, workspace and project
topics, replayed from the stored job events."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.events.bus import Event
from qdeck.events.registry import Registry
from qdeck.events.topics import Topic, TopicKind
from qdeck.jobs.event_types import TIMELINE
from qdeck.jobs.lifecycle import job_event
from qdeck.jobs.models import Job, JobEvent
from qdeck.workspaces.access import Action, authorize
from qdeck.workspaces.models import Project


def register(registry: Registry) -> None:
    stream = registry.workspace_stream

    def on_workspace(topic: Topic, event: Event, user_id: uuid.UUID) -> bool:
        return event.workspace_id == topic.id and (event.type in TIMELINE or event.type in stream)

    registry.add_topic(
        TopicKind(
            name="job",
            pattern="job:<id>",
            authorize=_authorize_job,
            matches=lambda topic, event, _: event.type in TIMELINE and event.job_id == topic.id,
            latest_seq=_latest,
            replay=_replay,
            chain_after=events_after,
        )
    )
    registry.add_topic(
        TopicKind(
            name="workspace",
            pattern="workspace:<id>",
            authorize=_authorize_workspace,
            matches=on_workspace,
            latest_seq=_latest,
            replay=_replay,
            chain_after=events_after,
        )
    )
    registry.add_topic(
        TopicKind(
            name="project",
            pattern="project:<id>",
            authorize=_authorize_project,
            matches=lambda topic, event, _: (
                event.type in TIMELINE and event.data.get("project_id") == str(topic.id)
            ),
            latest_seq=_latest,
            replay=_replay,
            chain_after=events_after,
        )
    )


async def _authorize_workspace(session: AsyncSession, user_id: uuid.UUID, topic: Topic):
    assert topic.id is not None
    await authorize(session, user_id, topic.id, Action.VIEW, resource="workspace")
    return topic.id


async def _authorize_job(session: AsyncSession, user_id: uuid.UUID, topic: Topic):
    job = await session.get(Job, topic.id)
    # A random id for a missing job gives the same 404 as a foreign one.
    workspace_id = job.workspace_id if job else uuid.uuid4()
    await authorize(session, user_id, workspace_id, Action.VIEW, resource="job")
    return workspace_id


async def _authorize_project(session: AsyncSession, user_id: uuid.UUID, topic: Topic):
    project = await session.get(Project, topic.id)
    workspace_id = project.workspace_id if project else uuid.uuid4()
    await authorize(session, user_id, workspace_id, Action.VIEW, resource="project")
    return workspace_id


def _scoped(stmt: Select, topic: Topic) -> Select:
    """``stmt`` (which selects from job_events) narrowed to the topic's events."""
    if topic.kind == "job":
        return stmt.where(JobEvent.job_id == topic.id)
    if topic.kind == "workspace":
        return stmt.where(JobEvent.workspace_id == topic.id)
    return stmt.join(Job, Job.id == JobEvent.job_id).where(Job.project_id == topic.id)


async def _latest(session: AsyncSession, topic: Topic) -> int:
    return int(await session.scalar(_scoped(select(func.max(JobEvent.id)), topic)) or 0)


async def _replay(session: AsyncSession, topic: Topic, since: int, limit: int) -> list[Event]:
    stmt = _scoped(select(JobEvent).where(JobEvent.id > since), topic)
    rows = list(await session.scalars(stmt.order_by(JobEvent.id).limit(limit)))
    jobs = (
        {
            job.id: job
            for job in await session.scalars(
                select(Job).where(Job.id.in_({row.job_id for row in rows}))
            )
        }
        if rows
        else {}
    )
    return [job_event(jobs[row.job_id], row) for row in rows]


async def events_after(session: AsyncSession, job_id: uuid.UUID, since: int) -> list[Event]:
    """One job's stored events after ``since``, oldest first."""
    rows = await session.execute(
        select(JobEvent, Job)
        .join(Job, Job.id == JobEvent.job_id)
        .where(JobEvent.job_id == job_id, JobEvent.id > since)
        .order_by(JobEvent.id)
    )
    return [job_event(job, row) for row, job in rows.all()]
