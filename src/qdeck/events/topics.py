"""WebSocket topics, generically: a name, who may subscribe, which events belong, and how
to replay what a reconnecting client missed. The kinds themselves live with their
domains (``jobs.plugin``, ``activity.plugin``, ...) and are looked up in the registry."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.errors import InvalidInput
from qdeck.events.bus import Event


@dataclass(frozen=True)
class Topic:
    kind: str
    id: uuid.UUID | None
    # The workspace the topic lives in (None for a person's own topics); losing access
    # to it ends the subscription.
    workspace_id: uuid.UUID | None = None

    @property
    def name(self) -> str:
        return self.kind if self.id is None else f"{self.kind}:{self.id}"


async def _nothing_stored(session: AsyncSession, topic: Topic) -> int:
    return 0


async def _no_replay(session: AsyncSession, topic: Topic, since: int, limit: int) -> list[Event]:
    return []


@dataclass(frozen=True)
class TopicKind:
    name: str
    # e.g. "job:<id>"; listed in the error for an unknown topic.
    pattern: str
    # The topic's workspace if ``user_id`` may subscribe; raises NotFound otherwise.
    authorize: Callable[[AsyncSession, uuid.UUID, Topic], Awaitable[uuid.UUID | None]]
    # Whether ``event`` belongs to the topic, as seen by subscriber ``user_id``.
    matches: Callable[[Topic, Event, uuid.UUID], bool]
    has_id: bool = True
    latest_seq: Callable[[AsyncSession, Topic], Awaitable[int]] = _nothing_stored
    # Stored events after ``since``, oldest first, at most ``limit``.
    replay: Callable[[AsyncSession, Topic, int, int], Awaitable[list[Event]]] = _no_replay
    # For events that name their predecessor (``prev_seq``): the stored events of one
    # chain after a sequence number, to mend a chain whose publisher died mid-way.
    chain_after: Callable[[AsyncSession, uuid.UUID, int], Awaitable[list[Event]]] | None = None


def parse_topic(name: object, kinds: dict[str, TopicKind]) -> Topic:
    patterns = ", ".join(kind.pattern for kind in kinds.values())
    bad = InvalidInput(f"topic must be one of {patterns}", code="invalid_topic")
    if not isinstance(name, str) or len(name) > 200:
        raise bad
    if name in kinds and not kinds[name].has_id:
        return Topic(name, None)
    kind, _, raw_id = name.partition(":")
    if kind not in kinds or not kinds[kind].has_id:
        raise bad
    try:
        return Topic(kind, uuid.UUID(raw_id))
    except ValueError:
        raise bad from None


async def authorize_topic(
    session: AsyncSession, user_id: uuid.UUID, topic: Topic, kinds: dict[str, TopicKind]
) -> Topic:
    """The topic with its workspace filled in; NotFound if the caller may not see it."""
    workspace_id = await kinds[topic.kind].authorize(session, user_id, topic)
    return Topic(topic.kind, topic.id, workspace_id)
