"""Queries for the activity feed."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.activity.models import ActivityEntry
from qdeck.db.keyset import PageRequest, fetch_page


class ActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_page(
        self, workspace_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[ActivityEntry], str | None]:
        stmt = select(ActivityEntry).where(ActivityEntry.workspace_id == workspace_id)
        return await fetch_page(self.session, stmt, [ActivityEntry.id], page)

    async def after(self, workspace_id: uuid.UUID, since: int, limit: int) -> list[ActivityEntry]:
        """Entries newer than ``since``, oldest first (what a reconnecting client missed)."""
        rows = await self.session.scalars(
            select(ActivityEntry)
            .where(ActivityEntry.workspace_id == workspace_id, ActivityEntry.id > since)
            .order_by(ActivityEntry.id)
            .limit(limit)
        )
        return list(rows)
