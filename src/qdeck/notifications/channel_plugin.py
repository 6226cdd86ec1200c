"""The channels' part of the event platform: a consumer that turns each new
notification into deliveries, and the worker that sends them."""

from __future__ import annotations

import uuid

from qdeck.db.types import utcnow
from qdeck.events.bus import Event
from qdeck.events.registry import Consumer, HandlerContext, Registry, Worker
from qdeck.notifications import delivery
from qdeck.notifications.channel_fanout import fan_out
from qdeck.notifications.models import Notification
from qdeck.notifications.plugin import NOTIFICATION_CREATED
from qdeck.notifications.webhook_service import queued

CONSUMER = "notification-channels"


def register(registry: Registry) -> None:
    registry.add_consumer(Consumer(CONSUMER, store_deliveries, frozenset({NOTIFICATION_CREATED})))
    registry.add_worker(
        Worker("notification-delivery", delivery.run, enabled_by="delivery_enabled")
    )


async def store_deliveries(ctx: HandlerContext, event: Event) -> None:
    raw = (event.data or {}).get("notification_id")
    if not raw:
        return
    notification = await ctx.session.get(Notification, uuid.UUID(str(raw)))
    if notification is None:
        return  # deleted since (its user or workspace went away)
    if await fan_out(ctx.session, ctx.settings, notification, now=utcnow()):
        queued(ctx.session)
