"""The ``notifications`` topic: a person's own notifications, as they are created."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.events.registry import Registry
from qdeck.events.topics import Topic, TopicKind

NOTIFICATION_CREATED = "notification.created"


def register(registry: Registry) -> None:
    registry.add_topic(
        TopicKind(
            name="notifications",
            pattern="notifications",
            has_id=False,
            authorize=_anyone_for_themselves,
            matches=lambda topic, event, user_id: (
                event.type == NOTIFICATION_CREATED and event.user_id == user_id
            ),
        )
    )


async def _anyone_for_themselves(session: AsyncSession, user_id: uuid.UUID, topic: Topic):
    return None
