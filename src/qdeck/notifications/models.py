from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base, CreatedAt, Timestamps, UUIDPrimaryKey
from qdeck.db.types import StrEnumType, utcnow


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class DigestMode(StrEnum):
    IMMEDIATE = "immediate"
    HOURLY = "hourly"
    DAILY = "daily"


class Notification(UUIDPrimaryKey, CreatedAt, Base):
    """One in-app notification: the row is the in-app delivery, and what the other
    channels (e-mail, webhooks) deliver from."""

    __tablename__ = "notifications"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    workspace_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE")
    )
    # An event type key of notifications.catalog (job.failed, jobs.finished, ...).
    kind: Mapped[str] = mapped_column(String(50))
    severity: Mapped[Severity] = mapped_column(
        StrEnumType(Severity), default=Severity.INFO, server_default="info"
    )
    title: Mapped[str] = mapped_column(String(200))
    # Why it matters, in one sentence built from data.
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    read_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]
    # Set once the notification went out in an e-mail digest.
    digested_at: Mapped[datetime | None]
    # A burst folded into this row (jobs of one session finishing together): the group
    # it belongs to and how many events it stands for.
    group_key: Mapped[str | None] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Unique per user: the same thing announced twice collapses into the first.
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    # The outbox event that caused it, when one did.
    source_event_id: Mapped[int | None] = mapped_column(BigInteger)
    # Moves when a grouped notification takes in another event; the centre sorts by it.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_notifications_user_created", "user_id", "created_at", "id"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index("ix_notifications_user_updated", "user_id", "updated_at", "id"),
        UniqueConstraint("user_id", "dedupe_key", name="uq_notifications_user_dedupe"),
    )


class NotificationGroup(Base):
    """The open burst of one group key for one person: events arriving before
    ``closes_at`` fold into ``notification_id``. The primary key makes two consumers
    opening the same group at once collide instead of making two notifications."""

    __tablename__ = "notification_groups"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    group_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE")
    )
    opened_at: Mapped[datetime]
    closes_at: Mapped[datetime]

    __table_args__ = (Index("ix_notification_groups_notification", "notification_id"),)


class NotificationPreference(Base):
    """A person's choice for one event type on one channel (absent: the catalog default)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(50), primary_key=True)
    # in_app, email or webhook
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class NotificationWorkspacePreference(Base):
    """A person's override for one workspace, above their own preference."""

    __tablename__ = "notification_workspace_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(50), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class NotificationSettings(Timestamps, Base):
    """When a person wants to hear: time zone, quiet hours, digests per channel."""

    __tablename__ = "notification_settings"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # An IANA zone name, checked with zoneinfo before it is stored.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Minutes after local midnight; both set or both empty. Start after end spans midnight.
    quiet_start_minute: Mapped[int | None] = mapped_column(Integer)
    quiet_end_minute: Mapped[int | None] = mapped_column(Integer)
    email_digest: Mapped[DigestMode] = mapped_column(
        StrEnumType(DigestMode), default=DigestMode.IMMEDIATE
    )
    webhook_digest: Mapped[DigestMode] = mapped_column(
        StrEnumType(DigestMode), default=DigestMode.IMMEDIATE
    )
    # Local hour at which a daily digest goes out.
    daily_digest_hour: Mapped[int] = mapped_column(Integer, default=8)


class NotificationWorkspaceSettings(Timestamps, Base):
    """A workspace's daily usage quota; crossing 80 % and 100 % of it notifies admins."""

    __tablename__ = "notification_workspace_settings"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    daily_shot_quota: Mapped[int | None] = mapped_column(BigInteger)
    daily_job_quota: Mapped[int | None] = mapped_column(Integer)


class NotificationBackendState(Base):
    """The last status the notifications worker saw for a backend, so an offline or
    online change is noticed once across servers (a conditional update wins)."""

    __tablename__ = "notification_backend_states"

    backend: Mapped[str] = mapped_column(String(100), primary_key=True)
    online: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime]


class NotificationSweep(Base):
    """A lease for one periodic sweep of the notifications worker: the server whose
    conditional update moves ``due_at`` runs it, the others skip it."""

    __tablename__ = "notification_sweeps"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    due_at: Mapped[datetime]
