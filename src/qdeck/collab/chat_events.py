"""The events chat emits to the outbox. Each names its channel (``data.channel_id``);
those of a private channel or direct conversation also list who may see them
(``data.audience``, user ids), so a subscriber's filter needs no database:

* ``chat.message``: a message was posted; ``message`` is its read model.
* ``chat.message_changed``: edited, deleted, reacted to or replied to; ``message``.
* ``chat.typing``: ``user_id`` / ``name`` is typing (the UI shows it for a few seconds).
* ``chat.channel``: a channel was created, renamed, archived or its members changed.
* ``chat.read``: the person's own read marker moved (their other tabs update the count);
  personal, no workspace.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.collab.models import ChannelKind, ChatChannel
from qdeck.events.bus import Event
from qdeck.events.outbox import emit

MESSAGE_POSTED = "chat.message"
MESSAGE_CHANGED = "chat.message_changed"
TYPING = "chat.typing"
CHANNEL_CHANGED = "chat.channel"
READ = "chat.read"

ALL = frozenset({MESSAGE_POSTED, MESSAGE_CHANGED, TYPING, CHANNEL_CHANGED, READ})
# Shown to others in the channel (all but the personal read marker).
CHANNEL_EVENTS = ALL - {READ}


def visible_to(event: Event, user_id: uuid.UUID) -> bool:
    """Whether a chat event of a channel may reach ``user_id`` (already known to be a
    member of the event's workspace)."""
    audience = event.data.get("audience")
    return audience is None or str(user_id) in audience


def channel_event(
    session: AsyncSession,
    kind: str,
    channel: ChatChannel,
    audience: list[uuid.UUID] | None,
    *,
    actor_id: uuid.UUID | None,
    **data: Any,
) -> None:
    payload: dict[str, Any] = {"channel_id": str(channel.id), **data}
    if channel.kind is not ChannelKind.PUBLIC:
        payload["audience"] = sorted(str(u) for u in audience or [])
    emit(
        session,
        Event(type=kind, workspace_id=channel.workspace_id, actor_id=actor_id, data=payload),
    )


def read_moved(session: AsyncSession, user_id: uuid.UUID, channel_id: uuid.UUID) -> None:
    emit(
        session,
        Event(
            type=READ,
            workspace_id=None,
            user_id=user_id,
            data={"channel_id": str(channel_id)},
        ),
    )
