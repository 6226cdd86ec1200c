"""Queries about consumers, their lag and their failures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.events.models import EventConsumer, EventFailure, OutboxEvent


class EventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def consumers(self) -> list[EventConsumer]:
        return list(await self.session.scalars(select(EventConsumer).order_by(EventConsumer.name)))

    async def newest_id(self) -> int:
        return int(await self.session.scalar(select(func.max(OutboxEvent.id))) or 0)

    async def unhandled(self, position: int) -> tuple[int, datetime | None]:
        """How many events lie after ``position``, and when the first was committed."""
        count, oldest = (
            await self.session.execute(
                select(func.count(), func.min(OutboxEvent.created_at)).where(
                    OutboxEvent.id > position
                )
            )
        ).one()
        return int(count or 0), oldest

    async def parked_counts(self) -> dict[str, int]:
        rows = await self.session.execute(
            select(EventFailure.consumer, func.count())
            .where(EventFailure.parked.is_(True))
            .group_by(EventFailure.consumer)
        )
        return {name: int(count) for name, count in rows.all()}

    async def parked(
        self, consumer: str | None, limit: int
    ) -> list[tuple[EventFailure, str | None]]:
        stmt = (
            select(EventFailure, OutboxEvent)
            .outerjoin(OutboxEvent, OutboxEvent.id == EventFailure.event_id)
            .where(EventFailure.parked.is_(True))
            .order_by(EventFailure.id)
            .limit(limit)
        )
        if consumer:
            stmt = stmt.where(EventFailure.consumer == consumer)
        return [(failure, event) for failure, event in (await self.session.execute(stmt)).all()]

    async def failure(self, failure_id: int) -> EventFailure | None:
        return await self.session.get(EventFailure, failure_id)

    async def event(self, event_id: int) -> OutboxEvent | None:
        return await self.session.get(OutboxEvent, event_id)
