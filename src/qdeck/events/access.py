"""Changes of who may see what, announced to every live channel (WebSocket, open pages).

Whoever removes a member, changes a role, ends sessions, revokes a token or deletes a
workspace calls ``announce_access_change`` in the same unit of work. Live channels that
hear it check their viewer's access again against the database, so the event is a hint
of what to re-check, never the authority.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.events.bus import Event
from qdeck.events.outbox import emit

ACCESS_CHANGED = "access.changed"


class AccessChange(StrEnum):
    MEMBER_REMOVED = "member_removed"
    ROLE_CHANGED = "role_changed"
    SESSIONS_ENDED = "sessions_ended"
    TOKEN_REVOKED = "token_revoked"
    WORKSPACE_DELETED = "workspace_deleted"


def announce_access_change(
    session: AsyncSession,
    kind: AccessChange,
    *,
    reason: str,
    user_id: uuid.UUID | None = None,
    workspace_id: uuid.UUID | None = None,
) -> None:
    """``user_id``: whose access changed (None: everyone in ``workspace_id``)."""
    emit(
        session,
        Event(
            type=ACCESS_CHANGED,
            workspace_id=workspace_id,
            user_id=user_id,
            data={
                "kind": kind.value,
                "reason": reason,
                "user_id": str(user_id) if user_id else None,
                "workspace_id": str(workspace_id) if workspace_id else None,
            },
        ),
    )


def concerns(event: Event, user_id: uuid.UUID, workspace_ids: set[uuid.UUID]) -> bool:
    """Whether a live channel of ``user_id`` watching ``workspace_ids`` must re-check."""
    if event.type != ACCESS_CHANGED:
        return False
    if event.user_id is not None:
        return event.user_id == user_id
    return event.workspace_id in workspace_ids
