"""Chat channels: who sees which, creating and changing them, direct conversations,
read markers and unread counts. Every workspace has a public ``#general``, made the
first time anyone asks for the workspace's channels.

Visibility is decided by ``workspaces.access`` (``sees_channel``); this module only
looks up the facts it needs (the caller's role, whether they are in the channel).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.collab import chat_events
from qdeck.collab.chat_schemas import ChannelCreate, ChannelRead, ChannelUpdate
from qdeck.collab.models import (
    ChannelKind,
    ChatChannel,
    ChatChannelMember,
    ChatMessage,
    ChatRead,
)
from qdeck.db.types import utcnow
from qdeck.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from qdeck.workspaces import access
from qdeck.workspaces.access import Action
from qdeck.workspaces.models import Membership
from qdeck.workspaces.roles import Role

GENERAL = "general"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


@dataclass(frozen=True)
class ChannelAccess:
    """A channel as one person may use it."""

    channel: ChatChannel
    role: Role
    # Private and direct channels' members; None for a public channel (everyone).
    members: list[uuid.UUID] | None


def channel_name(raw: str) -> str:
    name = raw.strip().lstrip("#").lower()
    if not _NAME.match(name):
        raise InvalidInput(
            "A channel name is 1-80 lower-case letters, digits, '-' or '_', starting with a "
            "letter or digit.",
            code="invalid_channel_name",
            errors=[{"field": "name", "message": "use a-z, 0-9, '-' and '_'"}],
        )
    return name


def _direct_name(a: uuid.UUID, b: uuid.UUID) -> str:
    first, second = sorted((a.hex, b.hex))
    # 3 + 32 + 1 + 32 = 68 characters: fits the 80 of a name, and no public name has ":".
    return f"dm:{first}:{second}"


async def role_in(
    session: AsyncSession, user_id: uuid.UUID, workspace_id: uuid.UUID
) -> Role | None:
    return await session.scalar(
        select(Membership.role).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    )


async def channel_members(session: AsyncSession, channel_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(ChatChannelMember.user_id).where(ChatChannelMember.channel_id == channel_id)
    )
    return list(rows)


async def open_channel(
    session: AsyncSession, user_id: uuid.UUID, channel_id: uuid.UUID
) -> ChannelAccess:
    """The channel if ``user_id`` may see it; NotFound otherwise (never 403: a private
    channel's existence is its members' business)."""
    missing = NotFound("Channel not found.", code="channel_not_found")
    channel = await session.get(ChatChannel, channel_id)
    if channel is None:
        raise missing
    role = await role_in(session, user_id, channel.workspace_id)
    public = channel.kind is ChannelKind.PUBLIC
    members = None if public else await channel_members(session, channel.id)
    if not access.sees_channel(
        role, public=public, in_channel=bool(members and user_id in members)
    ):
        raise missing
    assert role is not None
    return ChannelAccess(channel, role, members)


class ChannelService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self, user: User, workspace_id: uuid.UUID, *, archived: bool = False
    ) -> list[ChannelRead]:
        """The channels ``user`` sees in the workspace: public ones, then private ones and
        direct conversations they are in; with unread counts."""
        await access.authorize(self.session, user.id, workspace_id, Action.VIEW)
        await self._ensure_general(workspace_id)
        stmt = select(ChatChannel).where(_visible(user.id, workspace_id))
        if not archived:
            stmt = stmt.where(ChatChannel.archived_at.is_(None))
        channels = list(await self.session.scalars(stmt))
        return await self._read(user, channels)

    async def get(self, user: User, channel_id: uuid.UUID) -> ChannelRead:
        found = await open_channel(self.session, user.id, channel_id)
        return (await self._read(user, [found.channel]))[0]

    async def create(self, user: User, workspace_id: uuid.UUID, body: ChannelCreate) -> ChannelRead:
        await access.authorize(self.session, user.id, workspace_id, Action.CHAT)
        name = channel_name(body.name)
        kind = ChannelKind(body.kind)
        members: list[uuid.UUID] = []
        if kind is ChannelKind.PRIVATE:
            members = await self._workspace_members(workspace_id, [user.id, *body.member_ids])
        elif body.member_ids:
            raise InvalidInput(
                "A public channel has every member of the workspace; member_ids are for "
                "private channels.",
                errors=[{"field": "member_ids", "message": "only for private channels"}],
            )
        channel = ChatChannel(
            workspace_id=workspace_id, kind=kind, name=name, topic=body.topic, created_by=user.id
        )
        await self._insert(channel, name)
        self.session.add_all(ChatChannelMember(channel_id=channel.id, user_id=m) for m in members)
        await self.session.flush()
        chat_events.channel_event(
            self.session, chat_events.CHANNEL_CHANGED, channel, members, actor_id=user.id,
            change="created",
        )  # fmt: skip
        return (await self._read(user, [channel]))[0]

    async def open_direct(
        self, user: User, workspace_id: uuid.UUID, other_id: uuid.UUID
    ) -> ChannelRead:
        """The direct conversation of ``user`` and ``other_id`` in the workspace, made on
        first use. Anyone who may view the workspace may be written to; writing needs
        the right to post (``access.may_post_in_chat``)."""
        await access.authorize(self.session, user.id, workspace_id, Action.VIEW)
        people = await self._workspace_members(workspace_id, [user.id, other_id])
        name = _direct_name(user.id, other_id)
        channel = await self.session.scalar(
            select(ChatChannel).where(
                ChatChannel.workspace_id == workspace_id, ChatChannel.name == name
            )
        )
        if channel is None:
            channel = ChatChannel(
                workspace_id=workspace_id, kind=ChannelKind.DIRECT, name=name, created_by=user.id
            )
            if await self._insert(channel, name, existing_ok=True):
                self.session.add_all(
                    ChatChannelMember(channel_id=channel.id, user_id=p) for p in people
                )
                await self.session.flush()
            else:
                channel = await self.session.scalar(
                    select(ChatChannel).where(
                        ChatChannel.workspace_id == workspace_id, ChatChannel.name == name
                    )
                )
                assert channel is not None
        return (await self._read(user, [channel]))[0]

    async def update(self, user: User, channel_id: uuid.UUID, body: ChannelUpdate) -> ChannelRead:
        found = await open_channel(self.session, user.id, channel_id)
        channel = found.channel
        await self._may_manage(user, found)
        if channel.kind is ChannelKind.DIRECT and (body.name is not None or body.topic is not None):
            raise InvalidInput("A direct conversation has no name or topic.", code="direct_channel")
        if body.name is not None:
            name = channel_name(body.name)
            if channel.name == GENERAL and name != GENERAL:
                raise InvalidInput("#general cannot be renamed.", code="general_channel")
            if name != channel.name:
                await self._taken(channel.workspace_id, name)
                channel.name = name
        if body.topic is not None:
            channel.topic = body.topic
        if body.archived is not None:
            if channel.name == GENERAL and channel.kind is ChannelKind.PUBLIC and body.archived:
                raise InvalidInput("#general cannot be archived.", code="general_channel")
            channel.archived_at = utcnow() if body.archived else None
        channel.updated_at = utcnow()
        await self.session.flush()
        chat_events.channel_event(
            self.session, chat_events.CHANNEL_CHANGED, channel, found.members, actor_id=user.id,
            change="updated",
        )  # fmt: skip
        return (await self._read(user, [channel]))[0]

    async def add_members(
        self, user: User, channel_id: uuid.UUID, user_ids: list[uuid.UUID]
    ) -> ChannelRead:
        found = await self._private(user, channel_id)
        await access.authorize(self.session, user.id, found.channel.workspace_id, Action.CHAT)
        wanted = await self._workspace_members(found.channel.workspace_id, user_ids)
        new = [u for u in wanted if u not in (found.members or [])]
        self.session.add_all(ChatChannelMember(channel_id=channel_id, user_id=u) for u in new)
        await self.session.flush()
        members = [*(found.members or []), *new]
        chat_events.channel_event(
            self.session, chat_events.CHANNEL_CHANGED, found.channel, members, actor_id=user.id,
            change="members",
        )  # fmt: skip
        return (await self._read(user, [found.channel]))[0]

    async def remove_member(self, user: User, channel_id: uuid.UUID, member_id: uuid.UUID) -> None:
        """Leave a private channel, or (its creator or a workspace admin) remove someone."""
        found = await self._private(user, channel_id)
        if member_id != user.id:
            await self._may_manage(user, found)
        if member_id not in (found.members or []):
            raise NotFound("That person is not in this channel.", code="member_not_found")
        row = await self.session.get(ChatChannelMember, (channel_id, member_id))
        await self.session.delete(row)
        await self.session.flush()
        members = [m for m in found.members or [] if m != member_id]
        # The one who left still hears that they left (their page closes the channel).
        chat_events.channel_event(
            self.session, chat_events.CHANNEL_CHANGED, found.channel, [*members, member_id],
            actor_id=user.id, change="members",
        )  # fmt: skip

    async def mark_read(
        self, user: User, channel_id: uuid.UUID, message_id: uuid.UUID | None
    ) -> ChannelRead:
        found = await open_channel(self.session, user.id, channel_id)
        moment = utcnow()
        if message_id is not None:
            message = await self.session.get(ChatMessage, message_id)
            if message is None or message.channel_id != channel_id:
                raise NotFound("Message not found in this channel.", code="message_not_found")
            moment = message.created_at
        else:
            newest = await self.session.scalar(
                select(func.max(ChatMessage.created_at)).where(ChatMessage.channel_id == channel_id)
            )
            moment = max(moment, newest) if newest else moment
        row = await self.session.get(ChatRead, (channel_id, user.id))
        if row is None:
            self.session.add(ChatRead(channel_id=channel_id, user_id=user.id, last_read_at=moment))
        elif message_id is None or moment > row.last_read_at:
            # Marking an older message read never makes newer ones unread again.
            row.last_read_at = moment
        await self.session.flush()
        chat_events.read_moved(self.session, user.id, channel_id)
        return (await self._read(user, [found.channel]))[0]

    # -- helpers ---------------------------------------------------------------------------

    async def _ensure_general(self, workspace_id: uuid.UUID) -> None:
        exists = await self.session.scalar(
            select(ChatChannel.id).where(
                ChatChannel.workspace_id == workspace_id, ChatChannel.name == GENERAL
            )
        )
        if exists is None:
            channel = ChatChannel(
                workspace_id=workspace_id,
                kind=ChannelKind.PUBLIC,
                name=GENERAL,
                topic="Everyone in the workspace",
            )
            await self._insert(channel, GENERAL, existing_ok=True)

    async def _insert(self, channel: ChatChannel, name: str, *, existing_ok: bool = False) -> bool:
        """Add ``channel``; False (``existing_ok``) or 409 when the name is taken, also
        when a concurrent request took it a moment ago (the unique constraint decides)."""
        if not existing_ok:
            await self._taken(channel.workspace_id, name)
        try:
            async with self.session.begin_nested():
                self.session.add(channel)
                await self.session.flush()
        except IntegrityError:
            if existing_ok:
                return False
            raise self._name_taken(name) from None
        return True

    async def _taken(self, workspace_id: uuid.UUID, name: str) -> None:
        clash = await self.session.scalar(
            select(ChatChannel.id).where(
                ChatChannel.workspace_id == workspace_id, ChatChannel.name == name
            )
        )
        if clash is not None:
            raise self._name_taken(name)

    @staticmethod
    def _name_taken(name: str) -> Conflict:
        return Conflict(
            f"There is already a channel #{name} in this workspace (perhaps archived).",
            code="channel_exists",
        )

    async def _private(self, user: User, channel_id: uuid.UUID) -> ChannelAccess:
        found = await open_channel(self.session, user.id, channel_id)
        if found.channel.kind is not ChannelKind.PRIVATE:
            raise InvalidInput(
                "Only private channels have chosen members.", code="not_a_private_channel"
            )
        return found

    async def _may_manage(self, user: User, found: ChannelAccess) -> None:
        if found.channel.created_by == user.id:
            await access.authorize(self.session, user.id, found.channel.workspace_id, Action.CHAT)
            return
        if not access.allows(found.role, Action.MODERATE_CHAT):
            raise PermissionDenied(
                "Only the channel's creator or a workspace admin can change it.",
                code="not_channel_manager",
            )

    async def _workspace_members(
        self, workspace_id: uuid.UUID, user_ids: list[uuid.UUID]
    ) -> list[uuid.UUID]:
        wanted = list(dict.fromkeys(user_ids))
        found = set(
            await self.session.scalars(
                select(Membership.user_id).where(
                    Membership.workspace_id == workspace_id, Membership.user_id.in_(wanted)
                )
            )
        )
        strangers = [str(u) for u in wanted if u not in found]
        if strangers:
            raise InvalidInput(
                "Only members of the workspace can be in its channels.",
                code="not_workspace_members",
                errors=[
                    {"field": "member_ids", "message": f"not a member: {s}"} for s in strangers
                ],
            )
        return wanted

    async def _read(self, user: User, channels: list[ChatChannel]) -> list[ChannelRead]:
        if not channels:
            return []
        ids = [c.id for c in channels]
        members: dict[uuid.UUID, list[uuid.UUID]] = {}
        for channel_id, member in await self.session.execute(
            select(ChatChannelMember.channel_id, ChatChannelMember.user_id).where(
                ChatChannelMember.channel_id.in_(ids)
            )
        ):
            members.setdefault(channel_id, []).append(member)
        reads = dict(
            (
                await self.session.execute(
                    select(ChatRead.channel_id, ChatRead.last_read_at).where(
                        ChatRead.user_id == user.id, ChatRead.channel_id.in_(ids)
                    )
                )
            ).all()
        )
        unread = await unread_counts(self.session, user.id, ids)
        names = await _names(self.session, {m for ms in members.values() for m in ms})
        out = [
            ChannelRead(
                id=c.id,
                workspace_id=c.workspace_id,
                kind=c.kind,
                name=c.name,
                title=_title(c, members.get(c.id, []), user.id, names),
                topic=c.topic,
                archived=c.archived_at is not None,
                member_ids=members.get(c.id, []),
                unread=unread.get(c.id, 0),
                last_read_at=reads.get(c.id),
                last_message_at=c.last_message_at,
                created_at=c.created_at,
            )
            for c in channels
        ]
        order = {ChannelKind.PUBLIC: 0, ChannelKind.PRIVATE: 1, ChannelKind.DIRECT: 2}
        return sorted(out, key=lambda c: (order[c.kind], c.name != GENERAL, c.title.lower()))


def _visible(user_id: uuid.UUID, workspace_id: uuid.UUID):
    """The rule of ``access.sees_channel`` as a query, for a member of the workspace."""
    mine = select(ChatChannelMember.channel_id).where(ChatChannelMember.user_id == user_id)
    return and_(
        ChatChannel.workspace_id == workspace_id,
        or_(ChatChannel.kind == ChannelKind.PUBLIC, ChatChannel.id.in_(mine)),
    )


async def visible_channel_ids(
    session: AsyncSession, user_id: uuid.UUID, workspace_id: uuid.UUID
) -> list[uuid.UUID]:
    return list(
        await session.scalars(select(ChatChannel.id).where(_visible(user_id, workspace_id)))
    )


async def unread_counts(
    session: AsyncSession, user_id: uuid.UUID, channel_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Top-level messages by others after the person's read marker, per channel (all of
    them when they never opened it)."""
    read = ChatRead.__table__.alias("r")
    rows = await session.execute(
        select(ChatMessage.channel_id, func.count())
        .select_from(ChatMessage)
        .outerjoin(
            read, and_(read.c.channel_id == ChatMessage.channel_id, read.c.user_id == user_id)
        )
        .where(
            ChatMessage.channel_id.in_(channel_ids),
            ChatMessage.thread_root_id.is_(None),
            ChatMessage.deleted_at.is_(None),
            or_(ChatMessage.author_id.is_(None), ChatMessage.author_id != user_id),
            or_(read.c.last_read_at.is_(None), ChatMessage.created_at > read.c.last_read_at),
        )
        .group_by(ChatMessage.channel_id)
    )
    return {channel_id: count for channel_id, count in rows}


async def _names(session: AsyncSession, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not user_ids:
        return {}
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return dict(rows.all())


def _title(
    channel: ChatChannel, members: list[uuid.UUID], me: uuid.UUID, names: dict[uuid.UUID, str]
) -> str:
    if channel.kind is not ChannelKind.DIRECT:
        return f"#{channel.name}"
    others = [names.get(m, "someone") for m in members if m != me]
    return ", ".join(others) if others else f"{names.get(me, 'You')} (you)"
