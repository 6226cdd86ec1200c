"""Queries for notifications: a person's list, unread count, read and archive marks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.db.keyset import PageRequest, fetch_page
from qdeck.notifications.models import Notification, Severity


@dataclass(frozen=True)
class NotificationFilter:
    unread: bool | None = None
    kind: str | None = None
    severity: Severity | None = None
    workspace_id: uuid.UUID | None = None
    # False: the inbox (not archived); True: the archive.
    archived: bool = False


def _unread(user_id: uuid.UUID):
    return (
        Notification.user_id == user_id,
        Notification.read_at.is_(None),
        Notification.archived_at.is_(None),
    )


class NotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_for(self, user_id: uuid.UUID, notification_id: uuid.UUID) -> Notification | None:
        found = await self.session.get(Notification, notification_id)
        return found if found is not None and found.user_id == user_id else None

    async def by_dedupe(self, user_id: uuid.UUID, key: str) -> Notification | None:
        return await self.session.scalar(
            select(Notification).where(
                Notification.user_id == user_id, Notification.dedupe_key == key
            )
        )

    async def dedupe_taken(self, user_ids: list[uuid.UUID], key: str) -> set[uuid.UUID]:
        rows = await self.session.scalars(
            select(Notification.user_id).where(
                Notification.user_id.in_(user_ids), Notification.dedupe_key == key
            )
        )
        return set(rows)

    async def unread_count(self, user_id: uuid.UUID) -> int:
        return int(await self.session.scalar(select(func.count()).where(*_unread(user_id))) or 0)

    async def unread_counts(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        rows = await self.session.execute(
            select(Notification.user_id, func.count())
            .where(
                Notification.user_id.in_(user_ids),
                Notification.read_at.is_(None),
                Notification.archived_at.is_(None),
            )
            .group_by(Notification.user_id)
        )
        return {user_id: int(count) for user_id, count in rows.all()}

    async def latest_unread(self, user_id: uuid.UUID, limit: int) -> list[Notification]:
        rows = await self.session.scalars(
            select(Notification)
            .where(*_unread(user_id))
            .order_by(Notification.updated_at.desc(), Notification.id.desc())
            .limit(limit)
        )
        return list(rows)

    async def list_page(
        self, user_id: uuid.UUID, where: NotificationFilter, page: PageRequest
    ) -> tuple[list[Notification], str | None]:
        """Newest activity first (a grouped notification moves up as it grows)."""
        stmt = select(Notification).where(Notification.user_id == user_id)
        if where.archived:
            stmt = stmt.where(Notification.archived_at.is_not(None))
        else:
            stmt = stmt.where(Notification.archived_at.is_(None))
        if where.unread is True:
            stmt = stmt.where(Notification.read_at.is_(None))
        elif where.unread is False:
            stmt = stmt.where(Notification.read_at.is_not(None))
        if where.kind:
            stmt = stmt.where(Notification.kind == where.kind)
        if where.severity:
            stmt = stmt.where(Notification.severity == where.severity)
        if where.workspace_id:
            stmt = stmt.where(Notification.workspace_id == where.workspace_id)
        return await fetch_page(
            self.session, stmt, [Notification.updated_at, Notification.id], page
        )

    async def mark_all_read(
        self, user_id: uuid.UUID, now: datetime, workspace_id: uuid.UUID | None = None
    ) -> int:
        stmt = update(Notification).where(*_unread(user_id)).values(read_at=now)
        if workspace_id is not None:
            stmt = stmt.where(Notification.workspace_id == workspace_id)
        result = await self.session.execute(stmt.execution_options(synchronize_session=False))
        return int(result.rowcount or 0)
