"""Bursts become one notification: an open group row per person and group key.

The first event of a burst stores its notification and opens the group until
``now + window``; later events of the same key fold into that row in place while the
group is open. The group's primary key (person, key) makes two writers opening the same
group collide: the loser folds into the winner's notification, so a burst is exactly one
notification even with concurrent consumers, and a consumer's restart repeats its whole
batch or none of it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.notifications.models import Notification, NotificationGroup


async def open_group(
    session: AsyncSession, user_id: uuid.UUID, group_key: str, now: datetime
) -> Notification | None:
    """The notification of the group still open at ``now``, locked for the fold."""
    group = await session.scalar(
        select(NotificationGroup)
        .where(
            NotificationGroup.user_id == user_id,
            NotificationGroup.group_key == group_key,
            NotificationGroup.closes_at > now,
        )
        .with_for_update()
    )
    if group is None:
        return None
    return await session.get(Notification, group.notification_id, with_for_update=True)


async def store(
    session: AsyncSession,
    row: Notification,
    *,
    now: datetime,
    window: float | None = None,
) -> bool:
    """Insert ``row`` (and open its group when it has a ``group_key``) in a savepoint.
    False when its dedupe key is taken or another writer opened the group first."""
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
            if row.group_key is not None:
                await session.execute(
                    delete(NotificationGroup).where(
                        NotificationGroup.user_id == row.user_id,
                        NotificationGroup.group_key == row.group_key,
                        NotificationGroup.closes_at <= now,
                    )
                )
                session.add(
                    NotificationGroup(
                        user_id=row.user_id,
                        group_key=row.group_key,
                        notification_id=row.id,
                        opened_at=now,
                        closes_at=now + timedelta(seconds=window or 0),
                    )
                )
                await session.flush()
    except IntegrityError:
        return False
    return True
