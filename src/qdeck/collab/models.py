"""Collaboration: live chat and shared documents that merge concurrent edits."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base, CreatedAt, Timestamps, UUIDPrimaryKey
from qdeck.db.types import StrEnumType, utcnow


class ChannelKind(StrEnum):
    # Every member of the workspace reads and (role permitting) posts.
    PUBLIC = "public"
    # Only the chosen members see it at all.
    PRIVATE = "private"
    # Two people (or one, a note to self); named by its members, not by a title.
    DIRECT = "direct"


class ChatChannel(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "chat_channels"

    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    kind: Mapped[ChannelKind] = mapped_column(StrEnumType(ChannelKind))
    # A direct conversation's name is its members' ids, so opening it twice finds one.
    name: Mapped[str] = mapped_column(String(80))
    topic: Mapped[str] = mapped_column(String(250), default="")
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    archived_at: Mapped[datetime | None]
    last_message_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("workspace_id", "name"),)


class ChatChannelMember(Base):
    """Who is in a private channel or direct conversation (public ones have everyone)."""

    __tablename__ = "chat_channel_members"

    channel_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("chat_channels.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_chat_channel_members_user", "user_id"),)


class ChatRead(Base):
    """How far a person has read a channel: top-level messages after it are unread."""

    __tablename__ = "chat_reads"

    channel_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("chat_channels.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_at: Mapped[datetime]


class ChatMessage(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "chat_messages"

    channel_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("chat_channels.id", ondelete="CASCADE")
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Replies name their thread's first message; top-level messages have none.
    thread_root_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("chat_messages.id", ondelete="CASCADE")
    )
    body: Mapped[str] = mapped_column(Text)
    # Resolved when the message was written: user ids (strings) and whether @channel.
    mentions: Mapped[list[str]] = mapped_column(JSON, default=list)
    mentions_channel: Mapped[bool] = mapped_column(Boolean, default=False)
    job_refs: Mapped[list[str]] = mapped_column(JSON, default=list)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    last_reply_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_chat_messages_channel_created", "channel_id", "created_at", "id"),
        Index("ix_chat_messages_thread_created", "thread_root_id", "created_at", "id"),
        # The per-person rate limit counts one author's recent messages.
        Index("ix_chat_messages_author_created", "author_id", "created_at"),
    )


# The chat search index, made by migration 0011 like the jobs' (jobs/models.py): SQLite's
# FTS5 table over the bodies with its shadow tables, PostgreSQL's tsvector and GIN index.
Base.metadata.info.setdefault("unmodelled", set()).update(
    {
        ("table", "chat_messages_fts"),
        ("table", "chat_messages_fts_data"),
        ("table", "chat_messages_fts_idx"),
        ("table", "chat_messages_fts_docsize"),
        ("table", "chat_messages_fts_config"),
        ("column", "chat_messages.search_vector"),
        ("index", "chat_messages.ix_chat_messages_search"),
    }
)


class ChatReaction(Base):
    __tablename__ = "chat_reactions"

    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("chat_messages.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    emoji: Mapped[str] = mapped_column(String(16), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChatSettings(Base):
    """A workspace's chat rules; a workspace without a row has the defaults."""

    __tablename__ = "chat_settings"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    # Messages older than this many days are deleted; None keeps them.
    retention_days: Mapped[int | None]
    viewers_can_post: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SharedDocument(UUIDPrimaryKey, Timestamps, Base):
    """A document edited together; the CRDT state is the truth, ``text`` a readable snapshot."""

    __tablename__ = "shared_documents"

    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE")
    )
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200))
    crdt_state: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_shared_documents_workspace_updated", "workspace_id", "updated_at", "id"),
    )


class SharedDocumentUpdate(Base):
    """One CRDT update of a document, as a client sent it; compaction folds them into the
    document's ``crdt_state`` and deletes them."""

    __tablename__ = "shared_document_updates"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shared_documents.id", ondelete="CASCADE")
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_shared_document_updates_document", "document_id", "id"),)


class SharedDocumentVersion(UUIDPrimaryKey, CreatedAt, Base):
    """A named version: the text and CRDT state at the moment someone saved it."""

    __tablename__ = "shared_document_versions"

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shared_documents.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    crdt_state: Mapped[bytes] = mapped_column(LargeBinary)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    __table_args__ = (Index("ix_shared_document_versions_document", "document_id", "created_at"),)
