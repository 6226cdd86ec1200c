"""The in-process event bus.

Only the outbox relay (``events.relay``) delivers to it, from committed outbox rows, so
subscribers never see a change that was rolled back and never miss one that committed.
Each subscriber has a bounded queue: a subscriber that stops reading loses its
subscription rather than slowing the relay down.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog

from qdeck.db.types import utcnow

log = structlog.get_logger("qdeck.events")


@dataclass(frozen=True)
class Event:
    # Named by the domain that emits it ("job.status_changed", "activity", ...); events/
    # knows none of them but its own "access.changed".
    type: str
    workspace_id: uuid.UUID | None
    data: dict[str, Any]
    job_id: uuid.UUID | None = None
    # Whose event it is when it belongs to one person (a notification, an access change).
    # With no workspace, the event is personal: the bus hands it only to that person's
    # subscriptions and to the process's own (see ``EventBus.subscribe``).
    user_id: uuid.UUID | None = None
    actor_id: uuid.UUID | None = None
    # Sequence number of the stored record behind the event (job event id, activity id).
    seq: int | None = None
    at: datetime = field(default_factory=utcnow)
    # The outbox id, once stored.
    id: int | None = None
    # Serialized frames per topic, so a thousand subscribers cost one json.dumps.
    frames: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


Filter = Callable[[Event], bool]


class Subscription:
    def __init__(
        self,
        bus: EventBus,
        accept: Filter,
        max_queue: int,
        on_overflow: Callable[[], None] | None = None,
        owner: uuid.UUID | None = None,
    ) -> None:
        self._bus = bus
        self.owner = owner
        self.accept = accept
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=max_queue)
        self.overflowed = False
        self.on_overflow = on_overflow

    async def get(self) -> Event:
        return await self.queue.get()

    def close(self) -> None:
        self._bus.unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EventBus:
    """Fans committed events out to this process's subscribers."""

    def __init__(self) -> None:
        self._subscriptions: set[Subscription] = set()
        # A thousand people's sockets would otherwise run a thousand filters for each
        # person's notification: personal events go straight to their owner's.
        self._by_owner: dict[uuid.UUID, set[Subscription]] = {}
        self._unowned: set[Subscription] = set()

    def subscribe(
        self,
        accept: Filter = lambda event: True,
        max_queue: int = 1000,
        on_overflow: Callable[[], None] | None = None,
        owner: uuid.UUID | None = None,
    ) -> Subscription:
        """``owner``: the person the subscription serves (a page, a socket); it then never
        sees another person's personal events. None: the process's own (a worker), which
        sees every event its filter accepts."""
        subscription = Subscription(self, accept, max_queue, on_overflow, owner)
        self._subscriptions.add(subscription)
        if owner is None:
            self._unowned.add(subscription)
        else:
            self._by_owner.setdefault(owner, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)
        self._unowned.discard(subscription)
        owned = self._by_owner.get(subscription.owner) if subscription.owner else None
        if owned is not None:
            owned.discard(subscription)
            if not owned:
                del self._by_owner[subscription.owner]

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)

    def _audience(self, event: Event) -> list[Subscription]:
        if event.user_id is not None and event.workspace_id is None:
            return [*self._unowned, *self._by_owner.get(event.user_id, ())]
        return list(self._subscriptions)

    def deliver(self, event: Event) -> None:
        """Hand ``event`` to this process's subscribers."""
        for subscription in self._audience(event):
            try:
                accepted = subscription.accept(event)
            except Exception:  # a broken filter must not stop delivery to the others
                log.exception("event_filter_failed", event=event.type)
                accepted = False
            if not accepted:
                continue
            try:
                subscription.queue.put_nowait(event)
            except asyncio.QueueFull:
                # Never wait for a slow subscriber: it loses its subscription instead.
                subscription.overflowed = True
                self.unsubscribe(subscription)
                if subscription.on_overflow is not None:
                    subscription.on_overflow()


def encode_event(event: Event) -> dict[str, Any]:
    return {
        "type": event.type,
        "workspace_id": str(event.workspace_id) if event.workspace_id else None,
        "job_id": str(event.job_id) if event.job_id else None,
        "user_id": str(event.user_id) if event.user_id else None,
        "seq": event.seq,
        "at": event.at.isoformat(),
        "data": event.data,
    }


def decode_event(raw: dict[str, Any]) -> Event:
    def as_uuid(value: str | None) -> uuid.UUID | None:
        return uuid.UUID(value) if value else None

    return Event(
        type=str(raw["type"]),
        workspace_id=as_uuid(raw.get("workspace_id")),
        job_id=as_uuid(raw.get("job_id")),
        user_id=as_uuid(raw.get("user_id")),
        seq=raw.get("seq"),
        at=datetime.fromisoformat(raw["at"]),
        data=raw.get("data") or {},
    )
