"""Delivery of notifications over e-mail and webhooks: endpoints, deliveries, attempts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base, Timestamps, UUIDPrimaryKey


class Webhook(UUIDPrimaryKey, Timestamps, Base):
    """A workspace's outgoing webhook; payloads are signed with its (encrypted) secret."""

    __tablename__ = "webhooks"

    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_delivery_at: Mapped[datetime | None]
    last_status: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (Index("ix_webhooks_workspace", "workspace_id"),)
