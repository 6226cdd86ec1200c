"""From a stored notification to its deliveries: one row per channel and recipient.

Called by the channels' consumer of ``notification.created`` (``channel_plugin``). The
consumer is at least once, so every row has a unique ``dedupe_key`` and a second look at
the same notification stores nothing new. A notification fanned out to every member of
a workspace reaches each workspace endpoint once: its key names the source (the outbox
event behind the notifications, or their shared dedupe key), not the member.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.config import Settings
from qdeck.notifications import delivery_repository as repo
from qdeck.notifications import email, unsubscribe, webhooks
from qdeck.notifications.catalog import EMAIL, EVENT_TYPES, WEBHOOK
from qdeck.notifications.delivery_models import Channel, Delivery, WebhookEndpoint
from qdeck.notifications.models import Notification
from qdeck.notifications.routing import route

log = structlog.get_logger("qdeck.notifications")


def notification_payload(settings: Settings, notification: Notification) -> dict[str, Any]:
    """The ``data.notification`` object webhooks and e-mail are built from."""
    link = notification.link
    if link and not link.startswith(("http://", "https://")):
        link = unsubscribe.base_url(settings) + link
    severity = notification.severity
    return {
        "id": str(notification.id),
        "kind": notification.kind,
        "severity": str(getattr(severity, "value", severity) or "info"),
        "title": notification.title,
        "body": notification.body or "",
        "link": link,
        "workspace_id": str(notification.workspace_id) if notification.workspace_id else None,
        "count": int(getattr(notification, "count", 1) or 1),
        "created_at": notification.created_at.isoformat(),
        "data": notification.data or {},
    }


def source_key(notification: Notification) -> str:
    """What a workspace endpoint de-duplicates on: the same event told to many members."""
    source_event = getattr(notification, "source_event_id", None)
    if source_event is not None:
        return f"event:{source_event}"
    dedupe = getattr(notification, "dedupe_key", None)
    if dedupe:
        return f"key:{notification.kind}:{dedupe}"
    return f"notification:{notification.id}"


async def fan_out(
    session: AsyncSession, settings: Settings, notification: Notification, *, now: datetime
) -> list[Delivery]:
    """Store the deliveries ``notification`` should get; the ones new this time."""
    payload = webhooks.envelope(
        notification.kind,
        {"notification": notification_payload(settings, notification)},
        notification.created_at,
    )
    made: list[Delivery] = []
    routes = {r.channel: r for r in await route(session, notification, now=now)}
    email_route = routes.get(EMAIL)
    if email_route is not None:
        if email.configured(settings):
            made += await _store(
                session,
                Channel.EMAIL,
                f"email:{notification.id}",
                notification,
                payload,
                email_route.due_at,
                email_route.batch_key,
                user_id=notification.user_id,
            )
        else:
            log.info("email_skipped_no_smtp", notification_id=str(notification.id))
    own, shared = await repo.active_endpoints_for(
        session, notification.user_id, notification.workspace_id
    )
    webhook_route = routes.get(WEBHOOK)
    if webhook_route is not None:
        for endpoint in own:
            if _subscribed(endpoint, notification.kind):
                made += await _store(
                    session,
                    Channel.WEBHOOK,
                    f"webhook:{endpoint.id}:{notification.id}",
                    notification,
                    payload,
                    webhook_route.due_at,
                    webhook_route.batch_key,
                    user_id=notification.user_id,
                    endpoint_id=endpoint.id,
                )
    event = EVENT_TYPES.get(notification.kind)
    if event is not None and event.workspace_visible:
        # A workspace's endpoints answer to its admins' choice of event types, not to
        # one member's preferences or quiet hours.
        for endpoint in shared:
            if _subscribed(endpoint, notification.kind):
                made += await _store(
                    session,
                    Channel.WEBHOOK,
                    f"webhook:{endpoint.id}:{source_key(notification)}",
                    notification,
                    payload,
                    now,
                    None,
                    endpoint_id=endpoint.id,
                )
    return made


def _subscribed(endpoint: WebhookEndpoint, kind: str) -> bool:
    return not endpoint.event_types or kind in endpoint.event_types


async def _store(
    session: AsyncSession,
    channel: Channel,
    key: str,
    notification: Notification,
    payload: dict[str, Any],
    due_at: datetime,
    batch_key: str | None,
    *,
    user_id: uuid.UUID | None = None,
    endpoint_id: uuid.UUID | None = None,
) -> list[Delivery]:
    if await repo.delivery_by_key(session, key) is not None:
        return []
    delivery = Delivery(
        channel=channel,
        notification_id=notification.id,
        user_id=user_id,
        endpoint_id=endpoint_id,
        message_id=webhooks.new_message_id(),
        dedupe_key=key,
        event_type=notification.kind,
        payload=payload,
        attempts=0,
        next_attempt_at=due_at,
        batch_key=batch_key,
    )
    try:
        async with session.begin_nested():
            session.add(delivery)
            await session.flush()
    except IntegrityError:
        return []  # stored by another look at the same event a moment ago
    return [delivery]
