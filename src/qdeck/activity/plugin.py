"""What the activity domain plugs into the event platform: the ``activity:<workspace>``
topic and the consumer that turns job outcomes into feed entries."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.activity.consumers import JOB_OUTCOMES, record_job_activity
from qdeck.activity.models import ActivityEntry
from qdeck.activity.repository import ActivityRepository
from qdeck.activity.service import ACTIVITY, activity_event
from qdeck.events.bus import Event
from qdeck.events.registry import Consumer, Registry
from qdeck.events.topics import Topic, TopicKind
from qdeck.workspaces.access import Action, authorize


def register(registry: Registry) -> None:
    registry.add_topic(
        TopicKind(
            name="activity",
            pattern="activity:<workspace id>",
            authorize=_authorize,
            matches=lambda topic, event, _: (
                event.type == ACTIVITY and event.workspace_id == topic.id
            ),
            latest_seq=_latest,
            replay=_replay,
        )
    )
    registry.add_consumer(Consumer("activity", record_job_activity, JOB_OUTCOMES))


async def _authorize(session: AsyncSession, user_id: uuid.UUID, topic: Topic):
    assert topic.id is not None
    await authorize(session, user_id, topic.id, Action.VIEW, resource="workspace")
    return topic.id


async def _latest(session: AsyncSession, topic: Topic) -> int:
    stmt = select(func.max(ActivityEntry.id)).where(ActivityEntry.workspace_id == topic.id)
    return int(await session.scalar(stmt) or 0)


async def _replay(session: AsyncSession, topic: Topic, since: int, limit: int) -> list[Event]:
    assert topic.id is not None
    entries = await ActivityRepository(session).after(topic.id, since, limit)
    return [activity_event(entry) for entry in entries]
