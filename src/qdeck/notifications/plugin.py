"""What the notifications core plugs into the event platform: the ``notifications``
topic (a person's own notifications as they are created, updated and read), the
consumers that turn job and team events into notifications, and the worker for the
time-based ones."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.events.registry import Consumer, Registry, Worker
from qdeck.events.topics import Topic, TopicKind
from qdeck.notifications import producers, worker
from qdeck.notifications.event_types import LIVE, NOTIFICATION_CREATED

__all__ = ["NOTIFICATION_CREATED", "register"]


def register(registry: Registry) -> None:
    registry.add_topic(
        TopicKind(
            name="notifications",
            pattern="notifications",
            has_id=False,
            authorize=_anyone_for_themselves,
            matches=lambda topic, event, user_id: event.type in LIVE and event.user_id == user_id,
        )
    )
    registry.add_consumer(
        Consumer("notifications-jobs", producers.on_job_event, producers.JOB_EVENTS)
    )
    registry.add_consumer(
        Consumer("notifications-team", producers.on_team_event, producers.TEAM_EVENTS)
    )
    registry.add_worker(Worker("notifications", worker.run, enabled_by="notifications_enabled"))


async def _anyone_for_themselves(session: AsyncSession, user_id: uuid.UUID, topic: Topic):
    return None
