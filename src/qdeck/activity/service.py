"""Writes the workspace activity feed. Called by services inside their unit of work."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.activity.models import ActivityEntry


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
    return entry
