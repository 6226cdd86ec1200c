"""Events the workspaces domain emits, so open settings pages and switchers update live.

``workspace.changed`` goes to everyone looking at the workspace and says which part
changed; its data names no people (pending invitations are an admin's business).
``invitation.received`` / ``invitation.resolved`` go to one person only.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.events.bus import Event
from qdeck.events.outbox import emit

WORKSPACE_CHANGED = "workspace.changed"
INVITATION_RECEIVED = "invitation.received"
INVITATION_RESOLVED = "invitation.resolved"


class Part(StrEnum):
    SETTINGS = "settings"
    MEMBERS = "members"
    INVITATIONS = "invitations"
    PROJECTS = "projects"


def workspace_changed(
    session: AsyncSession, workspace_id: uuid.UUID, part: Part, *, actor_id: uuid.UUID | None
) -> None:
    emit(
        session,
        Event(
            type=WORKSPACE_CHANGED,
            workspace_id=workspace_id,
            actor_id=actor_id,
            data={"part": part.value, "workspace_id": str(workspace_id)},
        ),
    )


def tell_invitee(
    session: AsyncSession, user_id: uuid.UUID, kind: str, invitation_id: uuid.UUID
) -> None:
    """A user-only event (no workspace), so only that person's pages hear it."""
    emit(
        session,
        Event(
            type=kind, workspace_id=None, user_id=user_id, data={"invitation": str(invitation_id)}
        ),
    )
