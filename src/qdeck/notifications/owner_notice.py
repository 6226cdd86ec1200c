"""Telling an endpoint's owner in the app that it was disabled (410, or days of failures)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.db.types import utcnow
from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.notifications.catalog import EVENT_TYPES
from qdeck.notifications.delivery_models import WebhookEndpoint
from qdeck.notifications.models import Notification, Severity
from qdeck.notifications.plugin import NOTIFICATION_CREATED

KIND = "webhook.disabled"


async def tell_owner(session: AsyncSession, endpoint: WebhookEndpoint, reason: str) -> None:
    if endpoint.user_id is None:
        return
    title = "Webhook endpoint disabled"
    body = f"{endpoint.url} gets no more notifications: {reason} Fix it, then enable it again."
    link = "/notifications/webhooks"
    if KIND in EVENT_TYPES:
        from qdeck.notifications.service import notify

        await notify(
            session,
            user_id=endpoint.user_id,
            workspace_id=endpoint.workspace_id,
            kind=KIND,
            title=title,
            body=body,
            link=link,
            severity=Severity.WARNING,
            data={"endpoint_id": str(endpoint.id)},
        )
        return
    # Not (yet) in the catalog: an in-app row of its own, never e-mailed or routed.
    now = utcnow()
    row = Notification(
        user_id=endpoint.user_id,
        workspace_id=endpoint.workspace_id,
        kind=KIND,
        severity=Severity.WARNING,
        title=title,
        body=body,
        link=link,
        data={"endpoint_id": str(endpoint.id)},
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    emit(
        session,
        Event(
            type=NOTIFICATION_CREATED,
            workspace_id=None,
            user_id=endpoint.user_id,
            data={
                "notification_id": str(row.id),
                "kind": KIND,
                "severity": Severity.WARNING.value,
                "title": title,
            },
        ),
    )
