"""The outbox and its consumers' bookkeeping.

An ``OutboxEvent`` is written in the same transaction as the change it describes, so a
committed change always has its event and a rolled-back one never does. Consumers keep
their position in ``event_consumers``; a handler that keeps failing leaves its event in
``event_failures`` (parked) instead of holding the consumer up for good.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base
from qdeck.db.types import BigIntPK, utcnow


class OutboxEvent(Base):
    """One domain event; the id orders events in commit order (see ``events.outbox``)."""

    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(80))
    # Plain columns, not foreign keys: an event outlives the workspace or job it tells of.
    workspace_id: Mapped[uuid.UUID | None]
    user_id: Mapped[uuid.UUID | None]
    actor_id: Mapped[uuid.UUID | None]
    job_id: Mapped[uuid.UUID | None]
    # The sequence number of the domain record behind the event (a job event's id, an
    # activity entry's id): what WebSocket clients resume from.
    seq: Mapped[int | None] = mapped_column(BigInteger)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_outbox_events_created", "created_at"),)


class EventConsumer(Base):
    """A named consumer's position: every event with an id up to it has been handled."""

    __tablename__ = "event_consumers"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    # While a failing event waits for its next attempt, the consumer waits with it.
    retry_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class EventFailure(Base):
    """An event a consumer's handler failed on: retrying, or parked after the last try."""

    __tablename__ = "event_failures"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    consumer: Mapped[str] = mapped_column(String(80))
    event_id: Mapped[int] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    parked: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str] = mapped_column(Text, default="")
    first_failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_failed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_event_failures_consumer_event", "consumer", "event_id", unique=True),
        Index("ix_event_failures_event", "event_id"),
    )
