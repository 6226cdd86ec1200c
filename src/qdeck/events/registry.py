"""What the domains plug into the event platform: live topics and outbox consumers.

``events/`` knows no domain. Each domain declares its topics and consumers in its own
``plugin.py`` and adds them here when ``qdeck.domains.build_registry`` calls its
``register(registry)``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qdeck.events.bus import Event

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from qdeck.config import Settings
    from qdeck.db.engine import Database
    from qdeck.events.bus import EventBus
    from qdeck.events.topics import TopicKind


@dataclass(frozen=True)
class HandlerContext:
    """What a consumer's handler works with: the unit of work its effects commit in
    (together with the consumer's new position) and the settings."""

    session: AsyncSession
    settings: Settings


Handler = Callable[[HandlerContext, Event], Awaitable[Any]]


@dataclass(frozen=True)
class Consumer:
    """A named reaction to committed events. Delivery is at least once; a handler's
    effects in ``ctx.session`` commit atomically with the consumer's position, so they
    are applied exactly once. Effects outside the database must be idempotent."""

    name: str
    handler: Handler
    # None: every event.
    types: frozenset[str] | None = None

    def wants(self, event: Event) -> bool:
        return self.types is None or event.type in self.types


@dataclass(frozen=True)
class WorkerContext:
    """What a domain's background worker gets from the app that runs it."""

    database: Database
    settings: Settings
    bus: EventBus
    registry: Registry


@dataclass(frozen=True)
class Worker:
    """A domain's long-running loop (a delivery worker, a periodic check), started with
    the app and cancelled when it stops. Every server runs it: a worker that must act
    once across servers claims its rows (``FOR UPDATE SKIP LOCKED``) or a lease."""

    name: str
    run: Callable[[WorkerContext], Awaitable[None]]
    # Off when this setting (an attribute of Settings) is false, e.g. in tests.
    enabled_by: str | None = None


@dataclass
class Registry:
    topics: dict[str, TopicKind] = field(default_factory=dict)
    consumers: dict[str, Consumer] = field(default_factory=dict)
    # Event types shown on a workspace's live stream besides its jobs' (e.g. sessions).
    workspace_stream: set[str] = field(default_factory=set)
    workers: dict[str, Worker] = field(default_factory=dict)

    def add_topic(self, kind: TopicKind) -> None:
        if kind.name in self.topics:
            raise ValueError(f"topic {kind.name!r} is registered twice")
        self.topics[kind.name] = kind

    def add_consumer(self, consumer: Consumer) -> None:
        if consumer.name in self.consumers:
            raise ValueError(f"consumer {consumer.name!r} is registered twice")
        self.consumers[consumer.name] = consumer

    def add_worker(self, worker: Worker) -> None:
        if worker.name in self.workers:
            raise ValueError(f"worker {worker.name!r} is registered twice")
        self.workers[worker.name] = worker
