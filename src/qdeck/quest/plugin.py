"""What Quantum Quest plugs into the event platform: the ``quest`` topic (a person's own
levels solved, lessons completed and challenge attempts scored, as they happen) and the
consumer that scores challenge attempts when their jobs end."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.events.registry import Consumer, Registry
from qdeck.events.topics import Topic, TopicKind
from qdeck.quest.consumers import JOB_ENDINGS, score_challenge_attempts
from qdeck.quest.event_types import LIVE


def register(registry: Registry) -> None:
    registry.add_topic(
        TopicKind(
            name="quest",
            pattern="quest",
            has_id=False,
            authorize=_anyone_for_themselves,
            matches=lambda topic, event, user_id: event.type in LIVE and event.user_id == user_id,
        )
    )
    registry.add_consumer(
        Consumer("quest.challenge_scoring", score_challenge_attempts, JOB_ENDINGS)
    )


async def _anyone_for_themselves(session: AsyncSession, user_id: uuid.UUID, topic: Topic):
    return None
