"""The in-process event bus.

Publishers call ``publish`` after their transaction commits (see ``db.engine.after_commit``),
so subscribers never see a change that was rolled back. Each subscriber has a bounded
queue: a subscriber that stops reading loses its subscription rather than slowing the
publisher down.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from qdeck.db.types import utcnow


class EventType(StrEnum):
    JOB_STATUS_CHANGED = "job.status_changed"
    JOB_PROGRESS = "job.progress"
    JOB_RESULT_READY = "job.result_ready"
    JOB_SUBMITTED = "job.submitted"
    SESSION_CHANGED = "session.changed"
    ACTIVITY = "activity"
    NOTIFICATION = "notification"
    CHAT_MESSAGE = "chat.message"
    PRESENCE = "presence"


@dataclass(frozen=True)
class Event:
    type: EventType
    workspace_id: uuid.UUID | None
    data: dict[str, Any]
    job_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    # Sequence number of the stored record behind the event (job event id, activity id).
    seq: int | None = None
    at: datetime = field(default_factory=utcnow)


Filter = Callable[[Event], bool]


class Subscription:
    def __init__(self, bus: EventBus, accept: Filter, max_queue: int) -> None:
        self._bus = bus
        self.accept = accept
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=max_queue)
        self.overflowed = False

    async def get(self) -> Event:
        return await self.queue.get()

    def close(self) -> None:
        self._bus.unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EventBus:
    def __init__(self) -> None:
        self._subscriptions: set[Subscription] = set()

    def subscribe(self, accept: Filter = lambda event: True, max_queue: int = 1000) -> Subscription:
        subscription = Subscription(self, accept, max_queue)
        self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)

    async def publish(self, event: Event) -> None:
        for subscription in list(self._subscriptions):
            if not subscription.accept(event):
                continue
            try:
                subscription.queue.put_nowait(event)
            except asyncio.QueueFull:
                subscription.overflowed = True
                self.unsubscribe(subscription)
