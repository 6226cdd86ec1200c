"""The live events of a person's notifications (see ``event_types``)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.notifications.event_types import NOTIFICATION_READ
from qdeck.notifications.models import Notification, Severity
from qdeck.notifications.repository import NotificationRepository


async def announce(session: AsyncSession, row: Notification, kind: str) -> None:
    """Emit ``kind`` for ``row`` with the person's unread count as of this unit of work."""
    await session.flush()
    unread = await NotificationRepository(session).unread_count(row.user_id)
    emit(session, notification_event(row, kind, unread))


def announce_read(session: AsyncSession, user_id: uuid.UUID, unread: int, ids: list[str]) -> None:
    emit(
        session,
        Event(
            type=NOTIFICATION_READ,
            workspace_id=None,
            user_id=user_id,
            data={"notification_ids": ids, "unread_count": unread},
        ),
    )


def notification_event(row: Notification, kind: str, unread: int) -> Event:
    return Event(
        type=kind,
        # No workspace: only this person's pages and sockets hear it.
        workspace_id=None,
        user_id=row.user_id,
        data={
            "notification_id": str(row.id),
            "kind": row.kind,
            "severity": Severity(row.severity).value,
            "title": row.title,
            "body": row.body,
            "link": row.link,
            "count": row.count,
            "workspace_id": str(row.workspace_id) if row.workspace_id else None,
            "unread_count": unread,
        },
    )
