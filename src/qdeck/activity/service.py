"""The workspace activity feed: written by other services, read by people."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.activity.models import ActivityEntry
from qdeck.activity.repository import ActivityRepository
from qdeck.auth.models import User
from qdeck.db.keyset import PageRequest
from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.workspaces.access import Action, authorize

ACTIVITY = "activity"


async def record_activity(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    verb: str,
    *,
    actor_id: uuid.UUID | None,
    subject_type: str,
    subject_id: object,
    summary: str,
    data: dict[str, Any] | None = None,
) -> ActivityEntry:
    """Add an entry inside the caller's unit of work; it is announced once committed."""
    entry = ActivityEntry(
        workspace_id=workspace_id,
        verb=verb,
        actor_id=actor_id,
        subject_type=subject_type,
        subject_id=str(subject_id),
        summary=summary[:300],
        data=data or {},
    )
    session.add(entry)
    await session.flush()
    emit(session, activity_event(entry))
    return entry


def activity_event(entry: ActivityEntry) -> Event:
    return Event(
        type=ACTIVITY,
        workspace_id=entry.workspace_id,
        seq=entry.id,
        at=entry.created_at,
        data={
            "id": entry.id,
            "verb": entry.verb,
            "actor_id": str(entry.actor_id) if entry.actor_id else None,
            "subject_type": entry.subject_type,
            "subject_id": entry.subject_id,
            "summary": entry.summary,
        },
    )


class ActivityService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.entries = ActivityRepository(session)

    async def list(
        self, reader: User, workspace_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[ActivityEntry], str | None]:
        """Newest first; members only (others are told the workspace does not exist)."""
        await authorize(self.session, reader.id, workspace_id, Action.VIEW)
        return await self.entries.list_page(workspace_id, page)
