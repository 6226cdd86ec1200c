"""What chat plugs into the event platform: the ``chat:<channel id>`` topic (a channel's
messages, edits, reactions, typing and changes, live) and the retention sweep."""

from __future__ import annotations

import asyncio
import uuid

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.collab import chat_events
from qdeck.collab.chat_channels import open_channel
from qdeck.collab.chat_service import sweep_retention
from qdeck.events.bus import Event
from qdeck.events.registry import Registry, Worker, WorkerContext
from qdeck.events.topics import Topic, TopicKind

log = structlog.get_logger("qdeck.collab")


def register(registry: Registry) -> None:
    registry.add_topic(
        TopicKind(
            name="chat",
            pattern="chat:<channel id>",
            authorize=_channel_workspace,
            matches=_in_channel,
        )
    )
    registry.add_worker(Worker("chat-retention", _sweep, enabled_by="chat_worker_enabled"))


async def _channel_workspace(session: AsyncSession, user_id: uuid.UUID, topic: Topic):
    assert topic.id is not None
    return (await open_channel(session, user_id, topic.id)).channel.workspace_id


def _in_channel(topic: Topic, event: Event, user_id: uuid.UUID) -> bool:
    return (
        event.type in chat_events.CHANNEL_EVENTS
        and event.data.get("channel_id") == str(topic.id)
        and chat_events.visible_to(event, user_id)
    )


async def _sweep(ctx: WorkerContext) -> None:
    """Every server runs it; deleting what is already gone deletes nothing."""
    while True:
        try:
            async with ctx.database.session() as session:
                deleted = await sweep_retention(session)
            if deleted:
                log.info("chat_retention_swept", deleted=deleted)
        except asyncio.CancelledError:
            raise
        except Exception:  # the next sweep tries again
            log.exception("chat_retention_sweep_failed")
        await asyncio.sleep(ctx.settings.chat_sweep_seconds)
