"""What Quantum Quest plugs into the event platform: the consumer that scores challenge
attempts when their jobs end."""

from __future__ import annotations

from qdeck.events.registry import Consumer, Registry
from qdeck.quest.consumers import JOB_ENDINGS, score_challenge_attempts


def register(registry: Registry) -> None:
    registry.add_consumer(
        Consumer("quest.challenge_scoring", score_challenge_attempts, JOB_ENDINGS)
    )
