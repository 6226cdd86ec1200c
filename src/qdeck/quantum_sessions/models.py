from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base, Timestamps, UUIDPrimaryKey
from qdeck.db.types import StrEnumType


class SessionMode(StrEnum):
    SESSION = "session"
    BATCH = "batch"


class SessionStatus(StrEnum):
    OPEN = "open"
    ACTIVE = "active"
    CLOSED = "closed"
    EXPIRED = "expired"


class QuantumSession(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "quantum_sessions"

    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL")
    )
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    backend: Mapped[str] = mapped_column(String(100))
    mode: Mapped[SessionMode] = mapped_column(StrEnumType(SessionMode))
    status: Mapped[SessionStatus] = mapped_column(
        StrEnumType(SessionStatus), default=SessionStatus.OPEN
    )
    max_time_seconds: Mapped[int] = mapped_column(Integer, default=8 * 3600)
    idle_timeout_seconds: Mapped[int] = mapped_column(Integer, default=300)
    remote_session_id: Mapped[str | None] = mapped_column(String(100))
    last_activity_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_quantum_sessions_workspace_created", "workspace_id", "created_at", "id"),
        Index("ix_quantum_sessions_status", "status"),
    )
