from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from qdeck.api.names import Name
from qdeck.api.params import StrictInteger
from qdeck.api.schemas import InputModel, OutputModel
from qdeck.jobs.schemas import JobRead
from qdeck.quantum_sessions.models import SessionMode, SessionStatus


class SessionCreate(InputModel):
    workspace_id: uuid.UUID | None = None
    project_id: uuid.UUID | None = None
    backend: str = Field(min_length=1, max_length=100)
    mode: SessionMode = SessionMode.SESSION
    name: Name = Field(default="", max_length=200)
    # IBM Runtime defaults: a session lives at most 8 hours and ends after 5 idle minutes.
    max_time_seconds: StrictInteger = Field(default=8 * 3600, ge=1, le=7 * 24 * 3600)
    idle_timeout_seconds: StrictInteger = Field(default=300, ge=1, le=24 * 3600)


class SessionRead(OutputModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    project_id: uuid.UUID | None
    created_by: uuid.UUID | None
    name: str
    backend: str
    mode: SessionMode
    status: SessionStatus
    max_time_seconds: int
    idle_timeout_seconds: int
    created_at: datetime
    last_activity_at: datetime | None
    closed_at: datetime | None
    close_reason: str | None


class SessionDetail(SessionRead):
    jobs: list[JobRead]
