"""What the events admin API shows: consumers' positions and lag, and parked events."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel


class ConsumerRead(BaseModel):
    name: str
    # Every event with an id up to here has been handled (or parked).
    position: int
    newest_event_id: int
    # Events committed but not yet handled by this consumer.
    lag: int
    # When the oldest of them was committed (None when the consumer is caught up).
    oldest_unhandled_at: datetime | None
    # Set while a failing event waits for its next attempt.
    retry_at: datetime | None
    parked: int
    registered: bool


class ParkedEventRead(BaseModel):
    id: int
    consumer: str
    event_id: int
    event_type: str | None
    workspace_id: uuid.UUID | None
    attempts: int
    last_error: str
    first_failed_at: datetime
    last_failed_at: datetime
