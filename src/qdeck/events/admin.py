"""For instance admins: how far behind each consumer is, what it parked, and retrying a
parked event once its cause is fixed. The REST API and ``qdeck events`` both use it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.config import Settings
from qdeck.db.engine import keep_on_error
from qdeck.db.types import utcnow
from qdeck.errors import Conflict, NotFound
from qdeck.events.outbox import PENDING_KEY, from_row
from qdeck.events.registry import HandlerContext, Registry
from qdeck.events.repository import EventRepository
from qdeck.events.schemas import ConsumerRead, ParkedEventRead


class EventAdminService:
    def __init__(self, session: AsyncSession, settings: Settings, registry: Registry) -> None:
        self.session = session
        self.settings = settings
        self.registry = registry
        self.events = EventRepository(session)

    async def consumers(self) -> list[ConsumerRead]:
        newest = await self.events.newest_id()
        parked = await self.events.parked_counts()
        result = []
        for state in await self.events.consumers():
            lag, oldest = await self.events.unhandled(state.position)
            result.append(
                ConsumerRead(
                    name=state.name,
                    position=state.position,
                    newest_event_id=newest,
                    lag=lag,
                    oldest_unhandled_at=oldest,
                    retry_at=state.retry_at,
                    parked=parked.get(state.name, 0),
                    registered=state.name in self.registry.consumers,
                )
            )
        return result

    async def parked(self, consumer: str | None = None, limit: int = 100) -> list[ParkedEventRead]:
        return [
            ParkedEventRead(
                id=failure.id,
                consumer=failure.consumer,
                event_id=failure.event_id,
                event_type=event.type if event else None,
                workspace_id=event.workspace_id if event else None,
                attempts=failure.attempts,
                last_error=failure.last_error,
                first_failed_at=failure.first_failed_at,
                last_failed_at=failure.last_failed_at,
            )
            for failure, event in await self.events.parked(consumer, limit)
        ]

    async def retry(self, failure_id: int) -> None:
        """Run the consumer's handler on the parked event now. On success the event is
        no longer parked; on failure it stays parked with the new error (409)."""
        failure = await self.events.failure(failure_id)
        if failure is None or not failure.parked:
            raise NotFound(f"No parked event with id {failure_id}.", code="parked_event_not_found")
        consumer = self.registry.consumers.get(failure.consumer)
        if consumer is None:
            raise Conflict(
                f"The consumer {failure.consumer!r} is not registered in this server.",
                code="consumer_not_registered",
            )
        row = await self.events.event(failure.event_id)
        if row is None:
            raise Conflict(f"Event {failure.event_id} was pruned.", code="event_pruned")
        emitted = len(self.session.info.get(PENDING_KEY, []))
        try:
            async with self.session.begin_nested():
                await consumer.handler(HandlerContext(self.session, self.settings), from_row(row))
        except Exception as exc:
            del self.session.info.setdefault(PENDING_KEY, [])[emitted:]
            failure.attempts += 1
            failure.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            failure.last_failed_at = utcnow()
            keep_on_error(self.session)
            raise Conflict(
                f"The handler failed again: {failure.last_error}", code="retry_failed"
            ) from exc
        await self.session.delete(failure)
        await self.session.flush()
