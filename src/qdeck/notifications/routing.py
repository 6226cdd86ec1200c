"""Which channels a stored notification travels on, and when.

The contract with the channels half (docs/notifications.md): the channels' consumer of
``notification.created`` calls ``route`` and stores one delivery per ``Route``, sent at
``due_at``; deliveries sharing a ``batch_key`` go out as one message. In-app is not
routed: the notification row is the in-app delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.notifications.catalog import EVENT_TYPES, ROUTED_CHANNELS
from qdeck.notifications.models import (
    DigestMode,
    Notification,
    NotificationGroup,
    NotificationSettings,
    Severity,
)
from qdeck.notifications.preferences import digest_mode, load_choices, load_settings
from qdeck.notifications.timing import digest_due, quiet_until


@dataclass(frozen=True)
class Route:
    channel: str  # "email" or "webhook"
    due_at: datetime
    # Same key: one digest message for every due delivery carrying it.
    batch_key: str | None = None


async def route(session: AsyncSession, notification: Notification, *, now: datetime) -> list[Route]:
    """The e-mail and webhook deliveries ``notification`` should get.

    - Channels: the person's workspace override, else their own preference, else the
      catalog default for the event type (widened by a graver severity).
    - A notification whose burst group is still open waits until the group closes, so
      fifty completions make one message with the final counts.
    - Non-urgent events wait for the end of the digest window (hourly/daily in the
      person's zone) and then for the end of quiet hours.
    """
    event = EVENT_TYPES.get(notification.kind)
    if event is None:
        return []
    severity = Severity(notification.severity or event.default_severity)
    choices = await load_choices(session, notification.user_id, notification.workspace_id)
    channels = [c for c in ROUTED_CHANNELS if choices.wants(event, severity, c)]
    if not channels:
        return []
    settings = await load_settings(session, notification.user_id)
    base = max(now, await _group_closes(session, notification) or now)
    routes = []
    for channel in channels:
        if event.urgent:
            routes.append(Route(channel, base))
        else:
            routes.append(_timed(channel, base, settings, str(notification.user_id)))
    return routes


def _timed(channel: str, base: datetime, settings: NotificationSettings, user: str) -> Route:
    mode = digest_mode(settings, channel)
    due = digest_due(base, settings.time_zone, mode, settings.daily_digest_hour)
    batch = f"digest:{mode.value}:{channel}:{user}:{due.isoformat()}"
    if mode == DigestMode.IMMEDIATE:
        batch = None
    quiet_end = quiet_until(
        due, settings.time_zone, settings.quiet_start_minute, settings.quiet_end_minute
    )
    if quiet_end is not None:
        due = quiet_end
        # Everything held back by one quiet night goes out as one message.
        batch = batch or f"quiet:{channel}:{user}:{due.isoformat()}"
    return Route(channel, due, batch)


async def _group_closes(session: AsyncSession, notification: Notification) -> datetime | None:
    if notification.group_key is None:
        return None
    return await session.scalar(
        select(NotificationGroup.closes_at).where(
            NotificationGroup.user_id == notification.user_id,
            NotificationGroup.group_key == notification.group_key,
            NotificationGroup.notification_id == notification.id,
        )
    )
