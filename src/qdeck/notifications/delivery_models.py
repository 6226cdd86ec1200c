"""Delivery of notifications over e-mail and webhooks: endpoints, deliveries, attempts.

Three records, as Svix keeps them: an endpoint (where and how to sign), a delivery (one
message to one recipient, with its state; its ``message_id`` is the ``webhook-id`` and
stays the same across retries) and its attempts (the delivery log).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base, Timestamps, UUIDPrimaryKey
from qdeck.db.types import BigIntPK, StrEnumType, utcnow


class EndpointScope(StrEnum):
    USER = "user"
    WORKSPACE = "workspace"


class EndpointState(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class DeliveryState(StrEnum):
    PENDING = "pending"
    DELIVERING = "delivering"
    DELIVERED = "delivered"
    # Every retry used up.
    FAILED = "failed"
    # Nowhere to go any more: the endpoint was disabled or removed, SMTP unconfigured.
    DISABLED = "disabled"


class WebhookEndpoint(UUIDPrimaryKey, Timestamps, Base):
    """A URL that receives signed notifications: one person's, or a workspace's (admins)."""

    __tablename__ = "webhook_endpoints"

    scope: Mapped[EndpointScope] = mapped_column(StrEnumType(EndpointScope))
    # The owner of a user endpoint; for a workspace endpoint, whoever created it.
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    workspace_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE")
    )
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    # Event types it receives (catalog keys); empty means every type.
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    # whsec_ secrets, AES-GCM under the vault cipher, bound to the endpoint id.
    secret_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    previous_secret_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    previous_secret_expires_at: Mapped[datetime | None]
    state: Mapped[EndpointState] = mapped_column(
        StrEnumType(EndpointState), default=EndpointState.ACTIVE
    )
    disabled_reason: Mapped[str | None] = mapped_column(String(300))
    # The first failure of the current run of failures; cleared by a success.
    failing_since: Mapped[datetime | None]
    last_delivery_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_webhook_endpoints_user", "user_id"),
        Index("ix_webhook_endpoints_workspace", "workspace_id"),
    )


class Delivery(UUIDPrimaryKey, Timestamps, Base):
    """One message on one channel to one recipient (a person's inbox or an endpoint)."""

    __tablename__ = "notification_deliveries"

    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel))
    # None for test events.
    notification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE")
    )
    # The e-mail recipient, or the person a user endpoint belongs to.
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    endpoint_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    # The webhook-id (and e-mail Message-ID): the same on every attempt, so receivers
    # can de-duplicate.
    message_id: Mapped[str] = mapped_column(String(64))
    # What makes a delivery unique (channel, recipient, source): a consumer that sees an
    # event twice stores it once.
    dedupe_key: Mapped[str] = mapped_column(String(300))
    event_type: Mapped[str] = mapped_column(String(50))
    # The versioned envelope {"type", "timestamp", "version", "data"}.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[DeliveryState] = mapped_column(
        StrEnumType(DeliveryState), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # While delivering: when the sender's claim runs out and another may take it.
    claimed_until: Mapped[datetime | None]
    # Deliveries sharing a batch key and due together go out as one digest message.
    batch_key: Mapped[str | None] = mapped_column(String(200))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_latency_ms: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    last_response: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_notification_deliveries_dedupe", "dedupe_key", unique=True),
        Index("ix_notification_deliveries_due", "state", "next_attempt_at"),
        Index("ix_notification_deliveries_endpoint", "endpoint_id", "created_at"),
        Index("ix_notification_deliveries_user", "user_id", "created_at"),
        Index("ix_notification_deliveries_notification", "notification_id"),
    )


class DeliveryAttempt(Base):
    """One try of a delivery: what the receiver (or SMTP server) answered, and how fast."""

    __tablename__ = "notification_delivery_attempts"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    delivery_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notification_deliveries.id", ondelete="CASCADE")
    )
    attempt: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ok: Mapped[bool]
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    error: Mapped[str | None] = mapped_column(String(500))
    response_excerpt: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_notification_delivery_attempts_delivery", "delivery_id", "id"),)
