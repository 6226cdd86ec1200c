"""What gamification plugs into the event platform: the ``gamification:<user id>``
topic (a person's own XP, level-ups and achievements, live), the consumer that awards
XP for finished jobs and Quest progress, and the weekly league rollover worker."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.errors import NotFound
from qdeck.events.registry import Consumer, Registry, Worker
from qdeck.events.topics import Topic, TopicKind
from qdeck.gamification import consumers, worker
from qdeck.gamification.event_types import ALL


def register(registry: Registry) -> None:
    registry.add_topic(
        TopicKind(
            name="gamification",
            pattern="gamification:<your user id>",
            authorize=_only_yourself,
            matches=lambda topic, event, user_id: (
                event.type in ALL and event.user_id == topic.id == user_id
            ),
        )
    )
    registry.add_consumer(Consumer("gamification", consumers.on_event, consumers.EVENTS))
    registry.add_worker(
        Worker("gamification-leagues", worker.run, enabled_by="gamification_worker_enabled")
    )


async def _only_yourself(session: AsyncSession, user_id: uuid.UUID, topic: Topic):
    if topic.id != user_id:
        raise NotFound("Topic not found.", code="topic_not_found")
    return None
