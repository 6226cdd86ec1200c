"""Chat messages: post (with threads, mentions and job references), edit, delete,
react, typing, history, threads, search, job cards and the workspace's chat rules.

Every change is announced through the outbox in the same unit of work (``chat_events``),
and a mention becomes a ``chat.mention`` notification there too, so a committed message
is always delivered and always notifies, also after a crash.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.collab import chat_events, chat_mentions
from qdeck.collab.chat_channels import ChannelAccess, open_channel, visible_channel_ids
from qdeck.collab.chat_schemas import (
    MAX_MESSAGE_CHARS,
    REACTIONS,
    AuthorRead,
    ChatSettingsRead,
    ChatSettingsUpdate,
    JobCardRead,
    MessageRead,
    ReactionRead,
    ThreadRead,
)
from qdeck.collab.markdown import job_refs_in, mentions_in, render_message
from qdeck.collab.models import ChannelKind, ChatChannel, ChatMessage, ChatReaction, ChatSettings
from qdeck.config import Settings
from qdeck.db.keyset import PageRequest, fetch_page
from qdeck.db.types import utcnow
from qdeck.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from qdeck.jobs.filters import search_words
from qdeck.jobs.models import Job
from qdeck.notifications.service import notify_many
from qdeck.workspaces import access
from qdeck.workspaces.access import Action

MENTION_KIND = "chat.mention"
SEARCH_LIMIT = 50


@lru_cache(maxsize=4096)
def _html(body: str) -> str:
    return render_message(body)


class ChatService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    # -- reading ---------------------------------------------------------------------------

    async def messages(
        self, user: User, channel_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[MessageRead], str | None]:
        """A channel's top-level messages, newest first (replies are in their threads)."""
        await open_channel(self.session, user.id, channel_id)
        stmt = select(ChatMessage).where(
            ChatMessage.channel_id == channel_id, ChatMessage.thread_root_id.is_(None)
        )
        rows, cursor = await fetch_page(
            self.session, stmt, [ChatMessage.created_at, ChatMessage.id], page
        )
        return await self.read_models(rows), cursor

    async def thread(self, user: User, message_id: uuid.UUID) -> ThreadRead:
        root, _ = await self._message(user, message_id)
        if root.thread_root_id is not None:
            root = await self.session.get(ChatMessage, root.thread_root_id)  # type: ignore[assignment]
        replies = list(
            await self.session.scalars(
                select(ChatMessage)
                .where(ChatMessage.thread_root_id == root.id)
                .order_by(ChatMessage.created_at, ChatMessage.id)
                .limit(1000)
            )
        )
        models = await self.read_models([root, *replies])
        return ThreadRead(root=models[0], replies=models[1:])

    async def get(self, user: User, message_id: uuid.UUID) -> MessageRead:
        message, _ = await self._message(user, message_id)
        return (await self.read_models([message]))[0]

    async def search(self, user: User, workspace_id: uuid.UUID, query: str) -> list[MessageRead]:
        """Messages holding every word (each also as a prefix), newest first, in the
        channels ``user`` can read; on each database's own text index (migration 0011)."""
        await access.authorize(self.session, user.id, workspace_id, Action.VIEW)
        words = search_words(query)
        if not words:
            raise InvalidInput(
                "Search for at least one word of letters or digits.",
                code="invalid_search",
                errors=[{"field": "q", "message": "no words to search for"}],
            )
        visible = await visible_channel_ids(self.session, user.id, workspace_id)
        if not visible:
            return []
        stmt = select(ChatMessage).where(
            ChatMessage.channel_id.in_(visible), ChatMessage.deleted_at.is_(None)
        )
        if self.session.get_bind().dialect.name == "sqlite":
            match = " ".join(f'"{w}"*' for w in words)
            stmt = stmt.where(
                text(
                    "chat_messages.rowid IN "
                    "(SELECT rowid FROM chat_messages_fts WHERE chat_messages_fts MATCH :q)"
                ).bindparams(q=match)
            )
        else:
            tsquery = " & ".join(f"{w}:*" for w in words)
            stmt = stmt.where(
                text("chat_messages.search_vector @@ to_tsquery('simple', :q)").bindparams(
                    q=tsquery
                )
            )
        rows = await self.session.scalars(
            stmt.order_by(ChatMessage.created_at.desc(), ChatMessage.id.desc()).limit(SEARCH_LIMIT)
        )
        return await self.read_models(list(rows))

    async def job_cards(self, user: User, channel_id: uuid.UUID, job_ids: list[uuid.UUID]):
        """Cards for jobs named in a channel's messages: only the channel's workspace's
        jobs, so a link to another team's job shows nothing of it."""
        found = await open_channel(self.session, user.id, channel_id)
        if not job_ids:
            return []
        jobs = await self.session.scalars(
            select(Job).where(
                Job.id.in_(job_ids[:200]), Job.workspace_id == found.channel.workspace_id
            )
        )
        return [
            JobCardRead(
                id=j.id,
                name=j.name,
                status=str(j.status),
                backend=j.backend,
                shots=j.shots,
                created_at=j.created_at,
            )
            for j in jobs
        ]

    # -- writing ---------------------------------------------------------------------------

    async def post(
        self,
        user: User,
        channel_id: uuid.UUID,
        body: str,
        *,
        thread_root_id: uuid.UUID | None = None,
    ) -> MessageRead:
        found = await open_channel(self.session, user.id, channel_id)
        channel = found.channel
        await self._may_post(user, found)
        body = _checked(body)
        await self._rate_limit(user)
        root = None
        if thread_root_id is not None:
            root = await self.session.get(ChatMessage, thread_root_id)
            if root is None or root.channel_id != channel_id:
                raise NotFound("Thread not found in this channel.", code="thread_not_found")
            if root.thread_root_id is not None:
                raise InvalidInput(
                    "Reply to the thread's first message (threads do not nest).",
                    code="nested_thread",
                    errors=[{"field": "thread_root_id", "message": "is itself a reply"}],
                )
            if root.deleted_at is not None:
                raise Conflict("That message was deleted; its thread is closed.")
        mentions = await self._mentions(found, body)
        now = utcnow()
        message = ChatMessage(
            channel_id=channel_id,
            workspace_id=channel.workspace_id,
            author_id=user.id,
            thread_root_id=thread_root_id,
            body=body,
            mentions=[str(u) for u in mentions.user_ids],
            mentions_channel=mentions.everyone,
            job_refs=await self._job_refs(channel, body),
            created_at=now,
        )
        self.session.add(message)
        channel.last_message_at = now
        if root is not None:
            root.reply_count += 1
            root.last_reply_at = now
        await self.session.flush()
        read = (await self.read_models([message]))[0]
        self._announce(chat_events.MESSAGE_POSTED, found, user, read)
        if root is not None:
            self._announce(
                chat_events.MESSAGE_CHANGED, found, user, (await self.read_models([root]))[0]
            )
        await self._notify(user, found, message, mentions, already=set())
        return read

    async def edit(self, user: User, message_id: uuid.UUID, body: str) -> MessageRead:
        message, found = await self._message(user, message_id)
        if message.author_id != user.id:
            raise PermissionDenied("You can only edit your own messages.", code="not_your_message")
        if message.deleted_at is not None:
            raise Conflict("That message was deleted.", code="message_deleted")
        await self._may_post(user, found)
        body = _checked(body)
        mentions = await self._mentions(found, body)
        before = {uuid.UUID(u) for u in message.mentions}
        everyone_before = message.mentions_channel
        message.body = body
        message.mentions = [str(u) for u in mentions.user_ids]
        message.mentions_channel = mentions.everyone
        message.job_refs = await self._job_refs(found.channel, body)
        message.edited_at = utcnow()
        await self.session.flush()
        read = (await self.read_models([message]))[0]
        self._announce(chat_events.MESSAGE_CHANGED, found, user, read)
        # Only people the edit newly mentions hear of it.
        await self._notify(
            user, found, message, mentions, already=before, everyone_before=everyone_before
        )
        return read

    async def delete(self, user: User, message_id: uuid.UUID) -> MessageRead:
        message, found = await self._message(user, message_id)
        if message.author_id != user.id and not access.allows(found.role, Action.MODERATE_CHAT):
            raise PermissionDenied(
                "You can delete your own messages; an admin can delete anyone's.",
                code="not_your_message",
            )
        if message.deleted_at is None:
            message.deleted_at = utcnow()
            # The text goes at once (search, exports, backups from now on): a deletion
            # that keeps the words is not one.
            message.body = ""
            message.mentions = []
            message.mentions_channel = False
            message.job_refs = []
            await self.session.execute(
                delete(ChatReaction).where(ChatReaction.message_id == message.id)
            )
            await self.session.flush()
        read = (await self.read_models([message]))[0]
        self._announce(chat_events.MESSAGE_CHANGED, found, user, read)
        return read

    async def react(
        self, user: User, message_id: uuid.UUID, emoji: str, *, on: bool
    ) -> MessageRead:
        if emoji not in REACTIONS:
            raise InvalidInput(
                f"A reaction is one of {' '.join(REACTIONS)}.",
                code="invalid_reaction",
                errors=[{"field": "emoji", "message": "not one of the offered reactions"}],
            )
        message, found = await self._message(user, message_id)
        await self._may_post(user, found)
        if message.deleted_at is not None:
            raise Conflict("That message was deleted.", code="message_deleted")
        existing = await self.session.get(ChatReaction, (message.id, user.id, emoji))
        if on and existing is None:
            self.session.add(ChatReaction(message_id=message.id, user_id=user.id, emoji=emoji))
        elif not on and existing is not None:
            await self.session.delete(existing)
        await self.session.flush()
        read = (await self.read_models([message]))[0]
        self._announce(chat_events.MESSAGE_CHANGED, found, user, read)
        return read

    async def can_post(self, user: User, channel_id: uuid.UUID) -> bool:
        """Whether ``user`` may post in the channel now (the page shows a composer)."""
        found = await open_channel(self.session, user.id, channel_id)
        try:
            await self._may_post(user, found)
        except (PermissionDenied, Conflict):
            return False
        return True

    async def typing(self, user: User, channel_id: uuid.UUID) -> None:
        found = await open_channel(self.session, user.id, channel_id)
        await self._may_post(user, found)
        chat_events.channel_event(
            self.session, chat_events.TYPING, found.channel, found.members, actor_id=user.id,
            user_id=str(user.id), name=user.display_name,
        )  # fmt: skip

    # -- the workspace's chat rules ----------------------------------------------------------

    async def rules(self, user: User, workspace_id: uuid.UUID) -> ChatSettingsRead:
        await access.authorize(self.session, user.id, workspace_id, Action.VIEW)
        row = await self.session.get(ChatSettings, workspace_id)
        return _rules(workspace_id, row)

    async def change_rules(
        self, user: User, workspace_id: uuid.UUID, body: ChatSettingsUpdate
    ) -> ChatSettingsRead:
        await access.authorize(self.session, user.id, workspace_id, Action.MODERATE_CHAT)
        row = await self.session.get(ChatSettings, workspace_id)
        if row is None:
            row = ChatSettings(workspace_id=workspace_id, viewers_can_post=False)
            self.session.add(row)
        if "retention_days" in body.model_fields_set:
            row.retention_days = body.retention_days
        if body.viewers_can_post is not None:
            row.viewers_can_post = body.viewers_can_post
        await self.session.flush()
        return _rules(workspace_id, row)

    # -- helpers ---------------------------------------------------------------------------

    async def read_models(self, messages: list[ChatMessage]) -> list[MessageRead]:
        if not messages:
            return []
        ids = [m.id for m in messages]
        authors = {m.author_id for m in messages if m.author_id is not None}
        names = dict(
            (
                await self.session.execute(
                    select(User.id, User.display_name).where(User.id.in_(authors))
                )
            ).all()
        ) if authors else {}  # fmt: skip
        reactions: dict[uuid.UUID, dict[str, list[uuid.UUID]]] = {}
        for message_id, emoji, who in await self.session.execute(
            select(ChatReaction.message_id, ChatReaction.emoji, ChatReaction.user_id)
            .where(ChatReaction.message_id.in_(ids))
            .order_by(ChatReaction.created_at)
        ):
            reactions.setdefault(message_id, {}).setdefault(emoji, []).append(who)
        return [
            MessageRead(
                id=m.id,
                channel_id=m.channel_id,
                workspace_id=m.workspace_id,
                thread_root_id=m.thread_root_id,
                author=AuthorRead(
                    id=m.author_id,
                    name=names.get(m.author_id, "Former member")
                    if m.author_id
                    else "Former member",
                ),
                body=m.body,
                html=_html(m.body) if m.body else "",
                mentions=[uuid.UUID(u) for u in m.mentions],
                mentions_channel=m.mentions_channel,
                job_refs=[uuid.UUID(j) for j in m.job_refs],
                reactions=[
                    ReactionRead(emoji=e, user_ids=who)
                    for e, who in reactions.get(m.id, {}).items()
                ],
                reply_count=m.reply_count,
                last_reply_at=m.last_reply_at,
                created_at=m.created_at,
                edited_at=m.edited_at,
                deleted=m.deleted_at is not None,
            )
            for m in messages
        ]

    async def _message(
        self, user: User, message_id: uuid.UUID
    ) -> tuple[ChatMessage, ChannelAccess]:
        message = await self.session.get(ChatMessage, message_id)
        if message is None:
            raise NotFound("Message not found.", code="message_not_found")
        try:
            found = await open_channel(self.session, user.id, message.channel_id)
        except NotFound:
            raise NotFound("Message not found.", code="message_not_found") from None
        return message, found

    async def _may_post(self, user: User, found: ChannelAccess) -> None:
        if found.channel.archived_at is not None:
            raise Conflict(
                "This channel is archived; unarchive it to post.", code="channel_archived"
            )
        rules = await self.session.get(ChatSettings, found.channel.workspace_id)
        viewers = bool(rules and rules.viewers_can_post)
        if not access.may_post_in_chat(found.role, viewers_can_post=viewers):
            raise PermissionDenied(
                f"Your role '{found.role}' can read this workspace's chat but not post; "
                "an admin can let viewers post in the chat settings.",
                code="chat_read_only",
            )

    async def _rate_limit(self, user: User) -> None:
        window = timedelta(seconds=self.settings.chat_rate_window_seconds)
        since = utcnow() - window
        recent = await self.session.scalar(
            select(func.count())
            .select_from(ChatMessage)
            .where(ChatMessage.author_id == user.id, ChatMessage.created_at > since)
        )
        if (recent or 0) >= self.settings.chat_rate_limit:
            raise RateLimited(
                f"You can post {self.settings.chat_rate_limit} messages every "
                f"{self.settings.chat_rate_window_seconds:g} s; wait a moment.",
                retry_after=max(1, round(window.total_seconds())),
                code="chat_rate_limited",
            )

    async def _mentions(self, found: ChannelAccess, body: str) -> chat_mentions.Mentions:
        handles = mentions_in(body)
        if not handles:
            return chat_mentions.Mentions([], False)
        people = await chat_mentions.audience_people(
            self.session, found.channel.workspace_id, found.members
        )
        return chat_mentions.resolve(handles, people)

    async def _job_refs(self, channel: ChatChannel, body: str) -> list[str]:
        refs: list[uuid.UUID] = []
        for raw in job_refs_in(body)[:20]:
            try:
                refs.append(uuid.UUID(raw))
            except ValueError:
                continue
        if not refs:
            return []
        ours = set(
            await self.session.scalars(
                select(Job.id).where(Job.id.in_(refs), Job.workspace_id == channel.workspace_id)
            )
        )
        return [str(r) for r in refs if r in ours]

    def _announce(self, kind: str, found: ChannelAccess, user: User, read: MessageRead) -> None:
        chat_events.channel_event(
            self.session, kind, found.channel, found.members, actor_id=user.id,
            message=read.model_dump(mode="json"),
        )  # fmt: skip

    async def _notify(
        self,
        author: User,
        found: ChannelAccess,
        message: ChatMessage,
        mentions: chat_mentions.Mentions,
        *,
        already: set[uuid.UUID],
        everyone_before: bool = False,
    ) -> None:
        people = set(mentions.user_ids) - already
        if mentions.everyone and not everyone_before:
            everyone = await chat_mentions.audience_people(
                self.session, found.channel.workspace_id, found.members
            )
            people |= {p.id for p in everyone}
        people.discard(author.id)
        if not people:
            return
        channel = found.channel
        where = "a direct message" if channel.kind is ChannelKind.DIRECT else f"#{channel.name}"
        snippet = " ".join(message.body.split())
        await notify_many(
            self.session,
            sorted(people),
            workspace_id=channel.workspace_id,
            kind=MENTION_KIND,
            title=f"{author.display_name} mentioned you in {where}",
            body=snippet if len(snippet) <= 200 else snippet[:199] + "…",
            link=f"/chat?channel={channel.id}&message={message.id}",
            data={"channel_id": str(channel.id), "message_id": str(message.id)},
            dedupe_key=f"chat.mention:{message.id}",
        )


def _checked(body: str) -> str:
    body = body.strip()
    if not body:
        raise InvalidInput(
            "A message needs some text.",
            errors=[{"field": "body", "message": "is empty"}],
        )
    if len(body) > MAX_MESSAGE_CHARS:
        raise InvalidInput(
            f"A message is at most {MAX_MESSAGE_CHARS:,} characters; this one has {len(body):,}.",
            code="message_too_long",
            errors=[{"field": "body", "message": f"at most {MAX_MESSAGE_CHARS} characters"}],
        )
    return body


def _rules(workspace_id: uuid.UUID, row: ChatSettings | None) -> ChatSettingsRead:
    return ChatSettingsRead(
        workspace_id=workspace_id,
        retention_days=row.retention_days if row else None,
        viewers_can_post=bool(row and row.viewers_can_post),
    )


async def sweep_retention(session: AsyncSession) -> int:
    """Delete messages older than their workspace's retention; the number deleted."""
    deleted = 0
    for workspace_id, days in await session.execute(
        select(ChatSettings.workspace_id, ChatSettings.retention_days).where(
            ChatSettings.retention_days.is_not(None)
        )
    ):
        cutoff = utcnow() - timedelta(days=days)
        result = await session.execute(
            delete(ChatMessage).where(
                ChatMessage.workspace_id == workspace_id, ChatMessage.created_at < cutoff
            )
        )
        deleted += result.rowcount or 0
    return deleted
