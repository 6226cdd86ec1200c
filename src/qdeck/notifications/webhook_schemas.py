"""What the webhook endpoints API takes and returns, and the payloads receivers get."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from qdeck.api.params import StrictSwitch
from qdeck.api.schemas import InputModel, OutputModel
from qdeck.notifications.delivery_models import (
    Channel,
    DeliveryState,
    EndpointScope,
    EndpointState,
)

MAX_TEST_PAYLOAD_BYTES = 16 * 1024


class EndpointCreate(InputModel):
    url: str = Field(min_length=1, max_length=2000, examples=["https://example.org/hooks/qdeck"])
    description: str = Field("", max_length=200)
    # Catalog event types (job.failed, ...); empty: every type.
    event_types: list[str] = Field(default_factory=list, max_length=100)


class EndpointUpdate(InputModel):
    url: str | None = Field(None, min_length=1, max_length=2000)
    description: str | None = Field(None, max_length=200)
    event_types: list[str] | None = Field(None, max_length=100)
    # true re-enables a disabled endpoint; false disables it.
    enabled: StrictSwitch | None = None


class EndpointRotate(InputModel):
    # How long the old secret keeps signing; default QDECK_WEBHOOK_ROTATION_OVERLAP_HOURS.
    overlap_hours: float | None = Field(None, ge=0, le=24 * 30, strict=True)


class EndpointTest(InputModel):
    # Extra data for the test event's "data" (at most 16 KiB as JSON).
    data: dict[str, Any] = Field(default_factory=dict)


class EndpointRead(OutputModel):
    id: uuid.UUID
    scope: EndpointScope
    workspace_id: uuid.UUID | None
    url: str
    description: str
    event_types: list[str]
    state: EndpointState
    disabled_reason: str | None
    failing_since: datetime | None
    last_delivery_at: datetime | None
    last_status_code: int | None
    previous_secret_expires_at: datetime | None
    created_at: datetime


class EndpointWithSecret(EndpointRead):
    """Only in the answer to a create or a rotation: the secret is never shown again."""

    secret: str


class AttemptRead(OutputModel):
    attempt: int
    started_at: datetime
    ok: bool
    status_code: int | None
    latency_ms: int
    error: str | None
    response_excerpt: str | None


class DeliveryRead(OutputModel):
    id: uuid.UUID
    channel: Channel
    message_id: str
    event_type: str
    state: DeliveryState
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_latency_ms: int | None
    last_error: str | None
    last_response: str | None
    delivered_at: datetime | None
    created_at: datetime


class DeliveryDetail(DeliveryRead):
    payload: dict[str, Any]
    attempt_log: list[AttemptRead]


class ChannelStatus(BaseModel):
    email_configured: bool
    email_detail: str
    webhook_allow_http: bool
    webhook_allow_private: bool


# --- the payloads receivers get, documented as OpenAPI webhooks ---


class NotificationPayload(BaseModel):
    id: uuid.UUID
    kind: str = Field(examples=["job.failed"])
    severity: Literal["info", "warning", "error"]
    title: str
    body: str
    link: str | None = Field(None, description="An absolute link into qdeck")
    workspace_id: uuid.UUID | None
    count: int = Field(1, description="How many events a grouped notification stands for")
    created_at: datetime
    data: dict[str, Any] = Field(default_factory=dict, description="Event-type details")


class NotificationData(BaseModel):
    notification: NotificationPayload


class DigestData(BaseModel):
    notifications: list[NotificationPayload]


class TestData(BaseModel):
    message: str
    endpoint_id: uuid.UUID
    data: dict[str, Any] = Field(default_factory=dict)


class WebhookEnvelope(BaseModel):
    """Every webhook body. Headers: ``webhook-id`` (the same on every retry: de-duplicate
    by it), ``webhook-timestamp`` (seconds), ``webhook-signature`` (``v1,<base64
    HMAC-SHA256>`` over ``id.timestamp.body`` under the endpoint's ``whsec_`` secret;
    during a rotation one signature per secret, space separated)."""

    type: str
    timestamp: datetime
    version: Literal[1] = 1


class NotificationWebhook(WebhookEnvelope):
    data: NotificationData


class DigestWebhook(WebhookEnvelope):
    type: Literal["notification.digest"] = "notification.digest"
    data: DigestData


class TestWebhook(WebhookEnvelope):
    type: Literal["webhook.test"] = "webhook.test"
    data: TestData
