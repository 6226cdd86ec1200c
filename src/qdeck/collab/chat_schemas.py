"""What the chat API takes and returns. The message read model is also what live
events carry, so an open page shows a new message without asking for it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from qdeck.api.names import Name
from qdeck.api.params import StrictInteger, StrictSwitch
from qdeck.api.schemas import InputModel, OutputModel
from qdeck.collab.models import ChannelKind

MAX_MESSAGE_CHARS = 10_000
# Reactions are one of these, so a reaction cannot carry text of its own.
REACTIONS: tuple[str, ...] = ("👍", "❤️", "😄", "🎉", "🤔", "👀", "🚀", "✅", "❌", "⚛️")


class ChannelCreate(InputModel):
    # Lower-case letters, digits, "-" and "_", as in "#ghz-runs".
    name: str = Field(min_length=1, max_length=80, examples=["ghz-runs"])
    kind: Literal["public", "private"] = "public"
    topic: Name = Field("", max_length=250)
    # Private channels: who is in it besides you (members of the workspace).
    member_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)


class ChannelUpdate(InputModel):
    name: str | None = Field(None, min_length=1, max_length=80)
    topic: Name | None = Field(None, max_length=250)
    archived: StrictSwitch | None = None


class DirectOpen(InputModel):
    user_id: uuid.UUID


class ChannelMembersAdd(InputModel):
    user_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)


class ChannelRead(OutputModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    kind: ChannelKind
    name: str
    # What to show: "#general", or the other person's name for a direct conversation.
    title: str
    topic: str
    archived: bool
    # Private channels and direct conversations; empty for public ones (everyone).
    member_ids: list[uuid.UUID]
    unread: int
    last_read_at: datetime | None
    last_message_at: datetime | None
    created_at: datetime


class MessagePost(InputModel):
    body: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    # Reply in the thread of this (top-level) message.
    thread_root_id: uuid.UUID | None = None


class MessageEdit(InputModel):
    body: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


class ReactionChange(InputModel):
    emoji: str = Field(min_length=1, max_length=16, examples=["👍"])


class ReadMark(InputModel):
    # Read up to and including this message; default: everything so far.
    message_id: uuid.UUID | None = None


class AuthorRead(OutputModel):
    id: uuid.UUID | None
    name: str


class ReactionRead(OutputModel):
    emoji: str
    user_ids: list[uuid.UUID]


class MessageRead(OutputModel):
    id: uuid.UUID
    channel_id: uuid.UUID
    workspace_id: uuid.UUID
    thread_root_id: uuid.UUID | None
    author: AuthorRead
    # "" once deleted.
    body: str
    # The body rendered to safe HTML (no raw HTML, vetted links, QASM highlighted).
    html: str
    mentions: list[uuid.UUID]
    mentions_channel: bool
    job_refs: list[uuid.UUID]
    reactions: list[ReactionRead]
    reply_count: int
    last_reply_at: datetime | None
    created_at: datetime
    edited_at: datetime | None
    deleted: bool


class ThreadRead(OutputModel):
    root: MessageRead
    replies: list[MessageRead]


class JobCardRead(OutputModel):
    """A job named in a message, as a card: only jobs of the channel's workspace."""

    id: uuid.UUID
    name: str
    status: str
    backend: str
    shots: int | None
    created_at: datetime


class ChatSettingsRead(OutputModel):
    workspace_id: uuid.UUID
    retention_days: int | None
    viewers_can_post: bool


class ChatSettingsUpdate(InputModel):
    # Delete messages older than this many days (1..3650); null keeps them.
    retention_days: StrictInteger | None = Field(None, ge=1, le=3650)
    viewers_can_post: StrictSwitch | None = None
