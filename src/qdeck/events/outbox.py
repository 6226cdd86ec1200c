"""Writing events: ``emit`` inside a unit of work; the rows are added just before it commits.

Ids must follow commit order, or a reader that has seen id 7 could later find a 6 that
committed after it and never hand it on. SQLite has one writer at a time, so they do.
On PostgreSQL the rows are written at the very end of the transaction under a
transaction-scoped advisory lock: a transaction takes its ids only after every earlier
one holding the lock has committed and become visible. Taking the lock last, after every
row lock the transaction needed, means a holder never waits for anything but its commit,
so it cannot deadlock with the transactions queued behind it.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.events.bus import Event
from qdeck.events.models import OutboxEvent

PENDING_KEY = "outbox_pending"
# pg_advisory_xact_lock key: "qdek" in ASCII, so nothing else picks it by chance.
OUTBOX_LOCK_KEY = 0x7164656B


def emit(session: AsyncSession, event: Event) -> None:
    """Announce ``event`` if, and only if, this unit of work commits."""
    session.info.setdefault(PENDING_KEY, []).append(event)


async def write_pending(session: AsyncSession) -> list[Event]:
    """Store the events emitted in this unit of work; they come back with their ids."""
    pending: list[Event] = session.info.pop(PENDING_KEY, [])
    if not pending:
        return []
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": OUTBOX_LOCK_KEY})
    rows = [to_row(event) for event in pending]
    session.add_all(rows)
    await session.flush()
    return [from_row(row) for row in rows]


def to_row(event: Event) -> OutboxEvent:
    return OutboxEvent(
        type=event.type,
        workspace_id=event.workspace_id,
        user_id=event.user_id,
        actor_id=event.actor_id,
        job_id=event.job_id,
        seq=event.seq,
        data=event.data,
        created_at=event.at,
    )


def from_row(row: OutboxEvent) -> Event:
    return Event(
        type=row.type,
        workspace_id=row.workspace_id,
        user_id=row.user_id,
        actor_id=row.actor_id,
        job_id=row.job_id,
        seq=row.seq,
        data=row.data or {},
        at=row.created_at,
        id=row.id,
    )


async def events_after(session: AsyncSession, after: int, limit: int) -> list[Event]:
    """Committed events with an id above ``after``, oldest first."""
    rows = await session.scalars(
        select(OutboxEvent).where(OutboxEvent.id > after).order_by(OutboxEvent.id).limit(limit)
    )
    return [from_row(row) for row in rows]


async def last_event_id(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.max(OutboxEvent.id))) or 0)
